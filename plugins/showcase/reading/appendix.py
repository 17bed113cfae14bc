"""A case's 重要资料附录 in the author's order and numbering.

Two ways to write it: number the files (`01-揭牌仪式.jpg`, `02-成员分工表.xlsx`; files
with the same number are one entry, e.g. a photo and the Word text of one agreement),
or list them in the case's front matter:

    appendix:
      - 01-揭牌仪式.jpg: 名师工作室揭牌仪式
      - title: 师徒结对协议书
        files: [师徒结对签约.jpg, 师徒结对协议书（范本）.docx]
        type: 图片、文本
        description: 签约现场照片和协议书范本各一份
        captions: {师徒结对签约.jpg: 师徒双方在协议书上签字}

`description` (说明) is the entry's title when no `title` is given, as it always was;
beside a `title` it is a sentence shown under it. `captions` (图片说明) describes the
entry's pictures one by one: under each picture, and its alt text.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from ..core import textutil
from ..core.findings import Findings
from ..core.model import AppendixItem, Attachment, Case, Image
from ..core.textutil import short
from .values import scalar_text

_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[\s\-_.、)—]")
"""`01-揭牌仪式.jpg`, `3、协议.docx`: the author's number, with its separator (not `1号楼.jpg`)."""
_ITEM_KEYS = {
    "title": "title",
    "标题": "title",
    "名称": "title",
    "说明": "title",
    "description": "title",
    "file": "files",
    "files": "files",
    "文件": "files",
    "type": "type",
    "类型": "type",
    "note": "note",
    "备注": "note",
    "captions": "captions",
    "图片说明": "captions",
    "照片说明": "captions",
}
_TITLE_KEYS = {"title", "标题", "名称"}


def _type_label(images: list[Image], files: list[Attachment]) -> str:
    kinds = ["图片"] if images else []
    for f in files:
        if f.type_label not in kinds:
            kinds.append(f.type_label)
    return "、".join(kinds)


def _item(
    title: str,
    members: list[Image | Attachment],
    number: str = "",
    kind: str = "",
    description: str = "",
) -> AppendixItem:
    images = [m for m in members if isinstance(m, Image)]
    files = [m for m in members if isinstance(m, Attachment)]
    return AppendixItem(
        title=title,
        number=number,
        type_label=kind or _type_label(images, files),
        images=images,
        files=files,
        description=description,
    )


def _caption(member: Image | Attachment) -> str:
    return member.caption if isinstance(member, Image) else member.title


def from_file_names(members: list[Image | Attachment]) -> list[AppendixItem]:
    """Entries from numbered file names: same number, one entry; unnumbered ones after."""
    numbered: dict[int, list[Image | Attachment]] = {}
    rest: list[Image | Attachment] = []
    for member in members:
        m = _NUMBER.match(unicodedata.normalize("NFKC", member.path.name))
        if m:
            numbered.setdefault(int(m.group(1)), []).append(member)
        else:
            rest.append(member)
    items = []
    for number in sorted(numbered):
        group = numbered[number]
        titles = list(dict.fromkeys(_caption(m) for m in group))
        items.append(_item("、".join(titles), group, str(number)))
    items += [_item(_caption(m), [m]) for m in rest]
    return items


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().lower()


def _find(name: str, members: list[Image | Attachment]) -> list[Image | Attachment]:
    """The files a listed name means: the exact file name, else every file of that name
    without its extension or its number (`师徒结对协议书` → the .jpg and the .docx)."""
    wanted = _key(name)
    exact = [m for m in members if _key(m.path.name) == wanted]
    if exact:
        return exact
    return [
        m
        for m in members
        if _key(m.path.stem) == wanted
        or _key(textutil.caption_from_filename(m.path.name)) == wanted
    ]


def _names(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [t for v in value if (t := scalar_text(v))]
    text = scalar_text(value)
    return [p.strip() for p in re.split(r"[;；\n]", text or "") if p.strip()]


def from_front_matter(
    listing: Any,
    members: list[Image | Attachment],
    case: Case,
    line: int | None,
    findings: Findings,
) -> list[AppendixItem]:
    """Entries from an `appendix:` list, numbered by their place; files it does not name
    follow, so nothing in the folder is lost."""
    path = case.source
    if not isinstance(listing, list):
        findings.error(
            "appendix 应是一个列表，每项一份材料",
            file=path,
            line=line,
            hint="例如 - 01-揭牌仪式.jpg: 名师工作室揭牌仪式",
        )
        return from_file_names(members)
    items: list[AppendixItem] = []
    used: set[int] = set()
    for n, entry in enumerate(listing, 1):
        title, kind, names, description = "", "", [], ""
        captions: dict[str, str] = {}
        if isinstance(entry, dict) and not any(str(k) in _ITEM_KEYS for k in entry):
            # `- 文件名: 说明`
            (name, text), *extra = entry.items()
            names, title = [str(name)], scalar_text(text) or ""
            if extra:
                findings.warning(
                    f"附录第 {n} 项写了多个文件，只读取了第一个“{short(name)}”",
                    file=path,
                    line=line,
                    hint="一份材料有多个文件时写成 files: [文件1, 文件2]",
                )
        elif isinstance(entry, dict):
            titled = any(str(k) in _TITLE_KEYS for k in entry)
            for key, value in entry.items():
                attr = _ITEM_KEYS.get(str(key))
                if attr == "note" or (attr == "title" and titled and str(key) not in _TITLE_KEYS):
                    description = scalar_text(value) or ""
                elif attr == "title":
                    title = scalar_text(value) or ""
                elif attr == "type":
                    kind = scalar_text(value) or ""
                elif attr == "files":
                    names = _names(value)
                elif attr == "captions" and isinstance(value, dict):
                    captions = {_key(str(k)): scalar_text(v) or "" for k, v in value.items()}
                else:
                    findings.warning(
                        f"附录第 {n} 项有不认识的项“{short(key)}”，已忽略",
                        file=path,
                        line=line,
                        hint="可用 title（说明）、files（文件）、type（类型）",
                    )
        elif scalar_text(entry):
            names = [scalar_text(entry) or ""]
        else:
            findings.error(f"附录第 {n} 项应是文件名或 文件名: 说明", file=path, line=line)
            continue
        found: list[Image | Attachment] = []
        for name in names:
            hits = _find(name, members)
            if not hits:
                findings.warning(
                    f"附录清单里的“{short(name)}”在附录文件夹里找不到",
                    file=path,
                    line=line,
                    hint=f"文件要放在 cases/{path.stem}/ 里，名字（含扩展名）与清单一致",
                )
            for hit in hits:
                if id(hit) not in used:
                    used.add(id(hit))
                    found.append(hit)
        if names and not found:
            continue  # said above; an entry of missing files would show an empty line
        for member in found:
            said = captions.get(_key(member.path.name), "").strip()
            if said and isinstance(member, Image):
                member.caption = " ".join(said.split())
        if not title:
            title = "、".join(dict.fromkeys(_caption(m) for m in found))
        if title:  # a title alone is a material kept on paper (获奖证书原件)
            items.append(_item(title, found, str(n), kind, description))
    left = [m for m in members if id(m) not in used]
    for member in left:
        findings.warning(
            f"附录文件“{member.path.name}”没有列入 appendix 清单，已排在附录最后",
            file=path,
            line=line,
        )
        items.append(_item(_caption(member), [member]))
    return items


def read_appendix(case: Case, listing: Any, line: int | None, findings: Findings) -> None:
    """Fill `case.appendix` from its images and files (already read, in name order)."""
    members: list[Image | Attachment] = sorted(
        [*case.images, *case.files], key=lambda m: _natural(m.path)
    )
    if listing is None:
        case.appendix = from_file_names(members)
    else:
        case.appendix = from_front_matter(listing, members, case, line, findings)


def _natural(path: Path) -> list:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", path.name)]
