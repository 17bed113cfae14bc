"""Office and PDF appendix files without their authors: a derived copy, like images.

A .docx/.xlsx/.pptx records who wrote and last saved it (docProps/core.xml), the
company (docProps/app.xml) and the names of commenters and tracked-change authors.
Those are personal data; the site publishes a copy with them blanked, the document
itself untouched. Copies are cached by content hash under `cache_dir/files`.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from pathlib import Path

from ..core.atomic import write_atomic
from . import officeimages

OFFICE_SUFFIXES = frozenset({".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".pptm"})
_VERSION = b"officemeta-2"
MAX_PDF = 50 * 1024 * 1024
"""Larger PDFs are published as they are (rewriting them would cost too much memory)."""
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


def _cleaned(name: str) -> bool:
    return name in ("docProps/core.xml", "docProps/app.xml", "ppt/commentAuthors.xml") or (
        name.endswith(".xml") and name.startswith(("word/", "xl/comments", "xl/persons/"))
    )


def _clean_member(name: str, data: bytes) -> bytes:
    if name == "docProps/core.xml":
        return _EMPTY_CORE
    if name == "docProps/app.xml":
        return _APP_PERSONAL.sub(rb"<\1></\1>", data)
    if name.startswith("word/") and name.endswith(".xml"):
        return _WORD_AUTHOR.sub(rb'\1=""', data)
    if name.startswith("xl/comments") and name.endswith(".xml"):
        return _XL_AUTHOR.sub(b"<author></author>", data)
    if name.startswith("xl/persons/") and name.endswith(".xml"):
        return _XL_PERSON.sub(rb'\1=""', data)
    if name == "ppt/commentAuthors.xml":
        return _PPT_AUTHOR.sub(rb'\1=""', data)
    return data


def published_copy(path: Path, cache_dir: Path) -> Path:
    """The file to publish for an appendix: an Office file's cleaned copy, anything else itself.

    A file that is not a readable Office package is returned as it is: the checks
    report broken files, and there is no metadata we could strip from it.
    """
    suffix = path.suffix.lower()
    if suffix not in OFFICE_SUFFIXES and suffix != ".pdf":
        return path
    try:
        data = path.read_bytes()
    except OSError:
        return path
    key = hashlib.sha256(_VERSION + data).hexdigest()
    out = cache_dir / key[:2] / f"{key}{suffix}"
    if out.is_file():
        return out
    if suffix == ".pdf":
        return _pdf_copy(path, out) if len(data) <= MAX_PDF else path

    def copy(fh) -> None:
        with zipfile.ZipFile(path) as zin, zipfile.ZipFile(fh, "w") as zout:
            for info in zin.infolist():
                name = info.filename
                if name == "docProps/core.xml":
                    zout.writestr(info, _EMPTY_CORE)
                elif _cleaned(name) and info.file_size <= MAX_PART:
                    zout.writestr(info, _clean_member(name, zin.read(info)))
                elif info.file_size <= officeimages.MAX_IMAGE_BYTES and (
                    officeimages.is_media_part(name) or "/embeddings/" in name.lower()
                ):  # pictures lose their EXIF/GPS like every published image
                    data = zin.read(info)
                    cleaned = officeimages.clean_member(name, data)
                    zout.writestr(info, cleaned[0] if cleaned else data)
                else:  # other parts: streamed, never all in memory
                    with zin.open(info) as src, zout.open(info, "w") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)

    try:
        write_atomic(out, copy)
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, ValueError, EOFError):
        return path
    return out


def _pdf_copy(path: Path, out: Path) -> Path:
    """A PDF without its document information (/Author, /Creator …) and XMP metadata."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            return path
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        writer._root_object.pop(NameObject("/Metadata"), None)
        write_atomic(out, writer.write)
    except Exception:  # noqa: BLE001 - a PDF pypdf cannot rewrite is published unchanged
        return path
    return out
