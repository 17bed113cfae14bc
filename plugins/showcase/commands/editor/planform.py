"""Saving a plan from the form: title, year, 印发日期, 制定单位, 适用范围, the twelve months and
the rows of recurring work and named days (每周, 每学期末, 七一前, 教师节…), all in the
plan's `schedule:` as `reading/schedule.py` reads it. Keys already in the file keep their
place and spelling (九月 stays 九月); new months go in calendar order, new rows after.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ...core import textutil
from . import roundtrip as rt
from .fileplan import Op, Plan, check_inside, front_doc
from .state import PLAN_META, as_number, date_value, safe_name, unique_name

Key = int | str
"""A schedule key: a month (1–12) or the words of a row (每月, 教师节)."""


def _lines(text: Any) -> list[str]:
    return [line.strip() for line in str(text or "").split("\n") if line.strip()]


def _canon(key: Any) -> Key:
    month = textutil.parse_month(key)
    return month if month is not None else " ".join(str(key).split())


def wanted_schedule(doc: dict) -> dict[Key, list[str]]:
    """The form's schedule: months first (calendar order), then the rows in the form's order."""
    out: dict[Key, list[str]] = {}
    for month, text in sorted(
        (doc.get("schedule") or {}).items(), key=lambda kv: textutil.parse_month(kv[0]) or 99
    ):
        m = textutil.parse_month(month)
        if m and _lines(text):
            out[m] = _lines(text)
    for row in doc.get("timed") or []:
        when = " ".join(str(row.get("when") or "").split())
        items = _lines(row.get("items"))
        if when and items:
            key = _canon(when)
            out[key] = [*out.get(key, []), *items]
    return out


def merge_schedule(data: CommentedMap, raw: Any, new: dict[Key, list[str]] | None) -> bool:
    old = data[raw]
    if not new:
        if old:
            data[raw] = None
            return True
        return False
    if not isinstance(old, CommentedMap):
        data[raw] = rt.fresh({(f"{k}月" if isinstance(k, int) else k): v for k, v in new.items()})
        return True
    changed = False
    existing = {_canon(k): k for k in old}
    for key, items in new.items():
        raw_key = existing.get(key)
        if raw_key is None:
            if isinstance(key, int):  # a month: before the first later month
                pos = next(
                    (
                        i
                        for i, k in enumerate(old)
                        if isinstance(_canon(k), int) and _canon(k) > key
                    ),
                    len(old),
                )
                old.insert(pos, f"{key}月", rt.fresh(items))
            else:
                old[key] = rt.fresh(items)
            changed = True
        elif isinstance(old[raw_key], str) and len(items) == 1:
            if old[raw_key].strip() != items[0]:
                old[raw_key] = items[0]
                changed = True
        elif not rt.same(old[raw_key], items):
            old[raw_key] = (
                rt.merge(old[raw_key], items)
                if isinstance(old[raw_key], CommentedSeq)
                else rt.fresh(items)
            )
            changed = True
    for raw_key in list(old):
        if _canon(raw_key) not in new:
            del old[raw_key]
            changed = True
    return changed


def plan_plan(plan: Plan, doc: dict) -> None:
    if doc.get("locked"):
        return
    plans_dir = plan.folder / "plans"
    if doc.get("file"):
        path = plan.folder / doc["file"]
        check_inside(plan.folder, path)
        if doc.get("deleted"):
            plan.touch(path)
            plan.ops.append(Op("trash", path))
            return
    else:
        if doc.get("deleted"):
            return
        name = safe_name(str(doc.get("title") or "工作计划").strip()[:40] + ".md", "工作计划")
        path = plans_dir / unique_name(plans_dir, name, plan.names(plans_dir))
        plan.touch(path)
    year = str(doc.get("year") or "").strip()
    wanted = {
        "title": str(doc.get("title") or "").strip(),
        "year": as_number(year) if year else None,
        "date": date_value(doc.get("date") or ""),
        "issuer": " ".join(str(doc.get("issuer") or "").split()),
        "scope": " ".join(str(doc.get("scope") or "").split()),
        "schedule": wanted_schedule(doc) or None,
    }
    front_doc(
        plan,
        path,
        wanted,
        str(doc.get("body") or ""),
        PLAN_META,
        merge_keys={"schedule": merge_schedule},
    )
