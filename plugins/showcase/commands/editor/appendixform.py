"""A case's 重要资料附录 in the form: numbered items, each with a title, a type (图片、文本、
复印件…), a description and several files, written to the case's ordered `appendix:` list.

Reading goes through the site's own reader (`reading.appendix`), so the form shows the
items exactly as the page will; saving writes the list only when the items differ from
what is on disk, so opening and saving a case changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ...core import textutil
from ...core.findings import Findings
from ...core.model import AppendixItem, Attachment, Image
from ...reading.appendix import _type_label, from_file_names, from_front_matter
from ...reading.folders import ATTACHMENT_EXTS, IMAGE_EXTS, is_inside

Norm = list[tuple[str, str, str, tuple[str, ...], tuple[tuple[str, str], ...]]]


def _members(adir: Path) -> list[Image | Attachment]:
    out: list[Image | Attachment] = []
    if not adir.is_dir():
        return out
    entries = sorted(
        (p for p in adir.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))),
        key=lambda p: [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", p.name)],
    )
    for path in entries:
        ext = path.suffix.lower()
        if ext in IMAGE_EXTS:
            out.append(Image(path=path, caption=textutil.caption_from_filename(path.name)))
        elif ext in ATTACHMENT_EXTS:
            title = textutil.caption_from_filename(path.name)
            out.append(Attachment(path=path, title=title, size=path.stat().st_size))
    return out


def read_items(folder: Path, case_path: Path, listing: Any) -> list[AppendixItem]:
    """The case's appendix as the site reads it (findings are the checker's business)."""
    adir = case_path.with_suffix("")
    members = _members(adir) if is_inside(adir, folder) else []
    if listing is None:
        return from_file_names(members)
    return from_front_matter(listing, members, SimpleNamespace(source=case_path), None, Findings())


def _author_type(item: AppendixItem) -> str:
    """The type the author wrote; '' when it is only the one made from the files."""
    made = _type_label(item.images, item.files)
    return "" if item.type_label == made else item.type_label


def state_items(
    folder: Path, case_path: Path, listing: Any, base: dict, fingerprint: Callable
) -> list[dict]:
    """The form's appendix items: title, type, description and files, in order; each file's
    fingerprint goes into `base`."""
    out = []
    for item in read_items(folder, case_path, listing):
        files = []
        for member in [*item.images, *item.files]:
            rel = member.path.relative_to(folder).as_posix()
            base[rel] = fingerprint(member.path)
            files.append(
                {
                    "file": rel,
                    "name": member.path.name,
                    "size": textutil.human_size(member.path.stat().st_size),
                    "image": isinstance(member, Image),
                    "caption": member.caption
                    if isinstance(member, Image)
                    else textutil.caption_from_filename(member.path.name),
                }
            )
        out.append(
            {
                "title": item.title,
                "type": _author_type(item),
                "description": item.description,
                "auto_type": _type_label(item.images, item.files),
                "files": files,
            }
        )
    return out


def _order(item: AppendixItem) -> list[str]:
    return [m.path.name for m in [*item.images, *item.files]]


def _own_captions(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Captions that say more than the file name (the rest need not be written)."""
    return {
        name: caption
        for name, caption in pairs
        if caption and caption != textutil.caption_from_filename(name)
    }


def normalized(items: list[AppendixItem]) -> Norm:
    return [
        (
            i.title,
            _author_type(i),
            i.description,
            tuple(sorted(_order(i))),
            tuple(sorted(_own_captions([(m.path.name, m.caption) for m in i.images]).items())),
        )
        for i in items
    ]


def listing_for(entries: list[dict]) -> list[dict]:
    """The `appendix:` list for the form's items (title, type, description, file names)."""
    out = []
    for entry in entries:
        names = entry["names"]
        title = entry["title"] or "、".join(
            dict.fromkeys(textutil.caption_from_filename(n) for n in names)
        )
        if not title and not names:
            continue
        item: dict[str, Any] = {"title": title}
        if entry["type"]:
            item["type"] = entry["type"]
        if entry["description"]:
            item["description"] = entry["description"]
        if names:
            item["files"] = list(names)
        own = _own_captions(entry.get("captions") or [])
        if own:
            item["captions"] = own
        out.append(item)
    return out


def same_as_disk(folder: Path, case_path: Path, listing: Any, entries: list[dict]) -> bool:
    """True when the form's items are what the site reads from disk already."""
    if not case_path.is_file():
        return not entries
    now = normalized(read_items(folder, case_path, listing))
    wanted = [
        (
            e["title"]
            or "、".join(dict.fromkeys(textutil.caption_from_filename(n) for n in e["names"])),
            e["type"],
            e["description"],
            tuple(sorted(e["names"])),
            tuple(sorted(_own_captions(e.get("captions") or []).items())),
        )
        for e in entries
        if e["title"] or e["names"]
    ]
    return now == wanted
