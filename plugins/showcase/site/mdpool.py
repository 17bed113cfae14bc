"""Markdown workers: each author text rendered within a time limit, in a process that is
killed when it runs over.

Workers start lazily (forkserver where available, else spawn — never fork, `mkdocs
serve` has threads), one per concurrent caller up to `size`, and stay for the life of
the process: a 300-project build pays one start (≈0.2 s), and `mkdocs serve` rebuilds
reuse the worker. A killed worker is replaced on the next text. Page rendering calls
`render()` one text at a time, so one worker is busy at a time; the image pool has
finished by then, so they never compete for cores. `render_many()` uses up to `size`
workers in parallel for a caller that has all texts up front. Set
``SHOWCASE_MARKDOWN_WORKERS=0`` to render in-process (the prechecks and exception
handling still apply; the time limit does not). Any exception in the worker (a
`RecursionError`, a `MemoryError` under the worker's address-space cap) and a worker
that dies are failures of that one text, never of the build. The workers themselves
are `core.workers` (the image jobs use the same ones).
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..core.workers import WorkerPool, mp_context
from .mdbudget import DEFAULT_BUDGET, HINT, Budget, Rendered, error_reason, failed, precheck
from .mdrender import converter, heading_baselevel, render_here

__all__ = ["MarkdownPool", "render", "render_many", "shutdown"]


def _mp_context() -> Any:
    return mp_context()  # one place a test can swap (e.g. for fork)


def _warm() -> None:
    converter(1)  # import Markdown and its extensions before the first text


class MarkdownPool:
    """Worker processes that render author texts, each within `budget` (see module doc)."""

    RECYCLE_AFTER = 5_000
    """Texts after which a worker is replaced, so one process never grows for a day of
    `mkdocs serve`."""

    def __init__(self, size: int = 2, budget: Budget = DEFAULT_BUDGET) -> None:
        self.size = max(1, size)
        self.budget = budget
        self._workers = WorkerPool(
            self.size,
            memory_mb=budget.memory_mb,
            warm=_warm,
            name="showcase-markdown",
            context=lambda: _mp_context(),
        )
        self._workers.RECYCLE_AFTER = self.RECYCLE_AFTER
        self._cond = threading.Condition()
        self._counts: dict[int, int] = {}
        """Heading level → texts rendered at it (the footnote-id counter)."""
        self._in_process = os.environ.get("SHOWCASE_MARKDOWN_WORKERS", "").strip() == "0"

    @property
    def starts(self) -> int:
        """How many worker processes were started (a test and the benchmark read it)."""
        return self._workers.starts

    @property
    def _idle(self) -> list:
        return self._workers._idle

    # -- public

    def render(
        self,
        text: str,
        *,
        allow_raw_html: bool = False,
        baselevel: int = 1,
        id_prefix: str = "",
        max_seconds: float | None = None,
    ) -> Rendered:
        """`text` as HTML, or as escaped plain text with a reason. Never raises.

        `max_seconds` lowers this text's time limit (what is left of a school's budget)."""
        if not text:
            return Rendered("")
        level = heading_baselevel(text, baselevel)
        options = {
            "allow_raw_html": allow_raw_html,
            "id_prefix": id_prefix,
            "max_seconds": max_seconds,
        }
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
        self._workers.warm_up()

    def close(self) -> None:
        """Stop every worker (they would also stop with this process)."""
        self._workers.close()

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
        limit = self.budget.time_limit(len(text.encode("utf-8", "surrogatepass")))
        cap = kw.get("max_seconds")
        if cap is not None and limit is not None:
            limit = max(0.05, min(limit, cap))
        reply = self._workers.call(render_here, request, limit)
        if reply[0] == "unavailable":  # no processes here: render in-process
            self._in_process = True
            return self._here(text, request, started)
        seconds = time.perf_counter() - started
        if reply[0] == "ok":
            return Rendered(reply[1], seconds=seconds)
        if reply[0] == "timeout":
            return failed(
                text,
                "timeout",
                f"排版超过 {limit:.3g} 秒仍未完成，已停止，按纯文本显示",
                HINT,
                seconds,
            )
        if reply[0] == "crashed":
            return failed(text, "crashed", "排版程序意外退出，按纯文本显示", HINT, seconds)
        return failed(text, "error", error_reason(reply[1]), HINT, seconds)

    def _here(self, text: str, request: tuple, started: float) -> Rendered:
        try:
            html = render_here(*request)
        except RecursionError:
            return failed(text, "error", error_reason("RecursionError"), HINT)
        except Exception as exc:  # noqa: BLE001 - one text's failure is a finding
            return failed(text, "error", error_reason(type(exc).__name__), HINT)
        return Rendered(html, seconds=time.perf_counter() - started)


_pool: MarkdownPool | None = None


_pool_lock = threading.Lock()


def _default_pool() -> MarkdownPool:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = MarkdownPool(size=min(2, os.cpu_count() or 1))
        return _pool


def render(
    text: str,
    *,
    allow_raw_html: bool = False,
    baselevel: int = 1,
    id_prefix: str = "",
    max_seconds: float | None = None,
) -> Rendered:
    """Render one author text with the process-wide pool. See `MarkdownPool.render`."""
    return _default_pool().render(
        text,
        allow_raw_html=allow_raw_html,
        baselevel=baselevel,
        id_prefix=id_prefix,
        max_seconds=max_seconds,
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
