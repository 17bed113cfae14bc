"""Text that every later step can encode: cleaned once, where a school's file is read.

A YAML escape can put any code point into a field: `name: "项目\\ud800"` gives a lone
surrogate, which no UTF-8 writer accepts (the registry JSON, every export, the HTML
report all crashed on it). Control characters (`"\\e"`, `"\\x07"`) and Unicode
non-characters (U+FFFE, U+FDD0 …) encode, but are invalid in XML (Word, Excel) or
garbage on a page. This module removes them from any parsed value, recursively, and
says where, so the loader makes one finding per field and nothing after it ever sees
such text.

What is removed (each a `kind`):

- ``surrogate``: U+D800–U+DFFF left alone. A high+low pair written as two escapes
  (`"\\ud83d\\ude00"`, as JSON writes emoji) is first joined into the character it means.
- ``control``: C0 controls except TAB and LF, DEL, and the C1 block U+0080–U+009F.
  CR is not removed: CRLF and lone CR become LF (a Windows line end, no finding).
- ``noncharacter``: U+FDD0–U+FDEF and the last two code points of every plane.
- ``bidi``: the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
  U+2066–U+2069). A right-to-left override in a file name (`案例\u202egpj.exe`) shows
  the rest of the text reversed: on a page, in a title or the navigation it misleads
  the reader about what a link is. Chinese school texts never need them.

Everything else (private-use characters, emoji, zero-width characters and the plain
direction marks LRM/RLM) is valid text and stays; the PII scan (`pii.py`) looks
through zero-width characters itself.

File and folder names are text too: `clean_name` gives the name to show (captions,
titles, album names, published file names) and the reader reports it once, where the
folder is listed. `strip_from_page` is the last guard on every generated page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "KIND_NAMES",
    "TextChange",
    "clean_name",
    "clean_text",
    "clean_value",
    "is_clean",
    "message",
]

_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_BIDI_RANGE = "\u202a-\u202e\u2066-\u2069"
_BAD = re.compile(f"[{_CONTROLS}\r\ud800-\udfff{_NONCHARACTERS}{_BIDI_RANGE}]")
_BIDI = re.compile(f"[{_BIDI_RANGE}]")
_PAGE_BAD = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f{_BIDI_RANGE}]")
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile(f"[{_CONTROLS}]")
_NONCHAR = re.compile(f"[{_NONCHARACTERS}]")

KIND_NAMES = {
    "surrogate": "无法编码的代理字符",
    "control": "控制字符",
    "noncharacter": "Unicode 非字符",
    "bidi": "改变文字方向的控制字符",
}
"""Chinese names of the kinds, for findings."""


@dataclass(frozen=True)
class TextChange:
    """Where a parsed value had text that was cleaned, and what was removed there."""

    path: tuple[str | int, ...]
    """Keys and list indexes from the top of the value: ("tags", 1), ("opinion", "text").
    A cleaned mapping key is named by its cleaned text."""
    kinds: frozenset[str]
    removed: int
    """How many code points were removed (a joined surrogate pair counts as none)."""

    @property
    def field(self) -> str | None:
        """The top-level key (the form field), when the value was a mapping."""
        return str(self.path[0]) if self.path else None


def is_clean(text: str) -> bool:
    """True when `text` holds nothing `clean_text` would change (the fast, common case)."""
    return _BAD.search(text) is None


def _join_pair(m: re.Match[str]) -> str:
    high, low = ord(m.group()[0]), ord(m.group()[1])
    return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


def clean_text(text: str) -> tuple[str, frozenset[str], int]:
    """(cleaned text, kinds removed, number of code points removed).

    Line ends are normalised to LF without being counted as a change.
    """
    if is_clean(text):
        return text, frozenset(), 0
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    kinds: set[str] = set()
    removed = 0
    if _SURROGATE.search(text):
        text = _PAIR.sub(_join_pair, text)
        text, n = _SURROGATE.subn("", text)
        if n:
            kinds.add("surrogate")
            removed += n
    text, n = _CONTROL.subn("", text)
    if n:
        kinds.add("control")
        removed += n
    text, n = _NONCHAR.subn("", text)
    if n:
        kinds.add("noncharacter")
        removed += n
    text, n = _BIDI.subn("", text)
    if n:
        kinds.add("bidi")
        removed += n
    return text, frozenset(kinds), removed


def clean_name(name: str) -> str:
    """A file or folder name as it may be shown: `clean_text`, line ends and tabs as spaces."""
    text = clean_text(name)[0] if not is_clean(name) else name
    return text.replace("\n", " ").replace("\t", " ")


def strip_from_page(html: str) -> str:
    """A generated page without control characters or direction overrides (HTML forbids
    the first; the second must never reach a reader, whatever path it took)."""
    return _PAGE_BAD.sub("", html) if _PAGE_BAD.search(html) else html


def clean_value(value: Any) -> tuple[Any, list[TextChange]]:
    """Clean every str in a parsed YAML value: scalars, list items, mapping keys and values.

    Returns the cleaned value and one `TextChange` per changed string. Lists, dicts and
    sets are cleaned *in place* (the same objects come back): YAML anchors make shared
    and even self-containing structures, which are visited once each, so this never
    loops and never copies. Non-text scalars (numbers, dates, bytes) are left as they are.
    Iterative, so any nesting depth is fine.
    """
    changes: list[TextChange] = []
    if isinstance(value, str):
        text, kinds, removed = clean_text(value)
        if kinds:
            changes.append(TextChange((), kinds, removed))
        return text, changes
    seen: set[int] = set()
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        container, path = stack.pop()
        if id(container) in seen:
            continue
        seen.add(id(container))
        if isinstance(container, list):
            for i, item in enumerate(container):
                if isinstance(item, str):
                    container[i] = _cleaned(item, (*path, i), changes)
                elif isinstance(item, (list, dict, set)):
                    stack.append((item, (*path, i)))
        elif isinstance(container, dict):
            if any(isinstance(k, str) and not is_clean(k) for k in container):
                _clean_keys(container, path, changes)
            for key, item in container.items():
                where = (*path, key if isinstance(key, (str, int)) else str(key))
                if isinstance(item, str):
                    if not is_clean(item):
                        container[key] = _cleaned(item, where, changes)
                elif isinstance(item, (list, dict, set)):
                    stack.append((item, where))
        elif isinstance(container, set):
            # `!!set` gives a set of (hashable) keys: only strings can need cleaning
            dirty = [k for k in container if isinstance(k, str) and not is_clean(k)]
            for key in dirty:
                container.discard(key)
                container.add(_cleaned(key, (*path, key), changes))
    return value, changes


def _cleaned(text: str, path: tuple[str | int, ...], changes: list[TextChange]) -> str:
    cleaned, kinds, removed = clean_text(text)
    if kinds:
        if path and isinstance(path[-1], str) and path[-1] == text:
            path = (*path[:-1], cleaned)  # a set member is named by its cleaned text
        changes.append(TextChange(path, kinds, removed))
    return cleaned


def _clean_keys(mapping: dict, path: tuple[str | int, ...], changes: list[TextChange]) -> None:
    """Rebuild the mapping with cleaned keys, in order; a key that becomes equal to an
    earlier one keeps the later value (what YAML does with a key written twice)."""
    items = list(mapping.items())
    mapping.clear()
    for key, item in items:
        if isinstance(key, str) and not is_clean(key):
            cleaned, kinds, removed = clean_text(key)
            if kinds:
                changes.append(TextChange((*path, cleaned), kinds, removed))
            key = cleaned
        mapping[key] = item


def message(changes: Iterable[TextChange]) -> str:
    """One Chinese sentence for the changes of one field: what was removed, how many."""
    kinds: set[str] = set()
    removed = 0
    for change in changes:
        kinds |= change.kinds
        removed += change.removed
    names = "、".join(KIND_NAMES[k] for k in KIND_NAMES if k in kinds)
    return f"含有 {removed} 个无法显示或无法保存的字符（{names}），已删除"
