"""Every public text of a project and where it comes from (file, line, field), for the scans."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core import textutil
from ..core.fields import FIELDS
from ..core.model import Indicator, Opinion, Project


@dataclass(frozen=True)
class Text:
    """A public text and its place, for the scans below."""

    text: str
    file: str | None
    line: int | None = None
    field: str | None = None


def public_texts(project: Project) -> Iterator[Text]:
    """Every text the site publishes from this project (personal fields excluded)."""
    for f in FIELDS:
        if f.personal or f.key not in project.values:
            continue
        file, line = project.lines.get(f.key, (None, None))
        for text in _value_texts(project.values[f.key]):
            yield Text(text, file, line, f.key)
    for case in project.cases:
        file = str(case.source)
        for text in (case.title, case.summary, case.body, *case.authors, *case.tags):
            yield Text(text, file)
        for image in case.images:
            yield Text(image.caption, str(image.path))
        for item in case.appendix:
            yield Text(item.title, file)
    for album in project.albums:
        meta = album.source / "album.yml"
        file = str(meta) if meta.is_file() else str(album.source)
        yield Text(album.title, file)
        yield Text(album.description, file)
        for photo in album.photos:
            yield Text(photo.caption, str(photo.path))
    for plan in project.plans:
        file = str(plan.source)
        yield Text(plan.title, file)
        yield Text(plan.body, file)
        yield Text(plan.scope, file)
        yield Text(plan.issuer, file)
        for month in plan.schedule:
            for item in month.items:
                yield Text(item, file)
        for entry in plan.timed:
            for item in (entry.label, *entry.items):
                yield Text(item, file)


def _value_texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Opinion):
        return [value.text, value.signed_by]
    if isinstance(value, Indicator):
        return [value.text, value.unit]
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in _value_texts(item)]
    return []


_line_cache: dict[str, str | None] = {}


def locate(file: str | None, needle: str, default: int | None) -> int | None:
    """The line of `file` holding `needle` (first at or after line `default`), else `default`."""
    if not file or not needle:
        return default
    if file not in _line_cache:
        if len(_line_cache) > 256:
            _line_cache.clear()
        try:
            data = (
                Path(file).read_bytes()
                if Path(file).suffix.lower() in (".yml", ".yaml", ".md", ".markdown")
                else b""
            )
            text, _ = textutil.decode_text(data) if data else ("", "")
        except (OSError, ValueError):
            text = ""
        _line_cache[file] = text.replace("\r\n", "\n") or None
    text = _line_cache[file]
    if not text:
        return default
    start = 0
    if default and default > 1:
        start = max(0, _nth_line_start(text, default))
    index = text.find(needle, start)
    if index < 0:
        return default
    return text.count("\n", 0, index) + 1


def _nth_line_start(text: str, line: int) -> int:
    index = 0
    for _ in range(line - 1):
        index = text.find("\n", index) + 1
        if index == 0:
            return len(text)
    return index
