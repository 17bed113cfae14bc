"""District numbers: facet counts for the filters, statistics and their SVG charts.

Everything is computed at build time from the published projects; the charts are
plain inline SVG (no JavaScript, nothing fetched), each paired with a table of
the same numbers on the page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from markupsafe import Markup

from ..core import targets
from ..core.fields import BY_KEY
from ..core.model import Project

UNSET = "未填写"

# --- facets --------------------------------------------------------------------

FACET_KEYS = ("district", "category", "tags", "year")
"""The fields the home grid and the registry can be filtered by (data-<key> attributes)."""


@dataclass
class FacetGroup:
    key: str
    """The data attribute: district, category, tags or year."""
    label: str
    values: list[tuple[str, int]]
    """(value, number of projects), most common first (years: newest first)."""
    total: int


def facet_values(project: Project, key: str) -> list[str]:
    """The values a project shows in `data-<key>`, as strings."""
    value = project.get(key)
    if value in (None, "", []):
        return []
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    return [str(value)]


def facet_groups(projects: list[Project]) -> list[FacetGroup]:
    """Counts per district, category, tag and year; a group is shown only when it can narrow the list."""
    groups = []
    for key in FACET_KEYS:
        counts: Counter[str] = Counter()
        for project in projects:
            counts.update(dict.fromkeys(facet_values(project, key), 1))
        if not counts:
            continue
        if key == "year":
            values = sorted(counts.items(), key=lambda kv: kv[0], reverse=True)
        else:
            values = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        narrows = len(values) > 1 or values[0][1] < len(projects)
        if narrows:
            groups.append(FacetGroup(key, BY_KEY[key].label, values, len(projects)))
    return groups


# --- statistics ----------------------------------------------------------------


@dataclass
class DistrictRow:
    name: str
    projects: int = 0
    members: int = 0
    members_known: int = 0
    """Projects that gave 党员人数: with none, the district's count is unknown (—), not 0."""
    measured: int = 0
    reached: int = 0
    completion: float | None = None
    """Average completion (0–1, each capped at 1) of the measured plain-number targets."""


@dataclass
class Statistics:
    projects: int = 0
    branches: int = 0
    schools: int = 0
    members: int = 0
    members_missing: int = 0
    """Projects that did not give 党员人数."""
    cases: int = 0
    albums: int = 0
    photos: int = 0
    plans: int = 0
    by_district: list[DistrictRow] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_year: list[tuple[str, int]] = field(default_factory=list)
    explicit: int = 0
    implicit: int = 0
    with_target: int = 0
    """Explicit indicators with a numeric target."""
    measured: int = 0
    """Indicators with a target (0 included) and at least one actual value."""
    reached: int = 0
    completion: float | None = None
    """Average completion over measured plain-number targets (each capped at 100 %);
    bounds and ranges are met or not and count in `reached` only."""
    with_share: int = 0
    """Measured indicators whose target is a plain number (those in `completion`)."""
    buckets: list[tuple[str, int]] = field(default_factory=list)
    """How many measured indicators fall in each band (a missed bound in its own)."""


BANDS = (("已达标", 1.0), ("80%–99%", 0.8), ("50%–79%", 0.5), ("低于 50%", 0.0))
BOUND_MISSED = "未达标（上下限、区间）"
"""The band of a bound or a range not met: it has no percentage (see targets.assess)."""


def _band(outcome: targets.Outcome) -> str:
    if outcome.met:
        return BANDS[0][0]
    if outcome.share is None:
        return BOUND_MISSED
    for name, floor in BANDS[1:]:
        if outcome.share >= floor:
            return name
    return BANDS[-1][0]


def compute(projects: list[Project]) -> Statistics:
    """The district's numbers from the published projects."""
    s = Statistics(projects=len(projects))
    s.branches = len({p.get("branch") for p in projects if p.get("branch")})
    s.schools = len({p.get("school") for p in projects if p.get("school")})
    districts: dict[str, DistrictRow] = {}
    completions: dict[str, list[float]] = {}
    categories: Counter[str] = Counter()
    years: Counter[str] = Counter()
    bands: Counter[str] = Counter()
    all_progress: list[float] = []
    for p in projects:
        members = p.get("members")
        if isinstance(members, int):
            s.members += members
        else:
            s.members_missing += 1
        s.cases += len(p.cases)
        s.albums += len(p.albums)
        s.photos += sum(len(a.photos) for a in p.albums)
        s.plans += len(p.plans)
        name = p.get("district") or UNSET
        row = districts.setdefault(name, DistrictRow(name))
        row.projects += 1
        if isinstance(members, int):
            row.members += members
            row.members_known += 1
        categories[p.get("category") or UNSET] += 1
        years[str(p.get("year") or UNSET)] += 1
        for ind in p.indicators:
            if ind.kind == "implicit":
                s.implicit += 1
                continue
            s.explicit += 1
            if ind.target is not None:
                s.with_target += 1
            outcome = ind.outcome  # the project page's caption reads the same
            if outcome is None:
                continue
            s.measured += 1
            row.measured += 1
            bands[_band(outcome)] += 1
            if outcome.met:
                s.reached += 1
                row.reached += 1
            if outcome.completion is not None:
                all_progress.append(outcome.completion)
                completions.setdefault(name, []).append(outcome.completion)
    for name, values in completions.items():
        districts[name].completion = sum(values) / len(values)
    s.completion = sum(all_progress) / len(all_progress) if all_progress else None
    s.with_share = len(all_progress)
    # named districts by size, "未填写" last
    s.by_district = sorted(districts.values(), key=lambda r: (r.name == UNSET, -r.projects, r.name))
    s.by_category = sorted(categories.items(), key=lambda kv: (kv[0] == UNSET, -kv[1], kv[0]))
    s.by_year = sorted(years.items(), key=lambda kv: (kv[0] == UNSET, kv[0]))
    s.buckets = [(name, bands.get(name, 0)) for name, _ in BANDS]
    if bands.get(BOUND_MISSED):  # only where there is one: most districts write numbers
        s.buckets.append((BOUND_MISSED, bands[BOUND_MISSED]))
    return s


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


# --- SVG charts ------------------------------------------------------------------

_FONT = "PingFang SC,Microsoft YaHei,Noto Sans CJK SC,WenQuanYi Micro Hei,sans-serif"


def _text_width(text: str, size: float) -> float:
    """Rough rendered width: CJK characters are square, Latin ones about half."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.55 for ch in text)


def _clip(text: str, size: float, room: float) -> str:
    if _text_width(text, size) <= room:
        return text
    out = ""
    for ch in text:
        if _text_width(out + ch + "…", size) > room:
            break
        out += ch
    return out + "…"


def bar_chart(
    rows: list[tuple[str, float]],
    *,
    title: str,
    chart_id: str,
    maximum: float | None = None,
    as_percent: bool = False,
    color: str = "#c8102e",
) -> Markup:
    """A horizontal bar chart as inline SVG; the page shows the same numbers as a table."""
    width, bar_h, gap, size = 640, 22, 10, 14
    label_w = min(220.0, max((_text_width(label, size) for label, _ in rows), default=40) + 12)
    value_w = 64
    plot_w = width - label_w - value_w
    top = 8
    height = top * 2 + max(1, len(rows)) * (bar_h + gap) - gap
    peak = maximum if maximum else max((v for _, v in rows), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sc-chart__svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-title">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<g font-family="{_FONT}" font-size="{size}">',
    ]
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = 0 if value <= 0 else max(2.0, plot_w * min(value, peak) / peak)
        shown = percent(value) if as_percent else f"{value:g}"
        parts.append(
            f'<text x="{label_w - 8:.0f}" y="{y + bar_h * 0.72:.1f}" text-anchor="end" fill="currentColor">'
            f"{escape(_clip(label, size, label_w - 12))}</text>"
            f'<rect x="{label_w:.0f}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" fill="{color}">'
            f"<title>{escape(label)}：{escape(shown)}</title></rect>"
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar_h * 0.72:.1f}" fill="currentColor">{escape(shown)}</text>'
        )
    parts.append("</g></svg>")
    return Markup("".join(parts))


def charts(s: Statistics) -> dict[str, Markup]:
    """The statistics page's charts, by name."""
    out = {
        "district": bar_chart(
            [(r.name, r.projects) for r in s.by_district],
            title="各区县项目数",
            chart_id="sc-chart-district",
        ),
        "category": bar_chart(
            s.by_category, title="各类别项目数", chart_id="sc-chart-category", color="#b8860b"
        ),
    }
    if s.measured:
        out["bands"] = bar_chart(
            s.buckets, title="显性指标完成情况（按完成度分组的指标数）", chart_id="sc-chart-bands"
        )
    rows = [(r.name, r.completion) for r in s.by_district if r.completion is not None]
    if rows:
        out["completion"] = bar_chart(
            rows,
            title="各区县数值目标平均完成度",
            chart_id="sc-chart-completion",
            maximum=1.0,
            as_percent=True,
            color="#b8860b",
        )
    return out
