"""Phone and ID numbers masked in a page as its reader sees it, after Markdown.

The source scan read `139**1234**5678`, `&#49;&#51;&#57;12345678`,
`139<span>1234</span>5678` or `` 139`1234`5678 `` as no number, and the page showed
13912345678. Here the finished HTML is read as a browser shows it: entities decoded,
inline tags (`<strong>`, `<span>`, `<code>`, `<a>` …) joined without a gap, block tags
(`<p>`, `<li>`, `<td>` …) apart, script and style left out; attributes a reader sees or a
screen reader speaks (`alt`, `title`, `aria-label`, `content`, `data-*`) each on their
own, and `id` / `href` too (a heading's anchor, a `tel:` link: the same number is masked
the same way in both, so anchors still meet). Every number `core.pii` finds there is masked in place, digit by digit, in the text
nodes it spans (139****5678 however it was split), so nothing is re-rendered.
"""

from __future__ import annotations

import html as _html
import re

from ..core import pii
from ..core.findings import Finding, Level

__all__ = ["PageMasker", "mask_html", "mask_text"]

_TOKEN = re.compile(r"<!--.*?-->|<![^>]*>|<\?.*?\?>|<(/?)([A-Za-z][\w:-]*)([^>]*)>", re.S)
_RAW = frozenset({"script", "style", "textarea", "template"})
_INLINE = frozenset(
    """a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q rp rt ruby s samp
    small span strike strong sub sup time tt u var wbr label""".split()  # noqa: SIM905
)
_SEEN_ATTRIBUTES = re.compile(
    r"""(\s(?:alt|title|aria-label|aria-description|content|placeholder|value|id|href|data-[\w-]+)\s*=\s*)("[^"]*"|'[^']*')""",
    re.I,
)
_DIGIT = re.compile(r"[0-9Xx]")


def _kept(masked: str) -> tuple[int, int]:
    """Digits shown before and after the stars of a masked form (139****5678 → 3, 4)."""
    if "*" not in masked:
        return 0, 0
    head, _, _ = masked.partition("*")
    tail = masked.rsplit("*", 1)[1]
    return len(_DIGIT.findall(head)), len(_DIGIT.findall(tail))


def _mask_positions(norm: str, matches: list[pii.PiiMatch]) -> set[int]:
    """Positions (in the joined text) of the digits to replace by `*`."""
    hidden: set[int] = set()
    for m in matches:
        digits = [i for i in range(m.start, m.end) if _DIGIT.fullmatch(norm[i])]
        lead, trail = _kept(m.masked)
        hidden.update(digits[lead : len(digits) - trail])
    return hidden


def mask_text(text: str) -> tuple[str, list[str]]:
    """`text` with every phone and ID number masked, and the masked forms found."""
    matches = pii.find_personal(text)
    if not matches:
        return text, []
    hidden = _mask_positions(pii.normalize(text), matches)
    out = "".join("*" if i in hidden else ch for i, ch in enumerate(text))
    return out, [m.masked for m in matches]


_ADDRESS = re.compile(r"[a-z][a-z0-9+.-]*:|\.{0,2}/|[^\s\"']*\.[a-z0-9]{2,5}(?:[?#]|$)", re.I)
"""A value that is an address (a scheme, a path, a file name): its digits are a content hash
or a date in a file name, which no reader sees as a number."""


def _mask_value(name: str, value: str) -> tuple[str, list[str]]:
    """An attribute's value masked as a reader meets it: in an address only a `tel:`/`sms:`
    number and the #fragment (a heading's anchor), never the path a browser fetches."""
    if name in ("href", "content") or name.startswith("data-"):
        lowered = value.lower()
        if lowered.startswith(("tel:", "sms:")):
            return mask_text(value)
        if _ADDRESS.match(value):
            path, sep, fragment = value.partition("#")
            if not sep:
                return value, []
            masked, hits = mask_text(fragment)
            return path + sep + masked, hits
    return mask_text(value)


def _mask_attributes(tag: str, found: list[str]) -> str:
    def one(m: re.Match) -> str:
        quoted = m.group(2)
        value = _html.unescape(quoted[1:-1])
        name = m.group(1).strip().split("=")[0].strip().lower()
        masked, hits = _mask_value(name, value)
        if not hits:
            return m.group(0)
        found.extend(hits)
        return f'{m.group(1)}"{_html.escape(masked, quote=True)}"'

    return _SEEN_ATTRIBUTES.sub(one, tag)


def mask_html(html: str) -> tuple[str, list[str]]:
    """`html` with the numbers its reader sees masked, and the masked forms (for findings)."""
    found: list[str] = []
    pieces: list[str] = []  # the HTML, cut into tags and text
    texts: list[tuple[int, int, str]] = []  # (index in pieces, start in joined, decoded text)
    joined: list[str] = []
    length = 0
    raw_until: str | None = None
    last = 0

    def add_text(chunk: str) -> None:
        nonlocal length
        if not chunk:
            return
        pieces.append(chunk)
        if raw_until is None:
            decoded = _html.unescape(chunk)
            texts.append((len(pieces) - 1, length, decoded))
            joined.append(decoded)
            length += len(decoded)

    for m in _TOKEN.finditer(html):
        add_text(html[last : m.start()])
        last = m.end()
        tag = m.group(0)
        name = (m.group(2) or "").lower()
        closing = bool(m.group(1))
        if raw_until is not None:
            if closing and name == raw_until:
                raw_until = None
            pieces.append(tag)
            continue
        if name and not closing:
            tag = _mask_attributes(tag, found)
            if name in _RAW and not tag.rstrip(">").endswith("/"):
                raw_until = name
        pieces.append(tag)
        if name and name not in _INLINE:
            joined.append("|")  # a block boundary: no separator a number runs across
            length += 1
    add_text(html[last:])
    text = "".join(joined)
    matches = pii.find_personal(text)
    if matches:
        found.extend(m.masked for m in matches)
        hidden = _mask_positions(pii.normalize(text), matches)
        for index, start, decoded in texts:
            if any(start <= i < start + len(decoded) for i in hidden):
                masked = "".join("*" if start + k in hidden else ch for k, ch in enumerate(decoded))
                pieces[index] = _html.escape(masked, quote=False)
    return ("".join(pieces) if found else html), found


_MASKED_FORM = re.compile(r"[0-9]+-?\*+[0-9X]+(?:-[0-9]+)?")


class PageMasker:
    """Masks every page of one build and makes a finding for each number the source scan
    (`checking.personal`, which reports numbers as written) did not already report."""

    def __init__(self, reported: list[Finding] | None = None) -> None:
        self.findings: list[Finding] = []
        self._said: set[tuple[str | None, str]] = set()
        self._known = {form for f in reported or [] for form in _MASKED_FORM.findall(f.message)}

    def mask(self, html: str, source: str | None, project: str | None = None) -> str:
        masked, found = mask_html(html)
        for form in found:
            if form in self._known or (source, form) in self._said:
                continue
            self._said.add((source, form))
            kind = "身份证号" if len(form) == 18 else "电话号码"
            self.findings.append(
                Finding(
                    Level.WARNING,
                    f"网页上显示的文字里有{kind} {form}（排版后才看得出的写法），发布的页面已打码",
                    file=source,
                    hint="依照《个人信息保护法》，请在原文里删除这个号码",
                    project=project,
                )
            )
        return masked

    def finish(self) -> list[Finding]:
        found, self.findings = self.findings, []
        return found
