"""The value of one labelled cell of a filled 申报表, as project.yml wants it:
indicators split into 显性/隐性 (whatever the spelling and numbering), the opinion box
without its empty signature block, numbers, lists, text."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from typing import Any

from ..core import targets
from ..core.fields import TARGET_NOTE, FieldType
from ..core.textutil import as_date
from ..reading.values import is_url
from .docxtext import CIRCLED, Numbering, Para, cell_paras, join_text, to_markdown
from .formreader import Hit

_NUMBERING = r"(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|\d{1,2}\s*[、.．](?!\d))"
_GROUP = r"(?P<group>[显隐])\s*[性形]\s*(?:指\s*标)?"
_MARK_AT_START = re.compile(rf"^\s*{_NUMBERING}?\s*{_GROUP}\s*(?:[:：]\s*|$)")
"""`显性指标：`, `（二）隐形指标`, `1. 显性：` opening a line: a heading, never an item."""
_MARK_INSIDE = re.compile(
    rf"[；;。，,\s]\s*{_NUMBERING}?\s*(?P<group>[显隐])\s*[性形]\s*指\s*标\s*[:：]"
)
"""`…；隐性指标：…` further along a line (with its colon, so a sentence that mentions
显性指标 is left alone)."""

_ITEM_PREFIX = re.compile(
    r"^\s*(?:[(（]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|\d{1,3}\s*[.．、)）](?!\d)|[" + CIRCLED + r"]|[•·●■▪◆\-–*])\s*"
)


def _indicator_item(text: str) -> Any:
    text = _ITEM_PREFIX.sub("", text).strip().strip("；;，,、。").strip()
    if not text:
        return None
    m = TARGET_NOTE.search(text)
    if m:
        target = targets.parse_target(m.group(1))
        if target is not None:
            item: dict[str, Any] = {"text": text[: m.start()].strip()}
            if target.text:
                item["target"] = target.text  # as written: 不低于10%, 10-15名
            else:
                number = target.value
                item["target"] = int(number) if number.is_integer() else number
                if target.unit:
                    item["unit"] = target.unit
            return item
    return text


def _segments(line: str) -> list[tuple[str | None, str]]:
    """(group or None, text) pieces of one line, split where a group heading starts."""
    out: list[tuple[str | None, str]] = []
    group: str | None = None
    m = _MARK_AT_START.match(line)
    if m:
        group, line = m.group("group"), line[m.end() :]
    while True:
        inner = _MARK_INSIDE.search(line)
        if not inner:
            out.append((group, line))
            return out
        out.append((group, line[: inner.start() + 1]))
        group, line = inner.group("group"), line[inner.end() :]


def parse_indicators(paras: list[Para], notes: list[str]) -> dict[str, list]:
    """显性指标 / 隐性指标 (also 显形/隐形, numbered 一、（一）1.): one item per line or `；`;
    the group headings themselves are never items."""
    groups: dict[str, list] = {"explicit": [], "implicit": []}
    kind: str | None = None
    unmarked = False
    for para in paras:
        for mark, segment in _segments(para.text):
            if mark is not None:
                kind = "explicit" if mark == "显" else "implicit"
            for piece in re.split(r"[；;]", segment):
                item = _indicator_item(piece)
                if item is None:
                    continue
                if kind is None:
                    unmarked = True
                groups[kind or "explicit"].append(item)
    if unmarked:
        notes.append("显性及隐性指标：没有“显性指标/隐性指标”字样的文字已归入显性指标，请核对")
    return {k: v for k, v in groups.items() if v}


_BLANK = r"[\s\u3000_＿]*"
_DATE = re.compile(
    r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?|[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2}))"
)
_BLANK_DATE = re.compile(rf"(?:\d{{4}})?{_BLANK}年{_BLANK}月{_BLANK}日")
_SIGN = re.compile(
    r"(?:(?:党?\s*(?:支\s*部|总\s*支)\s*(?:[（(]\s*总\s*支\s*[）)])?\s*)?(?:书\s*记|负\s*责\s*人)"
    r"\s*[（(]?\s*(?:签\s*[字名章]|签\s*名\s*盖\s*章)?\s*[）)]?\s*[:：]"
    r"|[（(]?\s*签\s*[字名]\s*[）)]?\s*[:：]"
    r"|(?:书\s*记|负\s*责\s*人)\s*[（(]?\s*签\s*[字名章]\s*[）)]?)"
)
_SEAL = re.compile(
    r"(?:党\s*支\s*部|党?\s*总\s*支|支\s*部|党\s*组\s*织|学\s*校)?\s*(?:[（(]\s*总\s*支\s*[）)])?"
    r"\s*(?:[（(]\s*(?:盖\s*章|公\s*章|印\s*章|章)\s*[）)]|盖\s*章|公\s*章|印\s*章)"
)
_FILLER = re.compile(r"^[\s\u3000_＿:：()（）\-—.。、,，]*$")


def parse_opinion(paras: list[Para]) -> dict[str, Any] | None:
    """The opinion box: its text, the signer after 书记签字：, the date. The printed
    block waiting for pen and seal (书记签名：＿＿ / 党支部（总支）盖章 / 年 月 日) is no
    opinion and leaves nothing."""
    text_lines: list[str] = []
    signed_by = ""
    date: _dt.date | None = None
    for para in paras:
        line = para.text
        m = _DATE.search(line)
        if m:
            parts = [int(g) for g in m.groups() if g]  # full-width digits too
            found = as_date("-".join(map(str, parts))) if len(parts) == 3 else None
            date = found or date
            line = line[: m.start()] + " " + line[m.end() :]
        line = _BLANK_DATE.sub(" ", line)
        m = _SIGN.search(line)
        if m:
            signer = _SEAL.sub(" ", line[m.end() :])
            signer = re.sub(r"[\s_＿:：]+", "", signer)
            signed_by = signer or signed_by
            line = line[: m.start()]
        line = _SEAL.sub(" ", line)
        line = re.sub(r"^\s*意\s*见\s*[:：]", "", line)
        if _FILLER.match(line):
            continue
        text_lines.append(line.strip(" _＿"))
    out: dict[str, Any] = {}
    if text_lines:
        out["text"] = "\n".join(text_lines)
    if signed_by:
        out["signed_by"] = signed_by
    if date:
        out["date"] = date
    return out or None


def _hyperlink_address(cells: list) -> str:
    for cell in cells:
        for paragraph in cell.paragraphs:
            for link in paragraph.hyperlinks:
                if link.address and is_url(link.address):
                    return link.address
    return ""


def read_value(hit: Hit, numbering: Numbering, notes: list[str]) -> tuple[str, Any] | None:
    """("values", value) for project.yml or ("texts", markdown) for a .md file; None when
    the cell is empty or holds nothing usable (said in `notes`)."""
    f = hit.field
    paras = list(hit.head)
    for cell in hit.cells:
        paras.extend(cell_paras(cell, numbering))
    label = f.form_label or f.registry_label or f.label
    if f.key == "logo":
        return None
    if f.type is FieldType.MARKDOWN:
        text = to_markdown(paras)
        return ("texts", text) if text.strip() else None
    if f.type is FieldType.INDICATORS:
        groups = parse_indicators(paras, notes)
        return ("values", groups) if groups else None
    if f.type is FieldType.OPINION:
        opinion = parse_opinion(paras)
        return ("values", opinion) if opinion else None
    text = join_text(paras)
    if f.type is FieldType.INTEGER:
        text = unicodedata.normalize("NFKC", text)
        if not text:
            return None
        m = re.search(r"\d+", text)
        if m:
            return ("values", int(m.group()))
        notes.append(f"“{label}”填写的“{text}”不是数字，未导入")
        return None
    if f.type is FieldType.LIST:
        items = [x.strip() for x in re.split(r"[,，、;；\s]+", text) if x.strip()]
        return ("values", items) if items else None
    if f.type is FieldType.URL:
        address = text.replace(" ", "")
        if not is_url(address):
            address = _hyperlink_address(hit.cells) or address
        if not address:
            return None
        if not is_url(address):
            notes.append(
                f"“{label}”填写的“{text}”不是网址（应以 http:// 或 https:// 开头），未导入"
            )
            return None
        return ("values", address)
    return ("values", text) if text else None
