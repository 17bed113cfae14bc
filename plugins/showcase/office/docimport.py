"""A case, plan or write-up written in Word → the project's Markdown.

Headings come from Word's styles and from the numbering authors type (一、 （一） 1. (1)),
each number written once, as typed; a trailing 附录 list becomes the case's ordered
`appendix:` (titles and types as written); a plan's 月工作安排 becomes its `schedule:`
(months, recurring work, named days); lines a web page or download site added (THE END,
打赏, 上一篇, "下载文档前请自行甄别…") are reported, never published.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core import textutil
from ..core.atomic import FolderExists, create_folder, write_atomic
from ..core.findings import Finding, Level
from ..core.textutil import short
from ..reading.schedule import named_day_month
from .docxblocks import Block, read_blocks
from .docxtext import MAX_LABEL_CHARS, Para, to_markdown
from .formreader import ImportProblem, open_docx
from .officeimages import strip_image

CASE, PLAN = "case", "plan"

# --- web-page and download-site debris ------------------------------------------------

_DEBRIS = re.compile(
    r"下载文档前|自行甄别|自行鉴别|合集下载|仅部分预览|不可在线预览|侵犯您的权益|联系客服|人工客服"
    r"|原创力文档|book118|本站|VIP|付费|二次下载|版权申诉|举报电话|上传文档|下载权益"
    r"|^THE\s*END$|^打赏$|^海报$|上一篇|下一篇|^相关文档$|^最新文档$|^您可能关注的文档$"
    r"|^最近下载$|^文档评论|^评论$|^用户评论$|^还能输入\s*\d+\s*字|^分享到|^阅读全文$|^点赞$|^在看$",
    re.I,
)
_TAIL = re.compile(
    r"^(?:THE\s*END|打赏|相关文档|最新文档|您可能关注的文档|最近下载|文档评论.*|评论|用户评论"
    r"|<*\s*上一篇.*|下一篇.*)$",
    re.I,
)
"""A line after which a copied web page holds nothing of the document."""


def _debris(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """(the document's blocks, the debris lines cut from its top and tail)."""
    texts = [b.raw or b.text for b in blocks]
    start = gap = 0
    for i, (block, text) in enumerate(zip(blocks, texts, strict=True)):
        if block.kind in ("p", "ol", "ul") and _DEBRIS.search(text):
            start, gap = i + 1, 0
            continue
        gap += 1
        # the document's own text has begun (a page's title line may precede the debris)
        if block.kind in ("table", "h") or len(text) > MAX_LABEL_CHARS or gap > 2:
            break
    end = len(blocks)
    for i in range(start, len(blocks)):
        if blocks[i].kind != "image" and _TAIL.match(texts[i].strip()):
            end = i
            break
    cut = [t for t in texts[:start] + texts[end:] if t]
    return blocks[start:end], cut


# --- typed numbering as headings ------------------------------------------------------

_STYLES = (
    ("cn", re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.．]")),
    ("pcn", re.compile(r"^[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）]")),
    ("ar", re.compile(r"^\d{1,2}\s*[.．、](?!\d)")),
    ("par", re.compile(r"^[(（]\s*\d{1,2}\s*[)）]")),
)


def _numbering_style(block: Block) -> str | None:
    text = block.raw or block.text
    for name, pattern in _STYLES:
        if pattern.match(text):
            return name
    return None


def _short(block: Block) -> bool:
    """A line that reads as a title: short, one sentence at most, no list inside."""
    text = re.sub(r"^[\s\d一二三四五六七八九十(（)）、.．]+", "", block.raw or block.text)
    body = text.rstrip("。.：:")
    return (
        0 < len(body) <= MAX_LABEL_CHARS
        and not re.search(r"[。；;！？!?]", body)
        and not text.endswith(("；", ";", "，", ","))
    )


def _headings(blocks: list[Block]) -> None:
    """Typed 一、/（一）/1./(1) lines that read as titles become headings, levels in that
    order below Word's own heading levels; a 1. or (1) line is a heading only when text
    follows it before the next item of its kind (else it is a list)."""
    styled = [b.level for b in blocks if b.kind == "h" and b.level > 0]
    base = (max(styled) + 1) if styled else 1
    candidates: dict[int, str] = {}
    rank = {name: k for k, (name, _p) in enumerate(_STYLES)}
    siblings: dict[str, tuple[list[int], list[bool]]] = {}
    """Lines of one numbering style under the same parent: all headings, or none."""
    refused: set[int] = set()
    for i, block in enumerate(blocks):
        style = _numbering_style(block) if block.kind in ("p", "ol") else None
        if block.kind == "h" or style in ("cn", "pcn"):
            # a new parent: deeper styles start new sibling groups
            for name in [n for n in siblings if block.kind == "h" or rank[n] > rank[style]]:
                del siblings[name]
        if style is None:
            continue
        group, no = siblings.setdefault(style, ([], [False]))
        group.append(i)
        ok = _short(block)
        if ok and style in ("ar", "par"):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            ok = not (nxt is None or nxt.kind == "h" or _numbering_style(nxt) == style)
        if not ok and style in ("ar", "par"):
            if not no[0]:  # once per group: the earlier siblings are no headings either
                refused.update(group)
                no[0] = True
        elif ok and not no[0]:
            candidates[i] = style
    for i in refused:
        candidates.pop(i, None)
    order = [s for s, _p in _STYLES if s in candidates.values()]
    for i, style in candidates.items():
        block = blocks[i]
        block.kind, block.level = "h", min(6, base + order.index(style))
        block.text = block.md = block.raw


# --- the 附录 list --------------------------------------------------------------------

_APPENDIX_HEAD = re.compile(
    r"(?:资料附录|附录|附件|附录材料|相关材料)\s*(?:清单|目录|如下)?\s*[。.：:]?$"
)
_ITEM = re.compile(r"^\s*(?:(\d{1,3})\s*[.．、)）]|[(（]\s*(\d{1,2})\s*[)）])\s*(.+?)\s*[。；;]?$")
_TYPE_WORDS = ("图片", "照片", "文本", "复印件", "扫描件", "视频", "表格", "文档", "原件", "PDF")
_TYPE_NOTE = re.compile(r"[(（]([^()（）]{1,20})[)）]$")
_DATE_LINE = re.compile(
    r"^\s*(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2}))\s*[。.]?\s*$"
)


def _as_date(text: str):
    m = _DATE_LINE.match(unicodedata.normalize("NFKC", text))
    if not m:
        return None
    y, a, b, c, d = m.groups()
    return textutil.as_date(f"{y}-{a or c}-{b or d}")


def _item_type(title: str) -> tuple[str, str]:
    """`…协议书(图片、文本)` → (`…协议书`, `图片、文本`); `(文本图片)` → `文本、图片`."""
    m = _TYPE_NOTE.search(title)
    if not m:
        return title, ""
    note = m.group(1)
    words = re.findall("|".join(_TYPE_WORDS), note, re.I)
    if not words or len("".join(words)) < len(re.sub(r"[、,，/\s和及]", "", note)):
        return title, ""
    return title[: m.start()].rstrip(), "、".join(dict.fromkeys(words))


@dataclass
class AppendixEntry:
    number: int
    title: str
    kind: str = ""
    pictures: list[tuple[bytes, str]] = field(default_factory=list)


def _appendix(blocks: list[Block]) -> tuple[int, list[AppendixEntry]] | None:
    """(index of the appendix heading, its items) when the text ends with a 附录 list:
    a heading or line naming 附录, then only numbered items, pictures and a date."""
    for i in range(len(blocks) - 1, -1, -1):
        block = blocks[i]
        text = (block.raw or block.text).strip()
        if block.kind in ("h", "p") and _APPENDIX_HEAD.search(text) and len(text) <= 80:
            entries: list[AppendixEntry] = []
            for later in blocks[i + 1 :]:
                line = (later.raw or later.text).strip()
                if later.kind == "image":
                    if entries:
                        entries[-1].pictures.append(later.image)
                    continue
                m = _ITEM.match(line)
                if m:
                    title, kind = _item_type(m.group(3).strip())
                    entries.append(AppendixEntry(int(m.group(1) or m.group(2)), title, kind))
                elif later.kind == "ol" and later.number is None:
                    title, kind = _item_type(later.text.strip(" 。；;"))
                    entries.append(AppendixEntry(len(entries) + 1, title, kind))
                elif _as_date(line) is None:
                    return None
            return (i, entries) if entries else None
    return None


# --- a plan's 月工作安排 ---------------------------------------------------------------

_SCHEDULE_HEAD = re.compile(
    r"(?:月工作安排|月份工作安排|工作安排|工作行事历|行事历|活动安排|工作日程|月工作要点)\s*[:：]?$"
)
_WHEN = re.compile(
    r"^\s*(?P<when>(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*月份?(?:\s*[至到\-—~]\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*月份?)?"
    r"|每\s*(?:周|星期|两周|半月|月|季度|学期初|学期末|学期|半年|学年|年)\S{0,4}?"
    r"|[^\s：:]{1,10}?(?:前|期间|前后|之际))\s*[:：]\s*(?P<rest>.*)$"
)
_ITEM_NUMBER = re.compile(r"^\s*(?:\d{1,2}\s*[.．、)）]|[(（]\s*\d{1,2}\s*[)）]|[①-⑳])\s*")


def _schedule(blocks: list[Block]) -> tuple[int, int, dict[str, list[str]]] | None:
    """(first index, end index, {when: items}) of the plan's schedule section."""
    for i, block in enumerate(blocks):
        text = re.sub(
            r"^[一二三四五六七八九十]{1,3}\s*[、.．]\s*", "", (block.raw or block.text).strip()
        )
        if block.kind not in ("h", "p") or not _SCHEDULE_HEAD.search(text):
            continue
        schedule: dict[str, list[str]] = {}
        current: str | None = None
        end = i + 1
        for j in range(i + 1, len(blocks)):
            later = blocks[j]
            line = (later.raw or later.text).strip()
            m = _WHEN.match(line)
            if m and (
                textutil.parse_month(_first_month(m.group("when"))) or _timed(m.group("when"))
            ):
                current = re.sub(r"\s+", "", m.group("when"))
                schedule.setdefault(current, [])
                if m.group("rest").strip():
                    schedule[current].extend(_split_items(m.group("rest")))
            elif (
                current is not None
                and later.kind in ("p", "ol", "ul")
                and not _as_date(line)
                and not (len(line) <= 30 and _ISSUER.search(line))  # the issuer signs off
            ):
                if (
                    later.kind == "p"
                    and later.number is None
                    and not _ITEM_NUMBER.match(line)
                    and len(line) > 60
                ):
                    break  # prose again: the schedule has ended
                schedule[current].extend(_split_items(line))
            else:
                break
            end = j + 1
        if schedule:
            return i, end, schedule
    return None


def _first_month(when: str) -> str:
    return re.split(r"[至到\-—~]", when)[0]


def _timed(when: str) -> bool:
    when = re.sub(r"\s+", "", when)
    return when.startswith("每") or named_day_month(when) is not None


def _split_items(text: str) -> list[str]:
    text = _ITEM_NUMBER.sub("", text).strip()
    return [
        p.strip(" 。") for p in re.split(r"[；;]\s*(?=\S)", text.strip(" ；;。")) if p.strip(" 。")
    ]


# --- the result -----------------------------------------------------------------------


@dataclass
class TextDoc:
    source: Path
    kind: str
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    pictures: list[tuple[str, bytes]] = field(default_factory=list)
    """(file name, cleaned bytes) for the case's appendix folder."""
    headings: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_PLAN_TITLE = re.compile(r"(?:计划|方案|安排|要点|行事历)$")


def _markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    run: list[Para] = []

    def flush() -> None:
        if run:
            out.append(to_markdown(run).strip("\n"))
            run.clear()

    for block in blocks:
        if block.kind == "h":
            flush()
            out.append("#" * max(2, min(6, block.level + 1)) + " " + block.text)
        elif block.kind == "table":
            flush()
            width = max(len(r) for r in block.rows)
            rows = [r + [""] * (width - len(r)) for r in block.rows]
            cells = [[c.replace("|", "\\|") for c in r] for r in rows]
            lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
            lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
            out.append("\n".join(lines))
        elif block.kind in ("p", "ol", "ul"):
            run.append(Para(block.text, block.kind, block.level, block.md, block.number))
    flush()
    return "\n\n".join(x for x in out if x.strip()) + "\n"


def _picture_name(n: int, title: str, ext: str) -> str:
    stem = re.sub(r'[\\/:*?"<>|“”"\s]+', "", title)[:24] or "图片"
    return f"{n:02d}-{stem}.{ext}"


def import_text(path: Path, kind: str | None = None, *, shown: str = "") -> TextDoc:
    """Read a .docx written as a case, plan or write-up. `kind` None: a plan when its
    title or a 月工作安排 section says so, else a case. `shown`: the file's name as the
    author knows it (an upload's), for messages and the title of an untitled document."""
    document = open_docx(path)
    blocks, cut = _debris(read_blocks(document))
    doc = TextDoc(source=path, kind=kind or CASE)
    if cut:
        listed = "；".join(short(t, 30) for t in cut[:4]) + ("……" if len(cut) > 4 else "")
        doc.findings.append(
            Finding(
                Level.WARNING,
                f"文档开头或末尾有 {len(cut)} 行像是网页或下载网站加上的文字（{listed}），未导入，请核对",
                file=shown or str(path),
            )
        )
    # the title: a Title/Heading 1 line, or the first short line
    while blocks and blocks[0].kind in ("p", "h") and not doc.title:
        first = blocks[0]
        numbered = _numbering_style(first) is not None
        if (first.kind == "h" and first.level <= 1 or first.kind == "p" and _short(first)) and (
            not numbered
        ):
            doc.title = first.text.strip("*")
            blocks.pop(0)
        else:
            break
    if not blocks and not doc.title:
        raise ImportProblem("文档里没有文字，未导入")
    styled = [b.level for b in blocks if b.kind == "h" and b.level > 0]
    if styled and min(styled) > 1:  # Heading 1 was the title: sections start at ##
        for block in blocks:
            if block.kind == "h" and block.level > 0:
                block.level -= min(styled) - 1
    # a trailing date: when it was written (a case) or issued (a plan)
    while blocks and blocks[-1].kind == "p" and _as_date(blocks[-1].text):
        doc.meta["date"] = _as_date(blocks.pop().text)
    schedule = _schedule(blocks)
    if kind is None and (_PLAN_TITLE.search(doc.title) or schedule):
        doc.kind = PLAN
    if doc.kind == PLAN and schedule:
        start, end, doc.meta["schedule"] = schedule
        del blocks[start:end]
        while blocks and blocks[-1].kind == "p" and _as_date(blocks[-1].text):
            doc.meta["date"] = _as_date(blocks.pop().text)
    if not doc.title:  # no title line: the file's name without its number (002-工作计划)
        stem = Path(shown).stem if shown else path.stem
        doc.title = re.sub(r"^[\d\s._\-、]+", "", stem) or stem
    if doc.kind == PLAN:
        year = re.search(r"(20\d\d)\s*年", doc.title)
        if year:
            doc.meta["year"] = int(year.group(1))
        elif doc.meta.get("date"):
            doc.meta["year"] = doc.meta["date"].year
        _plan_meta(blocks, doc)
    entries: list[AppendixEntry] = []
    if doc.kind == CASE:
        found = _appendix(blocks)
        if found:
            at, entries = found
            blocks = blocks[: at + 1]  # the author's heading stays; the list goes to appendix:
    _headings(blocks)
    if entries and blocks[-1].kind != "h":
        head = blocks[-1]
        head.kind, head.text = "h", head.raw or head.text
        head.level = min((b.level for b in blocks if b.kind == "h" and b.level > 0), default=1)
    # pictures: appendix items' own, then those in the text, into the case's folder
    listing: list[dict[str, Any]] = []
    for entry in entries:
        item: dict[str, Any] = {"title": entry.title}
        if entry.kind:
            item["type"] = entry.kind
        names = [
            _picture_name(entry.number, entry.title, ext) for ext in (p[1] for p in entry.pictures)
        ]
        names = [
            n.replace(".", f"-{k}.", 1) if len(names) > 1 else n for k, n in enumerate(names, 1)
        ]
        for name, (data, _ext) in zip(names, entry.pictures, strict=True):
            doc.pictures.append((name, strip_image(data).data))
        if names:
            item["files"] = names
        listing.append(item)
    section = doc.title
    for block in blocks:
        if block.kind == "h":
            section = block.text
        if block.kind != "image" or block.image is None:
            continue
        if doc.kind == PLAN:
            doc.notes.append("计划里的图片没有导入（计划页面不显示图片），可放进相册")
            continue
        title = (
            block.alt
            or f"{re.sub(r'^[一二三四五六七八九十（()）、.．0-9]+', '', section)[:30]}（文中图片）"
        )
        name = _picture_name(len(listing) + 1, title, block.image[1])
        doc.pictures.append((name, strip_image(block.image[0]).data))
        listing.append({"title": title, "files": [name]})
    if listing:
        doc.meta["appendix"] = listing
    doc.body = _markdown(blocks)
    doc.headings = [b.text for b in blocks if b.kind == "h"]
    return doc


_META_LINE = re.compile(
    r"^(适用范围|实施范围|范围|制定单位|发文单位|印发单位|印发日期|发文日期)\s*[:：]\s*(.+)$"
)
_SCOPE_IN_TITLE = re.compile(
    r"^(.{2,12}?(?:地区|自治州|州|市|县|区|旗)(?:各级各类)?(?:中小学校?|学校|教育系统|中小学))"
)
_ISSUER = re.compile(r"(?:委员会|党委|党组|教育局|教育工委|教体局|党总支|党支部|办公室|管理中心)$")


def _plan_meta(blocks: list[Block], doc: TextDoc) -> None:
    """制定单位, 适用范围 and 印发日期 written as labelled lines, or the issuing body on its
    own line at the end (above the date)."""
    keys = {
        "适用范围": "scope",
        "实施范围": "scope",
        "范围": "scope",
        "印发日期": "date",
        "发文日期": "date",
    }
    for block in list(blocks):
        m = _META_LINE.match((block.raw or block.text).strip())
        if block.kind == "p" and m:
            key = keys.get(m.group(1), "issuer")
            value: Any = m.group(2).strip()
            if key == "date":
                value = _as_date(value) or value
            doc.meta[key] = value
            blocks.remove(block)
    m = _SCOPE_IN_TITLE.match(doc.title)
    if m and "scope" not in doc.meta:
        # 阿勒泰地区学校党建…方案: a body above the branch wrote it for all its schools
        doc.meta["scope"] = m.group(1)
        doc.notes.append(f"适用范围“{m.group(1)}”是从标题推断的，请核对")
    last = blocks[-1] if blocks else None
    if last is not None and last.kind == "p" and len(last.text) <= 30 and _ISSUER.search(last.text):
        doc.meta.setdefault("issuer", last.text)
        blocks.pop()


def _slug_name(title: str, source: Path) -> str:
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "", title or source.stem).strip(" .\u3000")
    return name[:60] or "导入的文档"


def front_matter(doc: TextDoc) -> str:
    meta: dict[str, Any] = {"title": doc.title or doc.source.stem}
    order = ("date", "year", "issuer", "scope", "schedule", "appendix")
    meta.update({k: doc.meta[k] for k in order if k in doc.meta})
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=4096)
    return f"---\n{text}---\n\n"


def write_text_doc(doc: TextDoc, project: Path) -> Path:
    """Write `cases/<title>.md` (pictures in `cases/<title>/`) or `plans/<title>.md`;
    never over an existing file."""
    folder = project / ("plans" if doc.kind == PLAN else "cases")
    name = _slug_name(doc.title, doc.source)
    target = folder / f"{name}.md"
    if target.exists() or (doc.pictures and target.with_suffix("").exists()):
        raise ImportProblem(f"{target} 已存在，未覆盖。如需重新导入，请先删除或改名这个文件")
    folder.mkdir(parents=True, exist_ok=True)
    if doc.pictures:

        def fill(tmp: Path) -> None:
            for pic_name, data in doc.pictures:
                (tmp / pic_name).write_bytes(data)

        try:
            create_folder(target.with_suffix(""), fill)
        except FolderExists:
            raise ImportProblem(f"{target.with_suffix('')} 已存在，未覆盖") from None
    write_atomic(target, front_matter(doc) + doc.body, durable=True)
    return target
