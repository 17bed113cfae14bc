"""PDF appendices rewritten without what readers do not see but can extract (pikepdf/qpdf).

pypdf's copy dropped `/Info` and the document's XMP, and published an encrypted PDF as
it was (its `/Author` too). A PDF also carries: page images that are a phone's JPEG
(`DCTDecode`) with EXIF, GPS and camera; XMP on pages and images; JavaScript run on
opening (`/OpenAction`, `/AA`, the `/JavaScript` name tree, link actions); embedded
files (the `/EmbeddedFiles` tree and file-attachment annotations); XFA forms. qpdf
rewrites the file and keeps only objects still referenced, so what we unlink is gone.

Kept: the pages, fonts, links to web pages (`/URI`) and inside the document (`/GoTo`),
and an encryption's permissions (a PDF that forbids copying still does, with a new
random owner password; it opens without a password as before). A PDF that needs a
password to open cannot be cleaned and is not published (`PdfRefused`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO

from . import officeimages

__all__ = ["PdfRefused", "clean_pdf"]

_SCRIPT_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/ImportData",
        "/SubmitForm",
        "/GoToE",
        "/GoToR",
        "/Rendition",
        "/Sound",
        "/Movie",
        "/RichMediaExecute",
    }
)
_FILE_ANNOTS = frozenset({"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia"})


class PdfRefused(Exception):
    """A PDF we cannot open to clean (a password, or not a PDF qpdf can repair)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _is_dct(stream) -> bool:
    import pikepdf

    filters = stream.get("/Filter")
    if isinstance(filters, pikepdf.Array):
        return len(filters) == 1 and filters[0] == pikepdf.Name.DCTDecode
    return filters == pikepdf.Name.DCTDecode


def clean_pdf(path: Path, write: Callable[[Callable[[IO[bytes]], None]], None]) -> list[str]:
    """Rewrite `path` without its hidden data through `write(writer)` (an atomic writer);
    returns what was removed, in Chinese, for the finding. Raises `PdfRefused`."""
    import pikepdf

    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError as exc:
        raise PdfRefused("PDF 需要密码才能打开，无法清除其中的作者等信息") from exc
    except (pikepdf.PdfError, OSError, ValueError, RuntimeError) as exc:
        raise PdfRefused(f"PDF 文件已损坏，无法清除其中的隐藏信息（{type(exc).__name__}）") from exc
    removed: dict[str, int] = {}

    def note(what: str) -> None:
        removed[what] = removed.get(what, 0) + 1

    with pdf:
        encrypted = pdf.is_encrypted
        allow = pdf.allow
        if "/Info" in pdf.trailer:
            if len(pdf.trailer.Info.keys()):
                note("文档信息（作者、标题、创建程序等）")
            del pdf.trailer["/Info"]
        root = pdf.Root
        action = root.get("/OpenAction")
        if (
            action is not None
            and not isinstance(action, pikepdf.Array)
            and action.get("/S") != pikepdf.Name.GoTo
        ):
            note("打开文件时自动执行的动作（OpenAction）")
            del root["/OpenAction"]
        names = root.get("/Names")
        if names is not None:
            if "/JavaScript" in names:
                note("文档级 JavaScript 脚本")
                del names["/JavaScript"]
            if "/EmbeddedFiles" in names:
                note("嵌入的文件")
                del names["/EmbeddedFiles"]
        for key in ("/Collection", "/AA"):
            if key in root:
                note("嵌入的文件" if key == "/Collection" else "自动执行的动作（AA）")
                del root[key]
        form = root.get("/AcroForm")
        if form is not None and "/XFA" in form:
            note("XFA 表单（可含脚本）")
            del form["/XFA"]
        for page in pdf.pages:
            annots = page.obj.get("/Annots")
            if isinstance(annots, pikepdf.Array):
                kept = [a for a in annots if a.get("/Subtype") not in _FILE_ANNOTS]
                if len(kept) != len(annots):
                    note("附件批注（批注里嵌入的文件）")
                    page.obj.Annots = pikepdf.Array(kept)
        for obj in pdf.objects:
            if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                continue
            if "/Metadata" in obj:
                note("XMP 元数据")
                del obj["/Metadata"]
            if "/PieceInfo" in obj:
                del obj["/PieceInfo"]
            if "/AA" in obj:
                note("自动执行的动作（AA）")
                del obj["/AA"]
            act = obj.get("/A")
            if isinstance(act, pikepdf.Dictionary) and str(act.get("/S")) in _SCRIPT_ACTIONS:
                note("链接或按钮上的脚本动作")
                del obj["/A"]
            if "/JS" in obj:  # an action dictionary reached some other way
                note("JavaScript 脚本")
                del obj["/JS"]
                obj.S = pikepdf.Name.Named
                obj.N = pikepdf.Name.NextPage
            if (
                isinstance(obj, pikepdf.Stream)
                and obj.get("/Subtype") == pikepdf.Name.Image
                and _is_dct(obj)
            ):
                raw = obj.read_raw_bytes()
                cleaned = officeimages.strip_image(raw)
                if cleaned.status in ("stripped", "replaced", "reencoded"):
                    note("图片里的 EXIF/GPS 等拍摄信息")
                    obj.write(cleaned.data, filter=pikepdf.Name.DCTDecode)
        encryption: pikepdf.Encryption | bool = False
        if encrypted:
            encryption = pikepdf.Encryption(owner=secrets.token_hex(16), user="", allow=allow)
        write(lambda fh: pdf.save(fh, encryption=encryption, deterministic_id=not encrypted))
    return [f"{what}（{n} 处）" if n > 1 else what for what, n in removed.items()]
