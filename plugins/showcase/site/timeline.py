"""Time in pictures made from the model: a plan's schedule (months, recurring work,
named days) and the project's activity axis. Plain data for the templates."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from ..core.model import Plan, Project, ScheduleEntry
from ..core.textutil import CHINESE_MONTHS, OWN_NUMBERING

# --- plan timeline ---------------------------------------------------------------------


@dataclass
class MonthEntry:
    month: int
    label: str
    items: list[str]
    current: bool = False
    days: list[ScheduleEntry] = field(default_factory=list)
    """Named days that fall in this month (七一前, 教师节), each with its own items."""

    @property
    def count(self) -> int:
        return len(self.items) + sum(len(d.items) for d in self.days)


def plan_months(plan: Plan, today: _dt.date | None = None) -> list[MonthEntry]:
    """The schedule in calendar order (一月 … 十二月), even for a school-year plan
    written September first, named days in their month; the current month is marked
    only in the plan's own year."""
    today = today or _dt.date.today()
    this_year = plan.year is not None and plan.year == today.year
    merged: dict[int, list[str]] = {}
    days: dict[int, list[ScheduleEntry]] = {}
    for entry in plan.schedule:
        merged.setdefault(entry.month, []).extend(entry.items)
    for timed in plan.timed:
        if not timed.recurring and timed.month is not None:
            days.setdefault(timed.month, []).append(timed)
            merged.setdefault(timed.month, [])
    return [
        MonthEntry(
            m,
            CHINESE_MONTHS[m - 1],
            merged[m],
            current=this_year and m == today.month,
            days=days.get(m, []),
        )
        for m in sorted(merged)
        if 1 <= m <= 12
    ]


def plan_recurring(plan: Plan) -> list[ScheduleEntry]:
    """Work that recurs (每周, 每月, 每学期末), shortest period first."""
    return [t for t in plan.timed if t.recurring]


def plan_unplaced(plan: Plan) -> list[ScheduleEntry]:
    """Named days with no fixed month (春节, 期中考试后): listed after the months."""
    return [t for t in plan.timed if not t.recurring and t.month is None]


def own_numbers(items: list[str]) -> bool:
    """True when the author numbered these items themselves: a list then shows their
    numbers only, not a bullet or a second number in front."""
    return bool(items) and all(OWN_NUMBERING.match(str(item)) for item in items)


# --- activity axis ---------------------------------------------------------------------


@dataclass
class Activity:
    date: _dt.date
    kind: str
    """`case` or `album`."""
    kind_label: str
    title: str
    part: str
    """The URL part under the project (`cases`, `photos`) for `links.project_src`."""
    slug: str
    detail: str = ""


def activity_items(project: Project) -> list[Activity]:
    """The project's dated cases and albums, oldest first; undated ones are left out."""
    items = [
        Activity(c.date, "case", "案例", c.title, "cases", c.slug, c.summary or "")
        for c in project.cases
        if c.date is not None
    ]
    items += [
        Activity(a.date, "album", "相册", a.title, "photos", a.slug, f"{len(a.photos)} 张照片")
        for a in project.albums
        if a.date is not None
    ]
    items.sort(key=lambda a: (a.date, a.kind, a.title))
    return items


def activity_years(project: Project) -> list[tuple[int, list[Activity]]]:
    """`activity_items` grouped by year, for an axis with year marks."""
    groups: list[tuple[int, list[Activity]]] = []
    for item in activity_items(project):
        if not groups or groups[-1][0] != item.date.year:
            groups.append((item.date.year, []))
        groups[-1][1].append(item)
    return groups
