"""One author text → HTML within a budget; past it, the text is shown as plain paragraphs.

Python-Markdown is recursive and, for some inputs, quadratic: 1,000 nested list items
(1 MB) spent 10 s and 600 MB before a `RecursionError` that aborted the whole district
build; 16 KB of definition lists without blank lines recursed too; 8,000 headings
without blank lines, 4,000 abbreviations, footnotes or definition lists with
continuation lines and 8,000 unclosed `[` each took 5–15 s. So every text gets a budget:

1. **Prechecks**, linear and in this process (a refused text never reaches the parser):
   size (`max_bytes`, 512 KB: a 170,000-character case study; the demo's longest text
   is 5 KB), nesting of lists, block quotes, definitions and admonitions (`max_depth`
   16 levels; Python-Markdown recursed at ~300 and real texts use ≤ 5), lines in one
   block without a blank line (`max_block_lines` 2,000: the block processors re-split
   the rest of a block per element, so cost grows with its square), and unclosed `[`
   within one paragraph (`max_brackets` 32: the link patterns rescan to the end for
   each). Each bound is far above what a person writes and far below where the
   parser's cost takes off.
2. **A time limit** in a worker process that is killed when it runs over
   (`seconds` 3 s plus `seconds_per_mb` 8 s per MB of text: a normal 300 KB text
   renders in ≈1 s here). Any exception in the worker (a `RecursionError` from runs of
   `*`, a `MemoryError` under the worker's address-space cap) and a worker that dies
   are failures of that one text, never of the build.

A failed text comes back as `Rendered(ok=False, reason=…, html=plain_html(text))`:
escaped paragraphs, nothing lost, nothing interpreted. The caller makes the finding.

**The worker pool.** Workers start lazily (forkserver where available, else spawn —
never fork, `mkdocs serve` has threads), one per concurrent caller up to `size`, and
stay for the life of the process: a 300-project build pays one start (≈0.2 s), and
`mkdocs serve` rebuilds reuse the worker. A killed worker is replaced on the next
text. Page rendering calls `render()` one text at a time, so one worker is busy at a
time; the image pool (`media.py`) has finished by then, so they never compete for
cores. `render_many()` uses up to `size` workers in parallel for a caller that has
all texts up front. Set ``SHOWCASE_MARKDOWN_WORKERS=0`` to render in-process (the
prechecks and exception handling still apply; the time limit does not).

**Identical output.** The extensions and their configuration are those of
`sanitize.render_markdown`, and so are the heading-level rule, `id_prefix` and the nh3
cleaning: normal texts give byte-identical HTML (a test compares the demo's texts).
Footnote ids carry a per-converter counter (`fn:3-1`) that Python-Markdown increments
on each reset; the counter is kept here in the parent, per heading level, and sent
with each text, so ids are the same as before and never collide between workers.
"""

from __future__ import annotations

import atexit
import contextlib
import html as _html
import multiprocessing
import os
import re
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Budget",
    "DEFAULT_BUDGET",
    "EXTENSIONS",
    "extension_configs",
    "MarkdownPool",
    "Rendered",
    "heading_baselevel",
    "plain_html",
    "precheck",
    "render",
    "render_many",
    "shutdown",
]

EXTENSIONS = [
    "tables",
    "sane_lists",
    "nl2br",
    "footnotes",
    "def_list",
    "abbr",
    "attr_list",
    "admonition",
    "pymdownx.tilde",
    "pymdownx.caret",
    "pymdownx.mark",
    "toc",
]
"""Exactly `sanitize.EXTENSIONS` (a test keeps them equal)."""


def extension_configs(baselevel: int) -> dict[str, dict[str, Any]]:
    """Exactly the configuration of `sanitize._converter_for(baselevel)`."""
    from pymdownx.slugs import slugify

    return {
        "toc": {
            "baselevel": baselevel,
            "slugify": slugify(case="lower"),
            "permalink": False,
            "toc_depth": "2-6",
        },
        "footnotes": {"UNIQUE_IDS": True},
    }


@dataclass(frozen=True)
class Budget:
    """What rendering one text may cost. The module's docstring gives the reasons."""

    max_bytes: int = 512 * 1024
    max_depth: int = 16
    max_block_lines: int = 2_000
    max_brackets: int = 32
    seconds: float | None = 3.0
    """Base time limit per text; None renders in-process without a time limit."""
    seconds_per_mb: float = 8.0
    memory_mb: int | None = 1024
    """Address space a worker may add to what it has at start (Linux); None: no cap."""

    def time_limit(self, size: int) -> float | None:
        if self.seconds is None:
            return None
        return self.seconds + self.seconds_per_mb * size / (1024 * 1024)


DEFAULT_BUDGET = Budget()


@dataclass(frozen=True)
class Rendered:
    """The HTML of one text. When `ok` is False, `html` is the escaped plain text and
    `reason` (Chinese) says why, for the caller's finding; `kind` names the limit."""

    html: str
    ok: bool = True
    reason: str | None = None
    hint: str | None = None
    kind: str | None = None
    """"size", "depth", "block", "brackets", "timeout", "error", "crashed"."""
    seconds: float = 0.0


# --- prechecks --------------------------------------------------------------------------

_CONTAINER = re.compile(r"(?:[-*+]|\d{1,9}[.)]|:|!!!|\?\?\?\+?)(?:[ \t]|$)")
_QUOTES = re.compile(r"[ \t]{0,3}>")
_HINT = "请把这段内容分成几段、减少嵌套层数（列表、引用不超过几层），或去掉大量重复的符号"


def _indent(line: str) -> int:
    columns = 0
    for ch in line:
        if ch == " ":
            columns += 1
        elif ch == "\t":
            columns += 4 - columns % 4
        else:
            break
    return columns


def _depth_of(line: str) -> int:
    """Container levels a line opens: block-quote markers plus indentation in steps of 4
    (Python-Markdown's tab length), counted only when the line starts a container."""
    quotes = 0
    rest = line
    while True:
        m = _QUOTES.match(rest)
        if m is None:
            break
        quotes += 1
        rest = rest[m.end() :]
    indent = _indent(rest)
    if _CONTAINER.match(rest, indent) is None:
        return quotes
    return quotes + indent // 4 + 1


def precheck(text: str, budget: Budget = DEFAULT_BUDGET) -> Rendered | None:
    """A failed `Rendered` when `text` is past a static limit, else None. Linear time."""
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    if size > budget.max_bytes:
        return _failed(
            text,
            "size",
            f"内容过长（{size // 1024} KB，超过 {budget.max_bytes // 1024} KB 上限），按纯文本显示",
            "请把过长的内容拆成几篇案例或几个文件",
        )
    block_lines = 0
    brackets = 0
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            block_lines = 0
            brackets = 0
            continue
        block_lines += 1
        if block_lines > budget.max_block_lines:
            return _failed(
                text,
                "block",
                f"第 {number} 行：连续 {budget.max_block_lines} 多行没有空行，无法排版，按纯文本显示",
                "请在段落、标题、列表之间加空行",
            )
        if "[" in line:
            for ch in line:
                if ch == "[":
                    brackets += 1
                    if brackets > budget.max_brackets:
                        return _failed(
                            text,
                            "brackets",
                            f"第 {number} 行：一段里有超过 {budget.max_brackets} 个没有配对的“[”，无法排版，按纯文本显示",
                            "方括号“[ ]”要成对使用；单独的“[”可改成全角“【”",
                        )
                elif ch == "]" and brackets:
                    brackets -= 1
        elif "]" in line and brackets:
            brackets = max(0, brackets - line.count("]"))
        if line[:1] in " \t>" or _CONTAINER.match(line):
            depth = _depth_of(line)
            if depth > budget.max_depth:
                return _failed(
                    text,
                    "depth",
                    f"第 {number} 行：列表或引用嵌套超过 {budget.max_depth} 层，无法排版，按纯文本显示",
                    _HINT,
                )
    return None


def plain_html(text: str) -> str:
    """Text as escaped paragraphs (blank lines split them, line breaks kept): the fallback."""
    paragraphs = re.split(r"\n(?:[ \t]*\n)+", text.strip("\n"))
    return "\n".join(
        "<p>" + "<br>\n".join(_html.escape(line, quote=False) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p.strip()
    )


def _failed(
    text: str, kind: str, reason: str, hint: str | None = None, seconds: float = 0.0
) -> Rendered:
    return Rendered(
        plain_html(text), ok=False, reason=reason, hint=hint, kind=kind, seconds=seconds
    )


# --- rendering (in a worker, or here) ---------------------------------------------------

_ATX = re.compile(r"^(#{1,6})[ \t]+\S", re.M)


def heading_baselevel(text: str, baselevel: int) -> int:
    """Authors start their own headings at any level; the topmost one goes to `baselevel`
    (the rule of `sanitize.render_markdown`)."""
    levels = [len(m.group(1)) for m in _ATX.finditer(text)]
    if levels:
        return max(1, baselevel - (min(levels) - 1))
    return baselevel


_converters: dict[int, Any] = {}
_initial_prefix: dict[int, int] = {}


def _converter(baselevel: int) -> Any:
    md = _converters.get(baselevel)
    if md is None:
        import markdown

        md = markdown.Markdown(
            extensions=EXTENSIONS,
            extension_configs=extension_configs(baselevel),
            output_format="html",
        )
        _converters[baselevel] = md
        _initial_prefix[baselevel] = _footnotes(md).unique_prefix
    return md


def _footnotes(md: Any) -> Any:
    return next(e for e in md.registeredExtensions if type(e).__name__ == "FootnoteExtension")


def _render_here(text: str, allow_raw_html: bool, baselevel: int, id_prefix: str, nth: int) -> str:
    """The conversion itself; `nth` is how many texts this heading level rendered before."""
    md = _converter(baselevel)
    md.reset()
    # what the nth reset of one long-lived converter would have made (see module doc)
    _footnotes(md).unique_prefix = _initial_prefix[baselevel] + nth + 1
    try:
        out = md.convert(text)
    except BaseException:
        _converters.pop(baselevel, None)  # a converter interrupted mid-way is not reused
        raise
    if id_prefix:
        out = out.replace(' id="', f' id="{id_prefix}')
    if allow_raw_html:
        return out
    from .sanitize import clean

    return clean(out)


def _limit_memory(extra_mb: int | None) -> None:
    if not extra_mb:
        return
    try:
        import resource

        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[0])
        current = pages * os.sysconf("SC_PAGE_SIZE")
        limit = current + extra_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, OSError, ValueError, AttributeError):
        pass  # not Linux: the time limit still bounds the damage


def _worker_main(conn: Any, memory_mb: int | None) -> None:
    """A worker's loop: (text, allow_raw_html, baselevel, id_prefix, nth) → reply."""
    _limit_memory(memory_mb)
    with contextlib.suppress(Exception):
        _converter(1)  # import Markdown and its extensions before the first text
    try:
        conn.send(("ready",))  # the time limit of the first text must not include start-up
    except (OSError, ValueError):
        return
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            reply: tuple = ("ok", _render_here(*request))
        except RecursionError:
            reply = ("error", "RecursionError", "")
        except MemoryError:
            reply = ("error", "MemoryError", "")
        except Exception as exc:  # noqa: BLE001 - one text's failure is reported, not raised
            reply = ("error", type(exc).__name__, str(exc)[:200])
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


# --- the pool ---------------------------------------------------------------------------


def _mp_context() -> multiprocessing.context.BaseContext:
    # as media.py: forkserver is safe beside the threads of `mkdocs serve`; spawn elsewhere
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class _Worker:
    def __init__(self, memory_mb: int | None) -> None:
        ctx = _mp_context()
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=_worker_main, args=(child, memory_mb), name="showcase-markdown", daemon=True
        )
        self.process.start()
        child.close()
        self.texts = 0
        self.ready = False

    STARTUP_SECONDS = 60.0
    """How long a new worker may take to import Markdown (a busy school PC is slow)."""

    def call(self, request: tuple, timeout: float | None) -> tuple:
        """The worker's reply; ("timeout",) after killing it; ("crashed",) when it died."""
        try:
            if not self.ready:
                if not self.conn.poll(self.STARTUP_SECONDS) or self.conn.recv() != ("ready",):
                    self.kill()
                    return ("crashed",)
                self.ready = True
            self.conn.send(request)
            if timeout is not None and not self.conn.poll(timeout):
                self.kill()
                return ("timeout",)
            self.texts += 1
            return self.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self.kill()
            return ("crashed",)

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(2)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
            self.process.join(1)
        if self.process.is_alive():
            self.kill()
        with contextlib.suppress(Exception):
            self.conn.close()


class MarkdownPool:
    """Worker processes that render author texts, each within `budget` (see module doc)."""

    RECYCLE_AFTER = 5_000
    """Texts after which a worker is replaced, so one process never grows for a day of
    `mkdocs serve`."""

    def __init__(self, size: int = 2, budget: Budget = DEFAULT_BUDGET) -> None:
        self.size = max(1, size)
        self.budget = budget
        self._idle: list[_Worker] = []
        self._started = 0
        self._cond = threading.Condition()
        self._counts: dict[int, int] = {}
        """Heading level → texts rendered at it (the footnote-id counter)."""
        self._in_process = os.environ.get("SHOWCASE_MARKDOWN_WORKERS", "").strip() == "0"
        self.starts = 0
        """How many worker processes were started (a test and the benchmark read it)."""

    # -- public

    def render(
        self, text: str, *, allow_raw_html: bool = False, baselevel: int = 1, id_prefix: str = ""
    ) -> Rendered:
        """`text` as HTML, or as escaped plain text with a reason. Never raises."""
        if not text:
            return Rendered("")
        level = heading_baselevel(text, baselevel)
        options = {"allow_raw_html": allow_raw_html, "id_prefix": id_prefix}
        return self._render_prepared(text, options, level, self._next(level))

    def render_many(self, items: Sequence[tuple[str, dict[str, Any]]]) -> list[Rendered]:
        """Render (text, keyword arguments of `render`) pairs with up to `size` workers at
        once; results in input order, footnote ids as if rendered one by one in order."""
        if len(items) <= 1 or self.size == 1:
            return [self.render(text, **kw) for text, kw in items]
        # footnote counters are taken in input order, before the texts run in parallel
        prepared = []
        for text, kw in items:
            level = heading_baselevel(text, kw.get("baselevel", 1)) if text else 1
            prepared.append((text, kw, level, self._next(level) if text else 0))
        with ThreadPoolExecutor(self.size) as threads:
            return list(threads.map(lambda p: self._render_prepared(*p), prepared))

    def warm_up(self) -> None:
        """Start one worker now (e.g. while images are being processed)."""
        if self._in_process or self.budget.seconds is None:
            return
        worker = self._checkout()
        if worker is not None:
            self._checkin(worker)

    def close(self) -> None:
        """Stop every worker (they would also stop with this process)."""
        with self._cond:
            idle, self._idle = self._idle, []
            self._started -= len(idle)
        for worker in idle:
            worker.stop()

    # -- internals

    def _next(self, level: int) -> int:
        with self._cond:
            nth = self._counts.get(level, 0)
            self._counts[level] = nth + 1
            return nth

    def _render_prepared(self, text: str, kw: dict[str, Any], level: int, nth: int) -> Rendered:
        if not text:
            return Rendered("")
        started = time.perf_counter()
        refused = precheck(text, self.budget)
        if refused is not None:
            return refused
        request = (text, kw.get("allow_raw_html", False), level, kw.get("id_prefix", ""), nth)
        if self._in_process or self.budget.seconds is None:
            return self._here(text, request, started)
        worker = self._checkout()
        if worker is None:
            return self._here(text, request, started)
        limit = self.budget.time_limit(len(text.encode("utf-8", "surrogatepass")))
        reply = worker.call(request, limit)
        self._checkin(worker)
        seconds = time.perf_counter() - started
        if reply[0] == "ok":
            return Rendered(reply[1], seconds=seconds)
        if reply[0] == "timeout":
            return _failed(
                text,
                "timeout",
                f"排版超过 {limit:.3g} 秒仍未完成，已停止，按纯文本显示",
                _HINT,
                seconds,
            )
        if reply[0] == "crashed":
            return _failed(text, "crashed", "排版程序意外退出，按纯文本显示", _HINT, seconds)
        return _failed(text, "error", _error_reason(reply[1]), _HINT, seconds)

    def _here(self, text: str, request: tuple, started: float) -> Rendered:
        try:
            html = _render_here(*request)
        except RecursionError:
            return _failed(text, "error", _error_reason("RecursionError"), _HINT)
        except Exception as exc:  # noqa: BLE001 - one text's failure is a finding
            return _failed(text, "error", _error_reason(type(exc).__name__), _HINT)
        return Rendered(html, seconds=time.perf_counter() - started)

    def _checkout(self) -> _Worker | None:
        with self._cond:
            while True:
                while self._idle:
                    worker = self._idle.pop()
                    if worker.alive and worker.texts < self.RECYCLE_AFTER:
                        return worker
                    self._started -= 1
                    threading.Thread(target=worker.stop, daemon=True).start()
                if self._started < self.size:
                    self._started += 1
                    break
                self._cond.wait()
        try:
            worker = _Worker(self.budget.memory_mb)
        except Exception:  # noqa: BLE001 - no processes here: render in-process
            with self._cond:
                self._started -= 1
                self._in_process = True
                self._cond.notify()
            return None
        self.starts += 1
        return worker

    def _checkin(self, worker: _Worker) -> None:
        with self._cond:
            if worker.alive:
                self._idle.append(worker)
            else:
                self._started -= 1  # killed on a timeout: the next text starts a new one
            self._cond.notify()


def _error_reason(name: str) -> str:
    if name == "RecursionError":
        return "内容嵌套过深（如大量连续的“*”或层层缩进），无法排版，按纯文本显示"
    if name == "MemoryError":
        return "排版需要的内存过多，已停止，按纯文本显示"
    return f"排版时出错（{name}），按纯文本显示"


# --- module-level pool ------------------------------------------------------------------

_pool: MarkdownPool | None = None
_pool_lock = threading.Lock()


def _default_pool() -> MarkdownPool:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = MarkdownPool(size=min(2, os.cpu_count() or 1))
        return _pool


def render(
    text: str, *, allow_raw_html: bool = False, baselevel: int = 1, id_prefix: str = ""
) -> Rendered:
    """Render one author text with the process-wide pool. See `MarkdownPool.render`."""
    return _default_pool().render(
        text, allow_raw_html=allow_raw_html, baselevel=baselevel, id_prefix=id_prefix
    )


def render_many(items: Iterable[tuple[str, dict[str, Any]]]) -> list[Rendered]:
    """Render many texts with the process-wide pool. See `MarkdownPool.render_many`."""
    return _default_pool().render_many(list(items))


def shutdown() -> None:
    """Stop the process-wide pool's workers (at exit; tests)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.close()


atexit.register(shutdown)
