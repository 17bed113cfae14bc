"""Search documents: each built page's content as Pagefind should index it.

Chinese is tokenised here, not by Pagefind's dictionary segmenter: a word segmenter
finds `民主生活会` but not `生活会` inside it, and splits `1+5` into `1` and `5`. Each
built page's content is copied into a *search document* in which every Chinese
character is a word of its own, numbers and Latin words stay whole, a brand form such
as `1+5` becomes one word (`1‿5`), quotes stick to their neighbours (so `2345党建品牌`
is a phrase of “2345”党建品牌) and sentence punctuation stands alone (so no phrase
runs across it). Pagefind indexes those documents (language `und`: no segmenter, no
stemmer), so its word positions are characters. The browser (`assets/search.js`)
tokenises the query the same way and keeps only pages where each phrase occurs as
written (Pagefind's exact search), ranked by Pagefind's BM25 with our weights. The
published pages themselves are unchanged.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field
from typing import Any

KIND_LABELS = {"case": "案例", "album": "相册", "plan": "工作计划", "project": "项目主页"}


FILTERS = ("district", "category", "year")


_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"


# quotes and brackets stick to the word they enclose: they never stop a phrase
_OPEN = re.escape("“‘「『《〈【〔（([{\"'")


_CLOSE = re.escape("”’」』》〉】〕）)]}\"'")


# sentence punctuation is a word position of its own, so no phrase runs across it
_SENT = (
    "\u3001\u3002\u3003\u3005-\u3007\u3012\u3013\u301c-\u301f\u3030\u303d"
    "\uff01\uff03-\uff06\uff0a\uff0c-\uff0f\uff1a-\uff20\uff3c\uff3e\uff40\uff5c\uff5e"
    "\u2014\u2026\u00b7\u30fb" + re.escape(",;!?=<>~^|*/:-")
)


_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # ０-９


_FULLWIDTH.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH[0xFF0B] = ord("+")  # ＋


_JOIN = re.compile(r"(?<=[0-9A-Za-z])\s*\+\s*(?=[0-9A-Za-z])")


_BOUNDARY = re.compile(
    rf"(?<=[{_HAN}{_SENT}])(?=[^\s{_CLOSE}])|(?<=[^\s{_OPEN}])(?=[{_HAN}{_SENT}])"
)


JOINER = "\u203f"
"""`1+5` is indexed as the one word `1‿5`: the browser's word segmenter keeps it whole."""


def tokenize(text: str) -> str:
    """Text as the index sees it: a space between words, each Chinese character a word.

    >>> tokenize("党组织“1+5”建设工程，2025年")
    '党 组 织 “1‿5” 建 设 工 程 ， 2025 年'
    """
    text = _JOIN.sub(JOINER, text.translate(_FULLWIDTH))
    return _BOUNDARY.sub(" ", text)


_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset"[^>]*>')


_ARTICLE_TAG = re.compile(r"<(/?)article\b[^>]*>", re.IGNORECASE)


_DROP = re.compile(
    r"<svg\b.*?</svg>|<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->"
    r'|<a class="headerlink"[^>]*>.*?</a>|<(?:img|source)\b[^>]*>',
    re.IGNORECASE | re.DOTALL,
)


_TEXT = re.compile(r">([^<>]+)<")


# the end of a block: a word position of its own (no phrase runs across), shown as a gap
_BLOCK_END = re.compile(
    r"(?=</(?:h[1-6]|p|li|dt|dd|td|th|figcaption|blockquote|pre|div|summary|tr)>|<br\b)"
    # a card's or timeline's parts are spans shown as lines: “标题” “2025 年 · 2 个月”
    r'|(?=<(?:span|a|div)\b[^>]*\bclass="[^"]*__(?:title|meta|label|body|value)\b)',
    re.IGNORECASE,
)


BLOCK_MARK = "¶"


_TAGS = re.compile(r"<[^>]+>")


def article_html(page_html: str) -> str | None:
    """The inner HTML of Material's content `<article>`: what a reader reads, no chrome."""
    start = _ARTICLE.search(page_html)
    if start is None:
        return None
    depth = 1
    for tag in _ARTICLE_TAG.finditer(page_html, start.end()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return page_html[start.end() : tag.start()]
    return None


_EDGE = re.compile(rf"[{_HAN}{_SENT}]")


def _padded(text: str) -> str:
    """A text node's words, kept apart from the next node's (<b>日</b><i>作者</i>)."""
    text = tokenize(text)
    if _EDGE.match(text):
        text = " " + text
    if text and _EDGE.match(text[-1]):
        text += " "
    return text


def _attr(value: str) -> str:
    return htmllib.escape(value, quote=True)


def plain(text: str) -> str:
    """Tags stripped, entities decoded, white space collapsed (titles from MkDocs)."""
    return " ".join(htmllib.unescape(_TAGS.sub("", text or "")).split())


@dataclass
class PageInfo:
    """What the index needs to know about a page beyond its HTML."""

    title: str
    kind: str = ""
    """The generated page's kind (project, case, album, plan, home, registry, …)."""
    context: str = ""
    """Shown above the excerpt: the branch, and the kind of a project's sub-page."""
    filters: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    """A project home's own names (project, school, branch): a meta field weighted above
    titles, so a school's name finds its home before its plan, and spelt in pinyin."""


def pinyin_words(name: str) -> list[str]:
    """Pinyin a reader may type for a name: in full and as initials, from each character on.

    >>> pinyin_words("柳塘湾小学")
    ['liutangwanxiaoxue', 'tangwanxiaoxue', 'wanxiaoxue', 'xiaoxue', 'ltwxx', 'twxx', 'wxx', 'xx']

    Every suffix is a word of its own because Pagefind matches a query word as the start
    of an indexed word: `tangwan` and `xiaoxue` find the name too. Suffixes of one
    character are left out (`xue`, `x` would find every school).
    """
    from pypinyin import Style, lazy_pinyin

    han = re.sub(rf"[^{_HAN}]", "", name)
    if len(han) < 2:
        return []
    full = lazy_pinyin(han, style=Style.NORMAL, errors="ignore")
    initials = [syllable[:1] for syllable in full]
    words: list[str] = []
    for syllables in (full, initials):
        for start in range(len(syllables) - 1):
            word = "".join(syllables[start:]).lower()
            if word.isascii() and word.isalpha() and word not in words:
                words.append(word)
    return words


def search_document(page_html: str, info: PageInfo) -> str | None:
    """The page's search document (see the module docstring), or None without content."""
    inner = article_html(page_html)
    if inner is None:
        return None
    inner = _BLOCK_END.sub(" " + BLOCK_MARK + " ", _DROP.sub("", inner))
    inner = _TEXT.sub(lambda m: ">" + _padded(m.group(1)) + "<", ">" + inner + "<")[1:-1]
    head = [f'<span data-pagefind-meta="title:{_attr(tokenize(info.title))}"></span>']
    if info.context:
        # a leading joiner: no query starts with it, so the context is shown, never matched
        head.append(f'<span data-pagefind-meta="context:{_attr(JOINER + info.context)}"></span>')
    if info.tags:  # searchable, never an excerpt: the chips themselves are not indexed
        tags = tokenize(" ".join(info.tags))
        head.append(f'<span data-pagefind-meta="tags:{_attr(tags)}"></span>')
    if info.names:
        names = " ".join(tokenize(n) for n in info.names)
        spelt = " ".join(w for n in info.names for w in pinyin_words(n))
        head.append(f'<span data-pagefind-meta="names:{_attr(names + " " + spelt)}"></span>')
    for key, value in info.filters.items():
        head.append(f'<span data-pagefind-filter="{key}:{_attr(value)}"></span>')
    return (
        '<!doctype html><html lang="und"><head><meta charset="utf-8"></head><body>'
        + "".join(head)
        + "<main data-pagefind-body>"
        + inner
        + "</main></body></html>"
    )


_IGNORED = re.compile(
    r"<([a-z][a-z0-9]*)\b[^>]*\sdata-pagefind-ignore\b[^>]*>|<(nav|header|footer|form)\b[^>]*>",
    re.IGNORECASE,
)


def _drop_ignored(html: str) -> str:
    """What Pagefind skips: elements marked data-pagefind-ignore (facets, embed code) and
    nav, header, footer, form (a page's local navigation names its project)."""
    while match := _IGNORED.search(html):
        name = match.group(1) or match.group(2)
        tags = re.compile(rf"<(/?){name}\b[^>]*>", re.IGNORECASE)
        depth, end = 1, len(html)
        for tag in tags.finditer(html, match.end()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = tag.end()
                break
        html = html[: match.start()] + html[end:]
    return html


def local_record(search_doc: str, info: PageInfo, url: str) -> dict[str, str]:
    """The offline index's record of a page: its search document's words, as text.

    The offline site is opened from file://, where Pagefind cannot load; search.js then
    reads these records from a script and matches the same words the same way.
    """
    body = search_doc[search_doc.index("<main data-pagefind-body>") :]
    text = " ".join(htmllib.unescape(_TAGS.sub(" ", _drop_ignored(body))).split())
    record = {"u": url, "t": tokenize(info.title), "x": text}
    if info.context:
        record["c"] = info.context
    extra = [tokenize(t) for t in info.tags] + [tokenize(n) for n in info.names]
    extra += [w for n in info.names for w in pinyin_words(n)]
    if extra:
        record["k"] = " ".join(extra)
    return record


def page_info(page: Any, projects_by_src: dict[str, Any]) -> PageInfo | None:
    """PageInfo of a MkDocs page, or None when it stays out of search."""
    meta = getattr(page, "meta", None) or {}
    search_meta = meta.get("search") or {}
    if isinstance(search_meta, dict) and search_meta.get("exclude"):
        return None
    kind = str(meta.get("showcase") or "")
    title = plain(getattr(page, "title", "") or "")
    project = projects_by_src.get(page.file.src_uri)
    info = PageInfo(title=title, kind=kind)
    if project is not None:
        branch = project.branch or ""
        label = KIND_LABELS.get(kind, "")
        info.context = branch if kind == "project" else " · ".join(p for p in (branch, label) if p)
        if kind == "project":
            info.tags = [str(t) for t in project.get("tags") or []]
            names = (title, project.get("school"), branch)
            info.names = list(dict.fromkeys(str(n) for n in names if n))
        for key in FILTERS:
            value = project.get(key)
            if value not in (None, ""):
                info.filters[key] = str(value)
    # a case's tags and authors: searchable, but its chips are no excerpt
    info.tags += plain(str(meta.get("search_keywords") or "")).split()
    return info
