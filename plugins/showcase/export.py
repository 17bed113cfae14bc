"""Export: the registry (Table 1) and the form (Table 2) as files.

Layout of the registry files, for people and for programs reading them back:

- `registry.xlsx` (sheet 登记表) and `registry.docx`: a title row 展示专栏首页地址登记表
  first, then the header row (序号 + Table 1's headers in the form's order), then one
  row per project. In the xlsx the header is row 2 and projects start at row 3.
- `registry.csv`: UTF-8 with BOM; the header is the first line, one line per project.
- `registry.json`: `{title, columns: [{key, label}], projects: [...]}`.

The form (`showcase export form`) is the 申报表 laid out like the paper one, with the
personal fields (an internal document) and a blank cell for signature and seal.
Word and Excel files are written with python-docx and openpyxl.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .fields import FORM_FIELDS, REGISTRY_FIELDS, Field, FieldType, registry_header
from .model import Indicator, Opinion, Project
from .settings import Settings

REGISTRY_TITLE = "展示专栏首页地址登记表"
FORM_TITLE = "党建精品项目申报表"
FORM_FOOTNOTE = "注：申报的党建精品项目应具有前瞻性、创新性、适切性和可操作性。"
SIGN_LABEL = "书记签字："
SEAL_LABEL = "（盖章）"
BLANK_DATE = "　　年　　月　　日"
TARGET_NOTE = re.compile(r"[（(]目标[：:]\s*([-+]?\d+(?:\.\d+)?)\s*([^）)]*)[）)]\s*$")
"""`（目标：20人）` after an indicator on the form; import reads it back into target and unit."""

XLSX_HEADER_ROW = 2
"""Row of the header in registry.xlsx (row 1 is the title)."""
XLSX_LOGO_PX = 64
DOCX_REGISTRY_LOGO_CM = 1.6
DOCX_FORM_LOGO_CM = 4.0
LINK_COLOR = "0563C1"

# Column widths of the registry in Excel character units, by field key.
_XLSX_WIDTHS = {"branch": 24, "logo": 12, "homepage": 34, "name": 26, "summary": 62}
_DOCX_WIDTHS_CM = {"branch": 3.4, "logo": 2.6, "homepage": 5.2, "name": 3.8, "summary": 9.1}


# --- the registry as CSV and JSON (also published by the site) ---------------------


def registry_columns(settings: Settings) -> list[str]:
    """序号 and Table 1's headers, as in every registry file."""
    return ["序号"] + [registry_header(f, settings.summary_max_chars) for f in REGISTRY_FIELDS]


def registry_json(rows: list[dict], settings: Settings) -> bytes:
    columns = [
        {"key": f.key, "label": registry_header(f, settings.summary_max_chars)}
        for f in REGISTRY_FIELDS
    ]
    data = {"title": REGISTRY_TITLE, "columns": columns, "projects": rows}
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _csv_safe(value: object) -> object:
    """A text Excel would run as a formula (`=…`, `+…`, `-…`, `@…`) gets a leading `'`."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def is_web_address(value: object) -> bool:
    return isinstance(value, str) and re.match(r"https?://", value, re.IGNORECASE) is not None


def registry_csv(rows: list[dict], settings: Settings) -> bytes:
    """UTF-8 with BOM so that Excel on Windows opens it with the Chinese intact."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(registry_columns(settings))
    for i, row in enumerate(rows, 1):
        writer.writerow([i] + [_csv_safe(row.get(f.key, "")) for f in REGISTRY_FIELDS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# --- logos for Office files ---------------------------------------------------------


class LogoError(Exception):
    pass


def logo_png(project: Project | None, box: int, notes: list[str] | None = None) -> bytes:
    """The project's logo as a metadata-free PNG fitting `box`×`box` pixels.

    Rendered at twice the size for print. Uses the media pipeline's derived file when the
    site build made one, else the source (PNG/JPG via Pillow, SVG via resvg); a project
    without a usable logo gets the red placeholder with the branch's first characters.
    """
    px = box * 2
    if project is not None and project.logo is not None:
        key = _logo_key(project, px)
        if key is not None and key in _LOGO_CACHE:
            return _LOGO_CACHE[key]
        try:
            data = _render_logo(project, px)
        except LogoError as exc:
            if notes is not None:
                notes.append(f"{project.logo.path}：{exc}，已用占位图代替")
        else:
            if key is not None:
                if len(_LOGO_CACHE) >= 512:
                    _LOGO_CACHE.pop(next(iter(_LOGO_CACHE)))
                _LOGO_CACHE[key] = data
            return data
    return _placeholder(project, px)


def _placeholder(project: Project | None, px: int) -> bytes:
    """The same placeholder the site shows (charts.placeholder_svg), as PNG."""
    from .charts import placeholder_png

    return placeholder_png(project or Project(folder=Path("."), slug="", values={"branch": "党"}), px)


_LOGO_CACHE: dict[tuple, bytes] = {}
"""Rendered logos by source file state, so `mkdocs serve` rebuilds do not redo them."""


def _logo_key(project: Project, px: int) -> tuple | None:
    try:
        st = project.logo.path.stat()
    except OSError:
        return None
    return (str(project.logo.path), st.st_mtime_ns, st.st_size, px)


def _render_logo(project: Project, px: int) -> bytes:
    from PIL import Image as PILImage
    from PIL import ImageOps

    logo = project.logo
    derived = logo.derived
    path = logo.path
    if path.suffix.lower() == ".svg":
        import resvg_py

        svg_file = derived.svg.path if derived is not None and derived.svg is not None else path
        try:
            svg = svg_file.read_text(encoding="utf-8-sig")
            data = bytes(resvg_py.svg_to_bytes(svg_string=svg, width=px))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise LogoError(f"SVG 无法转换为图片（{type(exc).__name__}）") from exc
        source: Path | io.BytesIO = io.BytesIO(data)
    else:
        source = path
        if derived is not None:
            # the site's derived PNG is oriented and metadata-free already; smaller to decode
            fitting = [v for v in derived.variants if v.format == "png" and v.width >= px]
            if fitting:
                source = min(fitting, key=lambda v: v.width).path
    try:
        with PILImage.open(source) as img:
            img.load()
            img = ImageOps.exif_transpose(img)
            img = (
                img.convert("RGBA") if img.mode in ("RGBA", "LA", "P", "PA") else img.convert("RGB")
            )
            img.thumbnail((px, px), PILImage.LANCZOS)
            # a fresh image carries none of the source's EXIF, GPS or XMP
            clean = PILImage.new(img.mode, img.size)
            clean.paste(img)
    except PILImage.DecompressionBombError as exc:
        raise LogoError("图片像素过多，已拒绝处理") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise LogoError(f"不是有效的图片文件，或文件已损坏（{type(exc).__name__}）") from exc
    out = io.BytesIO()
    clean.save(out, "PNG", compress_level=6)
    return out.getvalue()


def _png_size(data: bytes) -> tuple[int, int]:
    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(data)) as img:
        return img.size


def _fit(size: tuple[int, int], box: float) -> tuple[float, float]:
    w, h = size
    scale = box / max(w, h, 1)
    return w * scale, h * scale


# --- the registry as xlsx -----------------------------------------------------------


def _display_width(text: str) -> int:
    """Width in Excel character units: CJK and full-width characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _text_lines(text: str, width: int) -> int:
    lines = 0
    for part in str(text).split("\n"):
        lines += max(1, -(-_display_width(part) // max(1, width - 1)))
    return lines


def _projects_by_slug(projects: Iterable[Project]) -> dict[str, Project]:
    return {p.slug: p for p in projects}


def registry_xlsx(
    rows: list[dict],
    projects: Iterable[Project],
    settings: Settings,
    notes: list[str] | None = None,
) -> bytes:
    """Table 1 as an Excel workbook: title row, header row, one row per project, logos embedded."""
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image as XLImage
    from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor
    from openpyxl.drawing.xdr import XDRPositiveSize2D
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.units import pixels_to_EMU

    by_slug = _projects_by_slug(projects)
    wb = Workbook()
    ws = wb.active
    ws.title = "登记表"
    wb.properties.title = REGISTRY_TITLE
    wb.properties.creator = "showcase"
    headers = registry_columns(settings)
    keys = ["index"] + [f.key for f in REGISTRY_FIELDS]
    widths = [6] + [_XLSX_WIDTHS.get(k, 20) for k in keys[1:]]
    # addresses do not wrap in every spreadsheet program: make room for the longest one
    longest = max((len(str(r.get("homepage") or "")) for r in rows), default=0)
    widths[keys.index("homepage")] = max(_XLSX_WIDTHS["homepage"], min(longest + 2, 60))
    font = "等线"
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    center = Alignment(wrap_text=True, vertical="center", horizontal="center")

    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    last = get_column_letter(len(headers))
    ws.merge_cells(f"A1:{last}1")
    title = ws.cell(1, 1, REGISTRY_TITLE)
    title.font = Font(name=font, size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 32
    hr = XLSX_HEADER_ROW
    for col, text in enumerate(headers, 1):
        cell = ws.cell(hr, col, text)
        cell.font = Font(name=font, size=11, bold=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
        cell.alignment = center
        cell.border = border
    ws.row_dimensions[hr].height = 30

    logo_col = keys.index("logo") + 1
    logo_col_px = widths[logo_col - 1] * 7 + 5
    for n, row in enumerate(rows, 1):
        r = hr + n
        lines = 1
        for col, key in enumerate(keys, 1):
            value = n if key == "index" else row.get(key, "")
            if key == "logo":
                value = ""
            cell = ws.cell(r, col, value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text from a project folder is never a formula
            cell.border = border
            cell.font = Font(name=font, size=11)
            cell.alignment = center if key in ("index", "logo") else wrap
            if key == "homepage" and is_web_address(value):
                cell.hyperlink = str(value)
                cell.font = Font(name=font, size=11, color=LINK_COLOR, underline="single")
            if key not in ("index", "logo"):
                lines = max(lines, _text_lines(str(value), widths[col - 1]))
        png = logo_png(by_slug.get(row.get("slug")), XLSX_LOGO_PX, notes)
        w, h = _fit(_png_size(png), XLSX_LOGO_PX)
        row_px = max(XLSX_LOGO_PX + 12, round(lines * 20) + 8)
        ws.row_dimensions[r].height = row_px * 0.75  # points
        image = XLImage(io.BytesIO(png))
        image.width, image.height = round(w), round(h)
        # centred in the logo cell, so the picture sits in its row when sorted or printed
        marker = AnchorMarker(
            col=logo_col - 1,
            colOff=pixels_to_EMU(max(0, round((logo_col_px - w) / 2))),
            row=r - 1,
            rowOff=pixels_to_EMU(max(0, round((row_px - h) / 2))),
        )
        image.anchor = OneCellAnchor(
            _from=marker, ext=XDRPositiveSize2D(pixels_to_EMU(round(w)), pixels_to_EMU(round(h)))
        )
        ws.add_image(image)

    ws.freeze_panes = ws.cell(hr + 1, 1)
    if rows:
        ws.auto_filter.ref = f"A{hr}:{last}{hr + len(rows)}"
    ws.print_title_rows = f"{hr}:{hr}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- Word helpers -------------------------------------------------------------------


def _new_document(*, landscape: bool, font: str):
    """An A4 document whose text uses a Chinese font (the East Asian slot set too)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt

    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.2)
    for name in ("Normal", "Table Grid"):
        style = doc.styles[name]
        style.font.name = font
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    doc.styles["Normal"].font.size = Pt(11)
    doc.core_properties.author = "showcase"
    return doc


def _title(doc, text: str, size: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.space_after = Pt(12)
    run = para.add_run(text)
    run.bold = True
    run.font.size = Pt(size)


def _shade(cell, color: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), color)
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def add_hyperlink(paragraph, url: str, text: str | None = None):
    """A clickable link run (python-docx reads it back as `paragraph.hyperlinks`)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = paragraph.add_run(text or url)
    run.font.color.rgb = RGBColor.from_string(LINK_COLOR)
    run.font.underline = True
    link.append(run._r)  # moves the run inside the hyperlink
    paragraph._p.append(link)
    return link


def _cell_text(cell, text: str, *, bold: bool = False, center: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    para = cell.paragraphs[0]
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(text)
    run.bold = bold


def _picture(cell, png: bytes, box_cm: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    w, h = _fit(_png_size(png), box_cm)
    para = cell.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run().add_picture(io.BytesIO(png), width=Cm(w), height=Cm(h))


def _middle(cell) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- the registry as docx -----------------------------------------------------------


def registry_docx(
    rows: list[dict],
    projects: Iterable[Project],
    settings: Settings,
    notes: list[str] | None = None,
) -> bytes:
    """Table 1 as a Word table on landscape A4: title, header row, one row per project."""
    from docx.shared import Cm

    by_slug = _projects_by_slug(projects)
    doc = _new_document(landscape=True, font="等线")
    _title(doc, REGISTRY_TITLE, 18)
    headers = registry_columns(settings)
    keys = ["index"] + [f.key for f in REGISTRY_FIELDS]
    widths = [Cm(1.2)] + [Cm(_DOCX_WIDTHS_CM.get(k, 3.5)) for k in keys[1:]]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width  # the grid; LibreOffice reads it, Word the cell widths
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=False):
        cell.width = width
        _cell_text(cell, text, bold=True, center=True)
        _shade(cell, "F2DCDB")
        _middle(cell)
    _repeat_header(table.rows[0])
    for n, row in enumerate(rows, 1):
        cells = table.add_row().cells
        for cell, key, width in zip(cells, keys, widths, strict=False):
            cell.width = width
            _middle(cell)
            if key == "index":
                _cell_text(cell, str(n), center=True)
            elif key == "logo":
                png = logo_png(by_slug.get(row.get("slug")), 128, notes)
                _picture(cell, png, DOCX_REGISTRY_LOGO_CM)
            elif key == "homepage" and is_web_address(row.get("homepage")):
                add_hyperlink(cell.paragraphs[0], str(row["homepage"]))
            else:
                _cell_text(cell, str(row.get(key, "")))
    return _save(doc)


# --- the form (申报表) as docx --------------------------------------------------------

_SHORT = (FieldType.TEXT, FieldType.INTEGER, FieldType.URL)


def form_layout() -> list[list[Field]]:
    """Rows of the paper form: two short fields that follow each other share a row
    (申报党支部 | 党员人数, 项目负责人 | 联系方式); every other field has a row of its own."""
    rows: list[list[Field]] = []
    fields = list(FORM_FIELDS)
    i = 0
    while i < len(fields):
        f = fields[i]
        nxt = fields[i + 1] if i + 1 < len(fields) else None
        if i > 0 and f.type in _SHORT and nxt is not None and nxt.type in _SHORT:
            rows.append([f, nxt])
            i += 2
        else:
            rows.append([f])
            i += 1
    return rows


_STAR = "\ue000"  # a literal `\*` while bold markers are read
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline_md(text: str) -> str:
    """Markdown inline syntax → text for Word: links keep their words, images, tags, italics
    and code marks go; bold stays marked `**…**` (see `text_runs`)."""
    text = text.replace("\\*", _STAR)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"__(.+?)__", r"**\1**", text)
    text = re.sub(r"(?<![*\w])\*(?![\s*])(.+?)(?<![\s*])\*(?!\*)", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"\\([\\`_{}\[\]()#+\-.!|>])", r"\1", text)
    return text.strip()


def text_runs(text: str) -> list[tuple[str, bool]]:
    """`前**粗体**后` → [('前', False), ('粗体', True), ('后', False)]."""
    runs: list[tuple[str, bool]] = []
    pos = 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            runs.append((text[pos : m.start()], False))
        runs.append((m.group(1), True))
        pos = m.end()
    if pos < len(text):
        runs.append((text[pos:], False))
    return [(t.replace(_STAR, "*"), bold) for t, bold in runs if t]


def plain_text(text: str) -> str:
    return "".join(t for t, _bold in text_runs(text))


def _join(a: str, b: str) -> str:
    """Join soft-wrapped Markdown lines: no space between Chinese, one between Latin words."""
    if a and b and a[-1].isascii() and b[0].isascii() and a[-1].isalnum() and b[0].isalnum():
        return a + " " + b
    return a + b


def markdown_paragraphs(text: str) -> list[tuple[str, str]]:
    """Markdown → (kind, text) paragraphs for Word: `p`, `h` (heading), `li` (list item, its
    number or bullet kept as text, so the printed form reads the same as the page)."""
    blocks: list[tuple[str, str]] = []
    current: list[str] = []
    in_code = False

    def flush() -> None:
        if current:
            para = ""
            for line in current:
                para = _join(para, line)
            if para:
                blocks.append(("p", _inline_md(para)))
            current.clear()

    for raw in str(text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            flush()
            in_code = not in_code
            continue
        if in_code:
            if line:
                blocks.append(("p", line))
            continue
        if not line or re.fullmatch(r"[-*_]{3,}", line):
            flush()
            continue
        m = re.match(r"#{1,6}\s+(.*?)\s*#*$", line)
        if m:
            flush()
            blocks.append(("h", plain_text(_inline_md(m.group(1)))))
            continue
        m = re.match(r"(\d{1,3})[.)]\s+(.*)", line)
        if m:
            flush()
            blocks.append(("li", f"{m.group(1)}. {_inline_md(m.group(2))}"))
            continue
        m = re.match(r"[-*+]\s+(.*)", line)
        if m:
            flush()
            blocks.append(("li", f"• {_inline_md(m.group(1))}"))
            continue
        if line.startswith(">"):
            line = line.lstrip("> ").strip()
        if line.startswith("|"):
            if re.fullmatch(r"[|:\-\s]+", line):
                continue
            flush()
            blocks.append(("p", "　".join(_inline_md(c) for c in line.strip("|").split("|"))))
            continue
        current.append(line)
    flush()
    return [(k, t) for k, t in blocks if t]


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def indicator_text(indicator: Indicator) -> str:
    text = indicator.text
    if indicator.target is not None:
        text += f"（目标：{_number(indicator.target)}{indicator.unit}）"
    return text


def _write_paragraphs(cell, blocks: list[tuple[str, str]]) -> None:
    from docx.shared import Cm, Pt

    first = True
    for kind, text in blocks:
        para = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        para.paragraph_format.space_after = Pt(3)
        for part, bold in text_runs(text):
            para.add_run(part).bold = bold or kind == "h" or None
        if kind == "li":
            para.paragraph_format.left_indent = Cm(0.6)
            para.paragraph_format.first_line_indent = Cm(-0.6)
        elif kind == "p":
            para.paragraph_format.first_line_indent = Pt(22)  # two characters, as Chinese prose


def _form_value_blocks(project: Project, field: Field) -> list[tuple[str, str]]:
    value = project.get(field.key)
    if value in (None, "", [], {}):
        return []
    if field.type is FieldType.MARKDOWN:
        return markdown_paragraphs(str(value))
    if field.type is FieldType.INDICATORS:
        blocks: list[tuple[str, str]] = []
        for kind, label in (("explicit", "显性指标："), ("implicit", "隐性指标：")):
            items = project.indicators_of(kind)
            if items:
                blocks.append(("h", label))
                blocks.extend(
                    ("li", f"{i}. {indicator_text(ind)}") for i, ind in enumerate(items, 1)
                )
        return blocks
    return [("p", str(value))]


def _opinion_cell(cell, opinion: Opinion | None) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from .textutil import chinese_date

    opinion = opinion or Opinion()
    para = cell.paragraphs[0]
    if opinion.text:
        for i, (_kind, text) in enumerate(markdown_paragraphs(opinion.text)):
            p = para if i == 0 else cell.add_paragraph()
            p.add_run(plain_text(text))
    # room to write by hand when the opinion is left for the paper copy
    for _ in range(1 if opinion.text else 3):
        cell.add_paragraph()
    sign = cell.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.add_run(f"{SIGN_LABEL}{opinion.signed_by or '　　　　　　'}　　{SEAL_LABEL}　　")
    date = cell.add_paragraph()
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date.paragraph_format.space_before = Pt(6)
    date.add_run((chinese_date(opinion.date) if opinion.date else BLANK_DATE) + "　　")


def form_docx(project: Project, settings: Settings, notes: list[str] | None = None) -> bytes:
    """The filled 申报表 on A4 portrait: title, labelled table in Table 2's order, footnote."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = _new_document(landscape=False, font="宋体")
    _title(doc, FORM_TITLE, 20)
    widths = [Cm(3.0), Cm(5.6), Cm(2.6), Cm(5.4)]
    layout = form_layout()
    table = doc.add_table(rows=len(layout), cols=4)
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width
    for row, fields in zip(table.rows, layout, strict=False):
        cells = row.cells
        for cell, width in zip(cells, widths, strict=False):
            cell.width = width
            _middle(cell)
        if len(fields) == 2:
            pairs = [(cells[0], cells[1], fields[0]), (cells[2], cells[3], fields[1])]
        else:
            value_cell = cells[1].merge(cells[3])
            pairs = [(cells[0], value_cell, fields[0])]
        for label_cell, value_cell, field in pairs:
            _cell_text(label_cell, field.form_label or field.label, bold=True, center=True)
            _shade(label_cell, "F2F2F2")
            if field.key == "logo":
                png = logo_png(project, 256, notes)
                _picture(value_cell, png, DOCX_FORM_LOGO_CM)
                row.height = Cm(DOCX_FORM_LOGO_CM + 0.8)
            elif field.type is FieldType.OPINION:
                _opinion_cell(value_cell, project.get(field.key))
                row.height = Cm(4.5)
            elif field.type in (FieldType.MARKDOWN, FieldType.INDICATORS):
                _write_paragraphs(value_cell, _form_value_blocks(project, field))
                row.height = Cm(3.5)
            else:
                blocks = _form_value_blocks(project, field)
                _cell_text(value_cell, blocks[0][1] if blocks else "")
                row.height = Cm(1.1)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    note = doc.add_paragraph()
    note.paragraph_format.space_before = Pt(6)
    note.alignment = WD_ALIGN_PARAGRAPH.LEFT
    run = note.add_run(FORM_FOOTNOTE)
    run.font.size = Pt(10.5)
    doc.core_properties.title = f"{FORM_TITLE}：{project.title}"
    return _save(doc)


# --- command line -------------------------------------------------------------------


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes files private; an export is meant to be passed on
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _echo(text: str, err: bool = False) -> None:
    import click

    click.echo(text, err=err)


def _load(settings: Settings) -> tuple[list[Project], list[Any]]:
    from .build import load_all

    return load_all(settings)


def _rows_for_export(projects: list[Project], settings: Settings) -> list[dict]:
    from .pages import SiteLinks, registry_rows

    links = SiteLinks(settings, use_directory_urls=True, site_url=settings.site_url)
    rows = registry_rows(projects, links)
    for row, project in zip(rows, projects, strict=False):
        if not row["logo"] and project.logo is not None:
            # no site build here: name the file inside the project folder (a zip's or a
            # clone's folder sits in the cache, whose path means nothing to the office)
            try:
                inside = project.logo.path.relative_to(project.folder).as_posix()
            except ValueError:
                inside = project.logo.path.name
            row["logo"] = f"{project.folder.name}/{inside}"
    return rows


def _write_output(output: Path, data: bytes) -> int:
    try:
        write_atomic(output, data)
    except OSError as exc:
        _echo(f"无法写入 {output}：{exc.strerror or exc}", err=True)
        return 1
    return 0


def run_export_registry(settings: Settings, fmt: str, output: str | Path | None) -> int:
    """`showcase export registry`: Table 1 of every publishable project → xlsx/csv/json/docx."""
    from . import check

    projects, _findings = _load(settings)
    published = check.publishable(projects)
    left_out = [p for p in projects if p not in published]
    for project in left_out:
        reason = "缺少必填项" if not project.publishable else f"网址名“{project.slug}”重复"
        _echo(f"未导出 {project.folder}：{reason}（运行 showcase check 查看详情）", err=True)
    if not published:
        _echo("没有可导出的项目：请检查项目文件夹（showcase check）。", err=True)
        return 1
    rows = _rows_for_export(published, settings)
    if not settings.site_url:
        from .sitekit import SITE_URL_NOTICE

        _echo(f"提示：{SITE_URL_NOTICE}", err=True)
    notes: list[str] = []
    for project in published:
        for finding in project.findings:
            if finding.is_error and finding.field == "logo" and project.logo is None:
                notes.append(f"{finding.format(settings.base_dir)}，登记表中用占位图代替")
    if fmt == "csv":
        data = registry_csv(rows, settings)
    elif fmt == "json":
        data = registry_json(rows, settings)
    elif fmt == "docx":
        data = registry_docx(rows, published, settings, notes)
    else:
        data = registry_xlsx(rows, published, settings, notes)
    for note in notes:
        _echo(f"提示：{note}", err=True)
    target = Path(output) if output else Path(f"登记表.{fmt}")
    if _write_output(target, data):
        return 1
    _echo(f"已导出登记表（{len(rows)} 个项目）：{target}")
    return 0


def _find_project(projects: list[Project], slug: str) -> Project | None:
    """By URL name, folder name, or the folder's path as typed (`projects/我的学校/`)."""
    wanted = Path(slug)
    for project in projects:
        if slug in (project.slug, project.folder.name):
            return project
    for project in projects:
        if wanted.exists() and wanted.resolve() == project.folder.resolve():
            return project
    name = wanted.name
    return next((p for p in projects if name and name in (p.slug, p.folder.name)), None)


def run_export_form(settings: Settings, slug: str, output: str | Path | None) -> int:
    """`showcase export form <slug>`: one project's filled 申报表 for signature and seal."""
    projects, _findings = _load(settings)
    project = _find_project(projects, slug)
    if project is None:
        names = "、".join(p.slug for p in projects) or "（没有找到任何项目）"
        _echo(f"找不到网址名或文件夹名为“{slug}”的项目。现有项目：{names}", err=True)
        return 1
    for finding in project.findings:
        if finding.is_error:
            _echo(f"提示：{finding.format(settings.base_dir)}", err=True)
    notes: list[str] = []
    data = form_docx(project, settings, notes)
    for note in notes:
        _echo(f"提示：{note}", err=True)
    target = Path(output) if output else Path(f"{project.folder.name}-申报表.docx")
    if _write_output(target, data):
        return 1
    _echo(f"已导出申报表：{target}（含负责人和联系方式，仅供内部使用）")
    return 0


__all__ = [
    "FORM_TITLE",
    "REGISTRY_TITLE",
    "XLSX_HEADER_ROW",
    "form_docx",
    "form_layout",
    "logo_png",
    "markdown_paragraphs",
    "registry_columns",
    "registry_csv",
    "registry_docx",
    "registry_json",
    "registry_xlsx",
    "run_export_form",
    "run_export_registry",
]
