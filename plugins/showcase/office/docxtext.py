"""Text of Word table cells as Markdown: Word's own numbering and typed numbering,
bullets, bold, headings.

Forms are typed by hand in Word, so the same list may be numbered by Word (a
`numPr` on the paragraph) or by hand ("1.", "一、"); both become Markdown lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.textutil import OWN_NUMBERING

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


_CN_NUM = "一二三四五六七八九十"


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


MAX_LABEL_CHARS = 40
"""A label, or a short bold line taken as a heading, is at most this long."""


def distinct(cells) -> list:
    """Each cell once: python-docx repeats a merged cell for every grid column it spans."""
    seen: set = set()
    out = []
    for cell in cells:
        if cell is None or cell._tc in seen:
            continue
        seen.add(cell._tc)
        out.append(cell)
    return out


@dataclass
class Para:
    """One line of a cell, as Markdown will see it."""

    text: str
    kind: str = "p"
    """`p` paragraph, `ol` numbered item, `ul` bullet item."""
    level: int = 0
    md: str = ""
    """The text with bold kept as `**…**` (or a `###` heading); `text` is plain."""
    number: int | None = None
    """The number the author typed (`3、…`), kept in the Markdown rather than renumbered."""


class Numbering:
    """Reads Word's list numbering: which paragraphs are numbered or bulleted, and how."""

    def __init__(self, document) -> None:
        try:
            self.root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            self.root = None
        self.counters: dict[tuple[str, int], int] = {}
        self._styles: dict[str | None, object] = {}

    def style(self, paragraph):
        """The paragraph's style, looked up once per style id (python-docx scans every
        style for the default one on each lookup: slow on long documents)."""
        key = paragraph._p.style
        if key not in self._styles:
            self._styles[key] = paragraph.style
        return self._styles[key]

    def _num_pr(self, paragraph):
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.numPr is not None:
            return ppr.numPr
        style = self.style(paragraph)
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
            style = self.style(paragraph)
            name = (style.name or "").lower() if style is not None else ""
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
        if info is None or OWN_NUMBERING.match(text):
            # a pasted item carries its own number (1、 （一） ①) inside Word's list: the
            # author's number is what they see and mean; Word's would number it twice
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
        return Para(m.group(2).strip(), "ol", number=int(m.group(1)))
    m = _TYPED_BULLET.match(text)
    if m and not text.startswith("——"):
        return Para(m.group(1).strip(), "ul")
    return Para(text)


def cell_paras(cell, numbering: Numbering) -> list[Para]:
    """A cell's lines in order (nested tables included), numbering resolved."""
    numbering.reset()
    out: list[Para] = []
    for block in cell.iter_inner_content():
        if hasattr(block, "rows"):  # a table inside the cell
            for row in block.rows:
                texts = [clean_text(c.text) for c in distinct(row.cells)]
                line = "　".join(t for t in texts if t)
                if line:
                    out.append(Para(line))
            continue
        found = numbering.style(block)
        style = (found.name or "").lower() if found is not None else ""
        for i, segments in enumerate(_run_lines(block)):
            line = clean_text("".join(t for t, _b in segments))
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


def clean_text(text: str) -> str:
    return text.replace("\t", " ").replace("\u00a0", " ").strip(" \u3000\r\n")


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
            counters[depth] = para.number or counters.get(depth, 0) + 1
            lines.append(f"{indent}{counters[depth]}. {text}")
        else:
            lines.append(f"{indent}- {text}")
    return "\n".join(lines).strip() + "\n" if lines else ""


def join_text(paras: list[Para]) -> str:
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
