"""Load: a project folder → a `model.Project`, with findings.

Nothing here raises on bad input: every problem becomes a Finding naming the
file, line and field, and the broken part is left out.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import os
import re
from pathlib import Path
from typing import Any

import yaml

from . import textutil
from .fields import FIELDS, LONG_TEXT_FIELDS, Field, FieldType, all_names, lookup
from .findings import Findings
from .model import Album, Attachment, Case, Image, Indicator, Opinion, Plan, Project, ScheduleMonth
from .settings import Settings

IMAGE_EXTS = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".heif"})
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
    "expected <block end>, but found": "缩进不一致，请检查这一行与上一行的空格数",
    "found undefined alias": "出现了未定义的别名“*”，如是普通文字请加引号",
    "found unexpected end of stream": "文件意外结束，可能有未闭合的引号或括号",
    "while scanning a quoted scalar": "引号没有闭合",
    "found duplicate anchor": "重复的锚点“&”",
    "expected a comment or a line break": "引号后面多了文字，请把整段文字放进引号里",
    "while parsing a flow": "方括号或花括号没有闭合",
    "found unknown escape character": "双引号里的反斜杠“\\”无效，请改用单引号",
}


def _yaml_problem(exc: yaml.YAMLError) -> tuple[int | None, int | None, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    raw = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or ''}".strip() or str(exc)
    text = next((zh for en, zh in _YAML_PROBLEMS.items() if en in raw), None)
    return line, column, text or f"格式无法解析（{raw}）"


class _Loader(yaml.SafeLoader):
    pass


def read_text(path: Path, findings: Findings, *, field: str | None = None) -> str | None:
    """A text file decoded as UTF-8, UTF-8 BOM or GBK; a finding when it cannot be."""
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            findings.error(f"文件过大（超过 {MAX_TEXT_BYTES // 1024 // 1024} MB），不是正常的文本文件", file=path, field=field)
            return None
        data = path.read_bytes()
    except OSError as exc:
        findings.error(f"无法读取文件：{exc.strerror or exc}", file=path, field=field)
        return None
    try:
        text, _ = textutil.decode_text(data)
    except textutil.DecodeError as exc:
        findings.error(str(exc), file=path, field=field)
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
        findings.error(f"YAML 格式错误：{where}{message}", file=path, line=(line + line_offset) if line else None)
        return None, {}
    except Exception as exc:  # noqa: BLE001 - any parser surprise is a finding, not a crash
        findings.error(f"YAML 无法解析：{exc}", file=path)
        return None, {}
    if node is None:
        return {}, {}
    if not isinstance(node, yaml.MappingNode):
        findings.error(
            "文件内容应是“字段名: 内容”的形式", file=path, line=node.start_mark.line + 1 + line_offset
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
        except (yaml.YAMLError, TypeError, ValueError, RecursionError) as exc:
            findings.error(f"这一项无法解析：{exc}", file=path, line=line)
            continue
        if not isinstance(key, (str, int, float)):
            findings.error("字段名应是文字", file=path, line=line)
            continue
        key = str(key)
        if key in data:
            findings.warning(f"“{key}”写了两次，后一次覆盖了前一次", file=path, line=line, field=key)
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


def safe_path(folder: Path, name: object, findings: Findings, *, file: Path, line: int | None, field: str) -> Path | None:
    """A path named in a project file, only if it stays inside the project folder."""
    text = str(name).strip()
    if not text:
        return None
    if text.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", text) or os.path.isabs(text):
        findings.error(f"不能使用绝对路径“{text}”，请写项目文件夹里的文件名", file=file, line=line, field=field)
        return None
    candidate = folder / text.replace("\\", "/")
    if not is_inside(candidate, folder):
        findings.error(f"路径“{text}”指向项目文件夹以外，已拒绝读取", file=file, line=line, field=field)
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
    key = str(name).strip()
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(key.lower(), [n.lower() for n in names], n=1, cutoff=0.6)
        if close:
            close = [next(n for n in names if n.lower() == close[0])]
    return close[0] if close else None


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
        text = textutil.unicodedata.normalize("NFKC", value).strip().removesuffix("人").removesuffix("名")
        if re.fullmatch(r"\d+", text):
            return int(text)
    return None


def _to_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = textutil.unicodedata.normalize("NFKC", value).strip().rstrip("%％")
        try:
            return float(text)
        except ValueError:
            return None
    return None


_URL = re.compile(r"^https?://[A-Za-z0-9\-._~%\u4e00-\u9fff]+(:\d+)?(/[^\s]*)?$")


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
        text = _scalar_text(value)
        if text is None:
            self._bad(field, line, f"应填写文字，实际是{_type_name(value)}")
        return text

    _markdown = _text

    def _integer(self, field: Field, value: Any, line: int | None) -> int | None:
        number = _to_int(value)
        if number is None or number < 0:
            self._bad(field, line, f"应填写不小于 0 的整数，实际是“{value}”", hint="例如 25")
            return None
        return number

    def _url(self, field: Field, value: Any, line: int | None) -> str | None:
        text = _scalar_text(value)
        if not text or not _URL.match(text):
            self._bad(field, line, f"网址“{value}”格式不正确", hint="应以 http:// 或 https:// 开头，不含空格")
            return None
        return text

    def _file(self, field: Field, value: Any, line: int | None) -> str | None:
        text = _scalar_text(value)
        if text is None:
            self._bad(field, line, f"应填写文件名，实际是{_type_name(value)}")
        return text

    def _slug(self, field: Field, value: Any, line: int | None) -> str | None:
        text = _scalar_text(value)
        if not text or not textutil.SLUG_RE.match(text):
            self._bad(field, line, f"网址名“{value}”只能用小写字母、数字和连字符", hint="例如 qinghe-xiaoxue")
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
        self._bad(field, line, f"应填写列表，实际是{_type_name(value)}", hint="例如 [名师工作室, 青年教师]")
        return None

    def _opinion(self, field: Field, value: Any, line: int | None) -> Opinion | None:
        if isinstance(value, str):
            return Opinion(text=value.strip())
        if not isinstance(value, dict):
            self._bad(field, line, f"应填写意见文字，或 text / signed_by / date 三项，实际是{_type_name(value)}")
            return None
        names = {"text": "text", "意见": "text", "signed_by": "signed_by", "签字": "signed_by",
                 "签字人": "signed_by", "书记": "signed_by", "date": "date", "日期": "date"}
        out = Opinion()
        for key, item in value.items():
            attr = names.get(str(key).strip())
            if attr is None:
                self._bad(field, line, f"意见里有不认识的项“{key}”", hint="可用 text、signed_by、date")
                continue
            if attr == "date":
                date = textutil.as_date(item)
                if date is None:
                    self._bad(field, line, f"日期“{item}”格式不正确", hint="例如 2025-03-10")
                out.date = date
            else:
                setattr(out, attr, _scalar_text(item) or "")
        return out

    def _indicators(self, field: Field, value: Any, line: int | None) -> list[Indicator] | None:
        groups: list[tuple[str, Any]] = []
        if isinstance(value, list):
            groups.append(("explicit", value))
        elif isinstance(value, dict):
            kinds = {"explicit": "explicit", "显性指标": "explicit", "显性": "explicit",
                     "implicit": "implicit", "隐性指标": "implicit", "隐性": "implicit"}
            for key, items in value.items():
                kind = kinds.get(str(key).strip())
                if kind is None:
                    self._bad(field, line, f"指标分组“{key}”不认识", hint="应为 explicit（显性指标）或 implicit（隐性指标）")
                    continue
                groups.append((kind, items))
        else:
            self._bad(field, line, f"应填写 explicit / implicit 两个列表，实际是{_type_name(value)}")
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
            self._bad(field, line, f"指标应是一句话或 text/target/unit/actual，实际是{_type_name(item)}")
            return None
        ind = Indicator(text=_scalar_text(item.get("text")) or "", kind=kind)
        unknown = set(map(str, item)) - {"text", "target", "unit", "actual"}
        if unknown:
            self._bad(field, line, f"指标里有不认识的项：{'、'.join(sorted(unknown))}", hint="可用 text、target、unit、actual")
        if not ind.text:
            self._bad(field, line, "指标缺少 text（指标内容）")
            return None
        if "target" in item:
            ind.target = _to_number(item["target"])
            if ind.target is None:
                self._bad(field, line, f"指标“{ind.text}”的目标值“{item['target']}”不是数字")
        ind.unit = _scalar_text(item.get("unit")) or ""
        actual = item.get("actual") or {}
        if not isinstance(actual, dict):
            self._bad(field, line, f"指标“{ind.text}”的 actual 应写成 年份: 数值")
            actual = {}
        for year, number in actual.items():
            y, n = _to_int(year), _to_number(number)
            if y is None or n is None:
                self._bad(field, line, f"指标“{ind.text}”的实际值“{year}: {number}”应写成 年份: 数值")
                continue
            ind.actual[y] = n
        ind.actual = dict(sorted(ind.actual.items()))
        return ind


# --- folders ----------------------------------------------------------------------


def _listdir(folder: Path, project_folder: Path, findings: Findings) -> list[Path]:
    """Entries of a folder inside the project, sorted naturally; links out of it refused."""
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
        if entry.is_symlink() and not is_inside(entry, project_folder):
            findings.error("这是指向项目文件夹以外的链接，已拒绝读取", file=entry)
            continue
        out.append(entry)
    return sorted(out, key=_natural_key)


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
        return [str(v).strip() for v in value if _scalar_text(v)]
    return [str(value)]


def _front_matter_doc(path: Path, findings: Findings, allowed: set[str]) -> tuple[dict, str, dict[str, int]] | None:
    text = read_text(path, findings)
    if text is None:
        return None
    yaml_text, body, offset = split_front_matter(text)
    meta: dict = {}
    lines: dict[str, int] = {}
    if yaml_text is not None:
        parsed, lines = parse_yaml(yaml_text, path, findings, line_offset=offset)
        meta = parsed or {}
    for key in meta:
        if key not in allowed:
            near = difflib.get_close_matches(key, sorted(allowed), n=1)
            findings.warning(
                f"不认识的项“{key}”，已忽略", file=path, line=lines.get(key),
                hint=f"是不是想写 {near[0]}？" if near else f"可用：{'、'.join(sorted(allowed))}",
            )
    return meta, body, lines


CASE_KEYS = {"title", "date", "authors", "author", "tags", "summary"}
PLAN_KEYS = {"title", "year", "schedule", "date", "summary"}
ALBUM_KEYS = {"title", "date", "description", "cover", "captions"}


def _load_case(path: Path, project: Project, findings: Findings, used: set[str]) -> Case | None:
    doc = _front_matter_doc(path, findings, CASE_KEYS)
    if doc is None:
        return None
    meta, body, lines = doc
    title = _scalar_text(meta.get("title")) or _first_heading(body) or textutil.caption_from_filename(path.name)
    date = None
    if meta.get("date") is not None:
        date = textutil.as_date(meta["date"])
        if date is None:
            findings.error(f"日期“{meta['date']}”格式不正确", file=path, line=lines.get("date"), hint="例如 2025-03-10")
    case = Case(
        slug=_unique_slug(textutil.slugify(path.stem, "case"), used),
        title=title,
        source=path,
        body=_strip_first_heading(body, title),
        date=date,
        authors=_str_list(meta.get("authors", meta.get("author"))),
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
                findings.warning("附录里这种文件类型不会发布", file=entry, hint="支持图片、PDF、Word、Excel、PPT")
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
    album = Album(slug="", title=title, source=folder, date=date)
    meta: dict = {}
    lines: dict[str, int] = {}
    for name in ("album.yml", "album.yaml"):
        meta_file = folder / name
        if meta_file.is_file():
            text = read_text(meta_file, findings)
            parsed, lines = parse_yaml(text, meta_file, findings) if text is not None else (None, {})
            meta = parsed or {}
            for key in meta:
                if key not in ALBUM_KEYS:
                    near = difflib.get_close_matches(key, sorted(ALBUM_KEYS), n=1)
                    findings.warning(f"不认识的项“{key}”，已忽略", file=meta_file, line=lines.get(key),
                                     hint=f"是不是想写 {near[0]}？" if near else None)
            if meta.get("title"):
                album.title = _scalar_text(meta["title"]) or album.title
            if meta.get("date") is not None:
                album.date = textutil.as_date(meta["date"]) or album.date
                if textutil.as_date(meta["date"]) is None:
                    findings.error(f"日期“{meta['date']}”格式不正确", file=meta_file, line=lines.get("date"))
            album.description = _scalar_text(meta.get("description")) or ""
            break
    captions = meta.get("captions") if isinstance(meta.get("captions"), dict) else {}
    for entry in _listdir(folder, project.folder, findings):
        if entry.is_file() and entry.suffix.lower() in IMAGE_EXTS:
            caption = _scalar_text(captions.get(entry.name)) if captions else None
            album.photos.append(Image(path=entry, caption=caption or textutil.caption_from_filename(entry.name)))
    cover = _scalar_text(meta.get("cover"))
    if cover:
        album.cover = next((p for p in album.photos if p.path.name == cover), None)
        if album.cover is None:
            findings.warning(f"封面“{cover}”不在相册里，改用第一张照片", file=folder / "album.yml", line=lines.get("cover"))
    album.slug = _unique_slug(textutil.slugify(folder.name, "album"), used)
    return album


def _load_plan(path: Path, findings: Findings, used: set[str]) -> Plan | None:
    doc = _front_matter_doc(path, findings, PLAN_KEYS)
    if doc is None:
        return None
    meta, body, lines = doc
    title = _scalar_text(meta.get("title")) or _first_heading(body) or textutil.caption_from_filename(path.name)
    plan = Plan(slug=_unique_slug(textutil.slugify(path.stem, "plan"), used), title=title,
                source=path, body=_strip_first_heading(body, title))
    if meta.get("year") is not None:
        plan.year = _to_int(meta["year"])
        if plan.year is None:
            findings.error(f"年度“{meta['year']}”应是整数", file=path, line=lines.get("year"))
    schedule = meta.get("schedule")
    months: dict[int, list[str]] = {}
    if isinstance(schedule, dict):
        pairs = list(schedule.items())
    elif isinstance(schedule, list):
        pairs = [(i.get("month"), i.get("items")) if isinstance(i, dict) else (None, i) for i in schedule]
    elif schedule is None:
        pairs = []
    else:
        findings.error("schedule 应写成 月份: 工作事项 的形式", file=path, line=lines.get("schedule"))
        pairs = []
    for key, items in pairs:
        month = textutil.parse_month(key)
        if month is None:
            findings.error(f"月份“{key}”无法识别", file=path, line=lines.get("schedule"), hint="可写 3、3月、三月")
            continue
        months.setdefault(month, []).extend(_str_list(items) if not isinstance(items, str) else [items.strip()])
    plan.schedule = [ScheduleMonth(m, months[m]) for m in sorted(months)]
    return plan


def default_logo(folder: Path) -> Path | None:
    try:
        names = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    except OSError:
        return None
    for ext in LOGO_EXTS:
        if f"logo{ext}" in names:
            return names[f"logo{ext}"]
    return None


def load_project(folder: Path, settings: Settings | None = None, *, source_label: str = "") -> Project:
    """Read one project folder. Every problem is in `project.findings`; nothing raises."""
    settings = settings or Settings()
    findings = Findings()
    project = Project(folder=folder, slug=textutil.slugify(folder.name, "project"), source_label=source_label)
    yml = next((folder / n for n in ("project.yml", "project.yaml") if (folder / n).is_file()), None)
    if yml is None:
        findings.error("缺少 project.yml（项目登记信息）", file=folder / "project.yml")
        _finish(project, findings)
        return project
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
                f"不认识的字段“{raw_key}”", file=yml, line=line,
                hint=f"是不是想写 {near}（{lookup(near).display()}）？" if near else "可运行 showcase schema 查看全部字段",
            )
            continue
        if field.key in seen:
            findings.error(f"“{raw_key}”与“{seen[field.key]}”是同一个字段，只能填一处", file=yml, line=line, field=field.key)
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
        if field.key in seen:
            findings.error(
                f"同时在 project.yml 和 {path.name} 中填写了，只保留 project.yml 里的内容",
                file=yml, line=lines.get(seen[field.key]), field=field.key, hint="请删除其中一处",
            )
            continue
        if path.is_symlink() and not is_inside(path, folder):
            findings.error("这是指向项目文件夹以外的链接，已拒绝读取", file=path, field=field.key)
            continue
        body = read_text(path, findings, field=field.key)
        if body and body.strip():
            project.values[field.key] = body.strip()
            project.lines[field.key] = (str(path), 1)
    _check_required(project, findings, yml)
    _load_logo(project, findings, yml, lines.get(seen.get("logo", ""), None))
    if "slug" in project.values:
        project.slug = project.values["slug"]
    _load_parts(project, findings)
    _finish(project, findings)
    return project


def _check_required(project: Project, findings: Findings, yml: Path) -> None:
    for field in FIELDS:
        if field.required and field.key != "logo" and not project.values.get(field.key):
            if field.key in project.lines:
                continue  # a finding about its bad value exists already
            findings.error(f"缺少必填项“{field.label}”", file=yml, field=field.key,
                           hint=f"在 project.yml 中加一行 {field.key}: …")
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
        if not path.is_file():
            findings.error(f"找不到 LOGO 文件“{name}”", file=yml, line=line, field="logo")
            project.values.pop("logo", None)
            return
        if path.suffix.lower() not in LOGO_EXTS:
            findings.error(f"LOGO 应是 PNG、JPG 或 SVG 图片，“{name}”不是", file=yml, line=line, field="logo")
            project.values.pop("logo", None)
            return
    else:
        path = default_logo(folder)
        if path is not None and path.is_symlink() and not is_inside(path, folder):
            findings.error("LOGO 是指向项目文件夹以外的链接，已拒绝读取", file=path, field="logo")
            path = None
        if path is None:
            findings.warning("缺少 LOGO：网站上暂用占位图代替", file=yml, field="logo",
                             hint="把标识图片命名为 logo.png 放进项目文件夹")
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
        project.cases.sort(key=lambda c: (c.date or _dt.date.min), reverse=True)
    photos_dir = folder / "photos"
    if photos_dir.is_dir():
        for entry in _listdir(photos_dir, folder, findings):
            if entry.is_dir():
                album = _load_album(entry, project, findings, used)
                if album.photos:
                    project.albums.append(album)
                else:
                    findings.warning("相册里没有照片", file=entry)
        project.albums.sort(key=lambda a: (a.date or _dt.date.min), reverse=True)
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


