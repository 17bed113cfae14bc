"""Load: a project folder → a `model.Project`, with findings.

Nothing here raises on bad input: every problem becomes a Finding naming the
file, line and field, and the broken part is left out.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from . import textutil
from .fields import FIELDS, LONG_TEXT_FIELDS, Field, all_names, lookup, normalize_label
from .findings import Findings
from .model import Album, Attachment, Case, Image, Indicator, Opinion, Plan, Project, ScheduleMonth
from .settings import Settings

IMAGE_EXTS = frozenset(
    {".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".heif"}
)
LOGO_EXTS = (".png", ".jpg", ".jpeg", ".svg", ".webp")
ATTACHMENT_EXTS = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".txt", ".zip", ".mp4"}
)
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store", "album.yml", "album.yaml"})
MAX_TEXT_BYTES = 2 * 1024 * 1024

_YAML_PROBLEMS = {
    "mapping values are not allowed here": "这里不能出现冒号“:”——可能是缩进不对，或文字里的英文冒号需要给整段文字加引号",
    "found character '\\t' that cannot start any token": "不能用 Tab 键缩进，请改用空格",
    "could not find expected ':'": "缺少冒号“:”，或上一行的引号没有闭合",
    "did not find expected key": "缩进不一致，或某行多了/少了空格",
    "expected <block end>, but found '<scalar>'": "引号后面多了文字（整段文字要放进同一对引号里），或缩进不一致",
    "expected <block end>, but found": "缩进不一致，请检查这一行与上一行的空格数",
    "found undefined alias": "出现了未定义的别名“*”，如是普通文字请加引号",
    "found unexpected end of stream": "文件意外结束，可能有未闭合的引号或括号",
    "while scanning a quoted scalar": "引号没有闭合",
    "found duplicate anchor": "重复的锚点“&”",
    "expected a comment or a line break": "引号后面多了文字，请把整段文字放进引号里",
    "while parsing a flow sequence": "方括号“[ ]”没有闭合，或列表项之间缺少逗号",
    "while parsing a flow mapping": "花括号“{ }”没有闭合，或各项之间缺少逗号",
    "found unknown escape character": "双引号里的反斜杠“\\”无效，请改用单引号",
    "expected '<document start>'": "上一项已经结束，这一行多余——可能是缩进不对，或少了“字段名:”",
    "found character that cannot start any token": "这一行的开头有不能使用的符号（如 @ 或 `），请给整段文字加引号",
}

# Chinese typists often write 字段：内容 (full-width colon) or 字段:内容 (no space).
_FULLWIDTH_COLON = re.compile(r"^\s*[^\s:#：][^:#：]{0,40}：")
_NO_SPACE_COLON = re.compile(r"^\s*[A-Za-z_\u4e00-\u9fff（）()]{1,40}:(?=[^\s/])")
MAX_YAML_NODES = 20_000
"""More nodes than this (counting every use of an alias) is refused: it is no hand-written form."""


def _colon_hint(text: str, line: int | None) -> str | None:
    """A hint for the two colon mistakes, looked for on the reported line and the one before."""
    lines = text.split("\n")
    candidates = [line - 1, line - 2] if line else list(range(len(lines)))
    for index in candidates:
        if 0 <= index < len(lines):
            if _FULLWIDTH_COLON.match(lines[index]):
                return f"第 {index + 1} 行用了中文冒号“：”，字段名后面应是英文冒号加空格“: ”"
            if _NO_SPACE_COLON.match(lines[index]):
                return f"第 {index + 1} 行的冒号“:”后面缺少空格"
    return None


def _yaml_problem(exc: yaml.YAMLError) -> tuple[int | None, int | None, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context = getattr(exc, "context", None) or ""
    if ("flow" in context or "quoted" in context) and getattr(exc, "context_mark", None):
        # an unclosed bracket or quote is noticed lines later: name the line where it opened
        mark = exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    raw = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or ''}".strip() or str(
        exc
    )
    text = next((zh for en, zh in _YAML_PROBLEMS.items() if en in raw), None)
    if text is None and "found character" in raw:
        text = _YAML_PROBLEMS["found character that cannot start any token"]
    return line, column, text or f"格式无法解析（{raw}）"


def _too_big(node: yaml.Node) -> bool:
    """True for alias bombs and self-referencing documents (counts every visit, stops early)."""
    stack, seen = [node], 0
    while stack:
        current = stack.pop()
        seen += 1
        if seen > MAX_YAML_NODES:
            return True
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return False


class _Loader(yaml.SafeLoader):
    pass


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # 2025-13-45 looks like a date to YAML but is none: keep the text, the date check names it
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def read_text(path: Path, findings: Findings, *, field: str | None = None) -> str | None:
    """A text file decoded as UTF-8, UTF-8 BOM or GBK; a finding when it cannot be."""
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            findings.error(
                f"文件过大（超过 {MAX_TEXT_BYTES // 1024 // 1024} MB），不是正常的文本文件",
                file=path,
                field=field,
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        findings.error(f"无法读取文件：{exc.strerror or exc}", file=path, field=field)
        return None
    try:
        text, _ = textutil.decode_text(data)
    except textutil.DecodeError as exc:
        findings.error(
            str(exc), file=path, field=field, hint="用记事本打开，“另存为”时编码选 UTF-8"
        )
        return None
    if "\x00" in text:
        # UTF-16 without a BOM, or a binary file, decodes as "UTF-8" full of NULs
        findings.error(
            "文件含有二进制内容（或是没有 BOM 的 UTF-16 编码），不是文本文件",
            file=path,
            field=field,
            hint="用记事本打开，“另存为”时编码选 UTF-8",
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(
    text: str, path: Path, findings: Findings, *, line_offset: int = 0
) -> tuple[dict | None, dict[str, int]]:
    """A YAML mapping and the line of each top-level key; a Chinese finding on bad YAML."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        line, column, message = _yaml_problem(exc)
        where = f"第 {line + line_offset} 行第 {column} 列：" if line else ""
        hint = _colon_hint(text, line)
        findings.error(
            f"YAML 格式错误：{where}{message}",
            file=path,
            line=(line + line_offset) if line else None,
            hint=hint,
        )
        return None, {}
    except RecursionError:
        findings.error("YAML 格式错误：括号或缩进嵌套过深，无法解析", file=path)
        return None, {}
    except Exception as exc:  # noqa: BLE001 - any parser surprise is a finding, not a crash
        findings.error(f"YAML 无法解析（{type(exc).__name__}）", file=path)
        return None, {}
    if node is None:
        return {}, {}
    if _too_big(node):
        findings.error("文件结构过于复杂（大量重复引用“*”或自我引用），已拒绝读取", file=path)
        return None, {}
    if not isinstance(node, yaml.MappingNode):
        findings.error(
            "文件内容应是“字段名: 内容”的形式",
            file=path,
            line=node.start_mark.line + 1 + line_offset,
            hint=_colon_hint(text, None) or "每行写一个字段：字段名、英文冒号、空格、内容",
        )
        return None, {}
    data: dict = {}
    lines: dict[str, int] = {}
    loader = _Loader("")
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1 + line_offset
        try:
            key = loader.construct_object(key_node, deep=True)
            value = loader.construct_object(value_node, deep=True)
        except RecursionError:
            findings.error("这一项嵌套过深，无法解析", file=path, line=line)
            continue
        except Exception as exc:  # noqa: BLE001 - constructors raise many types on odd tags/values
            problem = getattr(exc, "problem", None) or type(exc).__name__
            findings.error(
                f"这一项无法解析（{problem}）",
                file=path,
                line=line,
                hint="特殊写法（如 !! 开头的标记）请去掉，或给文字加引号",
            )
            continue
        if not isinstance(key, (str, int, float)) or isinstance(key, bool):
            findings.error("字段名应是文字", file=path, line=line)
            continue
        key = str(key)
        if key in data:
            findings.warning(
                f"“{_short(key)}”写了两次，后一次覆盖了前一次", file=path, line=line, field=key
            )
        data[key] = value
        lines[key] = line
    return data, lines


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter YAML or None, body, line number where the YAML starts)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    m = re.match(r"---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|$)", text, re.S)
    if not m:
        return None, text, 0
    return m.group(1) or "", text[m.end() :], 1


def safe_path(
    folder: Path, name: object, findings: Findings, *, file: Path, line: int | None, field: str
) -> Path | None:
    """A path named in a project file, only if it stays inside the project folder."""
    text = str(name).strip()
    if not text:
        return None
    if text.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", text) or os.path.isabs(text):
        findings.error(
            f"不能使用绝对路径“{text}”，请写项目文件夹里的文件名", file=file, line=line, field=field
        )
        return None
    candidate = folder / text.replace("\\", "/")
    if not is_inside(candidate, folder):
        findings.error(
            f"路径“{text}”指向项目文件夹以外，已拒绝读取", file=file, line=line, field=field
        )
        return None
    return candidate


def is_inside(path: Path, folder: Path) -> bool:
    """True when `path`, with every symlink resolved, stays inside `folder`."""
    try:
        real = Path(os.path.realpath(path))
        root = Path(os.path.realpath(folder))
    except (OSError, ValueError):
        return False
    return real == root or root in real.parents


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


# --- field values -----------------------------------------------------------------


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "是/否"
    if isinstance(value, (int, float)):
        return "数字"
    if isinstance(value, (list, tuple)):
        return "列表"
    if isinstance(value, dict):
        return "字段组"
    return "文字"


def _short(value: Any, limit: int = 40) -> str:
    """A value as it appears in a message: one line, cut to `limit` characters.

    Control characters (a YAML "\\e" escape …) become "?": messages go to terminals.
    """
    text = re.sub(r"\s+", " ", str(value)).strip()
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return None


def _to_int(value: Any) -> int | None:
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
        text = textutil.unicodedata.normalize("NFKC", value).strip().rstrip("%％")
        try:
            value = float(text)
        except ValueError:
            return None
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


class _FieldReader:
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
        text = _scalar_text(value)
        if text is None:
            self._bad(field, line, f"应填写文字，实际是{_type_name(value)}")
        return text

    def _integer(self, field: Field, value: Any, line: int | None) -> int | None:
        number = _to_int(value)
        if number is None or number < 0:
            self._bad(
                field, line, f"应填写不小于 0 的整数，实际是“{_short(value)}”", hint="例如 25"
            )
            return None
        return number

    def _url(self, field: Field, value: Any, line: int | None) -> str | None:
        text = _scalar_text(value)
        if not text or not is_url(text):
            self._bad(
                field,
                line,
                f"网址“{_short(value)}”格式不正确",
                hint="应以 http:// 或 https:// 开头，不含空格",
            )
            return None
        return text

    def _file(self, field: Field, value: Any, line: int | None) -> str | None:
        text = _scalar_text(value)
        if text is None:
            self._bad(field, line, f"应填写文件名，实际是{_type_name(value)}")
        return text

    def _slug(self, field: Field, value: Any, line: int | None) -> str | None:
        text = _scalar_text(value)
        if not text or not textutil.SLUG_RE.match(text) or len(text) > textutil.SLUG_MAX:
            self._bad(
                field,
                line,
                f"网址名“{_short(value)}”只能用小写字母、数字和连字符，最多 {textutil.SLUG_MAX} 个字符",
                hint="例如 qinghe-xiaoxue",
            )
            return None
        return text

    def _list(self, field: Field, value: Any, line: int | None) -> list[str] | None:
        if isinstance(value, str):
            return _split_list(value)
        if isinstance(value, (list, tuple)):
            items = [_scalar_text(v) for v in value]
            if any(i is None for i in items):
                self._bad(field, line, "列表里的每一项都应是文字")
            return [i for i in items if i]
        self._bad(
            field,
            line,
            f"应填写列表，实际是{_type_name(value)}",
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
                f"应填写意见文字，或 text / signed_by / date 三项，实际是{_type_name(value)}",
            )
            return None
        names = {
            "text": "text",
            "意见": "text",
            "signed_by": "signed_by",
            "签字": "signed_by",
            "签字人": "signed_by",
            "书记": "signed_by",
            "date": "date",
            "日期": "date",
        }
        out = Opinion()
        for key, item in value.items():
            attr = names.get(str(key).strip())
            if attr is None:
                self._bad(
                    field,
                    line,
                    f"意见里有不认识的项“{_short(key)}”",
                    hint="可用 text、signed_by、date",
                )
                continue
            if attr == "date":
                date = textutil.as_date(item)
                if date is None:
                    self._bad(
                        field, line, f"日期“{_short(item)}”格式不正确", hint="例如 2025-03-10"
                    )
                out.date = date
            else:
                setattr(out, attr, _scalar_text(item) or "")
        return out

    def _indicators(self, field: Field, value: Any, line: int | None) -> list[Indicator] | None:
        groups: list[tuple[str, Any]] = []
        if isinstance(value, list):
            groups.append(("explicit", value))
        elif isinstance(value, dict):
            kinds = {
                "explicit": "explicit",
                "显性指标": "explicit",
                "显性": "explicit",
                "implicit": "implicit",
                "隐性指标": "implicit",
                "隐性": "implicit",
            }
            for key, items in value.items():
                kind = kinds.get(str(key).strip())
                if kind is None:
                    self._bad(
                        field,
                        line,
                        f"指标分组“{_short(key)}”不认识",
                        hint="应为 explicit（显性指标）或 implicit（隐性指标）",
                    )
                    continue
                groups.append((kind, items))
        else:
            self._bad(
                field, line, f"应填写 explicit / implicit 两个列表，实际是{_type_name(value)}"
            )
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
        text = _scalar_text(item)
        if text is not None:
            return Indicator(text=text, kind=kind)
        if not isinstance(item, dict):
            self._bad(
                field, line, f"指标应是一句话或 text/target/unit/actual，实际是{_type_name(item)}"
            )
            return None
        ind = Indicator(text=_scalar_text(item.get("text")) or "", kind=kind)
        unknown = set(map(str, item)) - {"text", "target", "unit", "actual"}
        if unknown:
            self._bad(
                field,
                line,
                f"指标里有不认识的项：{_short('、'.join(sorted(unknown)))}",
                hint="可用 text、target、unit、actual",
            )
        if not ind.text:
            self._bad(field, line, "指标缺少 text（指标内容）")
            return None
        if "target" in item:
            ind.target = _to_number(item["target"])
            if ind.target is None:
                self._bad(
                    field,
                    line,
                    f"指标“{_short(ind.text)}”的目标值“{_short(item['target'])}”不是数字",
                )
        ind.unit = _scalar_text(item.get("unit")) or ""
        actual = item.get("actual") or {}
        if not isinstance(actual, dict):
            self._bad(field, line, f"指标“{_short(ind.text)}”的 actual 应写成 年份: 数值")
            actual = {}
        for year, number in actual.items():
            y, n = _to_int(year), _to_number(number)
            if y is None or n is None:
                self._bad(
                    field,
                    line,
                    f"指标“{_short(ind.text)}”的实际值“{_short(year)}: {_short(number)}”应写成 年份: 数值",
                )
                continue
            ind.actual[y] = n
        ind.actual = dict(sorted(ind.actual.items()))
        return ind


# --- folders ----------------------------------------------------------------------


def _listdir(folder: Path, project_folder: Path, findings: Findings) -> list[Path]:
    """Entries of a folder inside the project, sorted naturally; links out of it refused."""
    if not is_inside(folder, project_folder):
        findings.error("这个文件夹是指向项目文件夹以外的链接，已拒绝读取", file=folder)
        return []
    try:
        entries = list(folder.iterdir())
    except OSError as exc:
        findings.error(f"无法读取文件夹：{exc.strerror or exc}", file=folder)
        return []
    out = []
    for entry in entries:
        name = entry.name
        if name.startswith((".", "~$")) or name.lower() in IGNORED_NAMES:
            continue
        if not _utf8_name(name):
            # bytes that are not UTF-8 (a zip or copy from an old system) cannot go into pages or JSON
            findings.error(
                f"文件名“{_shown_name(name)}”的编码无法识别，已跳过（请把它改成正常的中文或英文名）",
                file=folder,
            )
            continue
        if entry.is_symlink() and not is_inside(entry, project_folder):
            findings.error("这是指向项目文件夹以外的链接，已拒绝读取", file=entry)
            continue
        out.append(entry)
    return sorted(out, key=_natural_key)


def _utf8_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown_name(name: str) -> str:
    return os.fsencode(name).decode("utf-8", "replace")


def _natural_key(path: Path) -> list:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", path.name)]


def _image_or_attachment(path: Path, caption: str | None = None) -> Image | Attachment | None:
    ext = path.suffix.lower()
    if ext in IMAGE_EXTS:
        return Image(path=path, caption=caption or textutil.caption_from_filename(path.name))
    if ext in ATTACHMENT_EXTS:
        try:
            size = path.stat().st_size
        except OSError:
            return None
        return Attachment(path=path, title=textutil.caption_from_filename(path.name), size=size)
    return None


def _unique_slug(slug: str, used: set[str]) -> str:
    base, n = slug, 2
    while slug in used:
        slug = f"{base}-{n}"
        n += 1
    used.add(slug)
    return slug


def _str_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return _split_list(value)
    if isinstance(value, (list, tuple)):
        return [_scalar_text(v) for v in value if _scalar_text(v)]
    text = _scalar_text(value)
    return [text] if text else []


def one_line(text: str) -> str:
    """Titles are one line: a newline in a title would break the page heading."""
    return re.sub(r"\s+", " ", text).strip()


# Front matter written in Chinese is accepted too.
META_ALIASES = {
    "标题": "title",
    "题目": "title",
    "名称": "title",
    "日期": "date",
    "时间": "date",
    "作者": "authors",
    "撰稿": "authors",
    "author": "authors",
    "标签": "tags",
    "关键词": "tags",
    "摘要": "summary",
    "简介": "summary",
    "年度": "year",
    "年份": "year",
    "月工作安排": "schedule",
    "工作安排": "schedule",
    "安排": "schedule",
    "说明": "description",
    "描述": "description",
    "介绍": "description",
    "封面": "cover",
    "图片说明": "captions",
    "照片说明": "captions",
}
CASE_KEYS = {"title", "date", "authors", "tags", "summary"}
PLAN_KEYS = {"title", "year", "schedule", "date", "summary"}
ALBUM_KEYS = {"title", "date", "description", "cover", "captions"}
_TEXT_META = {"title", "summary", "description", "cover"}
_LIST_META = {"authors", "tags"}


def _read_meta(
    parsed: dict, lines: dict[str, int], path: Path, findings: Findings, allowed: set[str]
) -> tuple[dict, dict[str, int]]:
    """Front matter / album.yml keys → English names, unknown keys and wrong types reported."""
    meta: dict = {}
    out_lines: dict[str, int] = {}
    for raw, value in parsed.items():
        line = lines.get(raw)
        key = META_ALIASES.get(normalize_label(raw), normalize_label(raw))
        if key not in allowed:
            near = difflib.get_close_matches(key, sorted(allowed), n=1)
            findings.warning(
                f"不认识的项“{_short(raw)}”，已忽略",
                file=path,
                line=line,
                hint=f"是不是想写 {near[0]}？" if near else f"可用：{'、'.join(sorted(allowed))}",
            )
            continue
        if value is None or value == "":
            continue
        if key in _TEXT_META and _scalar_text(value) is None:
            findings.error(
                f"{key} 应填写文字，实际是{_type_name(value)}，已忽略", file=path, line=line
            )
            continue
        if key in _LIST_META and not isinstance(value, (str, list, tuple, int, float)):
            findings.error(
                f"{key} 应填写文字或列表，实际是{_type_name(value)}，已忽略", file=path, line=line
            )
            continue
        if key == "date" and textutil.as_date(value) is None:
            findings.error(
                f"日期“{_short(value)}”格式不正确，已忽略",
                file=path,
                line=line,
                hint="例如 2025-03-10",
            )
            continue
        meta[key] = value
        out_lines[key] = line
    return meta, out_lines


def _front_matter_doc(
    path: Path, findings: Findings, allowed: set[str]
) -> tuple[dict, str, dict[str, int]] | None:
    text = read_text(path, findings)
    if text is None:
        return None
    yaml_text, body, offset = split_front_matter(text)
    if yaml_text is None and re.match(r"\ufeff?---[ \t]*\n", text):
        findings.error(
            "开头的 --- 没有对应的结束行 ---，文件头信息未能读取",
            file=path,
            line=1,
            hint="文件头信息（标题、日期等）要写在两行 --- 之间",
        )
    meta: dict = {}
    lines: dict[str, int] = {}
    if yaml_text is not None:
        parsed, raw_lines = parse_yaml(yaml_text, path, findings, line_offset=offset)
        meta, lines = _read_meta(parsed or {}, raw_lines, path, findings, allowed)
    return meta, body, lines


def _titled_doc(path: Path, findings: Findings, keys) -> tuple[dict, str, dict[str, int], str] | None:
    """A case or plan file: its front matter, body, key lines and title (front matter,
    else the first `#` heading, else the file name)."""
    doc = _front_matter_doc(path, findings, keys)
    if doc is None:
        return None
    meta, body, lines = doc
    title = one_line(
        _scalar_text(meta.get("title"))
        or _first_heading(body)
        or textutil.caption_from_filename(path.name)
    )
    return meta, body, lines, title


def _load_case(path: Path, project: Project, findings: Findings, used: set[str]) -> Case | None:
    doc = _titled_doc(path, findings, CASE_KEYS)
    if doc is None:
        return None
    meta, body, lines, title = doc
    case = Case(
        slug=_unique_slug(textutil.slugify(path.stem, "case"), used),
        title=title,
        source=path,
        body=_strip_first_heading(body, title),
        date=textutil.as_date(meta.get("date")),
        authors=_str_list(meta.get("authors")),
        tags=_str_list(meta.get("tags")),
        summary=_scalar_text(meta.get("summary")) or "",
    )
    appendix = path.with_suffix("")
    if appendix.is_dir():
        for entry in _listdir(appendix, project.folder, findings):
            if entry.is_dir():
                continue
            item = _image_or_attachment(entry)
            if isinstance(item, Image):
                case.images.append(item)
            elif isinstance(item, Attachment):
                case.files.append(item)
            else:
                findings.warning(
                    "附录里这种文件类型不会发布", file=entry, hint="支持图片、PDF、Word、Excel、PPT"
                )
    return case


def _first_heading(body: str) -> str | None:
    m = re.search(r"^#\s+(.+?)\s*#*\s*$", body, re.M)
    return m.group(1).strip() if m else None


def _strip_first_heading(body: str, title: str) -> str:
    """The page shows the title already: drop a leading `# title` line that repeats it."""
    m = re.match(r"\s*#\s+(.+?)\s*#*\s*\n", body)
    if m and m.group(1).strip() == title:
        return body[m.end() :]
    return body


def _load_album(folder: Path, project: Project, findings: Findings, used: set[str]) -> Album:
    date, title = textutil.split_dated_name(folder.name)
    album = Album(slug="", title=one_line(title), source=folder, date=date)
    meta: dict = {}
    lines: dict[str, int] = {}
    meta_file = folder / "album.yml"
    for name in ("album.yml", "album.yaml"):
        candidate = folder / name
        if candidate.is_file() and is_inside(candidate, project.folder):
            meta_file = candidate
            text = read_text(candidate, findings)
            parsed, raw_lines = (
                parse_yaml(text, candidate, findings) if text is not None else (None, {})
            )
            meta, lines = _read_meta(parsed or {}, raw_lines, candidate, findings, ALBUM_KEYS)
            break
    if meta.get("title"):
        album.title = one_line(_scalar_text(meta["title"]) or album.title)
    if meta.get("date") is not None:
        album.date = textutil.as_date(meta["date"]) or album.date
    album.description = _scalar_text(meta.get("description")) or ""
    captions = meta.get("captions")
    if captions is not None and not isinstance(captions, dict):
        findings.error(
            "captions 应写成 文件名: 说明文字 的形式，已忽略",
            file=meta_file,
            line=lines.get("captions"),
            hint="例如 01-揭牌仪式.jpg: 名师工作室揭牌",
        )
        captions = None
    captions = {str(k): v for k, v in (captions or {}).items()}
    for entry in _listdir(folder, project.folder, findings):
        if entry.is_file() and entry.suffix.lower() in IMAGE_EXTS:
            caption = _scalar_text(captions.get(entry.name))
            album.photos.append(
                Image(
                    path=entry,
                    caption=one_line(caption or textutil.caption_from_filename(entry.name)),
                )
            )
    names = {p.path.name for p in album.photos}
    for name in captions:
        if name not in names:
            findings.warning(
                f"captions 里的“{_short(name)}”不在相册里",
                file=meta_file,
                line=lines.get("captions"),
                hint="文件名要与照片完全一致，包括扩展名",
            )
    cover = _scalar_text(meta.get("cover"))
    if cover:
        album.cover = next((p for p in album.photos if p.path.name == cover), None)
        if album.cover is None:
            findings.warning(
                f"封面“{_short(cover)}”不在相册里，改用第一张照片",
                file=meta_file,
                line=lines.get("cover"),
            )
    album.slug = _unique_slug(textutil.slugify(folder.name, "album"), used)
    return album


def _load_plan(path: Path, findings: Findings, used: set[str]) -> Plan | None:
    doc = _titled_doc(path, findings, PLAN_KEYS)
    if doc is None:
        return None
    meta, body, lines, title = doc
    plan = Plan(
        slug=_unique_slug(textutil.slugify(path.stem, "plan"), used),
        title=title,
        source=path,
        body=_strip_first_heading(body, title),
    )
    if meta.get("year") is not None:
        plan.year = _to_int(meta["year"])
        if plan.year is None:
            findings.error(
                f"年度“{_short(meta['year'])}”应是整数",
                file=path,
                line=lines.get("year"),
                hint="例如 2025",
            )
    schedule = meta.get("schedule")
    months: dict[int, list[str]] = {}
    if isinstance(schedule, dict):
        pairs = list(schedule.items())
    elif isinstance(schedule, list):
        pairs = [
            (i.get("month"), i.get("items")) if isinstance(i, dict) else (None, i) for i in schedule
        ]
    elif schedule is None:
        pairs = []
    else:
        findings.error(
            "schedule 应写成 月份: 工作事项 的形式",
            file=path,
            line=lines.get("schedule"),
            hint="例如 三月: [制定年度计划, 开学工作]",
        )
        pairs = []
    for key, items in pairs:
        month = textutil.parse_month(key)
        if month is None:
            findings.error(
                f"月份“{_short(key)}”无法识别",
                file=path,
                line=lines.get("schedule"),
                hint="可写 3、3月、三月",
            )
            continue
        if isinstance(items, dict):
            findings.error(
                f"{month} 月的工作事项应是文字或列表", file=path, line=lines.get("schedule")
            )
            continue
        months.setdefault(month, []).extend(
            _str_list(items) if not isinstance(items, str) else [items.strip()]
        )
    plan.schedule = [ScheduleMonth(m, months[m]) for m in sorted(months)]
    return plan


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the file system, a NUL byte …
        return False


def default_logo(folder: Path) -> Path | None:
    try:
        names = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    except OSError:
        return None
    for ext in LOGO_EXTS:
        if f"logo{ext}" in names:
            return names[f"logo{ext}"]
    return None


def load_project(
    folder: Path, settings: Settings | None = None, *, source_label: str = ""
) -> Project:
    """Read one project folder. Every problem is in `project.findings`; nothing raises."""
    settings = settings or Settings()
    findings = Findings()
    project = Project(
        folder=folder, slug=textutil.slugify(folder.name, "project"), source_label=source_label
    )
    try:
        _load_into(project, findings)
    except Exception as exc:  # noqa: BLE001 - a bug must not take the other projects down
        findings.error(
            f"读取这个项目时发生意外错误（{type(exc).__name__}），已读取的部分照常发布",
            file=folder,
            hint="请检查文件夹里是否有异常的文件，或把这个文件夹发给技术人员",
        )
    try:
        _finish(project, findings)
    except Exception:  # noqa: BLE001
        project.findings = list(findings)
    return project


def _load_into(project: Project, findings: Findings) -> None:
    folder = project.folder
    candidates = [folder / n for n in ("project.yml", "project.yaml") if (folder / n).is_file()]
    if not candidates:
        findings.error(
            "缺少 project.yml（项目登记信息）",
            file=folder / "project.yml",
            hint="可运行 showcase new 生成一个带说明的模板",
        )
        return
    yml = candidates[0]
    if len(candidates) > 1:
        findings.warning(
            "同时有 project.yml 和 project.yaml，只读取 project.yml",
            file=candidates[1],
            hint="请删除 project.yaml",
        )
    if not is_inside(yml, folder):
        findings.error("project.yml 是指向项目文件夹以外的链接，已拒绝读取", file=yml)
        return
    text = read_text(yml, findings)
    data, lines = parse_yaml(text, yml, findings) if text is not None else (None, {})
    reader = _FieldReader(project, findings, yml)
    seen: dict[str, str] = {}
    for raw_key, value in (data or {}).items():
        line = lines.get(raw_key)
        field = lookup(raw_key)
        if field is None:
            near = suggest(raw_key)
            findings.error(
                f"不认识的字段“{_short(raw_key)}”",
                file=yml,
                line=line,
                hint=f"是不是想写 {near}（{lookup(near).display()}）？"
                if near
                else "可运行 showcase schema 查看全部字段",
            )
            continue
        if field.key in seen:
            findings.error(
                f"“{_short(raw_key)}”与“{_short(seen[field.key])}”是同一个字段，只能填一处",
                file=yml,
                line=line,
                field=field.key,
            )
            continue
        seen[field.key] = str(raw_key)
        project.lines[field.key] = (str(yml), line)
        if value is None or value == "":
            continue
        converted = reader.read(field, value, line)
        if converted is not None:
            project.values[field.key] = converted
    for field in LONG_TEXT_FIELDS:
        path = folder / f"{field.key}.md"
        if not path.is_file():
            continue
        if field.key in project.values:
            findings.error(
                f"同时在 project.yml 和 {path.name} 中填写了，只保留 project.yml 里的内容",
                file=yml,
                line=lines.get(seen[field.key]),
                field=field.key,
                hint="请删除其中一处",
            )
            continue
        if not is_inside(path, folder):
            findings.error("这是指向项目文件夹以外的链接，已拒绝读取", file=path, field=field.key)
            continue
        body = read_text(path, findings, field=field.key)
        if body and body.strip():
            project.values[field.key] = body.strip()
            project.lines[field.key] = (str(path), 1)
    if data is not None:  # an unreadable project.yml is one error, not a list of "missing" fields
        _check_required(project, findings, yml)
    _load_logo(project, findings, yml, lines.get(seen.get("logo", ""), None))
    if "slug" in project.values:
        project.slug = project.values["slug"]
    _load_parts(project, findings)


def _check_required(project: Project, findings: Findings, yml: Path) -> None:
    for field in FIELDS:
        if field.required and field.key != "logo" and not project.values.get(field.key):
            if field.key in project.lines:
                continue  # a finding about its bad value exists already
            findings.error(
                f"缺少必填项“{field.label}”",
                file=yml,
                field=field.key,
                hint=f"在 project.yml 中加一行 {field.key}: …",
            )
        elif field.recommended and not project.values.get(field.key):
            findings.warning(f"建议填写“{field.label}”", file=yml, field=field.key)


def _load_logo(project: Project, findings: Findings, yml: Path, line: int | None) -> None:
    folder = project.folder
    name = project.values.get("logo")
    if name:
        path = safe_path(folder, name, findings, file=yml, line=line, field="logo")
        if path is None:
            project.values.pop("logo", None)
            return
        if not _is_file(path):
            findings.error(
                f"找不到 LOGO 文件“{_short(name)}”",
                file=yml,
                line=line,
                field="logo",
                hint="文件名要与文件夹里的图片完全一致，包括扩展名",
            )
            project.values.pop("logo", None)
            return
        if path.suffix.lower() not in LOGO_EXTS:
            findings.error(
                f"LOGO 应是 PNG、JPG 或 SVG 图片，“{_short(name)}”不是",
                file=yml,
                line=line,
                field="logo",
            )
            project.values.pop("logo", None)
            return
    else:
        path = default_logo(folder)
        if path is not None and path.is_symlink() and not is_inside(path, folder):
            findings.error("LOGO 是指向项目文件夹以外的链接，已拒绝读取", file=path, field="logo")
            path = None
        if path is None:
            findings.warning(
                "缺少 LOGO：网站上暂用占位图代替",
                file=yml,
                field="logo",
                hint="把标识图片命名为 logo.png 放进项目文件夹",
            )
            return
        project.values["logo"] = path.name
    project.logo = Image(path=path, caption=f"{project.values.get('name') or ''} 标识")


def _load_parts(project: Project, findings: Findings) -> None:
    folder = project.folder
    used: set[str] = set()
    cases_dir = folder / "cases"
    if cases_dir.is_dir():
        for entry in _listdir(cases_dir, folder, findings):
            if entry.is_file() and entry.suffix.lower() in (".md", ".markdown"):
                case = _load_case(entry, project, findings, used)
                if case:
                    project.cases.append(case)
        project.cases.sort(key=lambda c: c.date or _dt.date.min, reverse=True)
    photos_dir = folder / "photos"
    if photos_dir.is_dir():
        for entry in _listdir(photos_dir, folder, findings):
            if entry.is_dir():
                album = _load_album(entry, project, findings, used)
                if album.photos:
                    project.albums.append(album)
                else:
                    findings.warning("相册里没有照片", file=entry)
        project.albums.sort(key=lambda a: a.date or _dt.date.min, reverse=True)
    plans_dir = folder / "plans"
    if plans_dir.is_dir():
        for entry in _listdir(plans_dir, folder, findings):
            if entry.is_file() and entry.suffix.lower() in (".md", ".markdown"):
                plan = _load_plan(entry, findings, used)
                if plan:
                    project.plans.append(plan)


def _finish(project: Project, findings: Findings) -> None:
    label = project.folder.name
    project.findings = [
        f if f.project else type(f)(f.level, f.message, f.file, f.line, f.field, f.hint, label)
        for f in findings
    ]
    project.modified = _newest_change(project.folder)


def _newest_change(folder: Path) -> _dt.datetime | None:
    newest = 0.0
    try:
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                try:
                    newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime)
                except OSError:
                    continue
    except OSError:
        return None
    return _dt.datetime.fromtimestamp(newest) if newest else None
