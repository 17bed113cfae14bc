"""Export: the registry (Table 1) as files.

Layout of the registry files, for people and for programs reading them back:

- `registry.xlsx` (sheet 登记表) and `registry.docx`: a title row 展示专栏首页地址登记表
  first, then the header row (序号 + Table 1's headers in the form's order), then one
  row per project. In the xlsx the header is row 2 and projects start at row 3.
- `registry.csv`: UTF-8 with BOM; the header is the first line, one line per project.
- `registry.json`: `{title, columns: [{key, label}], projects: [...]}`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable

from ..core.fields import REGISTRY_FIELDS, REGISTRY_TITLE, registry_headers
from ..core.model import Project
from ..core.settings import Settings
from .logos import fit, logo_png, png_size
from .word import (
    LINK_COLOR,
    add_hyperlink,
    cell_text,
    middle,
    new_document,
    picture,
    repeat_header,
    save,
    shade,
    title,
)

XLSX_HEADER_ROW = 2
"""Row of the header in registry.xlsx (row 1 is the title)."""


XLSX_LOGO_PX = 64


DOCX_REGISTRY_LOGO_CM = 1.6


# Column widths of the registry in Excel character units, by field key.
_XLSX_WIDTHS = {"branch": 24, "logo": 12, "homepage": 34, "name": 26, "summary": 62}


_DOCX_WIDTHS_CM = {"branch": 3.4, "logo": 2.6, "homepage": 5.2, "name": 3.8, "summary": 9.1}


def registry_columns(settings: Settings) -> list[str]:
    """序号 and Table 1's headers, as in every registry file."""
    return ["序号", *registry_headers(settings.summary_max_chars)]


def registry_json(rows: list[dict], settings: Settings) -> bytes:
    headers = registry_headers(settings.summary_max_chars)
    columns = [{"key": f.key, "label": h} for f, h in zip(REGISTRY_FIELDS, headers, strict=True)]
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
    status_column: bool = False,
) -> bytes:
    """Table 1 as an Excel workbook: title row, header row, one row per project, logos embedded.

    With `status_column`, a last column 审核状态 holds each row's `status` (the portal's review).
    """
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
    if status_column:
        headers, keys = [*headers, "审核状态"], [*keys, "status"]
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
        w, h = fit(png_size(png), XLSX_LOGO_PX)
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


def registry_docx(
    rows: list[dict],
    projects: Iterable[Project],
    settings: Settings,
    notes: list[str] | None = None,
) -> bytes:
    """Table 1 as a Word table on landscape A4: title, header row, one row per project."""
    from docx.shared import Cm

    by_slug = _projects_by_slug(projects)
    doc = new_document(landscape=True, font="等线")
    title(doc, REGISTRY_TITLE, 18)
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
        cell_text(cell, text, bold=True, center=True)
        shade(cell, "F2DCDB")
        middle(cell)
    repeat_header(table.rows[0])
    for n, row in enumerate(rows, 1):
        cells = table.add_row().cells
        for cell, key, width in zip(cells, keys, widths, strict=False):
            cell.width = width
            middle(cell)
            if key == "index":
                cell_text(cell, str(n), center=True)
            elif key == "logo":
                png = logo_png(by_slug.get(row.get("slug")), 128, notes)
                picture(cell, png, DOCX_REGISTRY_LOGO_CM)
            elif key == "homepage" and is_web_address(row.get("homepage")):
                add_hyperlink(cell.paragraphs[0], str(row["homepage"]))
            else:
                cell_text(cell, str(row.get(key, "")))
    return save(doc)
