"""The derived-image cache: entries named by the source's content and every setting.

Each derived file is written to a temporary name and renamed; the entry's manifest is
written last, so an entry exists only once all its files are complete.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.atomic import TMP_PREFIX
from ..core.imaging import LOGO_WIDTHS, MAX_DECODED_PIXELS, PHOTO_WIDTHS

WEBP_OPTIONS = {"quality": 80, "method": 4}


JPEG_OPTIONS = {"quality": 82, "optimize": True}


PNG_OPTIONS = {"optimize": True}


PIPELINE_VERSION = "2"
"""Bump when the derived output changes, so every cache entry is made anew."""


ASSET_DIR = "assets/showcase/img"


INDEX_NAME = "index.json"


_SETTINGS = json.dumps(
    {
        "v": PIPELINE_VERSION,
        "photo": PHOTO_WIDTHS,
        "logo": LOGO_WIDTHS,
        "webp": WEBP_OPTIONS,
        "jpeg": JPEG_OPTIONS,
        "png": PNG_OPTIONS,
        "max": MAX_DECODED_PIXELS,
    },
    sort_keys=True,
)


EXT = {"jpeg": "jpg", "webp": "webp", "png": "png", "svg": "svg"}


@dataclass(frozen=True)
class Variant:
    rel: str
    """Site path, e.g. assets/showcase/img/ab/abcd…-400.webp"""
    path: Path
    """The file in the cache."""
    width: int
    height: int
    format: str
    """webp, jpeg, png or svg"""

    @property
    def mime(self) -> str:
        return {"jpeg": "image/jpeg", "svg": "image/svg+xml"}.get(
            self.format, f"image/{self.format}"
        )


@dataclass
class ImageSet:
    key: str
    kind: str
    width: int
    height: int
    variants: list[Variant] = field(default_factory=list)

    def of(self, fmt: str) -> list[Variant]:
        return sorted((v for v in self.variants if v.format == fmt), key=lambda v: v.width)

    @property
    def fallback_format(self) -> str:
        formats = {v.format for v in self.variants}
        return "png" if "png" in formats else "jpeg"

    def pick(self, fmt: str, width: int) -> Variant:
        """The smallest variant of `fmt` at least `width` wide (or the largest there is)."""
        options = self.of(fmt) or self.of(self.fallback_format)
        for v in options:
            if v.width >= width:
                return v
        return options[-1]

    @property
    def svg(self) -> Variant | None:
        return next((v for v in self.variants if v.format == "svg"), None)


class MediaError(Exception):
    """A source image that cannot be published; the message is for the user (Chinese)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cache_key(digest: str, kind: str) -> str:
    """The entry's name: source content + kind + every setting that changes the output."""
    return hashlib.sha256(f"{digest}|{kind}|{_SETTINGS}".encode()).hexdigest()[:32]


def entry_dir(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2]


def manifest_path(cache_dir: Path, key: str) -> Path:
    return entry_dir(cache_dir, key) / f"{key}.json"


def variant(cache_dir: Path, key: str, name: str, width: int, height: int, fmt: str) -> Variant:
    return Variant(
        f"{ASSET_DIR}/{key[:2]}/{name}", entry_dir(cache_dir, key) / name, width, height, fmt
    )


def read_entry(cache_dir: Path, key: str, kind: str) -> ImageSet | MediaError | None:
    """The cached entry: derived files, or the finding of a source that cannot be used
    (so a broken photo is not decoded again every build); None when missing or incomplete."""
    try:
        data = json.loads(manifest_path(cache_dir, key).read_bytes())
        if data.get("key") == key and "error" in data:
            return MediaError(str(data["error"]), data.get("hint"))
        variants = [variant(cache_dir, key, n, w, h, f) for n, w, h, f in data["variants"]]
        if data.get("key") != key or not variants:
            return None
        if not all(v.path.is_file() for v in variants):
            return None
        return ImageSet(key, kind, int(data["width"]), int(data["height"]), variants)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    with contextlib.suppress(OSError):  # a zombie is dead too
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    return True


def stale_tmp(path: Path, now: float) -> bool:
    m = re.match(rf"{re.escape(TMP_PREFIX)}(\d+)-", path.name)
    try:
        old = now - path.stat().st_mtime > 24 * 3600
    except OSError:
        return False
    if old or m is None:
        return True
    return not _pid_alive(int(m.group(1)))
