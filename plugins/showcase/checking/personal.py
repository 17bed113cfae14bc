"""Personal data (个人信息保护法): phone and ID numbers in public texts and appendix files."""

from __future__ import annotations

import html
import io
import logging
import re
import time
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


SCAN_MAX_CELLS = 20_000
"""Cells read through openpyxl for their coordinates; every cell is read in the XML pass."""


SCAN_MAX_PARAGRAPHS = 5_000
"""Paragraphs read through python-docx for their numbers; every part is read in the XML pass."""


SCAN_SECONDS = 20.0
"""Time one appendix file may take to scan. Past it the scan stops *with a finding*
saying so: no page or cell cap stops it silently."""


def find_personal(text: str) -> list[tuple[str, str, str]]:
    """(kind, raw match, masked) for each phone or ID-card number in `text` (`core.pii`)."""
    return [m.as_tuple() for m in pii.find_personal(text or "")]


_PIPL_HINT = "依照《个人信息保护法》，公开的网页不应出现个人的手机号码、身份证号：请删除或打码（如 138****0000）"


def check_personal_data(project: Project, settings: Settings, findings: Findings) -> None:
    reported: set[tuple] = set()
    for item in public_texts(project):
        seen = pii.reader_text(item.text or "")
        both = find_personal(item.text) + (find_personal(seen) if seen != item.text else [])
        for kind, raw, masked in both:
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
    if size == 0:
        return []
    if size > SCAN_MAX_BYTES:  # said, never silent
        return [
            (
                Level.WARNING,
                f"附录文件超过 {SCAN_MAX_BYTES // 1024 // 1024} MB，没有检查其中的个人信息",
            )
        ]
    results: list[tuple[Level, str]] = []
    seen: set[str] = set()
    pypdf_log = logging.getLogger("pypdf")
    old_level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)  # pypdf warns about every odd PDF
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for where, text in _budgeted(scan(path)):
                for kind, _raw, masked in find_personal(text):
                    if masked not in seen:
                        seen.add(masked)
                        results.append((Level.WARNING, f"附录文件{where}有{kind} {masked}"))
    except _OverBudget as exc:
        results.append(
            (
                Level.WARNING,
                f"附录文件内容太多，检查到{exc.where}时已用完 {SCAN_SECONDS:g} 秒的检查时间，"
                "其余部分没有检查个人信息",
            )
        )
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


class _OverBudget(Exception):
    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


def _budgeted(texts: Iterator[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    deadline = time.monotonic() + SCAN_SECONDS
    for where, text in texts:
        yield where, text
        if time.monotonic() > deadline:
            raise _OverBudget(where)


def _pdf_texts(path: Path) -> Iterator[tuple[str, str]]:
    """Every page's text and every annotation's, however many pages (within the time
    budget); an encrypted PDF that opens without a password is read too."""
    import pypdf

    try:
        reader = pypdf.PdfReader(str(path))
        encrypted = reader.is_encrypted
    except pypdf.errors.DependencyError:  # AES: pypdf needs a crypto library we do not add
        encrypted = True
    if encrypted:  # opens without a password? qpdf decrypts it, pypdf reads the text
        import pikepdf

        try:
            with pikepdf.open(path) as pdf:
                plain = io.BytesIO()
                pdf.save(plain, encryption=False)
        except pikepdf.PasswordError as exc:
            raise _Unsafe("需要密码的 PDF") from exc
        reader = pypdf.PdfReader(plain)
    for n, page in enumerate(reader.pages, 1):
        yield f"第 {n} 页", page.extract_text() or ""
        annots = page.get("/Annots")
        for annot in annots.get_object() if annots is not None else []:
            annot = annot.get_object()
            for key in ("/Contents", "/T", "/Subj"):
                if key in annot:
                    yield f"第 {n} 页的批注", str(annot[key])


# --- every part of an Office package, as text ----------------------------------------

_BREAK = re.compile(r"</(?:w:p|a:p|si|c|row|w:tc|a:tc)>|<(?:w:br|w:tab|w:cr|a:br)\b[^>]*/?>", re.I)
_ATTRIBUTE = re.compile(r'\s[\w:.-]+="([^"]*)"')
_TAG = re.compile(r"<[^>]*>")
_OFFICE_NAME = re.compile(r"\.(docx|docm|xlsx|xlsm|pptx|pptm)$", re.I)
_PLACES = [
    (re.compile(r"^word/document\.xml$"), "正文（含文本框、修订）"),
    (re.compile(r"^word/header\d*\.xml$"), "页眉"),
    (re.compile(r"^word/footer\d*\.xml$"), "页脚"),
    (re.compile(r"^word/comments"), "批注"),
    (re.compile(r"^word/(footnotes|endnotes)\.xml$"), "脚注或尾注"),
    (re.compile(r"^word/people\.xml$"), "批注人名单"),
    (re.compile(r"^docProps/custom\.xml$"), "自定义属性"),
    (re.compile(r"^docProps/"), "文档属性"),
    (re.compile(r"^xl/sharedStrings\.xml$"), "单元格文字"),
    (re.compile(r"^xl/worksheets/sheet(\d+)\.xml$"), "第 {0} 个工作表"),
    (re.compile(r"^xl/(comments|threadedComments)"), "单元格批注"),
    (re.compile(r"^ppt/slides/slide(\d+)\.xml$"), "第 {0} 张幻灯片"),
    (re.compile(r"^ppt/notesSlides/notesSlide(\d+)\.xml$"), "幻灯片备注"),
    (re.compile(r"^ppt/comments"), "幻灯片批注"),
    (re.compile(r"\.rels$"), "链接"),
]


def _place(name: str) -> str:
    for pattern, label in _PLACES:
        m = pattern.search(name)
        if m:
            return label.format(*m.groups())
    return f"“{name}”部分"


def _xml_lines(data: bytes) -> Iterator[str]:
    """What a reader could extract from one XML part: text, a line per paragraph or
    cell (runs of one paragraph joined), and every attribute value on its own line."""
    text = data.decode("utf-8", "replace")
    for value in _ATTRIBUTE.findall(text):
        if len(value) >= 7:
            yield html.unescape(value)
    for line in _TAG.sub("", _BREAK.sub("\n", text)).split("\n"):
        if line.strip():
            yield html.unescape(line)


def _zip_texts(zf: zipfile.ZipFile, prefix: str, depth: int) -> Iterator[tuple[str, str]]:
    for info in zf.infolist():
        name = info.filename
        lower = name.lower()
        if lower.endswith((".xml", ".rels", ".vml")):
            where = prefix + _place(name)
            for line in _xml_lines(zf.read(info)):
                yield where, line
        elif _OFFICE_NAME.search(name) and "/embeddings/" in lower and depth < 2:
            inner = zipfile.ZipFile(io.BytesIO(zf.read(info)))
            if sum(i.file_size for i in inner.infolist()) > SCAN_MAX_UNZIPPED:
                raise _Unsafe("嵌入的文件解压后过大")
            label = f"{prefix}嵌入的文件“{name.rsplit('/', 1)[-1]}”的"
            yield from _zip_texts(inner, label, depth + 1)


def _package_texts(path: Path) -> Iterator[tuple[str, str]]:
    """Every XML part of an Office package (and of packages embedded in it)."""
    _check_zip(path)
    with zipfile.ZipFile(path) as zf:
        yield from _zip_texts(zf, "", 0)


def _then_package(
    first: Callable[[Path], Iterator[tuple[str, str]]],
) -> Callable[[Path], Iterator[tuple[str, str]]]:
    """`first` (precise places: paragraph n, cell B2), then every part of the package."""

    def scan(path: Path) -> Iterator[tuple[str, str]]:
        yield from first(path)
        yield from _package_texts(path)

    return scan


SCANNERS: dict[str, Callable[[Path], Iterator[tuple[str, str]]]] = {
    "txt": pii.txt_texts,
    "docx": _then_package(_docx_texts),
    "docm": _package_texts,
    "xlsx": _then_package(_xlsx_texts),
    "xlsm": _package_texts,
    "pptx": _package_texts,
    "pptm": _package_texts,
    "pdf": _pdf_texts,
}
