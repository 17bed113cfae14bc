"""Pillow, set up in one place: the formats we decode, the sizes we publish, the limits.

Every module that opens an image opens it with `open_image`, so only the formats
listed here are ever decoded: a school's PostScript renamed `logo.png` never reaches
Pillow's EPS plugin (which would run Ghostscript on it).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import IO

from PIL import Image

try:  # HEIC/HEIF photos from iPhones
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover - a declared dependency
    pillow_heif = None

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "HEIF")
"""Phone and camera photos (JPEG, including MPO files with a depth map, which Pillow
opens through its JPEG plugin; HEIF), logos and scans (PNG, WebP, GIF, BMP, TIFF).
Nothing that runs a program or a script to decode."""

PHOTO_WIDTHS = (400, 800, 1600)
"""Thumbnail, card/inline display, lightbox: the srcset of every photo."""
LOGO_WIDTHS = (128, 256, 512)
MAX_DECODED_PIXELS = 64_000_000
"""Above this (after JPEG shrink-on-load) an image is refused as a decompression bomb.

Pillow's own check in `Image.open` refuses anything above 2 × MAX_IMAGE_PIXELS before
any pixel is decoded; this limit bounds a worker's memory (64 Mpx RGBA = 256 MB)."""


def open_image(source: str | Path | IO[bytes]) -> Image.Image:
    """Open an image without decoding its pixels, in one of `ALLOWED_FORMATS` only.

    Raises PIL's UnidentifiedImageError for anything else, and DecompressionBombError
    above twice Pillow's pixel limit; between one and two times it only warns, and our
    own `MAX_DECODED_PIXELS` decides.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(source, formats=ALLOWED_FORMATS)
