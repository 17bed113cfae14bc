"""What an Office appendix hides besides its authors, removed from the published copy.

`metadata` blanked the author fields and `officeimages` the pictures' EXIF. A reader can
still open or extract: Word comments and their authors, tracked changes (deleted text
stays in the file), `docProps/custom.xml` (any property a school's template adds: a
phone, an ID), `word/people.xml` (commenters' names and e-mail addresses), Excel cell
comments and threaded comments, PowerPoint comments and their authors, and external
relationships: a remote template (`attachedTemplate`, fetched when Word opens the file),
links to UNC shares (`\\\\server\\share`) or `file:` paths, linked OLE objects and
pictures. This module removes them part by part and says what it removed:

- comments: the comment parts are emptied and their anchors taken out of the text;
- tracked changes: deletions (and moved-from text) dropped, insertions and moved-to
  text accepted, and the format-change records (which hold old formatting and the
  author) dropped: the document reads as it did with changes accepted;
- custom properties and people: emptied;
- external relationships other than web and mail links: pointed at `about:blank`
  (removing them would leave dangling ids that Word reports as a damaged file).

XML is parsed by lxml without DTDs, entities or network access.
"""

from __future__ import annotations

import re

__all__ = ["clean_part", "is_cleaned_part"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.I)
_LOCAL_TARGET = re.compile(r"(?:\\\\|(?<![\w:])//|file:|smb:)[^\"\s]+", re.I)

_EMPTY = {
    "docProps/custom.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>',
        "自定义属性（docProps/custom.xml）",
    ),
    "word/people.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w15:people xmlns:w15='
        b'"http://schemas.microsoft.com/office/word/2012/wordml"/>',
        "批注人和修订人名单（people.xml）",
    ),
}
_WORD_COMMENT_PARTS = re.compile(
    r"^word/comments(Extended|Ids|Extensible)?\d*\.xml$|^word/comments\.xml$"
)
_XL_COMMENTS = re.compile(r"^xl/comments(\d*|/[^/]+)\.xml$")
_XL_THREADED = re.compile(r"^xl/threadedComments/[^/]+\.xml$")
_PPT_COMMENTS = re.compile(r"^ppt/comments/[^/]+\.xml$")
_WORD_TEXT = re.compile(
    r"^word/(document|header\d*|footer\d*|footnotes|endnotes|glossary/document)\.xml$"
)

# tracked changes: dropped with their content / unwrapped (accepted)
_DROP = ("del", "moveFrom")
_UNWRAP = ("ins", "moveTo")
_DROP_EMPTY = (
    "rPrChange",
    "pPrChange",
    "sectPrChange",
    "tblPrChange",
    "tblPrExChange",
    "trPrChange",
    "tcPrChange",
    "tblGridChange",
    "numberingChange",
    "moveFromRangeStart",
    "moveFromRangeEnd",
    "moveToRangeStart",
    "moveToRangeEnd",
    "commentRangeStart",
    "commentRangeEnd",
    "commentReference",
    "customXmlDelRangeStart",
    "customXmlDelRangeEnd",
    "customXmlInsRangeStart",
    "customXmlInsRangeEnd",
)


def is_cleaned_part(name: str) -> bool:
    """A part `clean_part` may change."""
    return (
        name in _EMPTY
        or bool(_WORD_COMMENT_PARTS.match(name))
        or bool(_XL_COMMENTS.match(name) or _XL_THREADED.match(name))
        or bool(_PPT_COMMENTS.match(name))
        or name == "ppt/authors.xml"
        or bool(_WORD_TEXT.match(name))
        or name == "word/settings.xml"
        or name.endswith(".rels")
    )


def _parse(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    return etree.fromstring(data, parser)


def _serialize(root) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _empty_children(data: bytes) -> bytes | None:
    """The part's root element kept, every child removed (an empty comment list)."""
    root = _parse(data)
    if len(root) == 0:
        return None
    for child in list(root):
        root.remove(child)
    return _serialize(root)


def _word_text(data: bytes, removed: set[str]) -> bytes | None:
    root = _parse(data)
    changed = False
    for name in _DROP:
        for el in list(root.iter(f"{{{W}}}{name}")):
            if el.getparent() is not None:
                el.getparent().remove(el)
                removed.add("修订记录（已删除的文字）")
                changed = True
    for name in _UNWRAP:
        for el in list(root.iter(f"{{{W}}}{name}")):
            parent = el.getparent()
            if parent is None:
                continue
            index = parent.index(el)
            for child in reversed(list(el)):
                parent.insert(index, child)
            parent.remove(el)
            removed.add("修订记录（插入的文字已接受）")
            changed = True
    for name in _DROP_EMPTY:
        for el in list(root.iter(f"{{{W}}}{name}")):
            if el.getparent() is not None:
                el.getparent().remove(el)
                removed.add(
                    "批注" if name.startswith("comment") else "修订记录（格式修改及修订人）"
                )
                changed = True
    # field codes fetch too: INCLUDETEXT / INCLUDEPICTURE / HYPERLINK "\\\\server\\share\\…"
    for el in root.iter(f"{{{W}}}instrText", f"{{{W}}}fldSimple"):
        attr = f"{{{W}}}instr"
        value = el.get(attr) if el.tag.endswith("fldSimple") else el.text
        if value and _LOCAL_TARGET.search(value):
            value = _LOCAL_TARGET.sub("about:blank", value)
            if el.tag.endswith("fldSimple"):
                el.set(attr, value)
            else:
                el.text = value
            removed.add("指向共享文件夹或本机文件的链接（UNC / file:）")
            changed = True
    return _serialize(root) if changed else None


def _relationships(data: bytes, removed: set[str]) -> bytes | None:
    root = _parse(data)
    changed = False
    for rel in root.iter(f"{{{REL_NS}}}Relationship"):
        if rel.get("TargetMode") != "External":
            continue
        target = rel.get("Target") or ""
        hyperlink = (rel.get("Type") or "").endswith("/hyperlink")
        if hyperlink and _SAFE_LINK.match(target.strip()):
            continue
        if target == "about:blank":
            continue
        rel.set("Target", "about:blank")
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        if kind == "attachedTemplate":
            removed.add("远程模板引用（attachedTemplate）")
        elif target.startswith(("\\\\", "//")) or target.lower().startswith(("file:", "smb:")):
            removed.add("指向共享文件夹或本机文件的链接（UNC / file:）")
        else:
            removed.add("外部引用（链接的对象或图片）")
        changed = True
    return _serialize(root) if changed else None


def clean_part(name: str, data: bytes, removed: set[str]) -> bytes | None:
    """New bytes for part `name` without its hidden data (adding to `removed` what was
    taken out, in Chinese), or None when the part stays as it is. Raises on bad XML."""
    if name in _EMPTY:
        content, what = _EMPTY[name]
        root = _parse(data)
        if len(root) == 0:
            return None
        removed.add(what)
        return content
    if _WORD_COMMENT_PARTS.match(name) or _PPT_COMMENTS.match(name):
        out = _empty_children(data)
        if out is not None:
            removed.add("批注")
        return out
    if _XL_COMMENTS.match(name):
        root = _parse(data)
        changed = False
        for child in root:
            if len(child):
                changed = True
                for item in list(child):
                    child.remove(item)
        if changed:
            removed.add("单元格批注")
        return _serialize(root) if changed else None
    if _XL_THREADED.match(name):
        out = _empty_children(data)
        if out is not None:
            removed.add("单元格批注")
        return out
    if name == "ppt/authors.xml":
        out = _empty_children(data)
        if out is not None:
            removed.add("批注作者名单")
        return out
    if _WORD_TEXT.match(name):
        return _word_text(data, removed)
    if name == "word/settings.xml":  # the template's relationship is blanked too (.rels)
        root = _parse(data)
        found = list(root.iter(f"{{{W}}}attachedTemplate"))
        for el in found:
            el.getparent().remove(el)
            removed.add("远程模板引用（attachedTemplate）")
        return _serialize(root) if found else None
    if name.endswith(".rels"):
        return _relationships(data, removed)
    return None
