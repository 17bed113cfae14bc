"""A plan's `schedule:` as real plans write it: months (3, 3月, 三月), work that recurs
(每周, 每月, 每季度, 每学期末) and named days (七一前, 教师节, 国庆期间)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from ..core import textutil
from ..core.findings import Findings
from ..core.model import ScheduleEntry, ScheduleMonth
from ..core.textutil import short
from .values import str_list

NAMED_DAYS: dict[str, tuple[int, int]] = {
    "元旦": (1, 1),
    "学雷锋": (3, 5),
    "雷锋纪念日": (3, 5),
    "三八": (3, 8),
    "妇女节": (3, 8),
    "植树节": (3, 12),
    "清明": (4, 5),
    "清明节": (4, 5),
    "读书日": (4, 23),
    "世界读书日": (4, 23),
    "五一": (5, 1),
    "劳动节": (5, 1),
    "五四": (5, 4),
    "青年节": (5, 4),
    "六一": (6, 1),
    "儿童节": (6, 1),
    "七一": (7, 1),
    "建党节": (7, 1),
    "党的生日": (7, 1),
    "八一": (8, 1),
    "建军节": (8, 1),
    "抗战胜利纪念日": (9, 3),
    "教师节": (9, 10),
    "烈士纪念日": (9, 30),
    "国庆": (10, 1),
    "国庆节": (10, 1),
    "建队日": (10, 13),
    "少先队建队日": (10, 13),
    "宪法日": (12, 4),
    "国家宪法日": (12, 4),
    "一二九": (12, 9),
    "一二·九": (12, 9),
    "公祭日": (12, 13),
    "国家公祭日": (12, 13),
    "暑假": (7, 15),
    "暑期": (7, 15),
    "寒假": (1, 20),
}
"""Days schools plan around, by (month, day); lunar ones (春节, 端午, 中秋) move and are
left out: they are listed apart, not put in a wrong month."""

_DAY_AFFIX = re.compile(r"(前后|之前|以前|前夕|前|期间|之际|当天|当日|后|以后|之后)$")
_RECURRING = re.compile(r"^(每|逢|常规|日常|全年|长期|常态|经常)")
_PERIODS = (
    ("天", 0),
    ("日", 0),
    ("周", 1),
    ("星期", 1),
    ("两周", 2),
    ("半月", 2),
    ("月", 3),
    ("季度", 4),
    ("学期初", 5),
    ("学期", 6),
    ("学期末", 7),
    ("半年", 8),
    ("学年", 9),
    ("年", 9),
)
_MONTHLIKE = re.compile(r"^[\d一二三四五六七八九十]+\s*月?份?$")


def _period_rank(label: str) -> int:
    """每周 before 每月 before 每学期末: recurring work listed shortest period first."""
    text = label.lstrip("每逢")
    matches = [(len(word), rank) for word, rank in _PERIODS if text.startswith(word)]
    return max(matches)[1] if matches else 99


def named_day_month(label: str) -> int | None:
    """The month a named day falls in: 教师节 → 9; 七一前 → 6 (the days before 1 July)."""
    text = re.sub(r"[\s“”\"'‘’·.]", "", unicodedata.normalize("NFKC", label))
    affix = _DAY_AFFIX.search(text)
    core = text[: affix.start()] if affix else text
    core = core.removeprefix("庆祝").removeprefix("纪念")
    core = re.sub(r"^[“\"]|[”\"]$", "", core)
    day = NAMED_DAYS.get(core) or NAMED_DAYS.get(core.removesuffix("节"))
    if day is None:
        return None
    month, date = day
    if affix and affix.group(1) in ("前", "之前", "以前", "前夕") and date <= 3:
        return 12 if month == 1 else month - 1  # 七一前 is late June
    return month


def _items(value: Any) -> list[str]:
    return str_list(value) if not isinstance(value, str) else [value.strip()]


def read_schedule(
    schedule: Any, path: Path, line: int | None, findings: Findings
) -> tuple[list[ScheduleMonth], list[ScheduleEntry]]:
    """(months in calendar order, recurring work and named days in a stable order)."""
    if isinstance(schedule, dict):
        pairs = list(schedule.items())
    elif isinstance(schedule, list):
        pairs = [
            (i.get("month") or i.get("when") or i.get("时间"), i.get("items") or i.get("事项"))
            if isinstance(i, dict)
            else (None, i)
            for i in schedule
        ]
    elif schedule is None:
        pairs = []
    else:
        findings.error(
            "schedule 应写成 月份: 工作事项 的形式",
            file=path,
            line=line,
            hint="例如 三月: [制定年度计划, 开学工作]",
        )
        pairs = []
    months: dict[int, list[str]] = {}
    timed: list[ScheduleEntry] = []
    for key, items in pairs:
        if isinstance(items, dict):
            findings.error(f"“{short(key)}”的工作事项应是文字或列表", file=path, line=line)
            continue
        month = textutil.parse_month(key)
        if month is not None:
            months.setdefault(month, []).extend(_items(items))
            continue
        label = re.sub(r"\s+", " ", str(key if key is not None else "")).strip()
        if (
            not label
            or isinstance(key, (int, float))
            or _MONTHLIKE.match(unicodedata.normalize("NFKC", label))
        ):
            findings.error(
                f"月份“{short(key)}”无法识别",
                file=path,
                line=line,
                hint="可写 3、3月、三月，或 每月、每学期末、七一前、教师节",
            )
            continue
        recurring = bool(_RECURRING.match(label))
        timed.append(
            ScheduleEntry(
                label,
                _items(items),
                recurring=recurring,
                month=None if recurring else named_day_month(label),
            )
        )
    order = {id(t): i for i, t in enumerate(timed)}
    timed.sort(
        key=lambda t: (not t.recurring, _period_rank(t.label) if t.recurring else 0, order[id(t)])
    )
    return [ScheduleMonth(m, months[m]) for m in sorted(months)], timed
