"""Indicator targets as authors write them: `20`, `10-15名`, `不低于10%`, `85%以上`,
`至少2次`, `不超过3起`, `每季度不少于2次`.

One parser for every reader (project.yml, the imported 申报表), so a target means the
same thing wherever it was written. The text as written is kept for display; the
numbers say what a chart draws and when a value counts as reached.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

EXACT, AT_LEAST, AT_MOST, RANGE = "", "min", "max", "range"
"""Target kinds: a plain number (reached at or above it), a lower bound, an upper bound,
a range (reached at its lower end)."""

_MIN_WORDS = (
    "不低于",
    "不少于",
    "不小于",
    "不下于",
    "至少",
    "最少",
    "最低",
    "大于等于",
    "高于",
    "超过",
    "多于",
    "大于",
    ">=",
    "≥",
    ">",
)
_MAX_WORDS = (
    "不超过",
    "不高于",
    "不多于",
    "不大于",
    "至多",
    "最多",
    "最高",
    "控制在",
    "小于等于",
    "低于",
    "少于",
    "小于",
    "<=",
    "≤",
    "<",
)
_EXACT_WORDS = ("达到", "完成", "实现", "保持", "约")
_MIN_SUFFIX = ("及以上", "或以上", "以上", "之上", "+")
_MAX_SUFFIX = ("及以下", "或以下", "以下", "以内", "之内", "内")

_NUM = r"\d+(?:\.\d+)?"
_UNIT = r"[^\d\s~～\-—–－至到]{0,6}"
_SINGLE = re.compile(rf"^(?P<low>{_NUM})(?P<unit>{_UNIT})$")
_RANGE = re.compile(
    rf"^(?P<low>{_NUM})(?P<unit1>{_UNIT})\s*(?:——|[~～\-—–－至到])\s*(?P<high>{_NUM})(?P<unit2>{_UNIT})$"
)


@dataclass(frozen=True)
class Target:
    kind: str
    """EXACT, AT_LEAST, AT_MOST or RANGE."""
    value: float
    """The number: the target, the bound, or a range's lower end."""
    high: float | None = None
    """A range's upper end."""
    unit: str = ""
    """The unit written with the number (`名`, `%`), '' when none."""
    text: str = ""
    """The target as written, when it says more than a plain number (`不低于10%`)."""


def _strip(text: str, words: tuple[str, ...], *, end: bool) -> tuple[str, str | None]:
    for word in words:
        if end and text.endswith(word) and len(text) > len(word):
            return text[: -len(word)], word
        if not end and text.startswith(word) and len(text) > len(word):
            return text[len(word) :], word
    return text, None


def parse_target(value: object) -> Target | None:
    """The target an author wrote, or None when it holds no number we can read."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
        return Target(EXACT, number) if abs(number) < float("inf") else None  # nan, inf: none
    if not isinstance(value, str):
        return None
    written = re.sub(r"\s+", " ", value).strip()
    text = unicodedata.normalize("NFKC", written).replace(" ", "").replace(",", "")
    if not text:
        return None
    kind, worded = EXACT, False
    # a bound word may follow a qualifier without numbers: 每季度不少于2次, 每年不低于10%;
    # the earliest, longest word wins (不超过 before its tail 超过)
    hits = [
        (text.find(w), -len(w), w, bound)
        for words, bound in ((_MIN_WORDS, AT_LEAST), (_MAX_WORDS, AT_MOST), (_EXACT_WORDS, EXACT))
        for w in words
        if re.search(re.escape(w) + r"\d", text)
    ]
    hits = [h for h in hits if not re.search(r"\d", text[: h[0]])]
    if hits:
        i, _n, word, kind = min(hits)
        text, worded = text[i + len(word) :], True
    rest, suffix = _strip(text, _MIN_SUFFIX, end=True)
    if suffix is not None:
        kind, worded = (AT_LEAST if kind is EXACT else kind), True
    else:
        rest, suffix = _strip(text, _MAX_SUFFIX, end=True)
        if suffix is not None:
            kind, worded = AT_MOST, True
    m = _RANGE.match(rest)
    if m:
        low, high = float(m.group("low")), float(m.group("high"))
        if high < low:
            low, high = high, low
        unit = (m.group("unit2") or m.group("unit1")).strip()
        return Target(RANGE, low, high, unit, written)
    m = _SINGLE.match(rest)
    if not m:
        return None
    # `20人` is a plain number and its unit; anything with words is kept as written
    return Target(
        kind, float(m.group("low")), None, m.group("unit").strip(), written if worded else ""
    )


def fmt_number(value: float | None) -> str:
    """`20`, `12.5`: no trailing zeros."""
    if value is None:
        return ""
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def with_unit_text(written: str, unit: str) -> str:
    """The written target with the indicator's unit put after its (last) number when the
    author wrote it apart (`target: 不低于10`, `unit: "%"` → `不低于10%`)."""
    if not unit or not written:
        return written
    numbers = list(re.finditer(r"[\d０-９]+(?:[.．][\d０-９]+)?", written))
    if not numbers:
        return written
    last = numbers[-1]  # a range 10-15 takes the unit once, at its end: 10-15名
    if written[last.end() :].lstrip().startswith(unit):
        return written
    return written[: last.end()] + unit + written[last.end() :]


@dataclass(frozen=True)
class Outcome:
    """What a value says about its target: met or not and, for a plain number only, the
    share of it reached. Bounds (不低于, 以上, 不超过, 至少) and ranges are met or not: a
    share of a bound (`不低于10%` with 11 → "110%") reads as a percent of a percent."""

    met: bool
    share: float | None = None
    """value / target for a plain positive number target (1.0 = reached), else None."""

    @property
    def completion(self) -> float | None:
        """The share capped at 1, for averages; None for bounds, ranges and zero targets."""
        return None if self.share is None else max(0.0, min(self.share, 1.0))


def assess(kind: str, target: float | None, value: float | None) -> Outcome | None:
    """The one reading of a value against a target, for the project page's charts and the
    statistics alike; None without a target or a value. A range is met from its lower end
    (more than planned is not a failure); a plain 0 (`0起`) means "none", like 不超过0."""
    if target is None or value is None:
        return None
    if kind == AT_MOST:
        return Outcome(value <= target)
    if kind in (AT_LEAST, RANGE):
        return Outcome(value >= target)
    if target > 0:
        return Outcome(value >= target, value / target)
    return Outcome(value <= target)  # 0 or a negative target: at most that
