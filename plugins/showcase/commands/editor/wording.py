"""Findings as the form says them: in the words of the boxes the teacher sees.

`showcase check` speaks to people who write project.yml by hand (keys, file names, YAML
examples). The form shows the same findings, reworded here: a key becomes the box's
label, a file becomes the part of the form it belongs to, and a hint that only makes
sense in YAML gives way to one about the form (or is left out).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ...core.fields import BY_KEY, FIELDS, INDICATOR_GROUPS, OPINION_PARTS

PART_NAMES: dict[str, str] = {
    "title": "标题",
    "date": "日期",
    "authors": "作者",
    "tags": "标签",
    "summary": "摘要",
    "year": "年度",
    "schedule": "月工作安排",
    "scope": "适用范围",
    "issuer": "制定单位",
    "description": "说明",
    "cover": "封面",
    "captions": "照片说明",
    "appendix": "附录材料",
    "files": "文件",
    "file": "文件",
    "type": "类型",
    "note": "备注",
    "explicit": "显性指标",
    "implicit": "隐性指标",
    "text": "内容",
    "target": "目标",
    "unit": "单位",
    "actual": "实际完成",
    "signed_by": "签字人",
}
"""Every key an author may write in a case, plan, album or indicator, as the form names it."""

YAML_KEYS: frozenset[str] = frozenset(
    [f.key for f in FIELDS]
    + list(PART_NAMES)
    + list(INDICATOR_GROUPS)
    + list(OPINION_PARTS)
    + ["yaml", "yml"]
)
"""What must never reach the teacher through the form (a test checks every finding)."""

_WORD = re.compile(r"(?<![A-Za-z0-9_.\-/])([a-z][a-z_]*)(?![A-Za-z0-9_\-])")
_FILE = re.compile(r"[^\s“”\"'（）()：:，,、]*\.(?:ya?ml|md|markdown)\b", re.I)
_MISSING = re.compile(r"^缺少必填项“(.+)”$")
_MAPPING = re.compile(r"(^|\s)- |\S: \S|：\s*\S+\s的形式")
"""`- 文件名: 说明`, `月份: 工作事项`: hints that show YAML's shape."""
REWRITES: tuple[tuple[re.Pattern, str, str], ...] = (
    (
        re.compile(r"^appendix 应是一个列表"),
        "附录材料的清单写法读不懂，暂按文件名排列",
        "在“重要资料附录”里整理好各项后保存，就会改成正确的写法",
    ),
    (
        re.compile(r"^附录文件“(.+)”没有列入 appendix 清单"),
        "附录文件“\\1”还不属于哪一项材料，暂排在附录最后",
        "在“重要资料附录”里把它放进一项材料，或给它新建一项",
    ),
    (
        re.compile(r"^captions 应写成"),
        "照片说明的写法读不懂，暂用文件名作说明",
        "在相册里逐张填写照片说明后保存即可",
    ),
    (
        re.compile(r"^schedule 应写成"),
        "月工作安排的写法读不懂，暂不显示",
        "在工作计划的月份格子和“经常性工作和节日安排”里重新填写后保存",
    ),
)
"""Findings whose whole sense is YAML's shape, said as what to do on the form instead."""


def _label(key: str) -> str:
    field = BY_KEY.get(key)
    return field.heading if field else PART_NAMES.get(key, key)


def _words(text: str) -> str:
    """Keys → the form's names; file names of texts → what the teacher sees."""
    text = re.sub(r"project\.ya?ml", "项目登记信息", text)
    text = _FILE.sub("这份文字", text)

    def word(m: re.Match) -> str:
        key = m.group(1)
        return f"“{_label(key)}”" if key in YAML_KEYS else key

    text = _WORD.sub(word, text)
    return re.sub(r"(?<=”) (?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff]) (?=“)", "", text)


def _speaks_yaml(text: str) -> bool:
    return (
        any(c in text for c in "{}[]")
        or "showcase " in text
        or bool(_FILE.search(text))
        or "logo." in text
        or "cases/" in text
        or bool(_MAPPING.search(text))
        or bool({m.group(1) for m in _WORD.finditer(text)} & YAML_KEYS)
    )


def place(rel: str, part_titles: dict[str, str]) -> str:
    """Where a finding's file is on the form: 案例“…”, 工作计划“…”, 相册“…”; '' for the
    project's own fields."""
    if not rel:
        return ""
    parts = PurePosixPath(rel).parts
    kinds = {"cases": "案例", "plans": "工作计划", "photos": "相册"}
    if parts[0] in kinds and len(parts) > 1:
        key = f"{parts[0]}/{PurePosixPath(parts[1]).stem}"
        name = part_titles.get(key) or PurePosixPath(parts[1]).stem
        where = f"{kinds[parts[0]]}“{name}”"
        if parts[0] == "cases" and len(parts) > 2:
            where += "的附录材料"
        return where
    return ""


def form_message(message: str, hint: str, field: str) -> tuple[str, str]:
    """(message, hint) in the form's words."""
    heading = _label(field) if field else ""
    for pattern, said, todo in REWRITES:
        found = pattern.match(message)
        if found:
            return found.expand(said), todo
    m = _MISSING.match(message)
    if m and field:
        if field == "logo":
            return f"还没有“{heading}”", "点“选择标识图片”上传项目标识"
        return f"“{heading}”还没有填写", f"这是必填项，请在“{heading}”一栏填写"
    if field == "logo" and "logo." in hint:
        hint = "点“选择标识图片”上传项目标识；没有标识时网站暂用占位图"
    if field == "slug" and "slug" in hint:
        hint = "请在“网址名”一栏填一个不同的英文名，如 qinghe-xiaoxue"
    if "同时在" in message and field:
        message = f"“{heading}”在两个地方都填写了，只保留了填写页面上的内容"
        hint = "请懂行的老师删除项目文件夹里多出的那份文字"
    message = _words(message)
    if hint and _speaks_yaml(hint):
        hint = ""  # a hint about YAML syntax does not help on the form
    return message, _words(hint)


def describe(rel: str) -> str:
    """A file of the project as the form shows it: 申报表各栏, “项目实施目标”, 案例“…”."""
    path = PurePosixPath(rel)
    if len(path.parts) == 1 and path.suffix.lower() in (".yml", ".yaml"):
        return "申报表和登记表各栏"
    if len(path.parts) == 1 and path.stem in BY_KEY:
        return f"“{BY_KEY[path.stem].heading}”"
    if len(path.parts) == 1 and path.stem.lower() == "logo":
        return "项目标识"
    where = place(rel, {})
    if where and path.parts[0] == "photos" and len(path.parts) > 2:
        return f"{where}的照片“{path.name}”" if path.name != "album.yml" else where
    return where or "项目文件夹里的一个文件"
