"""Pictures made from the model: indicator bar charts, plan month timelines, the
project's activity axis and the logo placeholder.

Pure Python that returns SVG strings or plain data for templates; no MkDocs and no
JavaScript. Every text that comes from a school is XML-escaped here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..core import targets
from ..core.model import Indicator, Project
from ..core.targets import fmt_number
from .timeline import Activity, MonthEntry, activity_items, activity_years, plan_months

RED = "#C8102E"
GOLD = "#F2C14E"
GOLD_DARK = "#8A6D1F"
GREY = "#9E9E9E"
GREY_DARK = "#6B6B6B"
FONT_STACK = (
    "'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC',"
    "'Source Han Sans SC','WenQuanYi Micro Hei',sans-serif"
)

# Characters XML 1.0 forbids; a stray control character pasted from Word would
# otherwise make the whole inline SVG invalid.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def esc(text: object) -> str:
    """Text safe inside an XML element or a double-quoted attribute."""
    s = _XML_BAD.sub("", str(text))
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def with_unit(value: float | None, unit: str) -> str:
    """`17人`, `85%`: Chinese writes the unit right after the number."""
    return f"{fmt_number(value)}{unit}"


def _f(x: float) -> str:
    """Coordinates with two decimals at most, so the markup stays short."""
    return fmt_number(round(x, 2))


def _text_width(text: str, size: float) -> float:
    """Rough advance of a label: CJK is one em, digits and Latin about 0.6 em."""
    return sum(size if ord(c) > 0x2E7F else size * 0.6 for c in text)


# --- indicator charts ----------------------------------------------------------------


@dataclass
class YearBar:
    year: int
    value: float
    share: float | None
    """value / target (1.0 = reached); None without a usable target."""
    reached: bool | None
    """None when there is no target to compare with."""


def chartable(indicator: Indicator) -> bool:
    """Only values make a chart: a target without any (`尚未填报`) is a line of the
    compact list with its target, and a sentence stays in the list too."""
    return bool(indicator.actual)


def pending(indicator: Indicator) -> bool:
    """A target without values yet: listed as target and 尚未填报, not drawn."""
    return indicator.target is not None and not indicator.actual


def split_indicators(items: list[Indicator]) -> tuple[list[Indicator], list[Indicator]]:
    """(charted, listed): indicators drawn as charts and those that stay in the list."""
    return [i for i in items if chartable(i)], [i for i in items if not chartable(i)]


def indicator_runs(items: list[Indicator]) -> list[tuple[str, list[Indicator]]]:
    """The indicators in the author's order, as runs of `charts` and `list` items, so a
    page keeps the order and still lays charts out side by side."""
    runs: list[tuple[str, list[Indicator]]] = []
    for item in items:
        kind = "charts" if chartable(item) else "list"
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(item)
        else:
            runs.append((kind, [item]))
    return runs


def year_bars(indicator: Indicator) -> list[YearBar]:
    bars = []
    for year, value in sorted(indicator.actual.items()):
        bars.append(YearBar(year, value, indicator.share(value), indicator.reached(value)))
    return bars


def indicator_status(indicator: Indicator) -> tuple[str, str, bool | None] | None:
    """The caption's progress note: (lead text, the strong part, met), or None. A plain
    number says its share ("完成 85%"); a bound, a range or a zero target says met or not."""
    outcome = indicator.outcome
    if outcome is None:
        return ("", "尚未填报", None) if pending(indicator) else None
    year = indicator.latest[0]  # an outcome needs a latest value
    if outcome.share is not None:
        return (f"{year} 年完成", _percent(outcome.share), outcome.met)
    return (f"{year} 年", "达到目标" if outcome.met else "未达目标", outcome.met)


def _percent(share: float | None) -> str:
    return "" if share is None else f"{round(share * 100)}%"


def indicator_summary(indicator: Indicator) -> str:
    """The numbers of a chart in one Chinese sentence, for aria-label and <desc>."""
    parts = []
    if indicator.target is not None:
        parts.append(f"目标{indicator.target_label}")
    years = []
    for bar in year_bars(indicator):
        s = f"{bar.year}年{with_unit(bar.value, indicator.unit)}"
        if bar.share is not None:
            s += f"，完成{_percent(bar.share)}"
        elif bar.reached is not None:
            s += "，达到目标" if bar.reached else "，未达到目标"
        years.append(s)
    if years:
        parts.append("；".join(years))
    elif indicator.target is not None:
        parts.append("尚未填报完成情况")
    return f"{indicator.text}：" + "；".join(parts) if parts else indicator.text


def _uid(indicator: Indicator, uid: str | None) -> str:
    if uid:
        return "sc-chart-" + re.sub(r"[^A-Za-z0-9_-]", "-", uid)
    digest = hashlib.sha1(f"{indicator.kind}|{indicator.text}".encode()).hexdigest()[:8]
    return f"sc-chart-{digest}"


# viewBox geometry: small enough that labels stay legible on a phone without scaling up
W, H = 360, 228
PLOT_LEFT, PLOT_RIGHT = 12, W - 12
PLOT_TOP, PLOT_BOTTOM = 60, H - 50


def _target_marks(indicator: Indicator, y_of) -> tuple[str, str]:
    """(band, lines): a range as a band between its ends, a lower bound as a band up to
    the top, an upper bound as a band down to the axis; lines at each end. A thin dark line
    under the gold dashes keeps a target visible on white and in grey print."""
    target, high, bound = indicator.target, indicator.target_high, indicator.bound
    if target is None:
        return "", ""
    band = ""
    if bound in (targets.RANGE, targets.AT_LEAST, targets.AT_MOST):
        if bound == targets.RANGE:
            top, bottom = y_of(high if high is not None else target), y_of(target)
        elif bound == targets.AT_LEAST:
            top, bottom = float(PLOT_TOP - 8), y_of(target)
        else:
            top, bottom = y_of(target), float(PLOT_BOTTOM)
        band = (
            f'<rect class="sc-chart__target-band" x="{PLOT_LEFT}" y="{_f(top)}" '
            f'width="{PLOT_RIGHT - PLOT_LEFT}" height="{_f(max(bottom - top, 0.0))}" fill="{GOLD}" '
            f'fill-opacity="0.22" data-bound="{bound}"/>'
        )
    ends = [target] + ([high] if bound == targets.RANGE and high is not None else [])
    lines = []
    for i, value in enumerate(ends):
        ty = _f(y_of(value))
        end = " sc-chart__target--high" if i else ""
        lines.append(
            f'<line x1="{PLOT_LEFT}" y1="{ty}" x2="{PLOT_RIGHT}" y2="{ty}" stroke="{GOLD_DARK}" '
            'stroke-width="1"/>'
            f'<line class="sc-chart__target{end}" x1="{PLOT_LEFT}" y1="{ty}" x2="{PLOT_RIGHT}" '
            f'y2="{ty}" stroke="{GOLD}" stroke-width="3" stroke-dasharray="8 4" '
            f'data-value="{fmt_number(value)}"/>'
        )
    return band, "".join(lines)


def indicator_chart(indicator: Indicator, uid: str | None = None) -> str:
    """An inline SVG bar chart: one bar per year; the target as a dashed gold line, a
    range as a band between two lines, a bound as a band on its open side.

    Reached and missed years differ by colour *and* fill (solid vs hatched) and carry
    their percentage (a plain number) or 达标/未达标 (a bound, a range) as text, so the
    chart reads in grey print too. Without values there is nothing to draw: "" (the page
    lists such a target with 尚未填报 instead of an empty chart).
    """
    bars = year_bars(indicator)
    target = indicator.target
    if not bars:
        return ""
    cid = _uid(indicator, uid)
    unit = indicator.unit
    high = indicator.target_high if indicator.bound == targets.RANGE else None
    marks = [v for v in (target, high) if v is not None]
    top_value = max([b.value for b in bars] + marks)
    top_value = top_value if top_value > 0 else 1.0
    plot_h = PLOT_BOTTOM - PLOT_TOP

    def y_of(value: float) -> float:
        return PLOT_BOTTOM - max(value, 0.0) / top_value * plot_h

    summary = indicator_summary(indicator)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sc-chart__svg" viewBox="0 0 {W} {H}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" font-family="{FONT_STACK}" '
        f'role="img" aria-label="{esc(summary)}" '
        f'data-target="{fmt_number(target)}" data-target-high="{fmt_number(high)}" '
        f'data-bound="{indicator.bound}" data-unit="{esc(unit)}">',
        f"<title>{esc(indicator.text)}</title>",
        f"<desc>{esc(summary)}</desc>",
        "<defs>"
        f'<pattern id="{cid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{GREY}"/><rect width="2.5" height="6" fill="#FFFFFF" '
        'fill-opacity="0.6"/></pattern></defs>',
    ]

    # legend: only the entries this chart uses
    legend: list[tuple[str, str]] = []
    if target is not None:
        legend.append(("target", f"目标 {indicator.target_label}"))
    if any(b.reached for b in bars):
        legend.append(("reached", "达到目标"))
    if any(b.reached is False for b in bars):
        legend.append(("missed", "未达目标"))
    # a long unit ("人次/年") must not push the legend out of the picture: shrink it instead
    wanted = sum(28 + _text_width(label, 1) * 13 + 16 for _, label in legend) - 16
    font = min(13.0, 13.0 * (PLOT_RIGHT - PLOT_LEFT) / wanted) if legend else 13.0
    x = float(PLOT_LEFT)
    out.append(f'<g class="sc-chart__legend" font-size="{_f(font)}" fill="currentColor">')
    for key, label in legend:
        if key == "target":
            if indicator.bound != targets.EXACT:
                out.append(
                    f'<rect x="{_f(x)}" y="9" width="22" height="14" fill="{GOLD}" fill-opacity="0.3"/>'
                )
            out.append(
                f'<line x1="{_f(x)}" y1="16" x2="{_f(x + 22)}" y2="16" stroke="{GOLD_DARK}" stroke-width="1"/>'
                f'<line x1="{_f(x)}" y1="16" x2="{_f(x + 22)}" y2="16" stroke="{GOLD}" stroke-width="4" '
                'stroke-dasharray="6 3"/>'
            )
        else:
            fill = RED if key == "reached" else f"url(#{cid}-hatch)"
            stroke = RED if key == "reached" else GREY_DARK
            out.append(
                f'<rect x="{_f(x + 5)}" y="9" width="14" height="14" fill="{fill}" stroke="{stroke}"/>'
            )
        out.append(f'<text x="{_f(x + 28)}" y="{_f(16 + font * 0.36)}">{esc(label)}</text>')
        x += 28 + _text_width(label, font) + 16
    out.append("</g>")

    band, lines = _target_marks(indicator, y_of)
    out.append(band)

    # bars, value labels above, year and share below
    slot = (PLOT_RIGHT - PLOT_LEFT) / len(bars)
    bar_w = min(56.0, slot * 0.62)
    values: list[str] = []

    def year_text(year: int, cx: float) -> tuple[str, float]:
        label = f"{year}年" if _text_width(f"{year}年", 13) <= slot * 0.95 else str(year)
        size = min(13.0, slot * 0.95 / _text_width(label, 1))
        return (
            f'<text class="sc-chart__label" x="{_f(cx)}" y="{PLOT_BOTTOM + 19}" text-anchor="middle" '
            f'font-size="{_f(size)}" fill="currentColor">{esc(label)}</text>',
            size,
        )

    for i, bar in enumerate(bars):
        cx = PLOT_LEFT + slot * (i + 0.5)
        y = y_of(bar.value)
        height = PLOT_BOTTOM - y
        state = "none" if bar.reached is None else ("reached" if bar.reached else "missed")
        fill = f"url(#{cid}-hatch)" if bar.reached is False else RED
        stroke = GREY_DARK if bar.reached is False else RED
        label = with_unit(bar.value, unit)
        size = min(15.0, slot * 0.92 / max(_text_width(label, 1), 0.1))
        if size < 10 and unit:  # crowded: the number alone; the unit is in the legend and title
            label = fmt_number(bar.value)
            size = min(15.0, slot * 0.92 / max(_text_width(label, 1), 0.1))
        size = max(size, 8.0)
        year_label, year_size = year_text(bar.year, cx)
        # drawn last, over the target line, with a halo so a line near a bar top never hides it
        values.append(
            f'<text class="sc-chart__value" x="{_f(cx)}" y="{_f(y - 7)}" text-anchor="middle" '
            f'font-size="{_f(size)}" font-weight="700" fill="currentColor" stroke="#FFFFFF" '
            f'stroke-width="4" stroke-linejoin="round" paint-order="stroke" '
            f'data-year="{bar.year}">{esc(label)}</text>'
        )
        out.append(
            f'<g class="sc-chart__year sc-chart__year--{state}" data-year="{bar.year}">'
            f'<rect class="sc-chart__bar" x="{_f(cx - bar_w / 2)}" y="{_f(y)}" width="{_f(bar_w)}" '
            f'height="{_f(height)}" fill="{fill}" stroke="{stroke}" stroke-width="1" '
            f'data-value="{fmt_number(bar.value)}"/>' + year_label
        )
        if bar.share is not None:
            weight = ' font-weight="700"' if bar.reached else ""
            out.append(
                f'<text class="sc-chart__share" x="{_f(cx)}" y="{PLOT_BOTTOM + 38}" '
                f'text-anchor="middle" font-size="{_f(year_size)}"{weight} fill="currentColor" '
                f'fill-opacity="0.75">{_percent(bar.share)}</text>'
            )
        elif bar.reached is not None:  # a bound or a range: met or not, never a percent
            word = "达标" if bar.reached else "未达标"
            size = min(year_size, slot * 0.95 / _text_width(word, 1))
            weight = ' font-weight="700"' if bar.reached else ""
            out.append(
                f'<text class="sc-chart__share sc-chart__met" x="{_f(cx)}" y="{PLOT_BOTTOM + 38}" '
                f'text-anchor="middle" font-size="{_f(size)}"{weight} fill="currentColor" '
                f'fill-opacity="0.75">{word}</text>'
            )
        out.append("</g>")

    out.append(
        f'<line class="sc-chart__axis" x1="{PLOT_LEFT}" y1="{PLOT_BOTTOM}" x2="{PLOT_RIGHT}" '
        f'y2="{PLOT_BOTTOM}" stroke="currentColor" stroke-opacity="0.55" stroke-width="1"/>'
    )
    out.append(lines)
    out.append('<g class="sc-chart__values">' + "".join(values) + "</g>")
    out.append("</svg>")
    return "".join(out)


# --- logo placeholder ------------------------------------------------------------------

_PARTY_PREFIX = re.compile(r"^(中国共产党|中共)")
_REGION_PREFIX = re.compile(
    r"^[\u4e00-\u9fff]{2,7}?(省|自治区|市)([\u4e00-\u9fff]{1,5}?(区|县|市))?"
)
_PARTY_SUFFIX = re.compile(
    r"(第[一二三四五六七八九十\d]+)?(党总支部委员会|党支部委员会|总支部委员会|支部委员会|"
    r"委员会|党总支部|党总支|党支部|党委|总支|支部)$"
)
_SCHOOL_SUFFIX = re.compile(
    r"(教育集团|职业技术学校|职业学校|实验学校|实验小学|实验中学|中心小学|中心幼儿园|"
    r"九年一贯制学校|完全中学|高级中学|初级中学|小学|中学|学校|幼儿园|学院|大学|集团)$"
)


def placeholder_text(project: Project) -> str:
    """The characters shown on the placeholder: the school's own name, not the Party affixes.

    青禾路小学党支部 → 青禾; 中共明德教育集团党总支 → 明德; 东湖中学 → 东湖.
    """
    original = str(project.get("branch") or project.get("school") or project.title or "")
    name = re.sub(r"\s+", "", original)
    name = _PARTY_SUFFIX.sub("", _PARTY_PREFIX.sub("", name))
    if not name:
        return "党建"
    region = _REGION_PREFIX.match(name)
    if region and len(name) - region.end() >= 2:
        name = name[region.end() :]
    core = _SCHOOL_SUFFIX.sub("", name)
    name = core if len(core) >= 2 else name
    latin = re.match(r"[A-Za-z0-9]+", name)
    if latin:  # an English name: its initials read better than two letters
        words = re.findall(r"[A-Za-z0-9]+", original)
        return (
            "".join(w[0] for w in words)[:3].upper()
            if len(words) > 1
            else latin.group()[:3].upper()
        )
    return name[:2] or "党建"


def _star(cx: float, cy: float, r: float) -> str:
    import math

    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = math.pi / 2 + i * math.pi / 5
        points.append(f"{_f(cx + radius * math.cos(angle))},{_f(cy - radius * math.sin(angle))}")
    return " ".join(points)


def placeholder_svg(project: Project) -> str:
    """A square logo stand-in: the first characters of the school's name on Party red."""
    text = placeholder_text(project)
    full = project.get("branch") or project.get("school") or project.title or ""
    size = 92 if len(text) <= 2 else 70
    if all(ord(c) < 0x2E80 for c in text):
        size = 96 if len(text) <= 2 else 80
    baseline = 150 + size * 0.36  # CJK glyphs sit about 0.88 em above the baseline
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 256 256" width="256" height="256" '
        f'role="img" aria-label="{esc(full)}（暂无标识）">'
        f"<title>{esc(full)}（暂无标识）</title>"
        f'<rect width="256" height="256" rx="40" fill="{RED}"/>'
        f'<circle cx="128" cy="128" r="110" fill="none" stroke="{GOLD}" stroke-width="5"/>'
        f'<circle cx="128" cy="128" r="101" fill="none" stroke="{GOLD}" stroke-width="1.5" '
        'stroke-opacity="0.7"/>'
        f'<polygon points="{_star(128, 66, 20)}" fill="{GOLD}"/>'
        f'<text x="128" y="{_f(baseline - 12)}" text-anchor="middle" font-size="{size}" '
        f'font-weight="700" fill="#FFFFFF" letter-spacing="2" font-family="{FONT_STACK}">'
        f"{esc(text)}</text></svg>"
    )


def placeholder_png(project: Project, size: int = 256) -> bytes:
    """The placeholder as PNG bytes (for Word/Excel exports, which cannot embed SVG)."""
    import resvg_py

    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=placeholder_svg(project),
            width=size,
            height=size,
            languages=["zh-CN", "zh", "en"],
        )
    )


__all__ = [
    "Activity",
    "MonthEntry",
    "YearBar",
    "activity_items",
    "activity_years",
    "chartable",
    "split_indicators",
    "esc",
    "indicator_chart",
    "indicator_runs",
    "indicator_status",
    "indicator_summary",
    "pending",
    "placeholder_png",
    "placeholder_svg",
    "placeholder_text",
    "plan_months",
    "year_bars",
]
