"""Comment-preserving YAML round trip (ruamel.yaml) and text files as the teacher saved them.

The loader (`load.py`, PyYAML) stays the one reader of project folders; this module only
writes. It changes the values the form changed and nothing else: comments, key order,
the Chinese label keys the teacher used, quoting, the file's encoding (UTF-8, UTF-8 with
BOM or GBK) and line endings all stay as they were.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString, ScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from ...core import textutil
from ...core.atomic import write_atomic as _write_atomic


@dataclass
class TextFile:
    """A text file's content and how it was stored, so it is written back the same way."""

    text: str = ""
    encoding: str = "UTF-8"
    """'UTF-8', 'UTF-8 BOM' or 'GBK' (textutil.decode_text's names)."""
    newline: str = "\n"

    @classmethod
    def read(cls, path: Path) -> TextFile:
        data = path.read_bytes()
        text, encoding = textutil.decode_text(data)
        newline = "\r\n" if "\r\n" in text else "\n"
        return cls(text.replace("\r\n", "\n"), encoding, newline)

    def encode(self, text: str) -> bytes:
        text = text.replace("\r\n", "\n").replace("\n", self.newline)
        if self.encoding == "GBK":
            return text.encode("gb18030")  # what decode_text reads as "GBK"; covers all of Unicode
        data = text.encode("utf-8")
        return b"\xef\xbb\xbf" + data if self.encoding == "UTF-8 BOM" else data


def write_atomic(path: Path, data: bytes) -> None:
    """A teacher's file: written atomically and flushed to the disk."""
    _write_atomic(path, data, durable=True)


def yaml_for(text: str) -> YAML:
    """A round-trip YAML whose indentation follows the file's own."""
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096  # never fold a long Chinese paragraph
    y.allow_unicode = True
    ind, bsi = 2, 0
    if text.strip():
        try:
            _, ind, bsi = load_yaml_guess_indent(text)
        except Exception:  # noqa: BLE001 - a guess only; the defaults are fine
            ind, bsi = 2, 0
        ind, bsi = ind or 2, bsi or 0
    y.indent(mapping=ind if not bsi else 2, sequence=max(ind, bsi + 2), offset=bsi)
    return y


def load_map(text: str) -> tuple[CommentedMap, YAML]:
    """A YAML mapping for editing (an empty one when the text holds none)."""
    y = yaml_for(text)
    data = y.load(text) if text.strip() else None
    if not isinstance(data, CommentedMap):
        data = CommentedMap()
    return data, y


def dump(data: Any, y: YAML) -> str:
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


# --- merging new values into the loaded document -----------------------------------------


def scalar(new: Any, old: Any = None) -> Any:
    """A new scalar value, in the old one's style (quotes, literal block) where it had one."""
    if isinstance(new, str):
        if "\n" in new.strip("\n"):
            return LiteralScalarString(new.strip("\n") + "\n")
        if isinstance(old, ScalarString) and not isinstance(old, LiteralScalarString):
            return type(old)(new)  # "quoted" stays quoted
        return new
    return new


def same(old: Any, new: Any, key_of: Callable[[Any], Any] = lambda k: k) -> bool:
    """Equal as data: keys compared through `key_of`, numbers by value, text without edge newlines."""
    if isinstance(old, dict) or isinstance(new, dict):
        if not (isinstance(old, dict) and isinstance(new, dict)):
            return False
        mine = {key_of(k): v for k, v in old.items() if key_of(k) is not None}
        return len(mine) == len(new) and all(
            k in mine and same(mine[k], v, key_of) for k, v in new.items()
        )
    if isinstance(old, list) or isinstance(new, list):
        return (
            isinstance(old, list)
            and isinstance(new, list)
            and len(old) == len(new)
            and all(same(a, b, key_of) for a, b in zip(old, new, strict=True))
        )
    if isinstance(old, str) and isinstance(new, str):
        return old.strip("\n") == new.strip("\n")
    numbers = (int, float)
    if isinstance(old, numbers) and isinstance(new, numbers):
        return not isinstance(old, bool) and not isinstance(new, bool) and float(old) == float(new)
    return type(old) is type(new) and old == new


def merge(old: Any, new: Any, key_of: Callable[[Any], Any] = lambda k: k) -> Any:
    """`new` written into `old` in place where shapes agree (keeps comments and key names).

    Maps: `key_of` names an existing key canonically (a Chinese alias → `text`, `2024` → 2024)
    or returns None for a key the form does not know, which is left alone. Known keys
    missing from `new` are removed. Lists are merged item by item.
    """
    if same(old, new, key_of):
        return old
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        existing = {}
        for raw in old:
            canon = key_of(raw)
            if canon is not None:
                existing.setdefault(canon, raw)
        for key, value in new.items():
            raw = existing.get(key)
            if raw is None:
                old[key] = fresh(value)
            else:
                old[raw] = merge(old[raw], value, key_of)
        for raw in list(old):
            canon = key_of(raw)
            if canon is not None and canon not in new:
                del old[raw]
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        before = len(old)
        for i, value in enumerate(new):
            if i < len(old):
                old[i] = merge(old[i], value, key_of)
            else:
                old.append(fresh(value))
        if before and len(old) > before and before - 1 in old.ca.items:
            # the blank line or comment after the old last item now follows the new last one
            old.ca.items[len(old) - 1] = old.ca.items.pop(before - 1)
        del old[len(new) :]
        return old
    return fresh(new, old)


def fresh(value: Any, old: Any = None) -> Any:
    """A plain Python value as ruamel nodes: short word lists inline, paragraphs as `|`."""
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = fresh(v)
        if all(isinstance(v, (int, float)) for v in value.values()) and value:
            out.fa.set_flow_style()  # actual: {2024: 12, 2025: 16}
        return out
    if isinstance(value, list):
        out = CommentedSeq(fresh(v) for v in value)
        flow = isinstance(old, CommentedSeq) and old.fa.flow_style()
        if flow or (value and all(isinstance(v, str) and len(v) <= 12 for v in value)):
            out.fa.set_flow_style()  # tags: [名师工作室, 青年教师]
        return out
    if isinstance(value, (_dt.date, int, float, bool)) or value is None:
        return value
    return scalar(str(value), old)
