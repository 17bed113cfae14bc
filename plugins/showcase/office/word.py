"""Word helpers shared by the registry and the form: A4 pages, Chinese fonts, cells,
pictures, hyperlinks, and Markdown turned into Word paragraphs.
"""

from __future__ import annotations

import io
import re

from .logos import fit, png_size

LINK_COLOR = "0563C1"


def new_document(*, landscape: bool, font: str):
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


def title(doc, text: str, size: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.space_after = Pt(12)
    run = para.add_run(text)
    run.bold = True
    run.font.size = Pt(size)


def shade(cell, color: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), color)
    cell._tc.get_or_add_tcPr().append(shd)


def repeat_header(row) -> None:
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


def cell_text(cell, text: str, *, bold: bool = False, center: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    para = cell.paragraphs[0]
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(text)
    run.bold = bold


def picture(cell, png: bytes, box_cm: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    w, h = fit(png_size(png), box_cm)
    para = cell.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run().add_picture(io.BytesIO(png), width=Cm(w), height=Cm(h))


def middle(cell) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


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


def write_paragraphs(cell, blocks: list[tuple[str, str]]) -> None:
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
