"""Writing files so that nobody ever sees half of one: a temporary file, then a rename.

Every file the package writes (cache entries, exports, reports, packages, project
files) goes through `write_atomic`. The temporary name carries the writer's process id,
so a later run can tell a killed writer's leftovers from a live writer's file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

TMP_PREFIX = ".tmp-"


def temp_name(path: Path) -> Path:
    """A unique temporary name beside `path` (same folder, so the rename is atomic)."""
    return path.with_name(f"{TMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}-{path.name}")


def write_atomic(
    path: Path, data: bytes | str | Callable[[IO[bytes]], Any], *, durable: bool = False
) -> None:
    """Write `data` (bytes, text as UTF-8, or a function writing to a binary file) to `path`.

    A new file gets the ordinary permissions of new files (not mkstemp's private 0600:
    exports, reports and packages are meant to be passed on); a replaced file keeps its
    own. `durable` flushes to the disk before the rename (a teacher's own files, not caches).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(path)
    try:
        with open(tmp, "xb") as fh:
            if callable(data):
                data(fh)
            else:
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class FolderExists(Exception):
    """The folder to create exists already and holds something."""


def create_folder(folder: Path, fill: Callable[[Path], Any]) -> None:
    """Make `folder` (absent or empty) complete, or not at all.

    `fill(tmp)` writes everything into a temporary sibling folder, which is then renamed
    into place: a failure, or a second writer, never leaves a half-made folder. Raises
    FolderExists when `folder` holds anything; `fill`'s exceptions and OSError pass through.
    """
    import shutil
    import tempfile

    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FolderExists(str(folder))
    parent = folder.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f"{TMP_PREFIX}{os.getpid()}-"))
    try:
        fill(tmp)
        if folder.is_dir():
            folder.rmdir()  # empty (checked above); Windows cannot rename onto a folder
        tmp.chmod(0o755)  # mkdtemp makes folders private; these are shared and published
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
