"""Check: rules over loaded projects → findings.

Loading already reports what makes a file unreadable; these rules judge the
content: limits, duplicates, images that cannot be opened, personal data in
public text, placeholders left from `showcase new`.

Broken images are taken out of the project here, so the build never tries to
derive them and the same problem is reported once.
"""

from __future__ import annotations

import datetime as _dt
import logging
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage

from . import (
    media,  # noqa: F401 - importing it sets Pillow's pixel limit
    textutil,
)
from .fields import FIELDS
from .findings import Finding, Findings, Level
from .model import Image, Indicator, Opinion, Project
from .settings import Settings

PLACEHOLDER = "请填写"
"""Every placeholder text `showcase new` writes contains this."""
PLACEHOLDER_IMAGE_KEY = "showcase-placeholder"
"""PNG text chunk that marks the sample images `showcase new` draws."""

LOGO_MIN_PX = 200
LOGO_MAX_ASPECT = 1.5
SCAN_MAX_BYTES = 30 * 1024 * 1024
SCAN_MAX_UNZIPPED = 200 * 1024 * 1024
SCAN_MAX_PAGES = 30
SCAN_MAX_CELLS = 20_000
SCAN_MAX_PARAGRAPHS = 5_000


def check_project(project: Project, settings: Settings) -> list[Finding]:
    """Every content rule for one project; broken images are removed from it."""
    findings = Findings()
    for rule in (_check_summary, _check_placeholders, _check_images, _check_personal_data,
                 _check_sensitive):
        try:
            rule(project, settings, findings)
        except Exception as exc:  # noqa: BLE001 - one failing rule must not hide the others
            findings.warning(
                f"有一项检查未能完成（{type(exc).__name__}）",
                file=project.folder,
                hint="其余检查照常进行；如反复出现，请把这个文件夹发给技术人员",
            )
    label = project.folder.name
    return [f if f.project else _with_project(f, label) for f in findings]


def _with_project(finding: Finding, label: str) -> Finding:
    return Finding(
        finding.level,
        finding.message,
        finding.file,
        finding.line,
        finding.field,
        finding.hint,
        label,
    )


def check_all(projects: Iterable[Project], settings: Settings) -> list[Finding]:
    """Rules across projects (duplicate slugs); adds each project's own rule findings."""
    findings: list[Finding] = []
    seen: dict[str, Project] = {}
    for project in projects:
        project.findings.extend(check_project(project, settings))
        first = seen.get(project.slug)
        if first is None:
            seen[project.slug] = project
            continue
        where = first.folder.name + (f"（来自 {first.source_label}）" if first.source_label else "")
        # name both sources: the second one's file may sit in the cache (an unpacked zip, a clone)
        here = (
            f"（{project.folder.name}，来自 {project.source_label}）"
            if project.source_label
            else ""
        )
        file, line = project.lines.get("slug", (str(project.folder / "project.yml"), None))
        dup = Finding(
            level=Level.ERROR,
            message=f"网址名“{project.slug}”与项目文件夹“{where}”重复，这个项目{here}暂不发布",
            file=file,
            line=line,
            field="slug",
            hint="在 project.yml 中用 slug: 指定一个不同的网址名，例如 slug: qinghe-xiaoxue",
            project=project.folder.name,
        )
        project.findings.append(dup)
        findings.append(dup)
    return findings


def publishable(projects: Iterable[Project]) -> list[Project]:
    """Projects that go on the site: required fields present, first of each slug."""
    out: list[Project] = []
    slugs: set[str] = set()
    for project in projects:
        if not project.publishable or project.slug in slugs:
            continue
        slugs.add(project.slug)
        out.append(project)
    return out


# --- the brief ----------------------------------------------------------------------


def _check_summary(project: Project, settings: Settings, findings: Findings) -> None:
    file, line = project.lines.get("summary", (None, None))
    summary = project.values.get("summary")
    if summary:
        count = textutil.word_count(summary)
        if count > settings.summary_max_chars:
            findings.warning(
                f"{count} 字，超出 {settings.summary_max_chars} 字上限",
                file=file,
                line=line,
                field="summary",
                hint="按 Word 字数统计：汉字和全角标点各算 1 字；网页上仍完整显示，登记表请删减",
            )


# --- texts: where each public text comes from ------------------------------------------


@dataclass(frozen=True)
class Text:
    """A public text and its place, for the scans below."""

    text: str
    file: str | None
    line: int | None = None
    field: str | None = None


def public_texts(project: Project) -> Iterator[Text]:
    """Every text the site publishes from this project (personal fields excluded)."""
    for f in FIELDS:
        if f.personal or f.key not in project.values:
            continue
        file, line = project.lines.get(f.key, (None, None))
        for text in _value_texts(project.values[f.key]):
            yield Text(text, file, line, f.key)
    for case in project.cases:
        file = str(case.source)
        for text in (case.title, case.summary, case.body, *case.authors, *case.tags):
            yield Text(text, file)
        for image in case.images:
            yield Text(image.caption, str(image.path))
    for album in project.albums:
        meta = album.source / "album.yml"
        file = str(meta) if meta.is_file() else str(album.source)
        yield Text(album.title, file)
        yield Text(album.description, file)
        for photo in album.photos:
            yield Text(photo.caption, str(photo.path))
    for plan in project.plans:
        file = str(plan.source)
        yield Text(plan.title, file)
        yield Text(plan.body, file)
        for month in plan.schedule:
            for item in month.items:
                yield Text(item, file)


def _value_texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Opinion):
        return [value.text, value.signed_by]
    if isinstance(value, Indicator):
        return [value.text, value.unit]
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in _value_texts(item)]
    return []


_line_cache: dict[str, str | None] = {}


def _locate(file: str | None, needle: str, default: int | None) -> int | None:
    """The line of `file` holding `needle` (first at or after line `default`), else `default`."""
    if not file or not needle:
        return default
    if file not in _line_cache:
        if len(_line_cache) > 256:
            _line_cache.clear()
        try:
            data = (
                Path(file).read_bytes()
                if Path(file).suffix.lower() in (".yml", ".yaml", ".md", ".markdown")
                else b""
            )
            text, _ = textutil.decode_text(data) if data else ("", "")
        except (OSError, ValueError):
            text = ""
        _line_cache[file] = text.replace("\r\n", "\n") or None
    text = _line_cache[file]
    if not text:
        return default
    start = 0
    if default and default > 1:
        start = max(0, _nth_line_start(text, default))
    index = text.find(needle, start)
    if index < 0:
        return default
    return text.count("\n", 0, index) + 1


def _nth_line_start(text: str, line: int) -> int:
    index = 0
    for _ in range(line - 1):
        index = text.find("\n", index) + 1
        if index == 0:
            return len(text)
    return index


# --- placeholders left from `showcase new` ---------------------------------------------


def _check_placeholders(project: Project, settings: Settings, findings: Findings) -> None:
    seen: set[tuple] = set()
    for item in public_texts(project):
        if item.text and PLACEHOLDER in item.text:
            line = _locate(item.file, PLACEHOLDER, item.line) if item.field is None else item.line
            key = (item.file, line, item.field)
            if key in seen:
                continue
            seen.add(key)
            findings.warning(
                "还是模板里的示例文字（“请填写…”），请改成本支部的内容",
                file=item.file,
                line=line,
                field=item.field,
            )


# --- images ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageInfo:
    error: str | None = None
    width: int = 0
    height: int = 0
    placeholder: bool = False


_image_cache: dict[tuple[str, int, int, str], ImageInfo] = {}
_heif_ready = False


def _register_heif() -> None:
    global _heif_ready
    if not _heif_ready:
        _heif_ready = True
        try:
            from pillow_heif import register_heif_opener

            register_heif_opener()
        except Exception:  # noqa: BLE001 - without it, HEIC is left to the media step
            pass


def inspect_image(path: Path, kind: str = "photo") -> ImageInfo:
    """Open an image's header safely (no full decode): size, or why it cannot be used.

    `kind` is "photo" or "logo" (the media step decodes them at different sizes).
    Cached by path, size and mtime, so `mkdocs serve` rebuilds do not reopen photos.
    """
    try:
        stat = path.stat()
    except OSError as exc:
        return ImageInfo(f"无法读取图片：{exc.strerror or exc}")
    key = (str(path), stat.st_size, stat.st_mtime_ns, kind)
    info = _image_cache.get(key)
    if info is None:
        info = _inspect(path, stat.st_size, kind)
        if len(_image_cache) > 50_000:
            _image_cache.clear()
        _image_cache[key] = info
    return info


# The media step's limits: it decodes a JPEG shrunk to the largest width it publishes
# and refuses more pixels than MAX_DECODED_PIXELS. The same rule here, on the header.
_MAX_PIXELS = getattr(media, "MAX_DECODED_PIXELS", 64_000_000)
_MAX_WIDTH = {
    "photo": max(getattr(media, "PHOTO_WIDTHS", (1600,))),
    "logo": max(getattr(media, "LOGO_WIDTHS", (512,))),
}


def _inspect(path: Path, size: int, kind: str) -> ImageInfo:
    if size == 0:
        return ImageInfo("图片文件是空的（0 字节），可能没有复制完整")
    if path.suffix.lower() == ".svg":
        return ImageInfo()  # SVG is text: the media step sanitises it
    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with PILImage.open(path) as img:
                width, height = img.size
                if width <= 0 or height <= 0:
                    return ImageInfo("图片尺寸为 0，文件已损坏")
                placeholder = bool(img.info.get(PLACEHOLDER_IMAGE_KEY))
                fmt = img.format
                offset = _scan_offset(img)
                limit = _MAX_WIDTH.get(kind, _MAX_WIDTH["photo"])
                if width > limit:
                    scale = limit / width  # only JPEG changes size here (DCT shrink-on-load)
                    img.draft(None, (math.ceil(width * scale), math.ceil(height * scale)))
                if img.width * img.height > _MAX_PIXELS:
                    return ImageInfo(_bomb(width, height))
                img.verify()
    except PILImage.DecompressionBombError:
        return ImageInfo(_bomb(None, None))
    except PILImage.UnidentifiedImageError:
        return ImageInfo(
            f"不是有效的图片文件：内容不是 {path.suffix.lstrip('.').upper()} 图片（可能只是改了扩展名）"
        )
    except Exception as exc:  # noqa: BLE001 - hostile files raise anything from Pillow's parsers
        if isinstance(exc, EOFError) or "truncat" in str(exc).lower():
            return ImageInfo("图片文件不完整（可能没有拷贝或下载完），无法打开")
        return ImageInfo(f"图片文件已损坏，无法打开（{type(exc).__name__}）")
    if fmt in ("JPEG", "MPO") and offset is not None and not _jpeg_complete(path, offset):
        return ImageInfo("图片文件不完整（JPEG 缺少结尾，可能没有传完或复制中断）")
    return ImageInfo(None, width, height, placeholder)


def _bomb(width: int | None, height: int | None) -> str:
    size = f"（{width}×{height}）" if width else ""
    return f"图片像素过多{size}，可能是“解压炸弹”，已拒绝处理"


def _scan_offset(img: PILImage.Image) -> int | None:
    """Where a JPEG's first scan starts (Pillow stops reading the header there)."""
    try:
        return int(img.fp.tell())
    except (OSError, ValueError, AttributeError):
        return None


def _jpeg_complete(path: Path, offset: int) -> bool:
    """True when an end-of-image marker (FF D9) follows the start of the first scan.

    Entropy-coded data cannot contain FF D9, so finding one proves the image is whole.
    Searched from the end backwards: a whole photo answers in the first chunk, even
    with a phone's trailer (a motion-photo video) after the image.
    """
    chunk = 256 * 1024
    with path.open("rb") as fh:
        end = fh.seek(0, 2)
        following = b""
        while end > offset:
            start = max(offset, end - chunk)
            fh.seek(start)
            data = fh.read(end - start)
            if b"\xff\xd9" in data + following[:1]:
                return True
            following = data
            end = start
    return False


def _check_images(project: Project, settings: Settings, findings: Findings) -> None:
    if project.logo is not None:
        info = inspect_image(project.logo.path, "logo")
        file, line = project.lines.get("logo", (None, None))
        if info.error:
            findings.error(
                f"LOGO 图片无法使用：{info.error}",
                file=project.logo.path,
                field="logo",
                hint="网站上暂用占位图代替；请换一张正常的 PNG 或 JPG 图片",
            )
            project.logo = None
        elif info.placeholder:
            findings.warning(
                "LOGO 还是模板生成的示例图片，请换成本支部的标识",
                file=project.logo.path,
                field="logo",
            )
        elif info.width:
            w, h = info.width, info.height
            if min(w, h) < LOGO_MIN_PX:
                findings.warning(
                    f"LOGO 只有 {w}×{h} 像素，太小，网页上会模糊",
                    file=project.logo.path,
                    field="logo",
                    hint=f"请提供至少 {LOGO_MIN_PX}×{LOGO_MIN_PX} 像素的图片，最好 512×512 以上",
                )
            if max(w, h) / min(w, h) > LOGO_MAX_ASPECT:
                findings.warning(
                    f"LOGO 是 {w}×{h} 像素，离正方形太远，在卡片和登记表里会显得很小",
                    file=project.logo.path,
                    field="logo",
                    hint="请裁成接近正方形的图片",
                )
    for album in project.albums:
        album.photos = _keep_good(album.photos, findings, "照片")
        if album.cover is not None and album.cover not in album.photos:
            album.cover = None
    project.albums = [a for a in project.albums if a.photos]
    for case in project.cases:
        case.images = _keep_good(case.images, findings, "附录图片")


def _keep_good(images: list[Image], findings: Findings, what: str) -> list[Image]:
    good = []
    for image in images:
        info = inspect_image(image.path)
        if info.error:
            findings.error(
                f"{what}无法使用，已跳过：{info.error}",
                file=image.path,
                hint="其余照片照常发布；请重新导出或换一张",
            )
            continue
        if info.placeholder:
            findings.warning(f"还是模板生成的示例{what}，请换成真实的{what}", file=image.path)
        good.append(image)
    return good


# --- personal data (个人信息保护法) ---------------------------------------------------------

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


def _check_personal_data(project: Project, settings: Settings, findings: Findings) -> None:
    reported: set[tuple] = set()
    for item in public_texts(project):
        for kind, raw, masked in find_personal(item.text):
            line = _locate(item.file, raw, item.line)
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


def _check_sensitive(project: Project, settings: Settings, findings: Findings) -> None:
    """A pupil named next to an illness, disability, hardship or discipline (privacy.py, issue 16)."""
    from .privacy import check_sensitive

    check_sensitive(project, settings, findings)


# --- appendix files: .docx, .xlsx, .pdf ---------------------------------------------------

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
