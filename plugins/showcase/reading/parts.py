"""A project's parts: cases (with appendices), photo albums and plans."""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from pathlib import Path

from ..core import textutil
from ..core.fields import normalize_label
from ..core.findings import Findings
from ..core.model import Album, Attachment, Case, Image, Plan, Project
from ..core.textutil import short
from .appendix import read_appendix
from .folders import ATTACHMENT_EXTS, IMAGE_EXTS, is_inside, listdir
from .schedule import read_schedule
from .values import one_line, scalar_text, str_list, to_int, type_name
from .yamlread import parse_yaml, read_text, split_front_matter


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
    "附录": "appendix",
    "重要资料附录": "appendix",
    "附件": "appendix",
    "范围": "scope",
    "适用范围": "scope",
    "实施范围": "scope",
    "制定单位": "issuer",
    "发文单位": "issuer",
    "印发单位": "issuer",
    "制定": "issuer",
    "印发日期": "date",
    "发文日期": "date",
}


CASE_KEYS = {"title", "date", "authors", "tags", "summary", "appendix"}


PLAN_KEYS = {"title", "year", "schedule", "date", "summary", "scope", "issuer"}


ALBUM_KEYS = {"title", "date", "description", "cover", "captions"}


_TEXT_META = {"title", "summary", "description", "cover", "scope", "issuer"}


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
                f"不认识的项“{short(raw)}”，已忽略",
                file=path,
                line=line,
                hint=f"是不是想写 {near[0]}？" if near else f"可用：{'、'.join(sorted(allowed))}",
            )
            continue
        if value is None or value == "":
            continue
        if key in _TEXT_META and scalar_text(value) is None:
            findings.error(
                f"{key} 应填写文字，实际是{type_name(value)}，已忽略", file=path, line=line
            )
            continue
        if key in _LIST_META and not isinstance(value, (str, list, tuple, int, float)):
            findings.error(
                f"{key} 应填写文字或列表，实际是{type_name(value)}，已忽略", file=path, line=line
            )
            continue
        if key == "date" and textutil.as_date(value) is None:
            findings.error(
                f"日期“{short(value)}”格式不正确，已忽略",
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
        parsed, raw_lines = parse_yaml(
            yaml_text, path, findings, kind="front_matter", line_offset=offset
        )
        meta, lines = _read_meta(parsed or {}, raw_lines, path, findings, allowed)
    return meta, body, lines


def _titled_doc(
    path: Path, findings: Findings, keys
) -> tuple[dict, str, dict[str, int], str] | None:
    """A case or plan file: its front matter, body, key lines and title (front matter,
    else the first `#` heading, else the file name)."""
    doc = _front_matter_doc(path, findings, keys)
    if doc is None:
        return None
    meta, body, lines = doc
    title = one_line(
        scalar_text(meta.get("title"))
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
        authors=str_list(meta.get("authors")),
        tags=str_list(meta.get("tags")),
        summary=scalar_text(meta.get("summary")) or "",
    )
    appendix = path.with_suffix("")
    if appendix.is_dir():
        for entry in listdir(appendix, project.folder, findings):
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
    read_appendix(case, meta.get("appendix"), lines.get("appendix"), findings)
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
                parse_yaml(text, candidate, findings, kind="album")
                if text is not None
                else (None, {})
            )
            meta, lines = _read_meta(parsed or {}, raw_lines, candidate, findings, ALBUM_KEYS)
            break
    if meta.get("title"):
        album.title = one_line(scalar_text(meta["title"]) or album.title)
    if meta.get("date") is not None:
        album.date = textutil.as_date(meta["date"]) or album.date
    album.description = scalar_text(meta.get("description")) or ""
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
    for entry in listdir(folder, project.folder, findings):
        if entry.is_file() and entry.suffix.lower() in IMAGE_EXTS:
            caption = scalar_text(captions.get(entry.name))
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
                f"captions 里的“{short(name)}”不在相册里",
                file=meta_file,
                line=lines.get("captions"),
                hint="文件名要与照片完全一致，包括扩展名",
            )
    cover = scalar_text(meta.get("cover"))
    if cover:
        album.cover = next((p for p in album.photos if p.path.name == cover), None)
        if album.cover is None:
            findings.warning(
                f"封面“{short(cover)}”不在相册里，改用第一张照片",
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
        plan.year = to_int(meta["year"])
        if plan.year is None:
            findings.error(
                f"年度“{short(meta['year'])}”应是整数",
                file=path,
                line=lines.get("year"),
                hint="例如 2025",
            )
    plan.date = textutil.as_date(meta.get("date"))
    plan.scope = one_line(scalar_text(meta.get("scope")) or "")
    plan.issuer = one_line(scalar_text(meta.get("issuer")) or "")
    plan.schedule, plan.timed = read_schedule(
        meta.get("schedule"), path, lines.get("schedule"), findings
    )
    return plan


def load_parts(project: Project, findings: Findings) -> None:
    folder = project.folder
    used: set[str] = set()
    cases_dir = folder / "cases"
    if cases_dir.is_dir():
        for entry in listdir(cases_dir, folder, findings):
            if entry.is_file() and entry.suffix.lower() in (".md", ".markdown"):
                case = _load_case(entry, project, findings, used)
                if case:
                    project.cases.append(case)
        project.cases.sort(key=lambda c: c.date or _dt.date.min, reverse=True)
    photos_dir = folder / "photos"
    if photos_dir.is_dir():
        for entry in listdir(photos_dir, folder, findings):
            if entry.is_dir():
                album = _load_album(entry, project, findings, used)
                if album.photos:
                    project.albums.append(album)
                else:
                    findings.warning("相册里没有照片", file=entry)
        project.albums.sort(key=lambda a: a.date or _dt.date.min, reverse=True)
    plans_dir = folder / "plans"
    if plans_dir.is_dir():
        for entry in listdir(plans_dir, folder, findings):
            if entry.is_file() and entry.suffix.lower() in (".md", ".markdown"):
                plan = _load_plan(entry, findings, used)
                if plan:
                    project.plans.append(plan)
