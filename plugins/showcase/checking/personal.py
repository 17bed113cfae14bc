"""Personal data (个人信息保护法): phone and ID numbers in public texts and appendix files."""

from __future__ import annotations

import logging
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ..core import pii
from ..core.findings import Findings, Level
from ..core.model import Project
from ..core.pii import is_id_card  # noqa: F401 - part of this module's answer
from ..core.settings import Settings
from .privacy import unstrippable_finding
from .texts import locate, public_texts

SCAN_MAX_BYTES = 30 * 1024 * 1024


SCAN_MAX_UNZIPPED = 200 * 1024 * 1024


SCAN_MAX_PAGES = 30


SCAN_MAX_CELLS = 20_000


SCAN_MAX_PARAGRAPHS = 5_000


def find_personal(text: str) -> list[tuple[str, str, str]]:
    """(kind, raw match, masked) for each phone or ID-card number in `text` (`core.pii`)."""
    return [m.as_tuple() for m in pii.find_personal(text or "")]


_PIPL_HINT = "依照《个人信息保护法》，公开的网页不应出现个人的手机号码、身份证号：请删除或打码（如 138****0000）"


def check_personal_data(project: Project, settings: Settings, findings: Findings) -> None:
    reported: set[tuple] = set()
    for item in public_texts(project):
        for kind, raw, masked in find_personal(item.text):
            line = locate(item.file, raw, item.line)
            key = (item.file, line, masked)
            if key in reported:
                continue
            reported.add(key)
            findings.warning(
                f"公开的文字里有{kind} {masked}",
                file=item.file,
                line=line,
                field=item.field,
                hint=_PIPL_HINT,
            )
    for case in project.cases:
        for attachment in case.files:
            verdict = unstrippable_finding(attachment.path, strict=settings.strict_privacy)
            if verdict is not None:
                level, message, hint = verdict
                findings.add(Level(level), message, file=attachment.path, hint=hint)
            scan = SCANNERS.get(attachment.ext)
            if scan is None:
                continue
            for level, message in scan_attachment(attachment.path, scan):
                findings.add(
                    level,
                    message,
                    file=attachment.path,
                    hint=_PIPL_HINT if level is Level.WARNING and "无法" not in message else None,
                )


_scan_cache: dict[tuple[str, int, int], list[tuple[Level, str]]] = {}


def scan_attachment(
    path: Path, scan: Callable[[Path], Iterator[tuple[str, str]]]
) -> list[tuple[Level, str]]:
    """Personal data in an appendix file as (level, message); never raises.

    Cached by path, size and mtime: opening Office files is the slow part.
    """
    try:
        stat = path.stat()
    except OSError:
        return []
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _scan_cache:
        _scan_cache[key] = _scan(path, stat.st_size, scan)
    return _scan_cache[key]


def _scan(
    path: Path, size: int, scan: Callable[[Path], Iterator[tuple[str, str]]]
) -> list[tuple[Level, str]]:
    if size == 0 or size > SCAN_MAX_BYTES:
        return []  # empty, or too big to read cheaply: published without a scan
    results: list[tuple[Level, str]] = []
    seen: set[str] = set()
    pypdf_log = logging.getLogger("pypdf")
    old_level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)  # pypdf warns about every odd PDF
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for where, text in scan(path):
                for kind, _raw, masked in find_personal(text):
                    if masked not in seen:
                        seen.add(masked)
                        results.append((Level.WARNING, f"附录文件{where}有{kind} {masked}"))
    except Exception as exc:  # noqa: BLE001 - any library error on a hostile file is a warning
        results.append(
            (
                Level.WARNING,
                f"无法读取这个附录文件的内容，未能检查其中的个人信息（{type(exc).__name__}）",
            )
        )
    finally:
        pypdf_log.setLevel(old_level)
    return results


class _Unsafe(Exception):
    pass


def _check_zip(path: Path) -> None:
    """Office files are zips: refuse a zip bomb before a library inflates it."""
    with zipfile.ZipFile(path) as zf:
        if sum(i.file_size for i in zf.infolist()) > SCAN_MAX_UNZIPPED:
            raise _Unsafe("解压后过大")


def _docx_texts(path: Path) -> Iterator[tuple[str, str]]:
    import docx

    _check_zip(path)
    doc = docx.Document(str(path))
    for n, para in enumerate(doc.paragraphs[:SCAN_MAX_PARAGRAPHS], 1):
        yield f"第 {n} 段", para.text
    for t, table in enumerate(doc.tables[:50], 1):
        for row in table.rows[:500]:
            yield f"第 {t} 个表格", " ".join(cell.text for cell in row.cells)


def _xlsx_texts(path: Path) -> Iterator[tuple[str, str]]:
    import openpyxl

    _check_zip(path)
    book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    try:
        cells = 0
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=False):
                for cell in row:
                    cells += 1
                    if cells > SCAN_MAX_CELLS:
                        return
                    value = getattr(cell, "value", None)
                    if value is not None:
                        coordinate = getattr(cell, "coordinate", "")
                        # numbers stored as numbers (13800000000) are numbers; ID cards are text
                        text = (
                            str(int(value))
                            if isinstance(value, float) and value.is_integer()
                            else str(value)
                        )
                        yield f"“{sheet.title}”工作表 {coordinate} 单元格", text
    finally:
        book.close()


def _pdf_texts(path: Path) -> Iterator[tuple[str, str]]:
    import pypdf

    reader = pypdf.PdfReader(str(path))
    if reader.is_encrypted:
        raise _Unsafe("加密的 PDF")
    for n, page in enumerate(reader.pages, 1):
        if n > SCAN_MAX_PAGES:
            return
        yield f"第 {n} 页", page.extract_text() or ""


SCANNERS: dict[str, Callable[[Path], Iterator[tuple[str, str]]]] = {
    "txt": pii.txt_texts,
    "docx": _docx_texts,
    "xlsx": _xlsx_texts,
    "pdf": _pdf_texts,
}
