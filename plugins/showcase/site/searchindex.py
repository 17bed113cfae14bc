"""Search for the published site: a Pagefind index, driven from Material's header box.

Why not Material's built-in search: it ships one `search_index.json` of the whole site
that every page fetches and turns into a lunr index in the reader's browser (megabytes
and seconds of a phone's CPU at 300 projects), and its jieba words miss what readers
type (`2345` inside “2345”, `双培` inside 双培双树). Pagefind writes a chunked index at
build time from our search documents (`searchtext`); the browser fetches a few
kilobytes per query.

The offline zip (Material's offline plugin) is opened from file://, where the browser
blocks Pagefind's module, WebAssembly and chunk fetches. There the same box and script
read `search/showcase-index.js` instead: one script of every page's words (a school's
zip holds a few dozen pages), matched in the browser the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.atomic import write_atomic
from ..core.findings import Finding, Level
from .pagefindchunks import BundleError, rechunk
from .searchtext import local_record, page_info, search_document

log = logging.getLogger("mkdocs.plugins.showcase")


BUNDLE_DIR = "pagefind"
"""The index in the built site: /pagefind/."""


JS = "assets/showcase/search.js"


LOCAL_INDEX = "search/showcase-index.js"
"""The offline site's index: a script, since file:// allows scripts but no fetches."""


PARTIAL_DIR = Path(__file__).parent.parent / "templates" / "pagefind"
"""Holds `partials/search.html`: Material's header search box, wired to Pagefind."""


TIMEOUT = 300
"""Seconds the indexer may take before the build gives up on search (with a finding)."""


TOKENS_VERSION = "5"
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


T2S = "showcase-t2s.txt"
"""In the bundle: traditional → simplified characters, as pairs (`鳳凤鳴鸣…`); search.js
fetches it only when a query holds a character the index lacks."""


T2S_SHARDS = "showcase-t2s"
"""In the bundle: the same pairs in T2S_SHARD_COUNT small files by the traditional
character's code point (`showcase-t2s/07.txt`: code point % 32 == 7), without the
traditional characters the site itself uses. search.js fetches the files of a query's
characters while the engine starts, so 鳳鳴山中學 is read as 凤鸣山中学 before any index
chunk is fetched (not after a first lookup of characters the index lacks)."""


T2S_SHARD_COUNT = 32


def t2s_shards(pairs: str, texts: Any) -> dict[str, str]:
    """`pairs` (from t2s_pairs) split by code point; a character the site uses is left out."""
    used: set[str] = set()
    for text in texts:
        used.update(text)
    shards: dict[str, str] = {f"{k:02d}.txt": "" for k in range(T2S_SHARD_COUNT)}
    for trad, simple in zip(pairs[::2], pairs[1::2], strict=True):
        if trad not in used:
            shards[f"{ord(trad) % T2S_SHARD_COUNT:02d}.txt"] += trad + simple
    return shards


COMMON = "showcase-common.txt"
"""In the bundle: the characters on more than COMMON_PAGES pages (党, 学, 支 …). Pagefind's
answer for such a word lists most pages with all their positions, which costs a phone
tenths of a second each; search.js looks them up only beside a rarer word of the query."""


COMMON_PAGES = 100


_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def common_chars(docs: Any, pages: int = COMMON_PAGES) -> str:
    """The Chinese characters of more than `pages` documents, most frequent first."""
    counts: Counter[str] = Counter()
    for doc in docs:
        counts.update(set(_HAN_CHAR.findall(doc)))
    return "".join(c for c, n in counts.most_common() if n > pages)


def t2s_pairs(texts: Any) -> str:
    """OpenCC's character table, kept to the simplified characters the site's text uses.

    OpenCC's table (from `opencc-python-reimplemented`, pure Python) is the one the
    Chinese web uses; a character with several readings maps to its first. Filtering
    by the site's own characters keeps the file to a few kilobytes.
    """
    try:
        import opencc
    except ImportError:
        return ""
    table = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    if not table.is_file():
        return ""
    used: set[str] = set()
    for text in texts:
        used.update(text)
    pairs = []
    for line in table.read_text(encoding="utf-8").splitlines():
        trad, _, simple = line.partition("\t")
        simple = simple.split(" ")[0]
        if len(trad) == 1 and len(simple) == 1 and trad != simple and simple in used:
            pairs.append(trad + simple)
    return "".join(pairs)


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
    try:
        rechunk(out)
    except (BundleError, OSError, ValueError, IndexError, TypeError) as exc:
        # another Pagefind's layout: its own chunks still work, only bigger
        log.warning("showcase: 搜索索引未能重新分块（%s），按 Pagefind 原样发布", exc)
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
                pairs = t2s_pairs(self.docs.values())
                (work / "bundle" / T2S).write_text(pairs, "utf-8")
                (work / "bundle" / T2S_SHARDS).mkdir()
                for name, text in t2s_shards(pairs, self.docs.values()).items():
                    (work / "bundle" / T2S_SHARDS / name).write_text(text, "utf-8")
                (work / "bundle" / COMMON).write_text(common_chars(self.docs.values()), "utf-8")
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
        hint="网站其余部分照常生成；读者的搜索框会显示“搜索索引没有加载成功”",
    )


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
        self.local = False
        """Offline: the index is a script of records (LOCAL_INDEX), not Pagefind's."""
        self.records: dict[str, dict[str, str]] = {}
        self.index: SearchIndex | None = None
        self.projects_by_src: dict[str, Any] = {}

    def configure(self, config: Any, engine: str, cache_dir: Path) -> list[Finding]:
        """on_config: Pagefind for a served site, a script offline; Material's on request."""
        self.active = self.local = False
        plugin = material_search(config)
        if engine != "pagefind" or plugin is None:
            return []
        if offline_build(config):
            self.active = self.local = True
            self._wire(config, plugin)
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
        self._wire(config, plugin)
        return []

    def _wire(self, config: Any, plugin: Any) -> None:
        """Our box in the header, our script on every page, Material's indexing skipped."""
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

    def pages(self, pages: list[Any], dest_uris: set[str]) -> None:
        """on_files: which generated page belongs to which project; drop vanished pages."""
        self.projects_by_src = {p.src_uri: p.project for p in pages if p.project is not None}
        if self.index is not None:
            self.index.docs = {k: v for k, v in self.index.docs.items() if k in dest_uris}
        self.records = {k: v for k, v in self.records.items() if k in dest_uris}

    def collect(self, output: str, page: Any) -> None:
        """on_post_page: the page's search document (the page itself is not changed)."""
        if not self.active or (self.index is None and not self.local):
            return
        dest = page.file.dest_uri
        info = page_info(page, self.projects_by_src)
        document = search_document(output, info) if info is not None else None
        if self.local:
            if document is None or info is None:
                self.records.pop(dest, None)
            else:
                self.records[dest] = local_record(document, info, page.file.url)
        elif document is None:
            self.index.docs.pop(dest, None)
        else:
            self.index.add(dest, document)

    def finish(self, site_dir: Path) -> list[Finding]:
        """on_post_build: write site/pagefind/ (offline: the script of records)."""
        if self.active and self.local:
            records = [self.records[k] for k in sorted(self.records)]
            data = json.dumps(records, ensure_ascii=False, separators=(",", ":"))
            pairs = json.dumps(t2s_pairs(r["x"] + r["t"] for r in records), ensure_ascii=False)
            text = f"window.showcaseIndex={data};\nwindow.showcaseT2S={pairs};\n"
            write_atomic(site_dir / LOCAL_INDEX, text)
            return []
        if not self.active or self.index is None:
            return []
        return self.index.write(site_dir)
