"""The image step of a build: cache lookups first, then worker processes for the rest.

A stat index (size, mtime, inode → content hash) lets a warm rebuild skip reading
the sources; `mkdocs serve` keeps one processor, so its rebuilds only stat files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.atomic import TMP_PREFIX, write_atomic
from ..core.budgets import Budgets
from ..core.findings import Finding, Findings, Level
from ..core.workers import WorkerPool, mp_context  # noqa: F401 - scripts import it here
from .cache import (
    INDEX_NAME,
    ImageSet,
    MediaError,
    cache_key,
    content_digest,
    manifest_path,
    read_entry,
    stale_tmp,
)
from .derive import derive, describe

log = logging.getLogger("mkdocs.plugins.showcase")


PROGRESS_MIN = 20


@dataclass(frozen=True)
class _Task:
    path: str
    kind: str
    cache_dir: str


@dataclass(frozen=True)
class _Outcome:
    path: str
    kind: str
    key: str = ""
    image: ImageSet | None = None
    error: str | None = None
    hint: str | None = None
    decoded: int = 0


def _work(task: _Task) -> _Outcome:
    """One source → its cache entry; runs in a worker process (or in-process for a few)."""
    cache_dir = Path(task.cache_dir)
    try:
        data = Path(task.path).read_bytes()
    except OSError as exc:
        return _Outcome(task.path, task.kind, error=f"无法读取图片文件（{exc.strerror or exc}）")
    if not data:
        return _Outcome(
            task.path,
            task.kind,
            error="图片文件是空的（0 字节），这张图片不会发布",
            hint="请重新拷贝原图",
        )
    # hashed again here: the entry must be named after the bytes actually decoded
    key = cache_key(content_digest(data), task.kind)
    cached = read_entry(cache_dir, key, task.kind)
    if isinstance(cached, ImageSet):
        return _Outcome(task.path, task.kind, key, image=cached)
    if isinstance(cached, MediaError):
        return _Outcome(task.path, task.kind, key, error=str(cached), hint=cached.hint)
    try:
        image = derive(data, task.kind, key, cache_dir)
    except MediaError as exc:
        # the verdict on these bytes is final: remember it like a derived entry
        record = {"key": key, "kind": task.kind, "error": str(exc), "hint": exc.hint}
        with contextlib.suppress(OSError):
            payload = json.dumps(record, ensure_ascii=False).encode()
            write_atomic(manifest_path(cache_dir, key), lambda fh: fh.write(payload))
        return _Outcome(task.path, task.kind, key, error=str(exc), hint=exc.hint, decoded=1)
    except Exception as exc:  # an encoder or disk failure: a finding, not remembered
        err = describe(exc)
        return _Outcome(task.path, task.kind, key, error=str(err), hint=err.hint, decoded=1)
    return _Outcome(task.path, task.kind, key, image=image, decoded=1)


def _warm() -> None:
    from . import derive as _  # noqa: F401 - Pillow and its plugins, before the first limit


def _limited(outcome: tuple, task: _Task, seconds: float | None, memory_mb: int | None) -> _Outcome:
    """A worker's reply for `task` → its outcome; past a limit, a finding (never retried)."""
    if outcome[0] == "ok":
        return outcome[1]
    if outcome[0] == "timeout":
        error = f"处理这张图片超过 {seconds:.3g} 秒仍未完成，已停止，这张图片不会发布"
        hint = (
            "SVG 标识请去掉滤镜等特效后重新导出，或改用 PNG 标识"
            if task.path.lower().endswith(".svg")
            else "请把图片缩小或重新导出后再放入"
        )
    elif outcome[0] == "error" and outcome[1] == "MemoryError":
        error = f"处理这张图片需要的内存超过 {memory_mb} MB 上限，已停止，这张图片不会发布"
        hint = "请把图片缩小（例如长边 4000 像素以内）后再放入"
    elif outcome[0] == "crashed":
        error = "处理这张图片时解码程序崩溃，这张图片不会发布"
        hint = "文件可能已损坏，请重新导出原图"
    else:
        error = f"处理这张图片时出错（{outcome[1]}），这张图片不会发布"
        hint = "请重新导出原图"
    return _Outcome(task.path, task.kind, error=error, hint=hint, decoded=1)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class MediaProcessor:
    def __init__(
        self,
        cache_dir: Path,
        *,
        jobs: int | None = None,
        progress: bool = True,
        budgets: Budgets | None = None,
    ) -> None:
        self.cache_dir = Path(cache_dir).absolute()  # variants become MkDocs abs_src_path
        self.jobs = max(1, jobs or cpu_count())
        self.progress = progress
        self.budgets = budgets or Budgets()
        """Each image job runs in a worker within `image_seconds` and `image_memory_mb`."""
        self.starts = 0
        """Worker processes started by the last `process()` (a test reads it)."""
        self.decodes = 0
        """How many images were decoded (a warm rebuild decodes none)."""
        self.processed = 0
        """How many sources went through decoding in the last `process()`."""
        self._memo: dict[tuple[str, str], tuple[tuple[int, ...], str, ImageSet | MediaError]] = {}
        """(source, kind) → (stat signature, key, entry): `mkdocs serve` rebuilds stat only."""
        self._index: dict[str, list] | None = None
        self._index_dirty = False
        self._cleaned = False
        self._twins: dict[str, list[tuple[Path, str, tuple[int, ...]]]] = {}
        """Per run: key → other sources with the same bytes, waiting for its result."""

    # -- stat index: (size, mtime, inode) → content digest, so warm builds read no source

    @property
    def _index_path(self) -> Path:
        return self.cache_dir / INDEX_NAME

    def _load_index(self) -> dict[str, list]:
        if self._index is None:
            try:
                data = json.loads(self._index_path.read_bytes())
                self._index = data["entries"] if data.get("v") == 1 else {}
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self._index = {}
        return self._index

    def _save_index(self) -> None:
        if not self._index_dirty or self._index is None:
            return
        payload = json.dumps({"v": 1, "entries": self._index}, ensure_ascii=False).encode()
        try:
            write_atomic(self._index_path, lambda fh: fh.write(payload))
            self._index_dirty = False
        except OSError as exc:
            log.debug("showcase: cannot write image index: %s", exc)

    @staticmethod
    def _signature(st: os.stat_result) -> tuple[int, ...]:
        return (st.st_size, st.st_mtime_ns, st.st_ino)

    def _digest_of(self, path: Path, sig: tuple[int, ...]) -> str | None:
        entry = self._load_index().get(str(path))
        if entry and tuple(entry[:-1]) == sig:
            return entry[-1]
        return None

    def _remember(self, path: Path, sig: tuple[int, ...], digest: str) -> None:
        self._load_index()[str(path)] = [*sig, digest]
        self._index_dirty = True

    def clean_stale(self) -> int:
        """Delete temporary files that a killed build left behind (never a live writer's)."""
        removed = 0
        if not self.cache_dir.is_dir():
            return 0
        now = time.time()
        for folder in [self.cache_dir, *(p for p in self.cache_dir.iterdir() if p.is_dir())]:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith(TMP_PREFIX) and stale_tmp(Path(entry.path), now):
                        with contextlib.suppress(OSError):
                            os.unlink(entry.path)
                            removed += 1
        return removed

    # -- the public step

    def process(
        self, items: Iterable[tuple[Path, str]]
    ) -> tuple[dict[Path, ImageSet], list[Finding]]:
        """Derive every (path, kind) where kind is 'photo' or 'logo'.

        Cache hits are answered here without decoding; misses go to worker processes
        when there are more than a few. A broken image becomes a finding naming its file.
        """
        started = time.perf_counter()
        if not self._cleaned:
            self.clean_stale()
            self._cleaned = True
        results: dict[Path, ImageSet] = {}
        findings = Findings()
        seen: set[Path] = set()
        unknown: list[tuple[Path, str, tuple[int, ...]]] = []
        for path, kind in items:
            path = Path(path)
            if path in seen:
                continue
            seen.add(path)
            try:
                st = path.stat()
            except OSError as exc:
                self._fail(findings, path, kind, f"无法读取图片文件（{exc.strerror or exc}）")
                continue
            if st.st_size == 0:
                self._fail(
                    findings,
                    path,
                    kind,
                    "图片文件是空的（0 字节），这张图片不会发布",
                    "请重新拷贝原图",
                )
                continue
            sig = self._signature(st)
            memo = self._memo.get((str(path), kind))
            if (
                memo is not None
                and memo[0] == sig
                and manifest_path(self.cache_dir, memo[1]).is_file()
            ):
                self._accept(path, kind, sig, memo[1], memo[2], results, findings)
                continue
            digest = self._digest_of(path, sig)
            if digest is not None:
                key = cache_key(digest, kind)
                cached = read_entry(self.cache_dir, key, kind)
                if cached is not None:
                    self._accept(path, kind, sig, key, cached, results, findings)
                    continue
            unknown.append((path, kind, sig))

        self.processed = 0
        self._twins: dict[str, list[tuple[Path, str, tuple[int, ...]]]] = {}
        if unknown:
            bar = self._progress_bar(len(unknown))
            try:
                misses = self._hash_and_lookup(unknown, results, findings, bar)
                sigs = {(str(p), k): s for p, k, s in unknown}
                for outcome in self._run(misses):
                    self._collect(outcome, results, findings, sigs)
                    twins = self._twins.pop(outcome.key, [])
                    entry = results.get(Path(outcome.path)) or MediaError(
                        outcome.error or "图片无法处理", outcome.hint
                    )
                    for path, kind, sig in twins:
                        self._accept(path, kind, sig, outcome.key, entry, results, findings)
                    if bar is not None:
                        bar.update(1 + len(twins))
                # a source that changed while we worked: its twins are done on their own
                left = [t for twins in self._twins.values() for t in twins]
                again = (_Task(str(path), kind, str(self.cache_dir)) for path, kind, _ in left)
                for outcome in self._run(again) if left else ():
                    self._collect(outcome, results, findings, sigs)
            finally:
                if bar is not None:
                    bar.close()
        self._save_index()
        if self.processed:
            log.info(
                "showcase: 图片 %d 张，其中新处理 %d 张，用时 %.1f 秒",
                len(seen),
                self.processed,
                time.perf_counter() - started,
            )
        return results, list(findings)

    def _progress_bar(self, total: int):
        if not self.progress or total <= PROGRESS_MIN:
            return None
        from tqdm import tqdm

        tty = sys.stderr.isatty()
        return tqdm(
            total=total,
            desc="showcase 处理图片",
            unit="张",
            file=sys.stderr,
            mininterval=0.5 if tty else 10,
            dynamic_ncols=True,
        )

    def _hash_and_lookup(
        self,
        unknown: list[tuple[Path, str, tuple[int, ...]]],
        results: dict[Path, ImageSet],
        findings: Findings,
        bar,
    ) -> Iterator[_Task]:
        """Hash sources the index does not know; a hit is answered here, a miss yielded."""
        for path, kind, sig in unknown:
            try:
                h = hashlib.sha256()
                with open(path, "rb") as fh:
                    for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                        h.update(block)
                digest = h.hexdigest()
            except OSError:
                yield _Task(str(path), kind, str(self.cache_dir))  # the worker reports it
                continue
            self._remember(path, sig, digest)
            key = cache_key(digest, kind)
            if key in self._twins:  # the same picture twice (a copy): derive it once
                self._twins[key].append((path, kind, sig))
                continue
            cached = read_entry(self.cache_dir, key, kind)
            if cached is not None:
                self._accept(path, kind, sig, key, cached, results, findings)
                if bar is not None:
                    bar.update(1)
                continue
            self._twins[key] = []
            yield _Task(str(path), kind, str(self.cache_dir))

    def _run(self, tasks: Iterator[_Task]) -> Iterator[_Outcome]:
        """Each task in a worker process that is killed past the time limit; up to `jobs`
        at once, a bounded window in flight, so memory stays flat for any number of photos.

        Every image, even a single logo, goes to a worker: a hostile file (an SVG whose
        filter takes hours, a decoder that runs out of memory or crashes) costs one
        finding and at most `image_seconds`, never the build. Where no process can be
        started (a sandbox), images are processed in-process, without the limits.
        `SHOWCASE_IMAGE_WORKERS=0` does that on purpose (debugging).
        """
        if os.environ.get("SHOWCASE_IMAGE_WORKERS", "").strip() == "0":
            for task in tasks:
                yield _work(task)
            return
        seconds = self.budgets.image_seconds
        memory = self.budgets.image_memory_mb
        pool = WorkerPool(self.jobs, memory_mb=memory, warm=_warm, name="showcase-image")

        def one(task: _Task) -> _Outcome:
            reply = pool.call(_work, (task,), seconds)
            if reply[0] == "unavailable":
                return _work(task)
            return _limited(reply, task, seconds, memory)

        window = self.jobs * 3
        try:
            with ThreadPoolExecutor(self.jobs) as threads:
                inflight: set[Future] = set()
                pending = True
                while pending or inflight:
                    while pending and len(inflight) < window:
                        task = next(tasks, None)
                        if task is None:
                            pending = False
                            break
                        inflight.add(threads.submit(one, task))
                    if not inflight:
                        break
                    done, inflight = wait(inflight, return_when=FIRST_COMPLETED)
                    for fut in done:
                        yield fut.result()
        finally:
            pool.close()
            self.starts = pool.starts
            if pool.unavailable:
                log.warning("showcase: 无法启动图片处理进程，改为单进程处理（没有时间限制）")

    def _collect(self, outcome: _Outcome, results, findings: Findings, sigs: dict) -> None:
        path = Path(outcome.path)
        self.decodes += outcome.decoded
        self.processed += 1 if outcome.decoded else 0
        entry = outcome.image or MediaError(outcome.error or "图片无法处理", outcome.hint)
        sig = sigs.get((outcome.path, outcome.kind))
        self._accept(path, outcome.kind, sig, outcome.key, entry, results, findings)

    def _accept(self, path, kind, sig, key, entry, results, findings: Findings) -> None:
        if sig is not None and key:
            self._memo[(str(path), kind)] = (sig, key, entry)
        if isinstance(entry, ImageSet):
            results[path] = entry
        else:
            self._fail(findings, path, kind, str(entry), entry.hint)

    @staticmethod
    def _fail(
        findings: Findings, path: Path, kind: str, message: str, hint: str | None = None
    ) -> None:
        findings.add(
            Level.ERROR, message, file=path, field="logo" if kind == "logo" else None, hint=hint
        )

    # -- pruning

    def keys_for(self, items: Iterable[tuple[Path, str]]) -> set[str]:
        """The cache keys the given sources use now (hashing only what the index does not know)."""
        keys: set[str] = set()
        for path, kind in items:
            path = Path(path)
            try:
                sig = self._signature(path.stat())
                digest = self._digest_of(path, sig)
                if digest is None:
                    digest = content_digest(path.read_bytes())
                    self._remember(path, sig, digest)
            except OSError:
                continue
            keys.add(cache_key(digest, kind))
        return keys

    def prune(self, keep: set[str], sources: set[str] | None = None) -> tuple[int, int]:
        """Delete every cache file that does not belong to `keep`; (files, bytes) removed."""
        removed = freed = 0
        if not self.cache_dir.is_dir():
            return 0, 0
        self.clean_stale()
        for folder in self.cache_dir.iterdir():
            if not folder.is_dir():
                continue
            for entry in list(folder.iterdir()):
                if entry.name.startswith(TMP_PREFIX):
                    continue  # a live build's file in progress
                key = re.split(r"[-.]", entry.name, maxsplit=1)[0]
                if key in keep:
                    continue
                with contextlib.suppress(OSError):
                    size = entry.stat().st_size
                    entry.unlink()
                    removed += 1
                    freed += size
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty
        if sources is not None:
            index = self._load_index()
            for name in [p for p in index if p not in sources]:
                del index[name]
                self._index_dirty = True
        self._save_index()
        return removed, freed


def image_items(projects: Iterable[Any]) -> list[tuple[Path, str]]:
    """Every (source, kind) of the given projects: logos, album photos, appendix images."""
    items: list[tuple[Path, str]] = []
    for project in projects:
        if project.logo is not None:
            items.append((project.logo.path, "logo"))
        for album in project.albums:
            items.extend((p.path, "photo") for p in album.photos)
        for case in project.cases:
            items.extend((p.path, "photo") for p in case.images)
    return items
