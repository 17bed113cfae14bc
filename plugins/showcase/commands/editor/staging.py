"""Uploads waiting for a save: bounded, and removed on save, on exit and on the next start.

Each `showcase edit` works in its own folder under the system's temp folder
(`showcase-edit-*`, marked with the editor's process id). An upload is written there
until the teacher saves; a save copies it into the project and the staged file goes.
Uploads that are never saved count against `max_mb` (`SHOWCASE_EDIT_STAGING_MB`, 1 GB)
and `max_files`: past them an upload is refused with a message asking to save first,
so 20 uploads of 100 MB can no longer fill the disk. The folder is removed when the
editor stops (Ctrl+C, closing the window, `kill`); an editor that was killed outright
leaves it behind, and the next start removes every folder whose editor is gone.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from .saving import Staged

WORK_PREFIX = "showcase-edit-"
OWNER_FILE = "showcase-editor.pid"
DEFAULT_MAX_MB = 1024
MAX_FILES = 500


class StagingFull(Exception):
    """An upload that would pass the bound (message in Chinese)."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process: not ours to judge
    return True


def clean_stale(base: Path | None = None) -> int:
    """Remove the work folders of editors that are no longer running; how many.

    Only folders carrying our marker are touched, and never a running editor's."""
    base = Path(base or tempfile.gettempdir())
    removed = 0
    with contextlib.suppress(OSError):
        for entry in base.iterdir():
            if not entry.name.startswith(WORK_PREFIX) or entry.is_symlink():
                continue
            try:
                pid = int((entry / OWNER_FILE).read_text(encoding="ascii").strip())
            except (OSError, ValueError):
                continue  # not made by this version of the editor: left alone
            if pid == os.getpid() or _alive(pid):
                continue
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed


def make_work_dir(base: Path | None = None) -> Path:
    """A fresh work folder for this editor (after removing those of editors that are gone)."""
    clean_stale(base)
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=base))
    (work / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
    return work


def _max_mb() -> int:
    try:
        return max(1, int(os.environ.get("SHOWCASE_EDIT_STAGING_MB", DEFAULT_MAX_MB)))
    except ValueError:
        return DEFAULT_MAX_MB


class Staging:
    """The staged uploads of one editor (a dict-like view for `saving.plan_save`)."""

    def __init__(self, folder: Path, max_mb: int | None = None, max_files: int = MAX_FILES) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.max_bytes = (max_mb or _max_mb()) * 1024 * 1024
        self.max_files = max_files
        self.items: dict[str, Staged] = {}
        self._sizes: dict[str, int] = {}
        self._lock = threading.Lock()

    # what saving.plan_save and the routes read
    def get(self, sid: str) -> Staged | None:
        return self.items.get(sid)

    def __contains__(self, sid: object) -> bool:
        return sid in self.items

    def __getitem__(self, sid: str) -> Staged:
        return self.items[sid]

    @property
    def used(self) -> int:
        return sum(self._sizes.values())

    def add(self, stream: IO[bytes], name: str, ext: str, max_file: int) -> tuple[str, int]:
        """Write an upload; (id, size). Raises StagingFull past a bound, ValueError past
        `max_file` bytes (nothing is left behind either way)."""
        with self._lock:
            if len(self.items) >= self.max_files:
                raise StagingFull(
                    f"已有 {len(self.items)} 个上传的文件还没有保存，请先点“保存”再继续上传"
                )
        sid = secrets.token_hex(8)
        target = self.folder / f"{sid}{ext}"
        size = 0
        try:
            with target.open("wb") as fh:
                while chunk := stream.read(1024 * 1024):
                    size += len(chunk)
                    if size > max_file:
                        raise ValueError(name)
                    if self.used + size > self.max_bytes:
                        raise StagingFull(
                            f"还没有保存的上传文件已超过 {self.max_bytes // (1024 * 1024)} MB，"
                            "请先点“保存”（保存后这些暂存文件会清空）再继续上传"
                        )
                    fh.write(chunk)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        with self._lock:
            self.items[sid] = Staged(target, name)
            self._sizes[sid] = size
        return sid, size

    def release(self, paths: Iterable[Path]) -> int:
        """Forget and delete the staged files among `paths` (they were saved); how many."""
        wanted = {Path(p) for p in paths}
        gone = 0
        with self._lock:
            for sid, item in list(self.items.items()):
                if item.path in wanted:
                    with contextlib.suppress(OSError):
                        item.path.unlink()
                    del self.items[sid]
                    self._sizes.pop(sid, None)
                    gone += 1
        return gone
