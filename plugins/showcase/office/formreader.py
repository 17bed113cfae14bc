"""Finding the form's labelled cells in a .docx, and the logo picture.

Labels carry stray spaces and line breaks (`申报党\n\n支  部`) and cells are merged
in every direction. Labels are matched through the one field table (`FIELDS`,
compared with `normalize_label`); a label's value is the next distinct cell in its
row, or the cell below it when the label ends its row.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from ..core.fields import FIELDS, REGISTRY_FIELDS, Field, FieldType, normalize_label
from ..core.findings import Finding
from ..core.imaging import open_image
from .docxtext import MAX_LABEL_CHARS, Numbering, Para, cell_paras, clean_text, distinct

SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


V_NS = "urn:schemas-microsoft-com:vml"


IMAGE_TYPES = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/svg+xml": "svg",
    "image/gif": "gif",
    "image/bmp": "bmp",
    "image/x-ms-bmp": "bmp",
    "image/tiff": "tiff",
}


class ImportProblem(Exception):
    """A form that cannot be imported; the message is Chinese and names the file."""


def open_docx(path: Path) -> Any:
    """python-docx's Document, or ImportProblem (in Chinese) for a damaged or foreign file."""
    from docx import Document

    try:
        return Document(str(path))
    except Exception as exc:  # python-docx raises many types for a damaged package
        raise ImportProblem(
            f"无法打开：不是有效的 Word（.docx）文件，或文件已损坏（{type(exc).__name__}）"
        ) from exc


@dataclass
class FormData:
    source: Path
    values: dict[str, Any] = field(default_factory=dict)
    """Short fields (text, integer, indicators, opinion) by field key, ready for project.yml."""
    texts: dict[str, str] = field(default_factory=dict)
    """Long fields by key, as Markdown."""
    logo: tuple[bytes, str] | None = None
    """Image bytes and file extension."""
    found: set[str] = field(default_factory=set)
    """Keys whose label was found on the form (filled or not)."""
    notes: list[str] = field(default_factory=list)
    guessed: dict[str, str] = field(default_factory=dict)
    """Keys whose value was inferred, not read, and how (school from the branch name)."""
    places: dict[str, str] = field(default_factory=dict)
    """Keys read from the form and where: `表二（申报表）第 3 行`."""
    findings: list[Finding] = field(default_factory=list)
    """What the person importing must check (two tables that disagree)."""


_NOTE = re.compile(r"[（(][^（）()]*[）)]")


def _strip_notes(label: str) -> str:
    """`精品项目简介（200字以内）` → `精品项目简介`: the form's hints in brackets dropped."""
    return _NOTE.sub("", label)


def _label_index() -> tuple[dict[str, Field], dict[str, Field]]:
    exact: dict[str, Field] = {}
    loose: dict[str, Field] = {}
    for f in FIELDS:
        for label in f.labels:
            norm = normalize_label(label)
            exact.setdefault(norm, f)
            loose.setdefault(_strip_notes(norm), f)
    return exact, loose


_EXACT, _LOOSE = _label_index()


def match_label(text: str) -> Field | None:
    """The field a form label names, whatever spaces, line breaks and hints it carries."""
    norm = normalize_label(
        unicodedata.normalize("NFKC", text).replace("（", "(").replace("）", ")")
    )
    norm = norm.strip("：:*＊★")
    if not norm or len(norm) > MAX_LABEL_CHARS:
        return None
    if norm in _EXACT:
        return _EXACT[norm]
    return _LOOSE.get(_strip_notes(norm))


def _grid(table) -> list[list]:
    """Each row's cells on the layout grid (merged cells repeated, missing ones None)."""
    rows = []
    for row in table.rows:
        try:
            before = row.grid_cols_before
        except (AttributeError, ValueError):
            before = 0
        rows.append([None] * before + list(row.cells))
    return rows


REGISTRY, FORM = "registry", "form"
TABLE_NAMES = {REGISTRY: "表一（登记表）", FORM: "表二（申报表）"}


@dataclass
class Hit:
    field: Field
    label_cell: Any
    cells: list
    head: list[Para] = field(default_factory=list)
    """Text after the label inside the label cell itself (`支部意见：同意`)."""
    table: str = FORM
    """REGISTRY (表一, a header row over data rows) or FORM (表二, labelled cells)."""
    place: str = ""
    """Where the value was read, in Chinese: `表二（申报表）第 3 行`."""


_COLON_HEAD = re.compile(rf"^(.{{1,{MAX_LABEL_CHARS}}}?)[：:]\s*(.*)$")


def _label_in(cell, numbering: Numbering) -> tuple[Field | None, list[Para]]:
    """The field a cell labels, and any value written in the same cell after the label:
    `精品标识释义：标识整体为圆形…` in one merged cell, or the label on its own first line
    above the text."""
    text = cell.text
    f = match_label(text)
    if f is not None:
        return f, []
    lines = [clean_text(t) for t in text.split("\n") if clean_text(t)]
    if not lines:
        return None, []
    m = _COLON_HEAD.match(lines[0])
    if m and (f := match_label(m.group(1))) is not None:
        paras = cell_paras(cell, numbering)
        rest = ([Para(m.group(2))] if m.group(2) else []) + paras[1:]
        return f, rest
    for n in range(1, min(len(lines), 4)):
        head = "".join(lines[:n])
        f = match_label(head)
        # a short alias (标识, 简介) alone on a line is too common in text to be a label
        if f is not None and (f.type is FieldType.OPINION or len(normalize_label(head)) >= 4):
            return f, cell_paras(cell, numbering)[n:]
    return None, []


def table_kind(table) -> str:
    """REGISTRY when a row holds three or more of Table 1's column headers side by side."""
    registry = {f.key for f in REGISTRY_FIELDS}
    for row in table.rows:
        keys = {f.key for c in distinct(row.cells) if (f := match_label(c.text)) is not None}
        if len(keys & registry) >= 3:
            return REGISTRY
    return FORM


def _top_tables(document) -> list[tuple[Any, str, str]]:
    """Every table (nested ones after their parent) with its kind and its name for the
    report; a nested table belongs to its parent's kind."""
    out: list[tuple[Any, str, str]] = []
    tops = list(document.tables)
    kinds = [table_kind(t) for t in tops]
    for table, kind in zip(tops, kinds, strict=True):
        name = TABLE_NAMES[kind]
        if kinds.count(kind) > 1:
            name += f"第 {[t for t, k in zip(tops, kinds, strict=True) if k == kind].index(table) + 1} 个表格"
        for t in _all_tables_of(table):
            out.append((t, kind, name))
    return out


def _all_tables_of(table) -> list:
    out = [table]
    for row in table.rows:
        for cell in distinct(row.cells):
            for inner in cell.tables:
                out.extend(_all_tables_of(inner))
    return out


def find_fields(document) -> tuple[list[Hit], Numbering]:
    """Every labelled cell of every table, with the cells that hold its value: 表二's
    labelled cells, and each branch of 表一 (see `find_records`) one after the other. A
    field is found once per table and branch; the import chooses between tables."""
    hits, numbering, records = find_records(document)
    return hits + [h for record in records for h in record], numbering


def find_records(document) -> tuple[list[Hit], Numbering, list[list[Hit]]]:
    """(表二's hits, numbering, one list of hits per branch found in 表一).

    表一 comes laid out as header rows over value rows (one row per branch when a
    district merges the returns), as label/value rows (`精品项目名称 | …`, the value
    merged across the row), or both in one small table per branch."""
    numbering = Numbering(document)
    hits: list[Hit] = []
    records: list[list[Hit]] = []
    used: set = set()
    """`w:tc` elements already read; holding them keeps their identity stable."""
    found_in: dict[str, set[str]] = {}
    for table, kind, name in _top_tables(document):
        labels: dict = {}

        def label_of(cell, labels=labels):
            key = cell._tc
            if key not in labels:
                labels[key] = _label_in(cell, numbering)
            return labels[key]

        if kind == REGISTRY:
            records.extend(_registry_records(table, name, label_of, used))
        else:
            hits.extend(_form_hits(table, name, label_of, used, found_in.setdefault(name, set())))
    return hits, numbering, records


def _pair_value(row: list, cell, f: Field, label_of, used: set, hit: Hit) -> None:
    """The value of a label in a label/value row: the next distinct cell of the row (the
    label written again in it is dropped)."""
    line = distinct(row)
    pos = next(k for k, x in enumerate(line) if x._tc is cell._tc)
    if pos + 1 < len(line):
        value = line[pos + 1]
        other, again = label_of(value)
        if value._tc not in used and other is None:
            hit.cells.append(value)
            used.add(value._tc)
        elif value._tc not in used and other is f:
            hit.head.extend(again)
            used.add(value._tc)


def _form_hits(table, name: str, label_of, used: set, found: set[str]) -> list[Hit]:
    """表二: labelled cells; a value beside its label, or below a label that ends its row."""
    grid = _grid(table)
    hits: list[Hit] = []
    for r, row in enumerate(grid):
        for cell in distinct(row):
            if cell._tc in used:
                continue
            f, head = label_of(cell)
            if f is None or f.key in found:
                continue
            used.add(cell._tc)
            found.add(f.key)
            hit = Hit(f, cell, [], head, FORM, f"{name}第 {r + 1} 行")
            hits.append(hit)
            if head:
                hit.place += "（与栏目名在同一格）"
                continue
            c = row.index(cell)
            rr = r
            # the value: the next distinct cell of this row, and of every row the label spans
            while (
                rr < len(grid)
                and c < len(grid[rr])
                and grid[rr][c] is not None
                and grid[rr][c]._tc is cell._tc
            ):
                _pair_value(grid[rr], cell, f, label_of, used, hit)
                rr += 1
            if hit.cells or hit.head:
                continue
            # a label that ends its row: the cell below
            if rr < len(grid) and c < len(grid[rr]) and grid[rr][c] is not None:
                below = grid[rr][c]
                if below._tc not in used and label_of(below)[0] is None:
                    hit.cells.append(below)
                    used.add(below._tc)
                    hit.place = f"{name}第 {rr + 1} 行（“{f.form_label or f.label}”下方）"
    return hits


def _has_content(cell) -> bool:
    return bool(clean_text(cell.text)) or bool(_image_ids(cell._tc))


def _registry_records(table, name: str, label_of, used: set) -> list[list[Hit]]:
    """表一's branches: a header row (two or more labels side by side) makes each later
    row with content a new branch, its cells read by column; a label/value row adds its
    field to the branch above (or starts one). Empty rows are skipped."""
    grid = _grid(table)
    records: list[list[Hit]] = []
    header: list[tuple[int, Field, Any]] = []
    current: list[Hit] | None = None
    for r, row in enumerate(grid):
        cells = distinct(row)
        if cells and all(c._tc in used for c in cells):
            continue  # read already: the value row under a label that ended its row
        labelled = [(c, *label_of(c)) for c in cells]
        labels = [(c, f, head) for c, f, head in labelled if f is not None]
        others = [c for c, f, _h in labelled if f is None and clean_text(c.text)]
        if len(labels) >= 2 and len(others) < len(labels):  # 序号 beside the headers
            header = [(row.index(c), f, c) for c, f, _h in labels]
            current = None
            continue
        if labels:
            if current is None:
                current = []
                records.append(current)
            for cell, f, head in labels:
                if cell._tc in used or any(h.field.key == f.key for h in current):
                    continue
                used.add(cell._tc)
                hit = Hit(f, cell, [], head, REGISTRY, f"{name}第 {r + 1} 行")
                if head:
                    hit.place += "（与栏目名在同一格）"
                else:
                    _pair_value(row, cell, f, label_of, used, hit)
                c = row.index(cell)
                if not (hit.cells or hit.head) and r + 1 < len(grid) and c < len(grid[r + 1]):
                    below = grid[r + 1][c]  # a label alone on its row: the value under it
                    if below is not None and below._tc not in used and label_of(below)[0] is None:
                        hit.cells.append(below)
                        used.add(below._tc)
                        hit.place = f"{name}第 {r + 2} 行（“{clean_text(cell.text)}”下方）"
                current.append(hit)
            continue
        if not header or not any(_has_content(c) for c in cells):
            continue
        current = []
        records.append(current)
        for c, f, head_cell in header:
            if c < len(row) and row[c] is not None and row[c]._tc not in used:
                used.add(row[c]._tc)
                current.append(
                    Hit(
                        f,
                        head_cell,
                        [row[c]],
                        [],
                        REGISTRY,
                        f"{name}第 {r + 1} 行“{clean_text(head_cell.text)}”列",
                    )
                )
    return [record for record in records if record]


def _image_ids(element) -> list[str]:
    """Relationship ids of pictures inside an element, in order; an SVG beats its PNG copy."""
    ids: list[str] = []
    for node in element.iter():
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == f"{{{A_NS}}}blip":
            svg = next((n for n in node.iter(f"{{{SVG_NS}}}svgBlip")), None)
            if svg is not None and svg.get(f"{{{R_NS}}}embed"):
                ids.append(svg.get(f"{{{R_NS}}}embed"))
            if node.get(f"{{{R_NS}}}embed"):
                ids.append(node.get(f"{{{R_NS}}}embed"))
        elif tag == f"{{{V_NS}}}imagedata" and node.get(f"{{{R_NS}}}id"):
            ids.append(node.get(f"{{{R_NS}}}id"))
    return ids


def _image(document, rid: str) -> tuple[bytes, str] | None:
    """A picture's bytes as a PNG, JPG or SVG file (other raster types converted to PNG)."""
    part = document.part.related_parts.get(rid)
    if part is None:
        return None
    ext = IMAGE_TYPES.get((part.content_type or "").lower())
    if ext is None:
        return None
    data = part.blob
    if ext == "svg":
        return data, "svg"
    try:
        with open_image(io.BytesIO(data)) as img:
            img.verify()
        if ext in ("png", "jpg"):
            return data, ext
        with open_image(io.BytesIO(data)) as img:
            img.load()
            out = io.BytesIO()
            img.convert("RGBA").save(out, "PNG")
            return out.getvalue(), "png"
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def find_logo(document, hits: list[Hit], data: FormData) -> None:
    """The logo: the picture in 表二's LOGO cell, else 表一's, else the document's first
    picture (a guess, said so)."""
    logo_hits = sorted((h for h in hits if h.field.key == "logo"), key=lambda h: h.table != FORM)
    for hit in logo_hits:
        for element in [c._tc for c in hit.cells] + [hit.label_cell._tc]:
            for rid in _image_ids(element):
                image = _image(document, rid)
                if image:
                    data.logo = image
                    data.places["logo"] = hit.place
                    return
                data.notes.append("LOGO 单元格里的图片无法读取（格式不支持或已损坏）")
    for rid in _image_ids(document.element.body):
        image = _image(document, rid)
        if image:
            data.logo = image
            data.guessed["logo"] = "LOGO 栏目里没有图片，用了文档中的第一张图片"
            data.notes.append("LOGO 栏目里没有图片，已使用文档中的第一张图片作为 LOGO，请核对")
            return
    data.notes.append("没有找到 LOGO 图片：请把标识图片命名为 logo.png 放进项目文件夹")
