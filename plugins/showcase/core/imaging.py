"""Pillow, set up in one place: the formats we decode (and the one way to open an image,
`open_image`), the sizes we publish, the pixel limit.

Pillow picks a decoder by the file's content, from some 40 plugins. One of them, EPS,
hands the file to Ghostscript: an EPS file named `logo.png` made the build run `gs`
on a school's PostScript (a failing `gs` aborted the build; a working one executed
the program). Others (JPEG 2000, PSD, FITS, SGI, PCX, TGA …) are rarely used, rarely
fuzzed parsers that no phone, camera, scanner or Office program produces for our
users. So every `Image.open` in the package goes through `open_image`, which passes
`formats=` and never lets another plugin look at the bytes.

Allowed (`PHOTO_FORMATS`), and why:

| format | from |
|---|---|
| JPEG (and MPO) | every phone and camera; MPO is JPEG with extra frames (many phones' portrait and wide shots), opened by the JPEG plugin itself |
| PNG | screenshots, logos, scans; APNG too |
| WEBP | WeChat and web downloads |
| GIF | old logos and animations (first frame is used) |
| BMP | old Windows scans and screenshots |
| TIFF | scanners (certificates, paper forms in appendices) |
| HEIF | iPhone photos (HEIC), via pillow-heif |

Logos (`LOGO_FORMATS`) are PNG, JPEG and WEBP (SVG logos are text, sanitised apart).
Refused: EPS/PS (runs Ghostscript), PDF, PSD, JPEG 2000, ICO/CUR, AVIF, WMF/EMF and
the other legacy formats. `refused_format` names a refused file's real format for
the finding (“这是 PostScript（EPS）文件……”).

Importing this module also switches Ghostscript off inside Pillow for the process
(`harden()`), so even an `Image.open` without `formats=` somewhere else — in a library
— can never start `gs`.
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Sequence
from typing import IO

from PIL import Image, UnidentifiedImageError

__all__ = [
    "LOGO_FORMATS",
    "LOGO_WIDTHS",
    "MAX_DECODED_PIXELS",
    "PHOTO_WIDTHS",
    "PHOTO_FORMATS",
    "RefusedFormat",
    "harden",
    "open_image",
    "refused_format",
]

PHOTO_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "HEIF")
"""Pillow format names a photo, appendix image or logo may have. (An MPO file opens
through "JPEG" and reports `format == "MPO"`: Pillow registers no separate opener.)"""
LOGO_FORMATS: tuple[str, ...] = ("PNG", "JPEG", "WEBP")
"""Raster logos; SVG logos never reach Pillow."""
OWN_PNG: tuple[str, ...] = ("PNG",)
"""For files this package wrote itself (derived PNGs, rendered SVGs)."""

PHOTO_WIDTHS = (400, 800, 1600)
"""Thumbnail, card/inline display, lightbox: the srcset of every photo."""
LOGO_WIDTHS = (128, 192, 256, 320, 384, 512)
"""Steps small enough that a logo drawn 90 or 180 CSS px wide at 1.75–3× gets a file near its size."""
MAX_DECODED_PIXELS = 64_000_000
"""Above this (after JPEG shrink-on-load) an image is refused as a decompression bomb.

Pillow's own check in `Image.open` refuses anything above 2 × MAX_IMAGE_PIXELS before
any pixel is decoded; this limit bounds a worker's memory (64 Mpx RGBA = 256 MB)."""

_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"%!PS", 0, "PostScript（EPS）文件"),
    (b"\xc5\xd0\xd3\xc6", 0, "PostScript（EPS）文件"),
    (b"%PDF", 0, "PDF 文档"),
    (b"8BPS", 0, "Photoshop（PSD）文件"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", 0, "JPEG 2000 图片"),
    (b"\xff\x4f\xff\x51", 0, "JPEG 2000 图片"),
    (b"\x00\x00\x01\x00", 0, "ICO 图标"),
    (b"\x00\x00\x02\x00", 0, "CUR 光标"),
    (b"\xd7\xcd\xc6\x9a", 0, "WMF 矢量图"),
    (b" EMF", 40, "EMF 矢量图"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "旧版 Office 文档（.doc/.xls/.ppt）"),
    (b"PK\x03\x04", 0, "压缩包或 Office 文档"),
    (b"ftypavif", 4, "AVIF 图片"),
    (b"ftypavis", 4, "AVIF 图片"),
    (b"SIMPLE  =", 0, "FITS 天文图像"),
    (b"\x01\xda", 0, "SGI 图片"),
)

_hardened = False
_heif_registered = False


class RefusedFormat(UnidentifiedImageError):
    """The file is an image (or document) of a format we do not decode."""

    def __init__(self, format_name: str) -> None:
        super().__init__(f"refused format: {format_name}")
        self.format_name = format_name
        shown = f" {format_name}" if format_name[:1].isascii() else format_name
        self.message = (
            f"这个文件其实是{shown}，不是照片格式（只是扩展名写成了图片），"
            "出于安全不会处理，这张图片不会发布"
        )
        self.hint = "请用手机相册或画图软件把它导出为 JPG 或 PNG 图片"


def harden() -> None:
    """Switch Ghostscript off in Pillow's EPS plugin for this process (idempotent).

    Pillow looks for `gs` once and caches the answer in `gs_binary`; `False` means
    "not installed", so EPS files can never be rendered, whatever `formats` a caller
    passes or forgets.
    """
    global _hardened
    if _hardened:
        return
    try:
        from PIL import EpsImagePlugin

        EpsImagePlugin.gs_binary = False
        EpsImagePlugin.gs_windows_binary = False
    except ImportError:  # pragma: no cover - a Pillow built without the plugin
        pass
    _hardened = True


def _register_heif() -> None:
    global _heif_registered
    if _heif_registered:
        return
    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
    except ImportError:  # pragma: no cover - a declared dependency
        pass
    _heif_registered = True


def refused_format(head: bytes) -> str | None:
    """The Chinese name of a format we refuse, recognised from a file's first bytes."""
    for magic, offset, name in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return name
    stripped = head.lstrip()[:256].lower()
    if stripped.startswith((b"<svg", b"<?xml")) and b"<svg" in head.lower():
        return "SVG 矢量图"
    return None


def _head(source: str | os.PathLike[str] | IO[bytes] | bytes, position: int) -> bytes:
    """The first bytes of the image (from `position` in a file object)."""
    try:
        if isinstance(source, (bytes, bytearray)):
            return bytes(source[:64])
        if isinstance(source, (str, os.PathLike)):
            with open(source, "rb") as fh:
                return fh.read(64)
        source.seek(position)
        data = source.read(64)
        source.seek(position)
        return data
    except (OSError, ValueError, AttributeError):
        return b""


def open_image(
    source: str | os.PathLike[str] | IO[bytes] | bytes,
    *,
    formats: Sequence[str] = PHOTO_FORMATS,
    bomb_warnings: bool = False,
) -> Image.Image:
    """`PIL.Image.open` restricted to `formats` (lazy: no pixels are decoded yet).

    `source` is a path, an open binary file, or the bytes themselves. Raises
    `RefusedFormat` (a `PIL.UnidentifiedImageError`, with a Chinese `.message` and
    `.hint`) when the content is a format we refuse, Pillow's own
    `UnidentifiedImageError` for anything else unrecognised, and
    `Image.DecompressionBombError` for an image beyond twice Pillow's pixel limit.
    Between one and two times that limit Pillow only warns; the warning is silenced
    unless `bomb_warnings` (callers apply their own, stricter pixel limit).
    """
    harden()
    if "HEIF" in formats:
        _register_heif()
    fp = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    position = 0
    if not isinstance(fp, (str, os.PathLike)):
        try:
            position = fp.tell()
        except (OSError, AttributeError, ValueError):
            position = 0
    try:
        with warnings.catch_warnings():
            if not bomb_warnings:
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(fp, formats=list(formats))
    except UnidentifiedImageError as exc:
        name = refused_format(_head(source, position))
        if name is not None:
            raise RefusedFormat(name) from exc
        raise


harden()
