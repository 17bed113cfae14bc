"""Load: a project folder → a `Project`, with findings.

Nothing here raises on bad input: every problem becomes a Finding naming the
file, line and field, and the broken part is left out.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

from ..core import textutil
from ..core.fields import FIELDS, LONG_TEXT_FIELDS, lookup
from ..core.findings import Findings
from ..core.model import Image, Project
from ..core.textutil import short
from .folders import LOGO_EXTS, default_logo, is_file, is_inside, safe_path
from .parts import load_parts
from .values import FieldReader, suggest
from .yamlread import parse_yaml, read_text


def load_project(folder: Path, *, source_label: str = "") -> Project:
    """Read one project folder. Every problem is in `project.findings`; nothing raises."""
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
    data, lines = (
        parse_yaml(text, yml, findings, kind="project") if text is not None else (None, {})
    )
    reader = FieldReader(project, findings, yml)
    seen: dict[str, str] = {}
    for raw_key, value in (data or {}).items():
        line = lines.get(raw_key)
        field = lookup(raw_key)
        if field is None:
            near = suggest(raw_key)
            findings.error(
                f"不认识的字段“{short(raw_key)}”",
                file=yml,
                line=line,
                hint=f"是不是想写 {near}（{lookup(near).display()}）？"
                if near
                else "可运行 showcase schema 查看全部字段",
            )
            continue
        if field.key in seen:
            findings.error(
                f"“{short(raw_key)}”与“{short(seen[field.key])}”是同一个字段，只能填一处",
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
    load_parts(project, findings)


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
        if not is_file(path):
            findings.error(
                f"找不到 LOGO 文件“{short(name)}”",
                file=yml,
                line=line,
                field="logo",
                hint="文件名要与文件夹里的图片完全一致，包括扩展名",
            )
            project.values.pop("logo", None)
            return
        if path.suffix.lower() not in LOGO_EXTS:
            findings.error(
                f"LOGO 应是 PNG、JPG 或 SVG 图片，“{short(name)}”不是",
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
