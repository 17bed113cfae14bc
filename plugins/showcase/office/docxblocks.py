"""A Word document's body as a flat list of blocks: headings (from Word's styles), lines
with their typed or Word numbering, bold kept as Markdown, tables and pictures, in order.

The shaping into a case or a plan (typed "一、" headings, the 附录 list, the monthly
schedule, web debris) is `docimport`'s; this module only reads what Word holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .docxtext import (
    Numbering,
    _para_md,
    _run_lines,
    _typed_para,
    cell_paras,
    clean_text,
    distinct,
    join_text,
)
from .formreader import _image, _image_ids

WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass
class Block:
    kind: str
    """`h` heading (Word style), `p` line, `ol`/`ul` list item, `table`, `image`."""
    text: str = ""
    """Plain text; for a typed-numbered item without its number (see `raw`)."""
    raw: str = ""
    """The line as the author sees it, numbering included (`1、做好开学工作`)."""
    md: str = ""
    """Inline Markdown (bold as `**…**`)."""
    level: int = 0
    """Heading level (Word's 1-9; 0 for the Title style) or list depth."""
    number: int | None = None
    """The number the author typed before a list item."""
    bold: bool = False
    """The whole line is bold (a heading written by hand)."""
    rows: list[list[str]] = field(default_factory=list)
    image: tuple[bytes, str] | None = None
    alt: str = ""


_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$")


def _heading_level(paragraph, numbering: Numbering) -> int | None:
    """Word's heading level from the style (or its base styles, or the outline level)."""
    style = numbering.style(paragraph)
    depth = 0
    while style is not None and depth < 10:
        name = (style.name or "").strip().lower()
        if name in ("title", "标题"):
            return 0
        m = _HEADING_STYLE.match(name)
        if m:
            return int(m.group(1))
        style, depth = style.base_style, depth + 1
    ppr = paragraph._p.pPr
    outline = ppr.find(f"{{{W_NS}}}outlineLvl") if ppr is not None else None
    if outline is not None:
        try:
            value = int(outline.get(f"{{{W_NS}}}val", "9"))
        except ValueError:
            return None
        return value + 1 if value < 9 else None
    return None


def _pictures(document, paragraph) -> list[Block]:
    """The paragraph's pictures, each with its alt text (Word's 说明 / docPr descr)."""
    out: list[Block] = []
    for drawing in paragraph._p.iter():
        tag = drawing.tag if isinstance(drawing.tag, str) else ""
        if not tag.endswith("}drawing") and not tag.endswith("}pict"):
            continue
        alt = ""
        for doc_pr in drawing.iter(f"{{{WP_NS}}}docPr"):
            alt = clean_text(doc_pr.get("descr") or doc_pr.get("title") or "")
        for rid in _image_ids(drawing)[:1]:
            image = _image(document, rid)
            if image is not None:
                out.append(Block("image", image=image, alt=alt))
    return out


def _word_number(numbering: Numbering, paragraph) -> str:
    """The number Word shows before a numbered heading (`1.`), read from its counters."""
    info = numbering.format_of(paragraph)
    if info is None:
        return ""
    fmt, level, lvl_text, num_id = info
    n = numbering.counters.get((num_id, level))
    if not n or fmt in ("bullet", "none"):
        return ""
    return re.sub(r"%\d", str(n), lvl_text or "%1.")


def _table(table, numbering: Numbering) -> Block:
    rows: list[list[str]] = []
    for row in table.rows:
        cells = []
        for cell in distinct(row.cells):
            text = join_text(cell_paras(cell, numbering)) if cell.text.strip() else ""
            cells.append(text)
        if any(cells):
            rows.append(cells)
    return Block("table", rows=rows)


def read_blocks(document) -> list[Block]:
    """Every block of the body in reading order; empty lines dropped."""
    from docx.table import Table

    numbering = Numbering(document)
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            table = _table(item, numbering)
            if table.rows:
                blocks.append(table)
            continue
        level = _heading_level(item, numbering)
        blocks.extend(_pictures(document, item))
        for i, segments in enumerate(_run_lines(item)):
            line = clean_text("".join(t for t, _b in segments))
            if not line:
                continue
            para = numbering.para(item, line) if i == 0 else _typed_para(line)
            if level is not None and i == 0:
                prefix = _word_number(numbering, item) if para.kind == "ol" else ""
                text = f"{prefix}{para.text}" if prefix else para.text
                if para.kind == "ol" and para.number is not None:
                    text = line  # a typed number stays as typed
                blocks.append(Block("h", text=text, raw=text, md=text, level=level))
                continue
            md = _para_md(para, line, segments, heading=False)
            bold = md.startswith("### ")
            if bold:
                md = f"**{para.text}**"
            raw = line if para.kind != "p" or para.text == line else para.text
            blocks.append(
                Block(
                    para.kind,
                    text=para.text,
                    raw=raw if para.number is not None else para.text,
                    md=md,
                    level=para.level,
                    number=para.number,
                    bold=bold,
                )
            )
    return blocks
