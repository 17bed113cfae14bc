"""Worker processes that can be stopped: one job at a time, within a time and memory limit.

Parsers of school files (Markdown, Pillow's decoders, resvg, the Office and PDF image
strippers) can take minutes or gigabytes on a hostile input: an SVG logo with
`feTurbulence numOctaves="100000000"` kept resvg busy for hours. A thread cannot be
stopped; a process can. So every such job runs here:

- a `Worker` is one process (forkserver where available, else spawn; never fork,
  `mkdocs serve` has threads) that runs `fn(*args)` for each request; `fn` must be a
  module-level function (it travels by name);
- its address space is capped at start (`RLIMIT_AS`, Linux): a job past the cap gets a
  `MemoryError` (or dies) and the worker reports that, never the build;
- a job past its time limit gets the worker killed; the next job starts a new one;
- a `WorkerPool` hands out up to `size` workers to concurrent callers and keeps them
  for the life of the pool (one start, ≈0.2 s, per worker).

A call answers `("ok", value)`, `("error", exception name, text)`, `("timeout",)` or
`("crashed",)`; the caller turns the last three into a finding naming the file.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["Worker", "WorkerPool", "mp_context"]


def mp_context() -> multiprocessing.context.BaseContext:
    # forkserver: safe beside the threads of `mkdocs serve` and tqdm, cheap per worker
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def limit_memory(extra_mb: int | None) -> None:
    """Cap this process's address space at what it has now plus `extra_mb` (Linux)."""
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


def _worker_main(conn: Any, memory_mb: int | None, warm: Callable[[], Any] | None) -> None:
    """A worker's loop: (fn, args) → ("ok", fn(*args)) or ("error", name, text)."""
    limit_memory(memory_mb)
    if warm is not None:
        with contextlib.suppress(Exception):
            warm()  # imports before the first job, so its time limit excludes them
    try:
        conn.send(("ready",))
    except (OSError, ValueError):
        return
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        fn, args = request
        try:
            reply: tuple = ("ok", fn(*args))
        except RecursionError:
            reply = ("error", "RecursionError", "")
        except MemoryError:
            reply = ("error", "MemoryError", "")
        except Exception as exc:  # noqa: BLE001 - one job's failure is reported, not raised
            reply = ("error", type(exc).__name__, str(exc)[:200])
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


class Worker:
    """One worker process (see the module doc)."""

    STARTUP_SECONDS = 60.0
    """How long a new worker may take to start and import (a busy school PC is slow)."""

    def __init__(
        self,
        memory_mb: int | None,
        warm: Callable[[], Any] | None = None,
        name: str = "showcase-worker",
        context: Callable[[], Any] | None = None,
    ) -> None:
        ctx = (context or mp_context)()
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=_worker_main, args=(child, memory_mb, warm), name=name, daemon=True
        )
        self.process.start()
        child.close()
        self.jobs = 0
        self.ready = False

    def call(self, fn: Callable[..., Any], args: tuple, timeout: float | None) -> tuple:
        """The job's reply; ("timeout",) after killing the worker; ("crashed",) when it died."""
        try:
            if not self.ready:
                if not self.conn.poll(self.STARTUP_SECONDS) or self.conn.recv() != ("ready",):
                    self.kill()
                    return ("crashed",)
                self.ready = True
            self.conn.send((fn, args))
            if timeout is not None and not self.conn.poll(timeout):
                self.kill()
                return ("timeout",)
            self.jobs += 1
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


class WorkerPool:
    """Up to `size` workers shared by concurrent callers; `call` runs one job in one."""

    RECYCLE_AFTER = 5_000
    """Jobs after which a worker is replaced, so one process never grows for a day of
    `mkdocs serve`."""

    def __init__(
        self,
        size: int = 2,
        *,
        memory_mb: int | None = None,
        warm: Callable[[], Any] | None = None,
        name: str = "showcase-worker",
        context: Callable[[], Any] | None = None,
    ) -> None:
        self.size = max(1, size)
        self.context = context
        """Makes the multiprocessing context (default `mp_context`; a test may fork)."""
        self.memory_mb = memory_mb
        self.warm = warm
        self.name = name
        self._idle: list[Worker] = []
        self._started = 0
        self._cond = threading.Condition()
        self.unavailable = False
        """True once a process could not be started: callers then work in-process."""
        self.starts = 0
        """How many worker processes were started (a test and the benchmarks read it)."""

    def call(self, fn: Callable[..., Any], args: tuple, timeout: float | None) -> tuple:
        """Run `fn(*args)` in a worker within `timeout` seconds; ("unavailable",) when no
        process can be started here (the caller decides whether to run it in-process)."""
        worker = self.checkout()
        if worker is None:
            return ("unavailable",)
        try:
            return worker.call(fn, args, timeout)
        finally:
            self.checkin(worker)

    def warm_up(self) -> None:
        """Start one worker now (e.g. while something else is busy)."""
        worker = self.checkout()
        if worker is not None:
            self.checkin(worker)

    def checkout(self) -> Worker | None:
        with self._cond:
            if self.unavailable:
                return None
            while True:
                while self._idle:
                    worker = self._idle.pop()
                    if worker.alive and worker.jobs < self.RECYCLE_AFTER:
                        return worker
                    self._started -= 1
                    threading.Thread(target=worker.stop, daemon=True).start()
                if self._started < self.size:
                    self._started += 1
                    break
                self._cond.wait()
        try:
            worker = Worker(self.memory_mb, self.warm, self.name, self.context)
        except Exception:  # noqa: BLE001 - no processes here (a sandbox): callers go in-process
            with self._cond:
                self._started -= 1
                self.unavailable = True
                self._cond.notify_all()
            return None
        self.starts += 1
        return worker

    def checkin(self, worker: Worker) -> None:
        with self._cond:
            if worker.alive:
                self._idle.append(worker)
            else:
                self._started -= 1  # killed on a timeout: the next job starts a new one
            self._cond.notify()

    def close(self) -> None:
        """Stop every idle worker (busy ones stop when their caller checks them in)."""
        with self._cond:
            idle, self._idle = self._idle, []
            self._started -= len(idle)
        for worker in idle:
            worker.stop()
