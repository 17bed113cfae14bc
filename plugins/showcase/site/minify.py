"""The site's own stylesheet and scripts, minified: small files, no comments sent to readers.

The sources in `assets/` stay readable; the built site gets them without comments and
white space (rcssmin, rjsmin: small, maintained, no Node). Each is minified once per
change of its file, so `mkdocs serve` rebuilds cost nothing.
"""

from __future__ import annotations

import functools
from pathlib import Path

import rcssmin
import rjsmin

ASSETS = Path(__file__).parent.parent / "assets"


@functools.lru_cache(maxsize=16)
def _minified(path: Path, mtime_ns: int) -> str:
    text = path.read_text(encoding="utf-8")
    return rcssmin.cssmin(text) if path.suffix == ".css" else rjsmin.jsmin(text)


def minified(name: str) -> str:
    """`assets/<name>` (a .css or .js file) minified (read again when the file changes)."""
    path = ASSETS / name
    return _minified(path, path.stat().st_mtime_ns)
