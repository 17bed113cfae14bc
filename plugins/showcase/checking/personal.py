"""Personal data (个人信息保护法): phone and ID numbers in public texts and appendix files."""

from __future__ import annotations

import datetime as _dt
import logging
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ..core.findings import Findings, Level
from ..core.model import Project
from ..core.settings import Settings
from .texts import locate, public_texts

SCAN_MAX_BYTES = 30 * 1024 * 1024


SCAN_MAX_UNZIPPED = 200 * 1024 * 1024


SCAN_MAX_PAGES = 30


SCAN_MAX_CELLS = 20_000


SCAN_MAX_PARAGRAPHS = 5_000


_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9](?:[- ]?[0-9]{4}){2}(?![0-9])")


_ID_CARD = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


_ID_CHECK = "10X98765432"


def is_id_card(number: str) -> bool:
    """An 18-digit resident ID: valid checksum (GB 11643) and a real birth date."""
    number = number.upper()
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[17]:
        return False
    try:
        born = _dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return _dt.date(1900, 1, 1) <= born <= _dt.date.today()


def find_personal(text: str) -> list[tuple[str, str, str]]:
    """(kind, raw match, masked) for each mobile number or ID-card number in `text`."""
    if not text:
        return []
    norm = unicodedata.normalize("NFKC", text)  # full-width digits count too
    found = []
    for m in _ID_CARD.finditer(norm):
        if is_id_card(m.group()):
            found.append(("身份证号", m.group(), m.group()[:6] + "********" + m.group()[-4:]))
    for m in _MOBILE.finditer(norm):
        digits = re.sub(r"[- ]", "", m.group())
        found.append(("手机号码", m.group(), f"{digits[:3]}****{digits[-4:]}"))
    return found


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
    "docx": _docx_texts,
    "xlsx": _xlsx_texts,
    "pdf": _pdf_texts,
}
