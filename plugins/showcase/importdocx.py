"""Import: a filled 申报表 (.docx) → a project folder.

Forms are typed by hand in Word, so labels carry stray spaces and line breaks
(`申报党\\n\\n支  部`), cells are merged in every direction, and numbering is sometimes
Word's, sometimes typed. Labels are matched through the one field table
(`fields.FIELDS`, compared with `fields.normalize_label`); a label's value is the next
distinct cell in its row, or the cell below it when the label ends its row.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .fields import FIELDS, FORM_FIELDS, LONG_TEXT_FIELDS, Field, FieldType, normalize_label
from .textutil import as_date

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""Old binary Word (.doc), WPS, or an encrypted .docx."""
MAX_LABEL_CHARS = 40
MAX_UNPACKED_MB = 300
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
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
_CN_NUM = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


class ImportProblem(Exception):
    """A form that cannot be imported; the message is Chinese and names the file."""


@dataclass
class Para:
    """One line of a cell, as Markdown will see it."""

    text: str
    kind: str = "p"
    """`p` paragraph, `ol` numbered item, `ul` bullet item."""
    level: int = 0
    md: str = ""
    """The text with bold kept as `**…**` (or a `###` heading); `text` is plain."""


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
    guessed: set[str] = field(default_factory=set)
    """Keys whose value was inferred, not read (e.g. school from the branch name)."""


# --- labels -------------------------------------------------------------------------

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


# --- numbering ----------------------------------------------------------------------


class _Numbering:
    """Reads Word's list numbering: which paragraphs are numbered or bulleted, and how."""

    def __init__(self, document) -> None:
        try:
            self.root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            self.root = None
        self.counters: dict[tuple[str, int], int] = {}

    def _num_pr(self, paragraph):
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.numPr is not None:
            return ppr.numPr
        style = paragraph.style
        depth = 0
        while style is not None and depth < 10:
            spr = style.element.pPr
            if spr is not None and spr.numPr is not None:
                return spr.numPr
            style, depth = style.base_style, depth + 1
        return None

    def format_of(self, paragraph) -> tuple[str, int, str, str] | None:
        """(numFmt, level, lvlText, numId) of a numbered paragraph, or None."""
        num_pr = self._num_pr(paragraph)
        if num_pr is None:
            name = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
            if name.startswith("list number"):
                return ("decimal", 0, "%1.", name)
            if name.startswith("list bullet"):
                return ("bullet", 0, "", name)
            return None
        num_id = num_pr.numId.val if num_pr.numId is not None else None
        level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        if num_id in (None, 0):
            return None  # numId 0 switches numbering off
        fmt, text = "decimal", "%1."
        if self.root is not None:
            num = self.root.find(f"{{{W_NS}}}num[@{{{W_NS}}}numId='{num_id}']")
            abstract_id = None
            if num is not None:
                ref = num.find(f"{{{W_NS}}}abstractNumId")
                abstract_id = ref.get(f"{{{W_NS}}}val") if ref is not None else None
            if abstract_id is not None:
                lvl = self.root.find(
                    f"{{{W_NS}}}abstractNum[@{{{W_NS}}}abstractNumId='{abstract_id}']/{{{W_NS}}}lvl[@{{{W_NS}}}ilvl='{level}']"
                )
                if lvl is not None:
                    node = lvl.find(f"{{{W_NS}}}numFmt")
                    fmt = node.get(f"{{{W_NS}}}val") if node is not None else fmt
                    node = lvl.find(f"{{{W_NS}}}lvlText")
                    text = node.get(f"{{{W_NS}}}val", "") if node is not None else text
        return (fmt or "decimal", int(level), text or "", str(num_id))

    def reset(self) -> None:
        self.counters.clear()

    def para(self, paragraph, text: str) -> Para:
        info = self.format_of(paragraph)
        if info is None:
            return _typed_para(text)
        fmt, level, lvl_text, num_id = info
        if fmt in ("bullet", "none"):
            return Para(text, "ul", level)
        # a new item resets the deeper levels, as Word does
        for key in [k for k in self.counters if k[0] == num_id and k[1] > level]:
            del self.counters[key]
        n = self.counters.get((num_id, level), 0) + 1
        self.counters[(num_id, level)] = n
        if fmt.startswith(("chinese", "ideograph", "japanese", "taiwanese")):
            # 一、二、 headings stay text, written the way the form shows them
            prefix = (
                lvl_text.replace(f"%{level + 1}", _chinese_number(n))
                if lvl_text
                else f"{_chinese_number(n)}、"
            )
            return Para(re.sub(r"%\d", "", prefix) + text, "p", level)
        return Para(text, "ol", level)


def _chinese_number(n: int) -> str:
    if n <= 10:
        return _CN_NUM[n - 1]
    if n < 20:
        return "十" + _CN_NUM[n - 11]
    if n < 100:
        return _CN_NUM[n // 10 - 1] + "十" + (_CN_NUM[n % 10 - 1] if n % 10 else "")
    return str(n)


_TYPED_NUMBER = re.compile(r"^(\d{1,3})\s*[.．、)）](?!\d)\s*(.+)$")
_TYPED_BULLET = re.compile(r"^[•·●■▪◆◇○◦\-–—*]\s*(.+)$")


def _typed_para(text: str) -> Para:
    """Numbering typed by hand (`1.` `1、` `•`) becomes a Markdown list item too."""
    m = _TYPED_NUMBER.match(text)
    if m:
        return Para(m.group(2).strip(), "ol")
    m = _TYPED_BULLET.match(text)
    if m and not text.startswith("——"):
        return Para(m.group(1).strip(), "ul")
    return Para(text)


def _cell_paras(cell, numbering: _Numbering) -> list[Para]:
    """A cell's lines in order (nested tables included), numbering resolved."""
    numbering.reset()
    out: list[Para] = []
    for block in cell.iter_inner_content():
        if hasattr(block, "rows"):  # a table inside the cell
            for row in block.rows:
                texts = [_clean(c.text) for c in _distinct(row.cells)]
                line = "　".join(t for t in texts if t)
                if line:
                    out.append(Para(line))
            continue
        style = (block.style.name or "").lower() if block.style is not None else ""
        for i, segments in enumerate(_run_lines(block)):
            line = _clean("".join(t for t, _b in segments))
            if not line:
                continue
            para = numbering.para(block, line) if i == 0 else _typed_para(line)
            para.md = _para_md(para, line, segments, heading=style.startswith(("heading", "标题")))
            out.append(para)
    return out


def _run_lines(paragraph) -> list[list[tuple[str, bool]]]:
    """A paragraph's (text, bold) runs, split into lines at its line breaks."""
    lines: list[list[tuple[str, bool]]] = [[]]
    for item in paragraph.iter_inner_content():
        for run in getattr(item, "runs", None) or [item]:  # a hyperlink holds runs
            bold = bool(run.bold)
            for i, part in enumerate(
                run.text.replace("\t", " ").replace("\u00a0", " ").split("\n")
            ):
                if i:
                    lines.append([])
                if part:
                    lines[-1].append((part, bold))
    return lines


def _para_md(para: Para, line: str, segments: list[tuple[str, bool]], *, heading: bool) -> str:
    """Markdown for one line: bold runs as `**…**`; a short all-bold line (or a Word heading)
    as a `###` heading, the way authors write 一、二、 sections."""
    visible = [(t, b) for t, b in segments if t.strip(" \u3000")]
    whole_bold = bool(visible) and all(b for _t, b in visible)
    if para.kind == "p" and (
        heading
        or (
            whole_bold
            and len(para.text) <= MAX_LABEL_CHARS
            and not para.text.endswith(_SENTENCE_END)
        )
    ):
        return "### " + para.text
    if not any(b for _t, b in visible):
        md = para.text
    elif para.text == line:
        md = _bold_md(segments).strip(" \u3000")
    elif line.endswith(para.text):  # a typed `1.` was taken off the front
        raw = "".join(t for t, _b in segments)
        drop = len(raw) - len(raw.lstrip(" \u3000")) + len(line) - len(para.text)
        md = _bold_md(_drop_chars(segments, drop)).strip(" \u3000")
    elif para.text.endswith(line):  # Word's 一、 numbering written in front
        md = para.text[: len(para.text) - len(line)] + _bold_md(segments).strip(" \u3000")
    else:
        md = para.text
    if para.kind == "p":
        md = re.sub(r"^([#>+])", r"\\\1", md)  # literal text, not Markdown syntax
    return md


def _drop_chars(segments: list[tuple[str, bool]], count: int) -> list[tuple[str, bool]]:
    kept: list[tuple[str, bool]] = []
    for text, bold in segments:
        if count >= len(text):
            count -= len(text)
            continue
        kept.append((text[count:], bold))
        count = 0
    return kept


_SENTENCE_END = ("。", "；", ";", "：", ":", "，", ",", "！", "？")


def _bold_md(segments: list[tuple[str, bool]]) -> str:
    merged: list[list] = []
    for text, bold in segments:
        if merged and merged[-1][1] == bold:
            merged[-1][0] += text
        else:
            merged.append([text, bold])
    out = ""
    for text, bold in merged:
        core = text.strip(" \u3000")
        if bold and core:
            start = text.index(core)
            out += text[:start] + "**" + core + "**" + text[start + len(core) :]
        else:
            out += text
    return out


def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("\u00a0", " ").strip(" \u3000\r\n")


def _distinct(cells) -> list:
    """Each cell once: python-docx repeats a merged cell for every grid column it spans."""
    seen: set = set()
    out = []
    for cell in cells:
        if cell is None or cell._tc in seen:
            continue
        seen.add(cell._tc)
        out.append(cell)
    return out


def to_markdown(paras: list[Para]) -> str:
    """Paragraphs separated by blank lines; list items kept together, numbered `1.`, deeper
    Word levels indented under the item above."""
    lines: list[str] = []
    in_list = False
    base = 0
    counters: dict[int, int] = {}
    for para in paras:
        text = para.md or para.text
        if para.kind == "p":
            lines.extend(["", text])
            in_list = False
            continue
        if not in_list:
            lines.append("")
            in_list, base = True, para.level
            counters.clear()
        depth = max(0, para.level - base)
        for deeper in [k for k in counters if k > depth]:
            del counters[deeper]
        indent = "    " * depth
        if para.kind == "ol":
            counters[depth] = counters.get(depth, 0) + 1
            lines.append(f"{indent}{counters[depth]}. {text}")
        else:
            lines.append(f"{indent}- {text}")
    return "\n".join(lines).strip() + "\n" if lines else ""


def _join_text(paras: list[Para]) -> str:
    """A short field's lines as one line: no space between Chinese, one between Latin words."""
    out = ""
    for para in paras:
        text = para.text
        if (
            out
            and out[-1].isascii()
            and out[-1].isalnum()
            and text[:1].isascii()
            and text[:1].isalnum()
        ):
            out += " "
        out += text
    return out.strip()


# --- tables -------------------------------------------------------------------------


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


def _all_tables(container) -> list:
    out = []
    for table in container.tables:
        out.append(table)
        for row in table.rows:
            for cell in _distinct(row.cells):
                out.extend(_all_tables(cell))
    return out


@dataclass
class _Hit:
    field: Field
    label_cell: Any
    cells: list
    head: list[Para] = field(default_factory=list)
    """Text after the label inside the label cell itself (`支部意见：同意`)."""


def _label_in(cell, numbering: _Numbering) -> tuple[Field | None, list[Para]]:
    """The field a cell labels, and any value written in the same cell after the label."""
    text = cell.text
    f = match_label(text)
    if f is not None:
        return f, []
    lines = [_clean(t) for t in text.split("\n") if _clean(t)]
    if not lines:
        return None, []
    m = re.match(rf"^(.{{1,{MAX_LABEL_CHARS}}}?)[：:]\s*(.*)$", lines[0])
    if m and (f := match_label(m.group(1))) is not None and f.type is FieldType.OPINION:
        # the opinion box often holds its own label on top
        paras = _cell_paras(cell, numbering)
        rest = ([Para(m.group(2))] if m.group(2) else []) + paras[1:]
        return f, rest
    for n in range(1, min(len(lines), 4)):
        head = "".join(lines[:n])
        if (f := match_label(head)) is not None and f.type is FieldType.OPINION:
            return f, _cell_paras(cell, numbering)[n:]
    return None, []


def find_fields(document) -> tuple[list[_Hit], _Numbering]:
    """Every labelled cell of every table, with the cells that hold its value."""
    numbering = _Numbering(document)
    hits: list[_Hit] = []
    found: set[str] = set()
    used: set = set()
    """`w:tc` elements already read; holding them keeps their identity stable."""
    for table in _all_tables(document):
        grid = _grid(table)
        labels: dict = {}

        def label_of(cell, labels=labels):
            key = cell._tc
            if key not in labels:
                labels[key] = _label_in(cell, numbering)
            return labels[key]

        for r, row in enumerate(grid):
            distinct = _distinct(row)
            for cell in distinct:
                if cell._tc in used:
                    continue
                f, head = label_of(cell)
                if f is None or f.key in found:
                    continue
                used.add(cell._tc)
                found.add(f.key)
                hit = _Hit(f, cell, [], head)
                hits.append(hit)
                if head:
                    continue
                # the value: the next distinct cell of this row, and of every row the label spans
                c = row.index(cell)
                rr = r
                while (
                    rr < len(grid)
                    and c < len(grid[rr])
                    and grid[rr][c] is not None
                    and grid[rr][c]._tc is cell._tc
                ):
                    line = _distinct(grid[rr])
                    pos = next(k for k, x in enumerate(line) if x._tc is cell._tc)
                    if pos + 1 < len(line):
                        value = line[pos + 1]
                        if value._tc not in used and label_of(value)[0] is None:
                            hit.cells.append(value)
                            used.add(value._tc)
                    rr += 1
                if hit.cells:
                    continue
                # a label that ends its row: its value is the cell below
                if rr < len(grid) and c < len(grid[rr]) and grid[rr][c] is not None:
                    below = grid[rr][c]
                    if below._tc not in used and label_of(below)[0] is None:
                        hit.cells.append(below)
                        used.add(below._tc)
    return hits, numbering


# --- images -------------------------------------------------------------------------


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
    from PIL import Image as PILImage

    try:
        with PILImage.open(io.BytesIO(data)) as img:
            img.verify()
        if ext in ("png", "jpg"):
            return data, ext
        with PILImage.open(io.BytesIO(data)) as img:
            img.load()
            out = io.BytesIO()
            img.convert("RGBA").save(out, "PNG")
            return out.getvalue(), "png"
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError):
        return None


def _find_logo(document, hits: list[_Hit], data: FormData) -> None:
    hit = next((h for h in hits if h.field.key == "logo"), None)
    places = []
    if hit is not None:
        places = [c._tc for c in hit.cells] + [hit.label_cell._tc]
    for element in places:
        for rid in _image_ids(element):
            image = _image(document, rid)
            if image:
                data.logo = image
                return
            data.notes.append("LOGO 单元格里的图片无法读取（格式不支持或已损坏）")
    for rid in _image_ids(document.element.body):
        image = _image(document, rid)
        if image:
            data.logo = image
            data.notes.append("LOGO 栏目里没有图片，已使用文档中的第一张图片作为 LOGO，请核对")
            return
    data.notes.append("没有找到 LOGO 图片：请把标识图片命名为 logo.png 放进项目文件夹")


# --- values -------------------------------------------------------------------------

_INDICATOR_MARK = re.compile(r"(显性指标|隐性指标)\s*[:：]?")
_ITEM_PREFIX = re.compile(
    r"^\s*(?:[(（]\s*\d{1,3}\s*[)）]|\d{1,3}\s*[.．、)）](?!\d)|["
    + _CIRCLED
    + r"]|[•·●■▪◆\-–*])\s*"
)


def _indicator_item(text: str) -> Any:
    from .export import TARGET_NOTE

    text = _ITEM_PREFIX.sub("", text).strip().strip("；;，,、").strip()
    if not text:
        return None
    m = TARGET_NOTE.search(text)
    if m:
        number = float(m.group(1))
        item: dict[str, Any] = {
            "text": text[: m.start()].strip(),
            "target": int(number) if number.is_integer() else number,
        }
        if m.group(2).strip():
            item["unit"] = m.group(2).strip()
        return item
    return text


def parse_indicators(paras: list[Para], notes: list[str]) -> dict[str, list]:
    """显性指标 / 隐性指标: the text split on those words, one item per line or `；`."""
    groups: dict[str, list] = {"explicit": [], "implicit": []}
    kind: str | None = None
    unmarked = False
    for para in paras:
        pieces = _INDICATOR_MARK.split(para.text)
        # pieces: text before the first mark, then (mark, text after it) pairs
        segments = [(None, pieces[0])] + [
            (pieces[i], pieces[i + 1]) for i in range(1, len(pieces) - 1, 2)
        ]
        for mark, segment in segments:
            if mark is not None:
                kind = "explicit" if mark.startswith("显") else "implicit"
            if not _ITEM_PREFIX.sub("", segment).strip(" ：:；;，,、一二三四五六七八九十"):
                continue
            if kind is None:
                unmarked = True
            for piece in re.split(r"[；;]", segment):
                item = _indicator_item(piece)
                if item is not None:
                    groups[kind or "explicit"].append(item)
    if unmarked:
        notes.append("显性及隐性指标：没有“显性指标/隐性指标”字样的文字已归入显性指标，请核对")
    return {k: v for k, v in groups.items() if v}


_SIGN = re.compile(
    r"(?:(?:(?:党?支部|总支)?书记|负责人)\s*签\s*[字名章]\s*[:：]?|签\s*[字名]\s*[:：])\s*(.*)$"
)
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_SEAL = re.compile(r"[（(]?\s*(?:盖\s*章|公\s*章|印\s*章)\s*[）)]?")


def parse_opinion(paras: list[Para]) -> dict[str, Any] | None:
    """The opinion box: its text, the signer after 书记签字：, the date; blanks left out."""
    text_lines: list[str] = []
    signed_by = ""
    date: _dt.date | None = None
    for para in paras:
        line = para.text
        m = _DATE.search(line)
        if m:
            date = as_date(m.group()) or date
            line = line[: m.start()] + line[m.end() :]
        m = _SIGN.search(line)
        if m:
            signer = _SEAL.sub("", m.group(1))
            signed_by = re.sub(r"[\s\u3000_＿]+", "", signer) or signed_by
            line = line[: m.start()]
        line = _SEAL.sub("", line)
        line = re.sub(r"^[\s\u3000]*年[\s\u3000]*月[\s\u3000]*日[\s\u3000]*$", "", line)
        line = line.strip(" \u3000_＿")
        if line:
            text_lines.append(line)
    out: dict[str, Any] = {}
    if text_lines:
        out["text"] = "\n".join(text_lines)
    if signed_by:
        out["signed_by"] = signed_by
    if date:
        out["date"] = date
    return out or None


def _value(hit: _Hit, numbering: _Numbering, data: FormData) -> None:
    f = hit.field
    paras = list(hit.head)
    for cell in hit.cells:
        paras.extend(_cell_paras(cell, numbering))
    label = f.form_label or f.label
    if f.key == "logo":
        return
    if f.type is FieldType.MARKDOWN:
        text = to_markdown(paras)
        if text.strip():
            data.texts[f.key] = text
    elif f.type is FieldType.INDICATORS:
        groups = parse_indicators(paras, data.notes)
        if groups:
            data.values[f.key] = groups
    elif f.type is FieldType.OPINION:
        opinion = parse_opinion(paras)
        if opinion:
            data.values[f.key] = opinion
    elif f.type is FieldType.INTEGER:
        text = unicodedata.normalize("NFKC", _join_text(paras))
        if not text:
            return
        m = re.search(r"\d+", text)
        if m:
            data.values[f.key] = int(m.group())
        else:
            data.notes.append(f"“{label}”填写的“{text}”不是数字，未导入")
    elif f.type is FieldType.LIST:
        items = [x.strip() for x in re.split(r"[,，、;；\s]+", _join_text(paras)) if x.strip()]
        if items:
            data.values[f.key] = items
    else:
        text = _join_text(paras)
        if text:
            data.values[f.key] = text


def read_form(path: Path) -> FormData:
    """Read one .docx form. Raises ImportProblem (Chinese message) when it is no form."""
    from docx import Document

    try:
        document = Document(str(path))
    except Exception as exc:  # python-docx raises many types for a damaged package
        raise ImportProblem(
            f"无法打开：不是有效的 Word（.docx）文件，或文件已损坏（{type(exc).__name__}）"
        ) from exc
    hits, numbering = find_fields(document)
    data = FormData(source=path)
    for hit in hits:
        data.found.add(hit.field.key)
        _value(hit, numbering, data)
    if not hits:
        raise ImportProblem("文件里没有找到申报表的表格（如“项目名称”“申报党支部”等栏目），未导入")
    _find_logo(document, hits, data)
    return data


# --- converting old .doc ------------------------------------------------------------


def _as_docx(path: Path, workdir: Path) -> Path:
    """The .docx to read: the file itself, or a LibreOffice conversion of an old .doc."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ImportProblem(f"无法读取文件：{exc.strerror or exc}") from exc
    if head == OLE_MAGIC or path.suffix.lower() in (".doc", ".wps"):
        office = shutil.which("soffice") or shutil.which("libreoffice")
        if office is None:
            raise ImportProblem(
                "这是旧版 Word 格式（.doc）或加密文件，无法直接读取。请用 Word 或 WPS 打开，"
                "“另存为”Word 文档（*.docx）后再导入；或安装 LibreOffice 后重试（会自动转换）。"
            )
        outdir = workdir / "converted"
        outdir.mkdir(exist_ok=True)
        profile = (workdir / "lo-profile").resolve().as_uri()
        try:
            subprocess.run(
                [
                    office,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--convert-to",
                    "docx",
                    "--outdir",
                    str(outdir),
                    str(path),
                ],
                capture_output=True,
                timeout=180,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ImportProblem(
                f"用 LibreOffice 转换 .doc 失败（{type(exc).__name__}），请手动另存为 .docx"
            ) from exc
        converted = outdir / (path.stem + ".docx")
        if not converted.is_file():
            raise ImportProblem(
                "用 LibreOffice 转换 .doc 失败（可能是加密文件），请用 Word 或 WPS 另存为 .docx 后再导入"
            )
        return converted
    if not zipfile.is_zipfile(path):
        raise ImportProblem("不是 Word（.docx）文件：请用 Word 或 WPS 另存为 .docx 后再导入")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportProblem(f"文件已损坏，无法打开（{type(exc).__name__}）") from exc
    if unpacked > MAX_UNPACKED_MB * 1024 * 1024:
        # a form is a few megabytes; this much is a damaged or hostile file
        raise ImportProblem(f"文件解压后超过 {MAX_UNPACKED_MB} MB，不像是申报表，未导入")
    return path


# --- writing the project folder -----------------------------------------------------

_BRANCH_SUFFIX = re.compile(r"(党?总?支部委员会|党总支部?|党支部|党委|总支部?|支部)$")
_BAD_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def school_from_branch(branch: str) -> str:
    """`中共青禾路小学党支部` → `青禾路小学`."""
    name = re.sub(r"^(中共|中国共产党)", "", branch.strip())
    return _BRANCH_SUFFIX.sub("", name).strip() or name


def folder_name(data: FormData) -> str:
    """The project folder: the school's name from the branch name, else the form's file name."""
    branch = data.values.get("branch") or ""
    name = school_from_branch(branch) if branch else data.source.stem
    name = _BAD_CHARS.sub("", name).strip(" .\u3000")
    return name[:60] or "导入的项目"


def _dump(key: str, value: Any) -> str:
    return yaml.safe_dump(
        {key: value}, allow_unicode=True, sort_keys=False, default_flow_style=False, width=4096
    )


def project_yaml(data: FormData, logo_name: str | None) -> str:
    """project.yml with a Chinese comment over each field, in the field table's order."""
    lines = [
        f"# 由 showcase import-docx 从《{data.source.name}》导入。请逐项核对；",
        "# 以 # 开头的行是说明，不影响网站。长文字在同一文件夹的 .md 文件中。",
        "",
    ]
    long_keys = {f.key for f in LONG_TEXT_FIELDS}
    for f in FIELDS:
        if f.key in long_keys:
            if f.key in data.texts:
                lines.append(f"# {f.heading}：见 {f.key}.md")
            continue
        if f.key == "logo":
            if logo_name:
                lines.append(f"# {f.heading}：已从申报表中取出，保存为 {logo_name}")
            continue
        value = data.values.get(f.key)
        notes = []
        if f.required:
            notes.append("必填")
        if f.personal:
            notes.append("个人信息，网站默认不公开")
        if f.key in data.guessed:
            notes.append("由支部名称推断，请核对")
        comment = f"# {f.label}" + (f"（{'；'.join(notes)}）" if notes else "")
        if value not in (None, "", [], {}):
            lines.append(comment)
            lines.append(_dump(f.key, value).rstrip("\n"))
        elif f.required:
            extra = "，按 Word 字数不超过 200 字" if f.key == "summary" else ""
            lines.append(
                f"# {f.label}（必填{extra}）：申报表中没有这一项，请补写后删去下一行行首的 #"
            )
            lines.append(f"# {f.key}: ")
    return "\n".join(lines).rstrip("\n") + "\n"


def write_project(data: FormData, output: Path) -> Path:
    """Write the folder under `output`; refuses an existing folder (never overwrites)."""
    name = folder_name(data)
    target = output / name
    if target.exists():
        raise ImportProblem(
            f"项目文件夹 {target} 已存在，未覆盖。如需重新导入，请先删除或改名这个文件夹"
        )
    if data.values.get("branch") and "school" not in data.values:
        school = school_from_branch(data.values["branch"])
        if school and school != data.values["branch"]:
            data.values["school"] = school
            data.guessed.add("school")
    output.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".importing", dir=output))
    try:
        logo_name = None
        if data.logo is not None:
            blob, ext = data.logo
            logo_name = f"logo.{ext}"
            (tmp / logo_name).write_bytes(blob)
        for key, text in data.texts.items():
            (tmp / f"{key}.md").write_text(text, encoding="utf-8")
        (tmp / "project.yml").write_text(project_yaml(data, logo_name), encoding="utf-8")
        if target.exists():
            raise ImportProblem(f"项目文件夹 {target} 已存在，未覆盖")
        os.chmod(tmp, 0o755)  # mkdtemp makes folders private; this one is zipped and shared
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def missing_report(data: FormData) -> list[str]:
    """What the form did not give, in Chinese, for the person importing it."""
    out = []
    for f in FORM_FIELDS:
        label = f.form_label or f.label
        if f.key not in data.found:
            out.append(f"未找到“{label}”栏目")
        elif f.key == "logo":
            continue  # the picture search reports on it
        elif f.key not in data.values and f.key not in data.texts:
            if f.type is FieldType.OPINION:
                out.append(f"“{label}”为空（在打印的申报表上签字盖章即可）")
            else:
                out.append(f"“{label}”没有填写")
    for f in FIELDS:
        if f.required and f.form_label is None and f.key not in data.found:
            out.append(f"申报表中没有“{f.label}”（必填）：请在 project.yml 中补写 {f.key}")
    return out


def run_import(forms: list[Path], output: Path) -> int:
    """`showcase import-docx`: each form → a project folder; exit code 1 if any form failed."""
    import click

    from .load import load_project

    failed = 0
    for form in forms:
        with tempfile.TemporaryDirectory(prefix="showcase-import-") as work:
            try:
                docx_path = _as_docx(form, Path(work))
                data = read_form(docx_path)
                data.source = form
                target = write_project(data, output)
            except ImportProblem as exc:
                click.echo(f"✗ {form}：{exc}", err=True)
                failed += 1
                continue
            except Exception as exc:  # one bad form must not stop the others
                click.echo(f"✗ {form}：导入时出错（{type(exc).__name__}: {exc}），未导入", err=True)
                failed += 1
                continue
        click.echo(f"✓ {form} → {target}")
        for line in data.notes + missing_report(data):
            click.echo(f"  · {line}")
        # what loading the new folder still finds (a required field told above is not repeated)
        told = {
            f.key for f in FIELDS if f.required and f.form_label is None and f.key not in data.found
        }
        project = load_project(target)
        for finding in project.findings:
            if finding.is_error and finding.field not in told:
                click.echo(f"  · 检查：{finding.format()}")
    if len(forms) > 1:
        click.echo(f"共 {len(forms)} 份申报表：导入 {len(forms) - failed} 份，失败 {failed} 份")
    return 1 if failed else 0
