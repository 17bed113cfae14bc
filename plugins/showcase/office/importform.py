"""Import: a filled 申报表 (.docx, or an old .doc converted) → a project folder."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import yaml

from ..core.atomic import FolderExists, create_folder
from ..core.fields import BY_KEY, FIELDS, LONG_TEXT_FIELDS, normalize_label
from ..core.findings import Finding, Level
from ..core.textutil import short
from .formreader import (
    FORM,
    REGISTRY,
    TABLE_NAMES,
    FormData,
    Hit,
    ImportProblem,
    find_logo,
    find_records,
    open_docx,
)
from .formvalues import read_value

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""Old binary Word (.doc), WPS, or an encrypted .docx."""


MAX_UNPACKED_MB = 300


def read_forms(path: Path) -> list[FormData]:
    """Read one .docx (表二, 表一, or both): one FormData per branch. 表一 may hold
    several branches (a district's merged grid, or one small table per branch); 表二
    joins the branch it names. Raises ImportProblem (Chinese message) when it is no form."""
    document = open_docx(path)
    form_hits, numbering, records = find_records(document)
    if not form_hits and not records:
        raise ImportProblem(
            "文件里没有找到申报表的表格（如“项目名称”“申报党支部”等栏目），未导入。"
            "如果这是案例、经验材料或工作计划，请加上 --into 项目文件夹 再导入"
        )
    if len(records) <= 1:
        return [_read(document, path, form_hits + (records[0] if records else []), numbering)]
    form_branch = _branch_of(form_hits, numbering)
    out: list[FormData] = []
    joined = not form_hits
    for record in records:
        hits = record
        if not joined and (
            not form_branch or _same(form_branch, _branch_of(record, numbering) or "")
        ):
            hits, joined = form_hits + record, True
        out.append(_read(document, path, hits, numbering))
    if not joined:
        out.insert(0, _read(document, path, form_hits, numbering))
    return out


def read_form(path: Path) -> FormData:
    """The first (usually the only) branch of a form file."""
    return read_forms(path)[0]


def _branch_of(hits: list[Hit], numbering) -> str:
    for hit in hits:
        if hit.field.key == "branch":
            value = read_value(hit, numbering, [])
            if value is not None:
                return str(value[1])
    return ""


def _read(document, path: Path, hits: list[Hit], numbering) -> FormData:
    data = FormData(source=path)
    by_field: dict[str, list[tuple[Hit, tuple[str, Any] | None]]] = {}
    for hit in hits:
        data.found.add(hit.field.key)
        by_field.setdefault(hit.field.key, []).append((hit, read_value(hit, numbering, data.notes)))
    for key, candidates in by_field.items():
        _choose(data, key, candidates)
    find_logo(document, hits, data)
    guess(data)
    return data


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return normalize_label(a) == normalize_label(b)
    return a == b


def _choose(data: FormData, key: str, candidates: list[tuple[Hit, tuple[str, Any] | None]]) -> None:
    """One value per field: 表二's for the form's fields, 表一's for the registry's own
    (展示专栏首页地址, 简介); two tables that disagree are a finding naming both."""
    f = BY_KEY[key]
    home = FORM if f.form_label else REGISTRY
    filled = sorted(
        ((h, v) for h, v in candidates if v is not None), key=lambda hv: hv[0].table != home
    )
    if not filled:
        return
    hit, (where, value) = filled[0]
    getattr(data, where)[key] = value
    data.places[key] = hit.place
    for other, (_w, other_value) in filled[1:]:
        if other.table != hit.table and not _same(value, other_value):
            data.findings.append(
                Finding(
                    Level.WARNING,
                    f"两张表填写不一致：{TABLE_NAMES[hit.table]}为“{short(value)}”，"
                    f"{TABLE_NAMES[other.table]}为“{short(other_value)}”；"
                    f"已采用{TABLE_NAMES[hit.table]}的，请核对",
                    file=str(data.source),
                    field=key,
                )
            )


def guess(data: FormData) -> None:
    """Values the form does not give but implies, each marked as a guess: the school
    from the branch name."""
    branch = data.values.get("branch")
    if branch and "school" not in data.values:
        school = school_from_branch(branch)
        if school and school != branch:
            data.values["school"] = school
            data.guessed["school"] = f"由支部名称“{branch}”推断"


def as_docx(path: Path, workdir: Path) -> Path:
    """The .docx to read: the file itself, or a LibreOffice conversion of an old .doc."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ImportProblem(f"无法读取文件：{exc.strerror or exc}") from exc
    if head == OLE_MAGIC or path.suffix.lower() in (".doc", ".wps"):
        office = shutil.which("soffice") or shutil.which("libreoffice")
        if office is None:
            raise ImportProblem(
                "这是旧版 Word 格式（.doc）、WPS 文字格式（.wps）或加密文件，无法直接读取。请用 Word 或 WPS 打开，"
                "“另存为”Word 文档（*.docx）后再导入；或安装 LibreOffice 后重试（会自动转换）。"
            )
        outdir = workdir / "converted"
        outdir.mkdir(exist_ok=True)
        profile = (workdir / "lo-profile").resolve().as_uri()
        try:
            subprocess.run(
                [
                    office,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--convert-to",
                    "docx",
                    "--outdir",
                    str(outdir),
                    str(path),
                ],
                capture_output=True,
                timeout=180,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ImportProblem(
                f"用 LibreOffice 转换 .doc 失败（{type(exc).__name__}），请手动另存为 .docx"
            ) from exc
        converted = outdir / (path.stem + ".docx")
        if not converted.is_file():
            raise ImportProblem(
                "用 LibreOffice 转换 .doc 失败（可能是加密文件），请用 Word 或 WPS 另存为 .docx 后再导入"
            )
        return converted
    if not zipfile.is_zipfile(path):
        raise ImportProblem("不是 Word（.docx）文件：请用 Word 或 WPS 另存为 .docx 后再导入")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportProblem(f"文件已损坏，无法打开（{type(exc).__name__}）") from exc
    if unpacked > MAX_UNPACKED_MB * 1024 * 1024:
        # a form is a few megabytes; this much is a damaged or hostile file
        raise ImportProblem(f"文件解压后超过 {MAX_UNPACKED_MB} MB，不像是申报表，未导入")
    return path


_BRANCH_SUFFIX = re.compile(r"(党?总?支部委员会|党总支部?|党支部|党委|总支部?|支部)$")


_BAD_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def school_from_branch(branch: str) -> str:
    """`中共青禾路小学党支部` → `青禾路小学`."""
    name = re.sub(r"^(中共|中国共产党)", "", branch.strip())
    return _BRANCH_SUFFIX.sub("", name).strip() or name


def folder_name(data: FormData) -> str:
    """The project folder: the school's name from the branch name, else the form's file name."""
    branch = data.values.get("branch") or ""
    name = school_from_branch(branch) if branch else data.source.stem
    name = _BAD_CHARS.sub("", name).strip(" .\u3000")
    return name[:60] or "导入的项目"


def _dump(key: str, value: Any) -> str:
    return yaml.safe_dump(
        {key: value}, allow_unicode=True, sort_keys=False, default_flow_style=False, width=4096
    )


def project_yaml(data: FormData, logo_name: str | None) -> str:
    """project.yml with a Chinese comment over each field, in the field table's order."""
    lines = [
        f"# 由 showcase import-docx 从《{data.source.name}》导入。请逐项核对；",
        "# 以 # 开头的行是说明，不影响网站。长文字在同一文件夹的 .md 文件中。",
        "",
    ]
    long_keys = {f.key for f in LONG_TEXT_FIELDS}
    for f in FIELDS:
        if f.key in long_keys:
            if f.key in data.texts:
                where = f" ← {data.places[f.key]}" if f.key in data.places else ""
                lines.append(f"# {f.heading}：见 {f.key}.md{where}")
            continue
        if f.key == "logo":
            if logo_name and "logo" in data.guessed:
                lines.append(
                    f"# {f.heading}（推断值：{data.guessed['logo']}，请核对）：保存为 {logo_name}"
                )
            elif logo_name:
                where = data.places.get("logo", "申报表")
                lines.append(f"# {f.heading}：已从{where}取出，保存为 {logo_name}")
            continue
        value = data.values.get(f.key)
        notes = []
        if f.required:
            notes.append("必填")
        if f.personal:
            notes.append("个人信息，网站默认不公开")
        if f.key in data.guessed:
            notes.append(f"推断值：{data.guessed[f.key]}，请核对")
        comment = f"# {f.label}" + (f"（{'；'.join(notes)}）" if notes else "")
        if f.key in data.places:
            comment += f" ← {data.places[f.key]}"
        if value not in (None, "", [], {}):
            lines.append(comment)
            lines.append(_dump(f.key, value).rstrip("\n"))
        elif f.required:
            extra = "，按 Word 字数不超过 200 字" if f.key == "summary" else ""
            lines.append(
                f"# {f.label}（必填{extra}）：申报表中没有这一项，请补写后删去下一行行首的 #"
            )
            lines.append(f"# {f.key}: ")
    return "\n".join(lines).rstrip("\n") + "\n"


def write_project(data: FormData, output: Path) -> Path:
    """Write the folder under `output`; refuses an existing folder (never overwrites)."""
    name = folder_name(data)
    target = output / name
    if target.exists():
        raise ImportProblem(
            f"项目文件夹 {target} 已存在，未覆盖。如需重新导入，请先删除或改名这个文件夹"
        )

    def fill(tmp: Path) -> None:
        logo_name = None
        if data.logo is not None:
            blob, ext = data.logo
            logo_name = f"logo.{ext}"
            (tmp / logo_name).write_bytes(blob)
        for key, text in data.texts.items():
            (tmp / f"{key}.md").write_text(text, encoding="utf-8")
        (tmp / "project.yml").write_text(project_yaml(data, logo_name), encoding="utf-8")

    try:
        create_folder(target, fill)
    except FolderExists:
        raise ImportProblem(f"项目文件夹 {target} 已存在，未覆盖") from None
    return target
