"""Import: a filled 申报表 (.docx, or an old .doc converted) → a project folder."""

from __future__ import annotations

import datetime as _dt
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import yaml

from ..core.fields import FIELDS, FORM_FIELDS, LONG_TEXT_FIELDS, TARGET_NOTE, FieldType
from ..core.textutil import as_date
from .docxtext import CIRCLED, Numbering, Para, cell_paras, join_text, to_markdown
from .formreader import FormData, Hit, ImportProblem, find_fields, find_logo

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""Old binary Word (.doc), WPS, or an encrypted .docx."""


MAX_UNPACKED_MB = 300


_INDICATOR_MARK = re.compile(r"(显性指标|隐性指标)\s*[:：]?")


_ITEM_PREFIX = re.compile(
    r"^\s*(?:[(（]\s*\d{1,3}\s*[)）]|\d{1,3}\s*[.．、)）](?!\d)|[" + CIRCLED + r"]|[•·●■▪◆\-–*])\s*"
)


def _indicator_item(text: str) -> Any:
    text = _ITEM_PREFIX.sub("", text).strip().strip("；;，,、").strip()
    if not text:
        return None
    m = TARGET_NOTE.search(text)
    if m:
        number = float(m.group(1))
        item: dict[str, Any] = {
            "text": text[: m.start()].strip(),
            "target": int(number) if number.is_integer() else number,
        }
        if m.group(2).strip():
            item["unit"] = m.group(2).strip()
        return item
    return text


def parse_indicators(paras: list[Para], notes: list[str]) -> dict[str, list]:
    """显性指标 / 隐性指标: the text split on those words, one item per line or `；`."""
    groups: dict[str, list] = {"explicit": [], "implicit": []}
    kind: str | None = None
    unmarked = False
    for para in paras:
        pieces = _INDICATOR_MARK.split(para.text)
        # pieces: text before the first mark, then (mark, text after it) pairs
        segments = [(None, pieces[0])] + [
            (pieces[i], pieces[i + 1]) for i in range(1, len(pieces) - 1, 2)
        ]
        for mark, segment in segments:
            if mark is not None:
                kind = "explicit" if mark.startswith("显") else "implicit"
            if not _ITEM_PREFIX.sub("", segment).strip(" ：:；;，,、一二三四五六七八九十"):
                continue
            if kind is None:
                unmarked = True
            for piece in re.split(r"[；;]", segment):
                item = _indicator_item(piece)
                if item is not None:
                    groups[kind or "explicit"].append(item)
    if unmarked:
        notes.append("显性及隐性指标：没有“显性指标/隐性指标”字样的文字已归入显性指标，请核对")
    return {k: v for k, v in groups.items() if v}


_SIGN = re.compile(
    r"(?:(?:(?:党?支部|总支)?书记|负责人)\s*签\s*[字名章]\s*[:：]?|签\s*[字名]\s*[:：])\s*(.*)$"
)


_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


_SEAL = re.compile(r"[（(]?\s*(?:盖\s*章|公\s*章|印\s*章)\s*[）)]?")


def parse_opinion(paras: list[Para]) -> dict[str, Any] | None:
    """The opinion box: its text, the signer after 书记签字：, the date; blanks left out."""
    text_lines: list[str] = []
    signed_by = ""
    date: _dt.date | None = None
    for para in paras:
        line = para.text
        m = _DATE.search(line)
        if m:
            date = as_date(m.group()) or date
            line = line[: m.start()] + line[m.end() :]
        m = _SIGN.search(line)
        if m:
            signer = _SEAL.sub("", m.group(1))
            signed_by = re.sub(r"[\s\u3000_＿]+", "", signer) or signed_by
            line = line[: m.start()]
        line = _SEAL.sub("", line)
        line = re.sub(r"^[\s\u3000]*年[\s\u3000]*月[\s\u3000]*日[\s\u3000]*$", "", line)
        line = line.strip(" \u3000_＿")
        if line:
            text_lines.append(line)
    out: dict[str, Any] = {}
    if text_lines:
        out["text"] = "\n".join(text_lines)
    if signed_by:
        out["signed_by"] = signed_by
    if date:
        out["date"] = date
    return out or None


def _value(hit: Hit, numbering: Numbering, data: FormData) -> None:
    f = hit.field
    paras = list(hit.head)
    for cell in hit.cells:
        paras.extend(cell_paras(cell, numbering))
    label = f.form_label or f.label
    if f.key == "logo":
        return
    if f.type is FieldType.MARKDOWN:
        text = to_markdown(paras)
        if text.strip():
            data.texts[f.key] = text
    elif f.type is FieldType.INDICATORS:
        groups = parse_indicators(paras, data.notes)
        if groups:
            data.values[f.key] = groups
    elif f.type is FieldType.OPINION:
        opinion = parse_opinion(paras)
        if opinion:
            data.values[f.key] = opinion
    elif f.type is FieldType.INTEGER:
        text = unicodedata.normalize("NFKC", join_text(paras))
        if not text:
            return
        m = re.search(r"\d+", text)
        if m:
            data.values[f.key] = int(m.group())
        else:
            data.notes.append(f"“{label}”填写的“{text}”不是数字，未导入")
    elif f.type is FieldType.LIST:
        items = [x.strip() for x in re.split(r"[,，、;；\s]+", join_text(paras)) if x.strip()]
        if items:
            data.values[f.key] = items
    else:
        text = join_text(paras)
        if text:
            data.values[f.key] = text


def read_form(path: Path) -> FormData:
    """Read one .docx form. Raises ImportProblem (Chinese message) when it is no form."""
    from docx import Document

    try:
        document = Document(str(path))
    except Exception as exc:  # python-docx raises many types for a damaged package
        raise ImportProblem(
            f"无法打开：不是有效的 Word（.docx）文件，或文件已损坏（{type(exc).__name__}）"
        ) from exc
    hits, numbering = find_fields(document)
    data = FormData(source=path)
    for hit in hits:
        data.found.add(hit.field.key)
        _value(hit, numbering, data)
    if not hits:
        raise ImportProblem("文件里没有找到申报表的表格（如“项目名称”“申报党支部”等栏目），未导入")
    find_logo(document, hits, data)
    return data


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
                "这是旧版 Word 格式（.doc）或加密文件，无法直接读取。请用 Word 或 WPS 打开，"
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
                lines.append(f"# {f.heading}：见 {f.key}.md")
            continue
        if f.key == "logo":
            if logo_name:
                lines.append(f"# {f.heading}：已从申报表中取出，保存为 {logo_name}")
            continue
        value = data.values.get(f.key)
        notes = []
        if f.required:
            notes.append("必填")
        if f.personal:
            notes.append("个人信息，网站默认不公开")
        if f.key in data.guessed:
            notes.append("由支部名称推断，请核对")
        comment = f"# {f.label}" + (f"（{'；'.join(notes)}）" if notes else "")
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
    if data.values.get("branch") and "school" not in data.values:
        school = school_from_branch(data.values["branch"])
        if school and school != data.values["branch"]:
            data.values["school"] = school
            data.guessed.add("school")
    output.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".importing", dir=output))
    try:
        logo_name = None
        if data.logo is not None:
            blob, ext = data.logo
            logo_name = f"logo.{ext}"
            (tmp / logo_name).write_bytes(blob)
        for key, text in data.texts.items():
            (tmp / f"{key}.md").write_text(text, encoding="utf-8")
        (tmp / "project.yml").write_text(project_yaml(data, logo_name), encoding="utf-8")
        if target.exists():
            raise ImportProblem(f"项目文件夹 {target} 已存在，未覆盖")
        os.chmod(tmp, 0o755)  # mkdtemp makes folders private; this one is zipped and shared
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def missing_report(data: FormData) -> list[str]:
    """What the form did not give, in Chinese, for the person importing it."""
    out = []
    for f in FORM_FIELDS:
        label = f.form_label or f.label
        if f.key not in data.found:
            out.append(f"未找到“{label}”栏目")
        elif f.key == "logo":
            continue  # the picture search reports on it
        elif f.key not in data.values and f.key not in data.texts:
            if f.type is FieldType.OPINION:
                out.append(f"“{label}”为空（在打印的申报表上签字盖章即可）")
            else:
                out.append(f"“{label}”没有填写")
    for f in FIELDS:
        if f.required and f.form_label is None and f.key not in data.found:
            out.append(f"申报表中没有“{f.label}”（必填）：请在 project.yml 中补写 {f.key}")
    return out
