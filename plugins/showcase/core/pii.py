"""Phone and ID-card numbers, however they are written: found for the scan, masked for publishing.

A number is the same number whether it is written `13912345678`, `139-1234-5678`,
`139 1234 5678`, `139.1234.5678`, `139/1234/5678`, `139，1234，5678`, `139**1234**5678`,
`+86 139 1234 5678`, `(+86)13912345678`,
`0086-139…`, in full-width digits `１３９１２３４５６７８`, with a no-break or
ideographic space, with a zero-width space hidden between two digits, or in Chinese
numerals `一三九一二三四五六七八`; a landline `010-8888 6666`, `(0571)88886666`,
`0571-88886666 转 123`, or `电话：8888 6666`; an ID-card number `110105 19491231 002X`.
The old patterns saw only the first two forms.

How: the text is mapped character by character (same length, so every position
still points into the original) to ASCII digits, one space, `-`, `.`, `(`, `)` and
`+`, with invisible characters (zero-width, bidi marks, soft hyphen, variation
selectors) turned into a marker that joins what it separates. Runs of digits then
form *chains* when 1–3 separator characters lie between them, and every sub-chain
that starts and ends on a run boundary is tested against the number plans: mainland
mobiles (11 digits, 13x–19x, optional 86/0086/+86), landlines (area code 010, 02x or
0xxx with a 7–8 digit local number, optional extension; a local number alone only
after a label such as 电话 or Tel), and 18-digit ID-card numbers with a valid GB 11643
check digit and birth date. A number inside a longer run of digits is never matched.

`find_personal` is the scan (kind, where, the masked form for the message);
`mask_phones` / `mask_personal` / `mask_contact` mask for publishing.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .textutil import DecodeError, decode_text

__all__ = [
    "KIND_LABELS",
    "PiiMatch",
    "find_personal",
    "is_id_card",
    "line_of",
    "mask_contact",
    "mask_personal",
    "mask_phones",
    "normalize",
    "reader_text",
    "txt_texts",
]

KIND_LABELS = {"mobile": "手机号码", "landline": "固定电话", "id_card": "身份证号"}


@dataclass(frozen=True)
class PiiMatch:
    kind: str
    """"mobile", "landline" or "id_card"."""
    start: int
    end: int
    """Where in the original text (`text[start:end]` is `raw`)."""
    raw: str
    digits: str
    """The number itself: 11 digits for a mobile, area+local(+ext) for a landline, 18 for an ID."""
    masked: str
    """How a message or a published page shows it: 139****5678, 010-****6666, 110105********002X."""

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def as_tuple(self) -> tuple[str, str, str]:
        """(Chinese kind, raw text, masked): what `check.find_personal` returned."""
        return self.label, self.raw, self.masked


# --- normalisation (one character → one character) -----------------------------------

_MARK = "\x00"
"""Stands for an invisible character: joins what it separates."""
_CN_DIGITS = {
    "〇": "0", "零": "0", "○": "0",
    "一": "1", "幺": "1", "壹": "1",
    "二": "2", "贰": "2", "貳": "2",
    "三": "3", "叁": "3", "參": "3",
    "四": "4", "肆": "4",
    "五": "5", "伍": "5",
    "六": "6", "陆": "6", "陸": "6",
    "七": "7", "柒": "7",
    "八": "8", "捌": "8",
    "九": "9", "玖": "9",
}  # fmt: skip
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u3164\ufeff\uffa0" + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u30fc\u2500"
_DOTS = ".\u00b7\u2027\u30fb\uff0e\uff65\u2219"
_OPEN = "(\uff08[\uff3b\u3010\u3014\ufe59"
_CLOSE = ")\uff09]\uff3d\u3011\u3015\ufe5a"
_JOINERS = "/\uff0f\uff0c*_`\\~"
"""Slashes, the full-width comma, and the Markdown marks a reader never sees
(`139**1234**5678`, `` 139`1234`5678 ``, `139\\-1234\\-5678`): separators like a space."""
_table: dict[int, str] | None = None


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = [range(0x80, 0x10000), range(0x1D7CE, 0x1D800), range(0x1FBF0, 0x1FBFA)]
    for block in ranges:
        for cp in block:
            ch = chr(cp)
            if 0xD800 <= cp <= 0xDFFF:
                continue
            digit = unicodedata.decimal(ch, None)
            if digit is None:
                folded = unicodedata.normalize("NFKC", ch)
                if len(folded) == 1 and folded.isascii() and folded.isdigit():
                    digit = int(folded)
            if digit is not None:
                table[cp] = str(digit)
            elif ch.isspace():
                table[cp] = " "
    for ch, digit in _CN_DIGITS.items():
        table[ord(ch)] = digit
    for ch in "\t\n\r\v\f":
        table[ord(ch)] = " "
    for group, target in ((_DASHES, "-"), (_DOTS, "."), (_OPEN, "("), (_CLOSE, ")")):
        for ch in group:
            table[ord(ch)] = target
    for ch in _JOINERS:
        table[ord(ch)] = "/"
    table[ord("\uff0b")] = "+"
    table[ord("\uff38")] = "X"
    table[ord("\uff58")] = "x"
    for ch in _INVISIBLE:
        table[ord(ch)] = _MARK
    return table


def normalize(text: str) -> str:
    """The text with every digit ASCII, every space one space, dashes `-`, brackets `()`,
    invisible characters a marker: same length, so positions carry over to `text`."""
    global _table
    if _table is None:
        _table = _build_table()
    return text.translate(_table)


# --- matching ---------------------------------------------------------------------------

_RUN = re.compile(r"[0-9]+(?:[Xx](?![A-Za-z]))?")
_GAP = re.compile(r"[ \-.()+/]{1,3}")
_LABEL = re.compile(
    r"(?:电话|座机|固话|办公室|联系方式|联系电话|电话号码|手机|Tel|TEL|tel|Phone|phone|PHONE)"
    r"[\s:：]*$"
)
_EXTENSION = re.compile(r"\x00*[ ]*(?:-|转|分机|ext\.?|EXT\.?|x|#)[ ]*\x00*([0-9]{1,5})(?![0-9])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LOCAL = re.compile(r"[2-9][0-9]{6,7}")


def is_id_card(number: str) -> bool:
    """An 18-digit resident ID: valid check digit (GB 11643) and a real birth date."""
    number = number.upper()
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[17]:
        return False
    try:
        born = _dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return _dt.date(1900, 1, 1) <= born <= _dt.date.today()


def _area_split(digits: str) -> tuple[str, str] | None:
    """(area code, local number) of a landline written with its leading 0."""
    if digits.startswith("010") or digits.startswith("02"):
        area, local = digits[:3], digits[3:]
    elif re.match(r"0[3-9][0-9]{2}", digits):
        area, local = digits[:4], digits[4:]
    else:
        return None
    return (area, local) if _LOCAL.fullmatch(local) else None


@dataclass
class _Run:
    start: int
    end: int
    digits: str


def _chains(norm: str) -> Iterator[list[_Run]]:
    """Runs of digits, grouped where only a few separator characters lie between them."""
    chain: list[_Run] = []
    for m in _RUN.finditer(norm):
        run = _Run(m.start(), m.end(), m.group().upper())
        if chain:
            gap = norm[chain[-1].end : run.start].replace(_MARK, "")
            joined = (gap == "" or _GAP.fullmatch(gap)) and not chain[-1].digits.endswith("X")
            if not joined:
                yield chain
                chain = []
        chain.append(run)
    if chain:
        yield chain


def _prefix(norm: str, start: int) -> str:
    """The few characters before `start` (markers dropped), to see `+` or a label."""
    return norm[max(0, start - 16) : start].replace(_MARK, "")


def _classify(norm: str, runs: list[_Run]) -> tuple[str, str, str] | None:
    """(kind, digits, masked) when the runs spell one number, else None."""
    digits = "".join(r.digits for r in runs)
    if "X" in digits:
        if len(digits) == 18 and digits.index("X") == 17 and is_id_card(digits):
            return "id_card", digits, digits[:6] + "********" + digits[-4:]
        return None
    if len(digits) == 18 and is_id_card(digits):
        return "id_card", digits, digits[:6] + "********" + digits[-4:]
    for code in ("", "86", "0086"):
        if digits.startswith(code) and _MOBILE.fullmatch(digits[len(code) :]):
            number = digits[len(code) :]
            if code and len(runs) > 1 and runs[0].digits not in ("86", "0086"):
                continue  # "86" must be its own group when the number is spaced out
            return "mobile", number, f"{number[:3]}****{number[-4:]}"
    split = _area_split(digits)
    if split is not None and (len(runs) == 1 or len(runs[0].digits) == len(split[0])):
        area, local = split
        return "landline", digits, f"{area}-{'*' * (len(local) - 4)}{local[-4:]}"
    if digits.startswith("86") and _prefix(norm, runs[0].start).endswith("+"):
        # +86 10 8888 6666: the area code without its 0
        split = _area_split("0" + digits[2:])
        if split is not None:
            area, local = split
            return "landline", "0" + digits[2:], f"{area}-{'*' * (len(local) - 4)}{local[-4:]}"
    if _LOCAL.fullmatch(digits) and _LABEL.search(_prefix(norm, runs[0].start)):
        return "landline", digits, f"{'*' * (len(digits) - 4)}{digits[-4:]}"
    return None


_PRIORITY = {"id_card": 0, "mobile": 1, "landline": 2}


def _with_prefix(norm: str, start: int, end: int) -> int:
    """Take a `+` (of +86) and an opening bracket closed inside the number into the match,
    so the masked form replaces `(+86)` or `(010)` whole."""
    steps = 0
    while start > 0 and steps < 4:
        before = norm[start - 1]
        if before == _MARK or before == "+" or (before == "(" and ")" in norm[start:end]):
            start -= 1
            steps += 1
        else:
            break
    return start


def find_personal(text: str) -> list[PiiMatch]:
    """Every mobile, landline and ID-card number in `text`, in order of position."""
    if not text:
        return []
    norm = normalize(text)
    found: list[tuple[int, int, int, str, str, str]] = []
    for chain in _chains(norm):
        for i in range(len(chain)):
            total = 0
            for j in range(i, len(chain)):
                total += len(chain[j].digits)
                if total > 18:
                    break
                if total < 7:
                    continue
                result = _classify(norm, chain[i : j + 1])
                if result is not None:
                    kind, digits, masked = result
                    found.append(
                        (_PRIORITY[kind], chain[i].start, chain[j].end, kind, digits, masked)
                    )
    found.sort(key=lambda f: (f[0], f[1], -(f[2] - f[1])))
    taken: list[tuple[int, int]] = []
    matches: list[PiiMatch] = []
    for _, start, end, kind, digits, masked in found:
        if any(start < e and s < end for s, e in taken):
            continue
        if kind == "landline" and digits.startswith("0"):
            m = _EXTENSION.match(norm, end)
            if m:
                end = m.end()
                digits += m.group(1)
                masked += f"-{m.group(1)}"
        if kind != "id_card":
            start = _with_prefix(norm, start, end)
        taken.append((start, end))
        matches.append(PiiMatch(kind, start, end, text[start:end], digits, masked))
    matches.sort(key=lambda m: m.start)
    return matches


_HTML_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^>]*>", re.S)


def reader_text(text: str) -> str:
    """Markdown source roughly as its reader sees it, for the scan of the source: inline
    HTML tags dropped and character references decoded (`139<span>1234</span>5678`,
    `&#49;&#51;&#57;…`). The published page itself is read exactly (`site.pagepii`)."""
    import html

    if "<" not in text and "&" not in text:
        return text
    return html.unescape(_HTML_TAG.sub("", text))


def line_of(text: str, offset: int) -> int:
    """1-based line of a position in `text`."""
    return text.count("\n", 0, offset) + 1


# --- masking ----------------------------------------------------------------------------


def _replace(text: str, matches: list[PiiMatch]) -> str:
    out, last = [], 0
    for m in matches:
        out.append(text[last : m.start])
        out.append(m.masked)
        last = m.end
    out.append(text[last:])
    return "".join(out)


def mask_phones(text: str) -> str:
    """Every phone number in `text` replaced by its masked form (139****5678)."""
    return _replace(text, [m for m in find_personal(text) if m.kind != "id_card"])


def mask_personal(text: str) -> str:
    """Every phone and ID-card number in `text` replaced by its masked form."""
    return _replace(text, find_personal(text))


_LONG_DIGITS = re.compile(r"[0-9](?:[ \x00]?[0-9]){5,}")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def _mask_digits(text: str) -> str:
    """Every run of six or more digits in `text` masked but its last four."""
    norm = normalize(text)
    out, last = [], 0
    for m in _LONG_DIGITS.finditer(norm):
        digits = [i for i in range(m.start(), m.end()) if norm[i].isdigit()]
        keep = set(digits[-4:])
        out.append(text[last : m.start()])
        out.extend(
            "*" if norm[i].isdigit() and i not in keep else text[i]
            for i in range(m.start(), m.end())
        )
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def mask_contact(text: str) -> str:
    """The contact field for a page with `publish_personal: true`: phones and IDs masked,
    and, because a number we did not recognise is still someone's number, every other
    run of six or more digits masked but its last four, and e-mail addresses shortened
    (z***@school.cn)."""
    text = str(text)
    out, last = [], 0
    for m in find_personal(text):
        out.append(_mask_digits(text[last : m.start]))
        out.append(m.masked)
        last = m.end
    out.append(_mask_digits(text[last:]))
    return _EMAIL.sub(lambda m: f"{m.group(1)}***{m.group(2)}", "".join(out))


# --- .txt appendices ----------------------------------------------------------------------

TXT_MAX_BYTES = 5 * 1024 * 1024
"""Larger .txt appendices are scanned in their first 5 MB."""


def txt_texts(path: Path) -> Iterator[tuple[str, str]]:
    """(where, text) for each line of a .txt appendix: the shape of `check.SCANNERS`."""

    with open(path, "rb") as fh:
        data = fh.read(TXT_MAX_BYTES)
    try:
        text, _ = decode_text(data)
    except DecodeError:
        text = data.decode("utf-8", "replace")
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield f"第 {number} 行", line
