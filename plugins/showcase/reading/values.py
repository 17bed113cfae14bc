"""Field values: one raw YAML value → its field's type, or a finding saying why not."""

from __future__ import annotations

import datetime as _dt
import difflib
import math
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..core import targets, textutil
from ..core.fields import (
    INDICATOR_GROUPS,
    OPINION_PARTS,
    Field,
    all_names,
    normalize_label,
    part_names,
)
from ..core.findings import Findings
from ..core.model import Indicator, Opinion, Project
from ..core.textutil import short


def suggest(name: str) -> str | None:
    """'Did you mean': the nearest accepted key or Chinese label."""
    names = all_names()
    by_norm: dict[str, str] = {}
    for n in names:
        by_norm.setdefault(normalize_label(n), n)
    key = normalize_label(name)
    if not key:
        return None
    # a two-character Chinese label differs by half when one character is wrong (简价/简介)
    cutoff = 0.5 if len(key) <= 3 else 0.6
    close = difflib.get_close_matches(key, list(by_norm), n=1, cutoff=cutoff)
    return by_norm[close[0]] if close else None


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "是/否"
    if isinstance(value, (int, float)):
        return "数字"
    if isinstance(value, (list, tuple)):
        return "列表"
    if isinstance(value, dict):
        return "字段组"
    return "文字"


def scalar_text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return None


def to_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = (
            textutil.unicodedata.normalize("NFKC", value)
            .strip()
            .removesuffix("人")
            .removesuffix("名")
        )
        if re.fullmatch(r"\d+", text):
            return int(text)
    return None


def _to_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if not isinstance(value, (int, float, str)):
        return None
    if isinstance(value, str):
        # `85%`, `12人`: the number as written with its unit
        text = textutil.unicodedata.normalize("NFKC", value).strip()
        m = re.fullmatch(r"([-+]?\d+(?:\.\d+)?)\s*[^\d\s.]{0,4}", text)
        if not m:
            return None
        value = float(m.group(1))
    # inf/nan would reach the pages' arithmetic (progress bars) and break them
    return float(value) if math.isfinite(value) else None


_HOST = re.compile(r"^[A-Za-z0-9\-._~%\u4e00-\u9fff]+(:\d{1,5})?$")


def is_url(text: str) -> bool:
    """An http(s) address a browser opens: scheme, host, no spaces or quotes."""
    if not text or re.search(r"[\s\"'<>]", text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(_HOST.match(parts.netloc or ""))


def _split_list(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,，、;；\n]", text) if p.strip()]


class FieldReader:
    """Converts one raw YAML value to its field's type, or reports why it cannot."""

    def __init__(self, project: Project, findings: Findings, file: Path) -> None:
        self.project = project
        self.findings = findings
        self.file = file

    def read(self, field: Field, value: Any, line: int | None) -> Any:
        handler = getattr(self, f"_{field.type.value}")
        return handler(field, value, line)

    def _bad(self, field: Field, line: int | None, message: str, hint: str | None = None) -> None:
        self.findings.error(message, file=self.file, line=line, field=field.key, hint=hint)

    def _text(self, field: Field, value: Any, line: int | None) -> str | None:
        text = self._markdown(field, value, line)
        # names are shown in headings and table cells: one line (the brief may have paragraphs)
        return one_line(text) if text is not None and field.key != "summary" else text

    def _markdown(self, field: Field, value: Any, line: int | None) -> str | None:
        text = scalar_text(value)
        if text is None:
            self._bad(field, line, f"应填写文字，实际是{type_name(value)}")
        return text

    def _integer(self, field: Field, value: Any, line: int | None) -> int | None:
        number = to_int(value)
        if number is None or number < 0:
            self._bad(field, line, f"应填写不小于 0 的整数，实际是“{short(value)}”", hint="例如 25")
            return None
        return number

    def _url(self, field: Field, value: Any, line: int | None) -> str | None:
        text = scalar_text(value)
        if not text or not is_url(text):
            self._bad(
                field,
                line,
                f"网址“{short(value)}”格式不正确",
                hint="应以 http:// 或 https:// 开头，不含空格",
            )
            return None
        return text

    def _file(self, field: Field, value: Any, line: int | None) -> str | None:
        text = scalar_text(value)
        if text is None:
            self._bad(field, line, f"应填写文件名，实际是{type_name(value)}")
        return text

    def _slug(self, field: Field, value: Any, line: int | None) -> str | None:
        text = scalar_text(value)
        if not text or not textutil.SLUG_RE.match(text) or len(text) > textutil.SLUG_MAX:
            self._bad(
                field,
                line,
                f"网址名“{short(value)}”只能用小写字母、数字和连字符，最多 {textutil.SLUG_MAX} 个字符",
                hint="例如 qinghe-xiaoxue",
            )
            return None
        return text

    def _list(self, field: Field, value: Any, line: int | None) -> list[str] | None:
        if isinstance(value, str):
            return _split_list(value)
        if isinstance(value, (list, tuple)):
            items = [scalar_text(v) for v in value]
            if any(i is None for i in items):
                self._bad(field, line, "列表里的每一项都应是文字")
            return [i for i in items if i]
        self._bad(
            field,
            line,
            f"应填写列表，实际是{type_name(value)}",
            hint="例如 [名师工作室, 青年教师]",
        )
        return None

    def _opinion(self, field: Field, value: Any, line: int | None) -> Opinion | None:
        if isinstance(value, str):
            return Opinion(text=value.strip())
        if not isinstance(value, dict):
            self._bad(
                field,
                line,
                f"应填写意见文字，或 text / signed_by / date 三项，实际是{type_name(value)}",
            )
            return None
        names = part_names(OPINION_PARTS)
        out = Opinion()
        for key, item in value.items():
            attr = names.get(str(key).strip())
            if attr is None:
                self._bad(
                    field,
                    line,
                    f"意见里有不认识的项“{short(key)}”",
                    hint="可用 text、signed_by、date",
                )
                continue
            if attr == "date":
                date = textutil.as_date(item)
                if date is None:
                    self._bad(field, line, f"日期“{short(item)}”格式不正确", hint="例如 2025-03-10")
                out.date = date
            else:
                setattr(out, attr, scalar_text(item) or "")
        return out

    def _indicators(self, field: Field, value: Any, line: int | None) -> list[Indicator] | None:
        groups: list[tuple[str, Any]] = []
        if isinstance(value, list):
            groups.append(("explicit", value))
        elif isinstance(value, dict):
            kinds = {
                normalize_label(name): kind
                for kind, names in INDICATOR_GROUPS.items()
                for name in names
            }
            for key, items in value.items():
                kind = kinds.get(normalize_label(str(key)))
                if kind is None:
                    self._bad(
                        field,
                        line,
                        f"指标分组“{short(key)}”不认识",
                        hint="应为 explicit（显性指标）或 implicit（隐性指标）",
                    )
                    continue
                groups.append((kind, items))
        else:
            self._bad(field, line, f"应填写 explicit / implicit 两个列表，实际是{type_name(value)}")
            return None
        result: list[Indicator] = []
        for kind, items in groups:
            if isinstance(items, str):
                items = [items]
            if not isinstance(items, list):
                self._bad(field, line, f"{kind} 下面应是列表")
                continue
            for item in items:
                indicator = self._indicator(field, kind, item, line)
                if indicator:
                    result.append(indicator)
        return result

    def _indicator(self, field: Field, kind: str, item: Any, line: int | None) -> Indicator | None:
        text = scalar_text(item)
        if text is not None:
            return Indicator(text=text, kind=kind)
        if not isinstance(item, dict):
            self._bad(
                field, line, f"指标应是一句话或 text/target/unit/actual，实际是{type_name(item)}"
            )
            return None
        ind = Indicator(text=scalar_text(item.get("text")) or "", kind=kind)
        unknown = set(map(str, item)) - {"text", "target", "unit", "actual"}
        if unknown:
            self._bad(
                field,
                line,
                f"指标里有不认识的项：{short('、'.join(sorted(unknown)))}",
                hint="可用 text、target、unit、actual",
            )
        if not ind.text:
            self._bad(field, line, "指标缺少 text（指标内容）")
            return None
        ind.unit = scalar_text(item.get("unit")) or ""
        if "target" in item:
            target = targets.parse_target(item["target"])
            if target is None:
                self._bad(
                    field,
                    line,
                    f"指标“{short(ind.text)}”的目标值“{short(item['target'])}”看不出数字",
                    hint="可写 20、10-15、不低于10%、85%以上、至少2次、不超过3起",
                )
            else:
                ind.target, ind.target_high, ind.bound = target.value, target.high, target.kind
                ind.unit = ind.unit or target.unit
                ind.target_text = targets.with_unit_text(target.text, ind.unit)
        actual = item.get("actual") or {}
        if not isinstance(actual, dict):
            self._bad(field, line, f"指标“{short(ind.text)}”的 actual 应写成 年份: 数值")
            actual = {}
        for year, number in actual.items():
            y, n = to_int(year), _to_number(number)
            if y is None or n is None:
                self._bad(
                    field,
                    line,
                    f"指标“{short(ind.text)}”的实际值“{short(year)}: {short(number)}”应写成 年份: 数值",
                )
                continue
            ind.actual[y] = n
        ind.actual = dict(sorted(ind.actual.items()))
        return ind


def str_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return _split_list(value)
    if isinstance(value, (list, tuple)):
        return [scalar_text(v) for v in value if scalar_text(v)]
    text = scalar_text(value)
    return [text] if text else []


def one_line(text: str) -> str:
    """Titles are one line: a newline in a title would break the page heading."""
    return re.sub(r"\s+", " ", text).strip()
