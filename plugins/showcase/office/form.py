"""Export: the form (Table 2, the 申报表) as a Word document laid out like the paper one,
with the personal fields (an internal document) and a blank cell for signature and seal.
"""

from __future__ import annotations

from ..core.fields import FORM_FIELDS, FORM_FOOTNOTE, FORM_TITLE, Field, FieldType
from ..core.model import Indicator, Opinion, Project
from ..core.settings import Settings
from ..core.textutil import chinese_date
from .logos import logo_png
from .word import (
    cell_text,
    markdown_paragraphs,
    middle,
    new_document,
    picture,
    plain_text,
    save,
    shade,
    title,
    write_paragraphs,
)

SIGN_LABEL = "书记签字："


SEAL_LABEL = "（盖章）"


BLANK_DATE = "　　年　　月　　日"


DOCX_FORM_LOGO_CM = 4.0


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


def indicator_text(indicator: Indicator) -> str:
    """`区级学科带头人（目标：20人）`, `储备库教师占比（目标：不低于10%）`: the target as
    written, which import reads back (`fields.TARGET_NOTE`)."""
    text = indicator.text
    if indicator.target is not None:
        text += f"（目标：{indicator.target_label}）"
    return text


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

    doc = new_document(landscape=False, font="宋体")
    title(doc, FORM_TITLE, 20)
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
            middle(cell)
        if len(fields) == 2:
            pairs = [(cells[0], cells[1], fields[0]), (cells[2], cells[3], fields[1])]
        else:
            value_cell = cells[1].merge(cells[3])
            pairs = [(cells[0], value_cell, fields[0])]
        for label_cell, value_cell, field in pairs:
            cell_text(label_cell, field.form_label or field.label, bold=True, center=True)
            shade(label_cell, "F2F2F2")
            if field.key == "logo":
                png = logo_png(project, 256, notes)
                picture(value_cell, png, DOCX_FORM_LOGO_CM)
                row.height = Cm(DOCX_FORM_LOGO_CM + 0.8)
            elif field.type is FieldType.OPINION:
                _opinion_cell(value_cell, project.get(field.key))
                row.height = Cm(4.5)
            elif field.type in (FieldType.MARKDOWN, FieldType.INDICATORS):
                write_paragraphs(value_cell, _form_value_blocks(project, field))
                row.height = Cm(3.5)
            else:
                blocks = _form_value_blocks(project, field)
                cell_text(value_cell, blocks[0][1] if blocks else "")
                row.height = Cm(1.1)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    note = doc.add_paragraph()
    note.paragraph_format.space_before = Pt(6)
    note.alignment = WD_ALIGN_PARAGRAPH.LEFT
    run = note.add_run(FORM_FOOTNOTE)
    run.font.size = Pt(10.5)
    doc.core_properties.title = f"{FORM_TITLE}：{project.title}"
    return save(doc)
