"""Office and PDF appendix files without their authors: a derived copy, like images.

A .docx/.xlsx/.pptx records who wrote and last saved it (docProps/core.xml), the
company (docProps/app.xml) and the names of commenters and tracked-change authors.
Those are personal data; the site publishes a copy with them blanked, the document
itself untouched, and with comments, tracked changes, custom properties, people and
external links removed (`officeclean`), pictures without EXIF (`officeimages`), and
embedded Office files cleaned the same way. PDFs are rewritten by `pdfclean`. What was
removed is returned (`Published.removed`) for the build's finding. Copies are cached by
content hash under `cache_dir/files`, with what was removed beside them.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..core.atomic import write_atomic
from . import officeclean, officeimages
from .pdfclean import PdfRefused, clean_pdf

OFFICE_SUFFIXES = frozenset({".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".pptm"})
_VERSION = b"officemeta-3"
MAX_PDF = 200 * 1024 * 1024
"""A larger PDF is not published: qpdf rewrites it object by object, but no appendix a
school writes is this big, and one we cannot clean must not go out as it is."""
MAX_PART = 64 * 1024 * 1024
"""An XML part larger than this is no real document part: copied as it is."""

_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    b' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
    b' xmlns:dcmitype="http://purl.org/dc/dcmitype/"'
    b' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_APP_PERSONAL = re.compile(rb"<(Company|Manager)>[^<]*</\1>")
# Word comments and tracked changes: w:author="…" w:initials="…"
_WORD_AUTHOR = re.compile(rb'\b(w:author|w:initials)="[^"]*"')
# Excel legacy comments: <authors><author>…</author></authors>; threaded comments' persons
_XL_AUTHOR = re.compile(rb"<author>[^<]*</author>")
_XL_PERSON = re.compile(rb'\b(displayName|userId)="[^"]*"')
# PowerPoint comment authors
_PPT_AUTHOR = re.compile(rb'\b(name|initials)="[^"]*"')


_CORE_PERSONAL = re.compile(
    rb"<(?:\w+:)?(?:creator|lastModifiedBy|title|subject|keywords|description|category)\b"
    rb"[^>]*>\s*[^<\s]"
)
_OFFICE_MEMBER = re.compile(r"\.(docx|docm|xlsx|xlsm|pptx|pptm)$", re.I)


@dataclass(frozen=True)
class Published:
    """The file to publish for an appendix and what its copy lost."""

    path: Path | None
    """None: not published (`refused` says why)."""
    removed: tuple[str, ...] = ()
    """What was removed, in Chinese, for the finding."""
    refused: str | None = None


def _clean_member(name: str, data: bytes, removed: set[str]) -> bytes:
    if name == "docProps/core.xml":
        if _CORE_PERSONAL.search(data):
            removed.add("作者、最后保存人等文档属性")
        return _EMPTY_CORE
    if name == "docProps/app.xml":
        out = _APP_PERSONAL.sub(rb"<\1></\1>", data)
        if out != data and re.search(rb"<(Company|Manager)>[^<]", data):
            removed.add("单位、经理等文档属性")
        return out
    if officeclean.is_cleaned_part(name):
        try:
            cleaned = officeclean.clean_part(name, data, removed)
        except Exception:  # noqa: BLE001 - a part lxml cannot parse: its names blanked below
            cleaned = None
        if cleaned is not None:
            data = cleaned
    if name.startswith("word/") and name.endswith(".xml"):
        return _WORD_AUTHOR.sub(rb'\1=""', data)
    if name.startswith("xl/comments") and name.endswith(".xml"):
        return _XL_AUTHOR.sub(b"<author></author>", data)
    if name.startswith("xl/persons/") and name.endswith(".xml"):
        return _XL_PERSON.sub(rb'\1=""', data)
    if name == "ppt/commentAuthors.xml":
        return _PPT_AUTHOR.sub(rb'\1=""', data)
    return data


def _cleaned(name: str) -> bool:
    return (
        name in ("docProps/core.xml", "docProps/app.xml", "ppt/commentAuthors.xml")
        or officeclean.is_cleaned_part(name)
        or (name.endswith(".xml") and name.startswith(("word/", "xl/comments", "xl/persons/")))
    )


def clean_package(fh, source, removed: set[str], depth: int = 0) -> None:
    """Write to `fh` the Office package `source` (path or file object) without its hidden
    data; embedded Office packages are cleaned the same way, `MAX_NESTING` deep."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(fh, "w") as zout:
        for info in zin.infolist():
            name = info.filename
            if name == "docProps/core.xml" and info.file_size > MAX_PART:
                zout.writestr(info, _EMPTY_CORE)
            elif _cleaned(name) and info.file_size <= MAX_PART:
                zout.writestr(info, _clean_member(name, zin.read(info), removed))
            elif (
                _OFFICE_MEMBER.search(name)
                and "/embeddings/" in name.lower()
                and info.file_size <= officeimages.MAX_IMAGE_BYTES
            ):
                data = zin.read(info)
                if depth < officeimages.MAX_NESTING:
                    inner: set[str] = set()
                    out = io.BytesIO()
                    try:
                        clean_package(out, io.BytesIO(data), inner, depth + 1)
                        data = out.getvalue()
                        removed.update(f"嵌入的文件里的{what}" for what in inner)
                    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
                        pass
                zout.writestr(info, data)
            elif info.file_size <= officeimages.MAX_IMAGE_BYTES and (
                officeimages.is_media_part(name) or "/embeddings/" in name.lower()
            ):  # pictures lose their EXIF/GPS like every published image
                data = zin.read(info)
                cleaned = officeimages.clean_member(name, data)
                if cleaned:
                    removed.add("图片里的 EXIF/GPS 等拍摄信息")
                zout.writestr(info, cleaned[0] if cleaned else data)
            else:  # other parts: streamed, never all in memory
                with zin.open(info) as src, zout.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)


def publish(path: Path, cache_dir: Path) -> Published:
    """The file to publish for an appendix: an Office file's or PDF's cleaned copy,
    anything else itself.

    An Office file that is not a readable package is published as it is (the checks
    report broken files; there is no metadata we could strip from it). A PDF that
    cannot be opened to clean (a password, a file qpdf cannot repair) is not published.
    """
    suffix = path.suffix.lower()
    if suffix not in OFFICE_SUFFIXES and suffix != ".pdf":
        return Published(path)
    try:
        data = path.read_bytes()
    except OSError:
        return Published(path)
    key = hashlib.sha256(_VERSION + data).hexdigest()
    out = cache_dir / key[:2] / f"{key}{suffix}"
    report = out.with_name(out.name + ".json")
    if out.is_file() and report.is_file():
        try:
            return Published(out, tuple(json.loads(report.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            pass
    removed: set[str] = set()
    if suffix == ".pdf":
        if len(data) > MAX_PDF:
            return Published(
                None, refused=f"PDF 超过 {MAX_PDF // 1024 // 1024} MB，无法清除其中的隐藏信息"
            )
        try:
            found = clean_pdf(path, lambda writer: write_atomic(out, writer))
        except PdfRefused as exc:
            return Published(None, refused=exc.message)
        except Exception as exc:  # noqa: BLE001 - qpdf on a hostile file: not published
            return Published(None, refused=f"PDF 无法清除其中的隐藏信息（{type(exc).__name__}）")
        removed.update(found)
    else:
        try:
            write_atomic(out, lambda fh: clean_package(fh, path, removed))
        except (
            OSError,
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            RuntimeError,
            ValueError,
            EOFError,
        ):
            return Published(path)
    ordered = tuple(sorted(removed))
    write_atomic(report, lambda fh: fh.write(json.dumps(ordered, ensure_ascii=False).encode()))
    return Published(out, ordered)


def published_copy(path: Path, cache_dir: Path) -> Path | None:
    """The path of `publish(path, cache_dir)`: None when the file must not be published."""
    return publish(path, cache_dir).path
