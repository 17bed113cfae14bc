"""Hooks through which another front door (the district portal) serves the editor's form.

`showcase edit` uses none of them: its own token guard, recycle bin and template. The
portal supplies its login-based guard, plain deletion (git keeps every version), a
commit after every save and the pages that are the site's own (their inline scripts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from flask import Response


@dataclass
class FrontDoor:
    guard: Callable[[], Response | None] | None = None
    """Replaces the per-run token guard; decides every request (None: let it through)."""
    trash: Callable[[Path], None] | None = None
    """How a deleted file goes away (default: the system's recycle bin)."""
    before_save: Callable[[Path], None] | None = None
    """Called inside the save lock before the save is planned (e.g. recovery)."""
    after_save: Callable[[Path, list[str]], None] | None = None
    """Called inside the save lock after the files are written (e.g. a git commit)."""
    save_lock: Lock | None = None
    """The lock every save holds (shared with the door's own writers, e.g. a restore)."""
    site_paths: tuple[str, ...] = ("/preview/",)
    """Paths serving built site pages (their own inline scripts: a looser policy)."""
