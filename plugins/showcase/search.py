"""Search for the published site: a Pagefind index, driven from Material's header box.

Why not Material's built-in search: it ships one `search_index.json` of the whole site
that every page fetches and turns into a lunr index in the reader's browser (megabytes
and seconds of a phone's CPU at 300 projects), and its jieba words miss what readers
type (`2345` inside “2345”, `双培` inside 双培双树). Pagefind writes a chunked index at
build time; the browser fetches a few kilobytes per query.

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

The offline zip keeps Material's own search (it must work from file://, where
Pagefind's WebAssembly and chunk fetches cannot run).
"""

from __future__ import annotations

import contextlib
import hashlib
import html as htmllib
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import Finding, Level

log = logging.getLogger("mkdocs.plugins.showcase")

BUNDLE_DIR = "pagefind"
"""The index in the built site: /pagefind/."""
JS = "assets/showcase/search.js"
JS_SOURCE = Path(__file__).parent / "assets" / "search.js"
PARTIAL_DIR = Path(__file__).parent / "templates" / "pagefind"
"""Holds `partials/search.html`: Material's header search box, wired to Pagefind."""
TIMEOUT = 300
"""Seconds the indexer may take before the build gives up on search (with a finding)."""
TOKENS_VERSION = "1"
"""Part of the cache key: change it whenever the tokeniser changes."""
# The UI bundles Pagefind writes that this site does not use (it reuses Material's box).
_UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
KIND_LABELS = {"case": "案例", "album": "相册", "plan": "工作计划", "project": "项目主页"}
FILTERS = ("district", "category", "year")

# --- the tokeniser (mirrored in assets/search.js: keep both in step) ---------------

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


# --- search documents ----------------------------------------------------------------

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
    r"(?=</(?:h[1-6]|p|li|dt|dd|td|th|figcaption|blockquote|pre|div|summary|tr)>|<br\b)",
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
    for key, value in info.filters.items():
        head.append(f'<span data-pagefind-filter="{key}:{_attr(value)}"></span>')
    return (
        '<!doctype html><html lang="und"><head><meta charset="utf-8"></head><body>'
        + "".join(head)
        + "<main data-pagefind-body>"
        + inner
        + "</main></body></html>"
    )


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
        for key in FILTERS:
            value = project.get(key)
            if value not in (None, ""):
                info.filters[key] = str(value)
    # a case's tags and authors: searchable, but its chips are no excerpt
    info.tags += plain(str(meta.get("search_keywords") or "")).split()
    return info


# --- the indexer ---------------------------------------------------------------------


def pagefind_binary() -> Path | None:
    """The Pagefind executable from the `pagefind[bin]` (or `[extended]`) wheel, or PATH."""
    for module in ("pagefind_bin", "pagefind_bin_extended"):
        try:
            found = __import__(module).get_executable()
        except (ImportError, FileNotFoundError):
            continue
        return Path(found)
    for name in ("pagefind", "pagefind_extended"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


@dataclass
class IndexRun:
    """What the last index step did (the benchmark and the tests read it)."""

    pages: int = 0
    seconds: float = 0.0
    cached: bool = False
    bytes: int = 0
    files: int = 0


def _link_or_copy(src: str, dst: str) -> None:
    """Hard links make a rebuild's copy of the cached bundle nearly free; else copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _dir_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def run_pagefind(binary: Path, docs: Path, out: Path, timeout: float = TIMEOUT) -> str | None:
    """Index the search documents under `docs` into `out`; an error message, or None."""
    cmd = [
        str(binary),
        "--site",
        str(docs),
        "--output-path",
        str(out),
        "--force-language",
        "und",
        "--silent",
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return f"超过 {timeout:.0f} 秒仍未完成"
    except OSError as exc:
        return f"无法运行 {binary.name}：{exc}"
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
        return f"退出码 {proc.returncode}" + (f"：{detail[-1]}" if detail else "")
    for name in _UNUSED:
        (out / name).unlink(missing_ok=True)
    if not (out / "pagefind.js").is_file():
        return "没有生成 pagefind.js"
    return None


class SearchIndex:
    """Collects the search documents of one build and writes the index after it.

    An unchanged site is not indexed again: the bundle of the last run is kept under
    `cache_dir/search/` with the hash of its documents, and copied when they match.
    """

    def __init__(self, cache_dir: Path, binary: Path | None) -> None:
        self.cache_dir = cache_dir
        self.binary = binary
        self.docs: dict[str, str] = {}
        self.last = IndexRun()

    def reset(self) -> None:
        self.docs = {}

    def add(self, dest_path: str, document: str) -> None:
        self.docs[dest_path.replace(os.sep, "/")] = document

    def key(self) -> str:
        digest = hashlib.sha256(f"{TOKENS_VERSION}\0{self.binary}\0".encode())
        for path in sorted(self.docs):
            digest.update(path.encode() + b"\0" + self.docs[path].encode() + b"\0")
        return digest.hexdigest()[:24]

    def write(self, site_dir: Path) -> list[Finding]:
        """Write `site_dir/pagefind/`; findings instead of exceptions."""
        start = time.perf_counter()
        target = site_dir / BUNDLE_DIR
        shutil.rmtree(target, ignore_errors=True)
        if self.binary is None:
            return [_finding("找不到 Pagefind 程序（pip install 'pagefind[bin]'）")]
        key = self.key()
        store = self.cache_dir / "search"
        cached = store / key
        hit = (cached / "pagefind.js").is_file()
        if not hit:
            store.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix="index-", dir=store))
            try:
                docs = work / "docs"
                for path, document in self.docs.items():
                    dest = docs / path
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_text(document, encoding="utf-8")
                error = run_pagefind(self.binary, docs, work / "bundle")
                if error:
                    return [_finding(f"生成搜索索引失败：{error}")]
                for old in store.iterdir():  # one bundle is kept: the newest
                    if old != work and not old.name.startswith("index-"):
                        shutil.rmtree(old, ignore_errors=True)
                with contextlib.suppress(OSError):  # a parallel build may have written it
                    os.replace(work / "bundle", cached)
            finally:
                shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(cached, target, copy_function=_link_or_copy)
        size, count = _dir_size(target)
        self.last = IndexRun(len(self.docs), time.perf_counter() - start, hit, size, count)
        return []


def _finding(message: str) -> Finding:
    return Finding(
        Level.ERROR,
        message,
        hint="网站其余部分照常生成；读者的搜索框会显示“搜索暂时不可用”",
    )


# --- wiring into a Material build ------------------------------------------------------


def offline_build(config: Any) -> bool:
    """Material's offline plugin is on: the site is opened from file://."""
    for name in ("material/offline", "offline"):
        plugin = config.plugins.get(name) if hasattr(config.plugins, "get") else None
        if plugin is not None and getattr(plugin.config, "enabled", True):
            return True
    return False


def material_search(config: Any) -> Any | None:
    """Material's search plugin, when it is configured and enabled."""
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name) if hasattr(config.plugins, "get") else None
        if plugin is not None and type(plugin).__module__.startswith("material."):
            return plugin if getattr(plugin.config, "enabled", True) else None
    return None


def silence(config: Any, plugin: Any) -> None:
    """Keep Material's search plugin (its header button and box stay) but skip its index.

    Its page-by-page indexing and `search_index.json` are only wasted build time when
    Pagefind answers the queries; the header template only asks whether it is enabled.
    """
    for event in ("page_context", "post_build"):
        handlers = config.plugins.events.get(event, [])
        handlers[:] = [h for h in handlers if getattr(h, "__self__", None) is not plugin]


class SiteSearch:
    """The plugin's search step: picks the engine, collects documents, writes the index.

    One instance lives as long as the plugin, so `mkdocs serve` rebuilds reuse the
    documents of pages a dirty rebuild did not render, and the cached bundle.
    """

    def __init__(self) -> None:
        self.active = False
        self.index: SearchIndex | None = None
        self.projects_by_src: dict[str, Any] = {}

    def configure(self, config: Any, engine: str, cache_dir: Path) -> list[Finding]:
        """on_config: Pagefind for a served site; Material's search offline or on request."""
        self.active = False
        plugin = material_search(config)
        if engine != "pagefind" or plugin is None or offline_build(config):
            return []
        binary = pagefind_binary()
        if binary is None:
            return [
                Finding(
                    Level.WARNING,
                    "找不到 Pagefind 程序，网站改用 Material 自带的搜索",
                    hint="pip install 'pagefind[bin]'，或在 showcase 插件中设置 search_engine: material",
                )
            ]
        self.active = True
        if self.index is None or self.index.cache_dir != cache_dir or self.index.binary != binary:
            self.index = SearchIndex(cache_dir, binary)
        dirs = config.theme.dirs
        material = next(
            (i for i, d in enumerate(dirs) if Path(d).parts[-2:] == ("material", "templates")),
            None,
        )
        if material is not None and str(PARTIAL_DIR) not in dirs:
            dirs.insert(material, str(PARTIAL_DIR))  # after any custom_dir: a site may override it
        if JS not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(JS)
        silence(config, plugin)
        return []

    def pages(self, pages: list[Any], dest_uris: set[str]) -> None:
        """on_files: which generated page belongs to which project; drop vanished pages."""
        self.projects_by_src = {p.src_uri: p.project for p in pages if p.project is not None}
        if self.index is not None:
            self.index.docs = {k: v for k, v in self.index.docs.items() if k in dest_uris}

    def collect(self, output: str, page: Any) -> None:
        """on_post_page: the page's search document (the page itself is not changed)."""
        if not self.active or self.index is None:
            return
        dest = page.file.dest_uri
        info = page_info(page, self.projects_by_src)
        document = search_document(output, info) if info is not None else None
        if document is None:
            self.index.docs.pop(dest, None)
        else:
            self.index.add(dest, document)

    def finish(self, site_dir: Path) -> list[Finding]:
        """on_post_build: write site/pagefind/."""
        if not self.active or self.index is None:
            return []
        return self.index.write(site_dir)
