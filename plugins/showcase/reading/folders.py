"""Files and folders inside a project folder: which kinds we read, and never a path out of it."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..core import safetext
from ..core.findings import Findings

IMAGE_EXTS = frozenset(
    {".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".heif"}
)


LOGO_EXTS = (".png", ".jpg", ".jpeg", ".svg", ".webp")


ATTACHMENT_EXTS = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".txt", ".zip", ".mp4"}
)


IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store", "album.yml", "album.yaml"})


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


def listdir(folder: Path, project_folder: Path, findings: Findings) -> list[Path]:
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
        name_finding(entry, findings)
        out.append(entry)
    return sorted(out, key=natural_key)


def name_finding(path: Path, findings: Findings) -> None:
    """A file or folder name holding control or direction characters: shown without them."""
    if safetext.is_clean(path.name):
        return
    _, kinds, removed = safetext.clean_text(path.name)
    names = "、".join(safetext.KIND_NAMES[k] for k in safetext.KIND_NAMES if k in kinds)
    findings.warning(
        f"名称“{safetext.clean_name(path.name)}”含有 {removed} 个不可见的字符（{names}），"
        "网页上显示时已删除",
        file=path.parent / safetext.clean_name(path.name),
        hint="请把文件或文件夹改成普通的中文或英文名（可能是从别处复制名称时带进来的）",
    )


def _utf8_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown_name(name: str) -> str:
    return os.fsencode(name).decode("utf-8", "replace")


def natural_key(path: Path) -> list:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", path.name)]


def is_file(path: Path) -> bool:
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
