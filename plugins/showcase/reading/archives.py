"""Zip submissions: checked (zip-slip, symlinks, bombs, sizes) and unpacked into the cache.

File names in old Chinese zips are GBK without the UTF-8 flag; they are decoded as such.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import shutil
import stat
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from ..core.findings import Findings
from ..core.settings import Settings
from .tree import SKIPPED_DIRS, ProjectSource, find_in_tree, safe_folder_name

ZIP_RATIO_MAX = 200
"""An entry expanding more than this many times (and past 1 MB) is treated as a zip bomb."""


ZIP_MAX_ENTRIES = 50_000


def _unicode_path_extra(info: zipfile.ZipInfo) -> str | None:
    """The Info-ZIP Unicode Path extra field (0x7075), which 7-Zip and WinRAR add."""
    extra = info.extra
    i = 0
    while i + 4 <= len(extra):
        kind, size = struct.unpack("<HH", extra[i : i + 4])
        body = extra[i + 4 : i + 4 + size]
        if kind == 0x7075 and len(body) > 5 and body[0] == 1:
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
        i += 4 + size
    return None


def entry_name(info: zipfile.ZipInfo) -> str:
    """An entry's real name: Windows zip tools write GBK without setting the UTF-8 flag (bit 11)."""
    name = info.filename
    if not info.flag_bits & 0x800:
        unicode_name = _unicode_path_extra(info)
        if unicode_name:
            name = unicode_name
        else:
            try:
                raw = name.encode("cp437")  # zipfile decoded the raw bytes as cp437
            except UnicodeEncodeError:
                raw = None
            if raw is not None:
                for encoding in ("utf-8", "gb18030"):
                    try:
                        name = raw.decode(encoding)
                        break
                    except UnicodeDecodeError:
                        continue
    return name.replace("\\", "/")


def _unsafe_name(name: str) -> bool:
    if "\x00" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    return any(part == ".." for part in name.split("/"))


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def zip_source(
    path: Path, label: str, settings: Settings, findings: Findings
) -> list[ProjectSource]:
    limit = max(1, settings.max_zip_mb) * 1024 * 1024
    hint = "如确需处理更大的压缩包，请调大 mkdocs.yml 中的 max_zip_mb"
    try:
        size = path.stat().st_size
    except OSError as exc:
        findings.error(f"无法读取 zip 文件：{exc.strerror or exc}", file=path)
        return []
    if size > limit:
        findings.error(
            f"zip 文件有 {_mb(size)}，超过 {settings.max_zip_mb} MB 上限，已拒绝",
            file=path,
            hint=hint,
        )
        return []
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            plan = _plan_zip(infos, path, limit, settings, findings)
            if plan is None:
                return []
            digest = _file_digest(path)
            dest = settings.sources_cache / f"zip-{digest}"
            if not dest.is_dir() and not _extract(zf, plan, dest, path, findings):
                return []
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        findings.error(
            f"不是有效的 zip 文件，或文件已损坏（{type(exc).__name__}）",
            file=path,
            hint="请对方重新压缩后发送",
        )
        return []
    except OSError as exc:  # reading the zip or writing the cache (a full disk, permissions)
        findings.error(f"无法读取或解压 zip 文件：{exc.strerror or exc}", file=path)
        return []
    found = find_in_tree(dest, label, findings)
    if not found:
        findings.error("zip 里没有找到项目文件夹（含 project.yml 的文件夹）", file=path)
    return found


def _plan_zip(
    infos: list[zipfile.ZipInfo], path: Path, limit: int, settings: Settings, findings: Findings
) -> list[tuple[zipfile.ZipInfo, str]] | None:
    """The entries to extract, or None when the whole archive is refused."""
    if len(infos) > ZIP_MAX_ENTRIES:
        findings.error(
            f"zip 里有 {len(infos)} 个文件，超过 {ZIP_MAX_ENTRIES} 个上限，已拒绝", file=path
        )
        return None
    total = sum(i.file_size for i in infos)
    if total > limit:
        findings.error(
            f"zip 解压后有 {_mb(total)}，超过 {settings.max_zip_mb} MB 上限，已拒绝",
            file=path,
            hint="如确需处理更大的压缩包，请调大 mkdocs.yml 中的 max_zip_mb",
        )
        return None
    plan: list[tuple[zipfile.ZipInfo, str]] = []
    for info in infos:
        name = entry_name(info)
        if _unsafe_name(name):
            findings.error(
                f"zip 中的“{name}”指向解压文件夹以外（绝对路径或“..”），已拒绝解压这一项",
                file=path,
                hint="可能是恶意压缩包；请对方重新压缩项目文件夹",
            )
            continue
        if _is_symlink(info):
            findings.warning(f"zip 中的“{name}”是符号链接，已跳过", file=path)
            continue
        if info.is_dir() or name.endswith("/"):
            continue
        if info.file_size > 1024 * 1024 and info.file_size > ZIP_RATIO_MAX * max(
            1, info.compress_size
        ):
            findings.error(
                f"zip 中的“{name}”压缩比异常（{_mb(info.compress_size)} 解压为 {_mb(info.file_size)}），"
                "可能是“压缩炸弹”，已拒绝整个压缩包",
                file=path,
            )
            return None
        if info.flag_bits & 0x1:
            findings.error(
                f"zip 中的“{name}”设置了密码，无法解压",
                file=path,
                hint="请对方发送不加密码的压缩包",
            )
            continue
        parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
        if parts and not any(p.lower() in SKIPPED_DIRS for p in parts):
            plan.append((info, "/".join(parts)))
    if any(name.lower() in ("project.yml", "project.yaml") for _, name in plan):
        # a project zipped from inside its folder: give it a folder named like the zip,
        # so its URL name comes from the school, not from our cache
        plan = [(info, f"{safe_folder_name(path.stem)}/{name}") for info, name in plan]
    return plan


def _file_digest(path: Path) -> str:
    h = hashlib.sha256(b"layout-2\0")  # bump when the extracted layout changes
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:24]


def _extract(
    zf: zipfile.ZipFile,
    plan: list[tuple[zipfile.ZipInfo, str]],
    dest: Path,
    path: Path,
    findings: Findings,
) -> bool:
    """Extract into a temporary folder beside `dest`, then rename: a crash never leaves half a tree."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-zip-", dir=dest.parent))
    try:
        root = tmp.resolve()
        for info, name in plan:
            out = tmp / name
            if root not in out.resolve().parents:
                continue  # belt and braces: _unsafe_name already refused it
            out.parent.mkdir(parents=True, exist_ok=True)
            # ZipExtFile stops at the declared size, so the size checks above bound the output
            with zf.open(info) as src, out.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            try:  # keep the zip's dates: the review page shows when the school last changed it
                stamp = _dt.datetime(*info.date_time).timestamp()
                os.utime(out, (stamp, stamp))
            except (ValueError, OverflowError, OSError):
                pass
        try:
            os.rename(tmp, dest)
        except OSError:
            if not dest.is_dir():  # another build won the race: use its copy
                raise
        return True
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
        ValueError,
    ) as exc:
        findings.error(
            f"zip 文件已损坏或使用了不支持的压缩方式，无法解压（{type(exc).__name__}）",
            file=path,
            hint="请对方用常见的 zip 格式重新压缩",
        )
        return False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
