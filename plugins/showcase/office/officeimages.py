"""Pictures inside Office appendices lose their EXIF and GPS, like every other published image.

A phone photo pasted into a .docx, .xlsx or .pptx is stored as it was taken: with its
EXIF block, GPS position, camera serial number, XMP and maker notes, in
`word/media/`, `xl/media/` or `ppt/media/`. `officemeta.published_copy` blanked the
document's author fields but copied these parts unchanged. This module cleans one
part's bytes, and whole packages (nested ones in `*/embeddings/` too):

- **JPEG**, losslessly, segment by segment: APP1 (EXIF, XMP), APP3–APP13 (IPTC,
  Photoshop), APP15, COM and MPF/FlashPix APP2 segments are dropped, and anything after
  the end-of-image marker (MPF's extra frames, a phone's motion-photo video) is cut.
  Kept: JFIF (APP0), the ICC colour profile (APP2) and Adobe's colour transform
  (APP14). When the photo had an EXIF orientation other than "normal", a new EXIF block
  holding only that orientation is written, so Word shows it the same way up as before.
- **PNG**, losslessly: eXIf, tEXt, zTXt, iTXt and tIME chunks are dropped.
- **WebP**, losslessly: EXIF and XMP chunks are dropped and the VP8X flags updated.
- For PNG and WebP too, an orientation other than "normal" is kept in a new EXIF
  block holding nothing else.
- **GIF**, losslessly: comment and application extensions (XMP) are dropped, except
  the NETSCAPE/ANIMEXTS loop extension.
- **TIFF** and **HEIF**: decoded and written anew (lossless for TIFF) without metadata;
  TIFF keeps every page.
- BMP, EMF, WMF and SVG carry no EXIF/GPS and are kept as they are.

A picture that cannot be parsed (a corrupt or truncated file with an image signature)
is replaced by a 1×1 white picture of the same format: the document still opens, and
nothing unknown is published (`status == "replaced"`, for the caller's finding).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.imaging import open_image

__all__ = [
    "Cleaned",
    "PackageReport",
    "clean_member",
    "image_kind",
    "is_media_part",
    "metadata_of",
    "strip_image",
    "strip_package",
]

MAX_IMAGE_BYTES = 64 * 1024 * 1024
"""A larger picture part is replaced (no real document embeds one; memory stays bounded)."""
MAX_NESTING = 2
"""Packages inside packages (an Excel sheet in a Word file) are cleaned this deep."""
OFFICE_SUFFIXES = (".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".pptm")


@dataclass(frozen=True)
class Cleaned:
    """One picture's bytes after cleaning."""

    data: bytes
    status: str
    """"clean" (nothing to remove), "stripped" (lossless), "reencoded", "replaced"
    (could not be parsed: a blank picture instead), or "other" (not a picture we know)."""
    removed: tuple[str, ...] = ()
    """What was removed: "EXIF", "XMP", "IPTC", "comment", "trailer", "text" …"""


@dataclass
class PackageReport:
    """What `strip_package` did, for findings: part name → status, for changed parts."""

    parts: dict[str, str] = field(default_factory=dict)


# --- recognising pictures -----------------------------------------------------------


def image_kind(data: bytes) -> str | None:
    """ "jpeg", "png", "webp", "gif", "tiff", "heif", "bmp" or None, from the first bytes."""
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if data[4:8] == b"ftyp" and data[8:12] in (
        b"heic",
        b"heix",
        b"mif1",
        b"msf1",
        b"heim",
        b"heis",
        b"hevc",
        b"avif",
    ):
        return "heif"
    if data[:2] == b"BM":
        return "bmp"
    return None


def is_media_part(name: str) -> bool:
    """A part that may hold a picture: media folders, the package thumbnail, and any
    part named like a picture (the content decides in the end)."""
    lower = name.lower()
    return (
        "/media/" in lower
        or lower.startswith("docprops/thumbnail")
        or lower.endswith(
            (".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".heic", ".heif")
        )
    )


# --- JPEG ---------------------------------------------------------------------------

_KEEP_APP2 = b"ICC_PROFILE\x00"


def _orientation(app1: bytes) -> int:
    """EXIF orientation from an APP1 payload (b"Exif\\0\\0" + TIFF), 1 when absent/odd."""
    from PIL import Image

    try:
        exif = Image.Exif()
        exif.load(app1)
        value = int(exif.get(0x0112, 1))
    except Exception:  # noqa: BLE001 - a broken EXIF block has no usable orientation
        return 1
    return value if 1 <= value <= 8 else 1


def _orientation_tiff(orientation: int) -> bytes:
    """An EXIF block (TIFF data, no "Exif" prefix) holding only the orientation."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes().removeprefix(b"Exif\x00\x00")


def _orientation_segment(orientation: int) -> bytes:
    payload = b"Exif\x00\x00" + _orientation_tiff(orientation)
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def _strip_jpeg(data: bytes) -> Cleaned:
    out = bytearray(b"\xff\xd8")
    removed: set[str] = set()
    orientation = 1
    pos = 2
    n = len(data)
    while True:
        if pos + 2 > n:
            raise ValueError("truncated before end of image")
        if data[pos] != 0xFF:
            raise ValueError("marker expected")
        while pos + 1 < n and data[pos + 1] == 0xFF:  # fill bytes
            pos += 1
        marker = data[pos + 1]
        if marker == 0xD9:  # end of image: whatever follows (MPF frames, video) is dropped
            out += b"\xff\xd9"
            if pos + 2 < n:
                removed.add("trailer")
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out += data[pos : pos + 2]
            pos += 2
            continue
        if pos + 4 > n:
            raise ValueError("truncated segment")
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        end = pos + 2 + length
        if length < 2 or end > n:
            raise ValueError("bad segment length")
        payload = data[pos + 4 : end]
        keep = True
        if marker == 0xE1:
            keep = False
            if payload.startswith(b"Exif\x00\x00"):
                removed.add("EXIF")
                orientation = _orientation(payload) if orientation == 1 else orientation
            else:
                removed.add("XMP")
        elif marker == 0xE0:
            keep = payload.startswith(b"JFIF\x00")
            if not keep:
                removed.add("thumbnail")
        elif marker == 0xE2:
            keep = payload.startswith(_KEEP_APP2)
            if not keep:
                removed.add("MPF")
        elif marker == 0xEE:
            keep = payload.startswith(b"Adobe")
        elif 0xE3 <= marker <= 0xEF:
            keep = False
            removed.add("IPTC" if marker == 0xED else "APP")
        elif marker == 0xFE:
            keep = False
            removed.add("comment")
        if keep:
            out += data[pos:end]
        pos = end
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            scan = pos
            while True:
                j = data.find(b"\xff", scan)
                if j < 0 or j + 1 >= n:
                    raise ValueError("scan data without end")
                following = data[j + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    scan = j + 2
                    continue
                if following == 0xFF:
                    scan = j + 1
                    continue
                break
            out += data[pos:j]
            pos = j
    if orientation != 1:
        at = 2  # after SOI, and after a JFIF header, which must come first
        if out[2:4] == b"\xff\xe0":
            at = 4 + struct.unpack(">H", out[4:6])[0]
        out[at:at] = _orientation_segment(orientation)
    if not removed:
        return Cleaned(data, "clean")
    return Cleaned(bytes(out), "stripped", tuple(sorted(removed)))


# --- PNG ----------------------------------------------------------------------------

_PNG_DROP = {b"eXIf": "EXIF", b"tEXt": "text", b"zTXt": "text", b"iTXt": "text", b"tIME": "time"}


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _strip_png(data: bytes) -> Cleaned:
    out = bytearray(data[:8])
    removed: set[str] = set()
    orientation = 1
    pos = 8
    while pos < len(data):
        if pos + 12 > len(data):
            raise ValueError("truncated chunk")
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise ValueError("truncated chunk")
        if kind in _PNG_DROP:
            removed.add(_PNG_DROP[kind])
            if kind == b"eXIf":
                orientation = _orientation(data[pos + 8 : pos + 8 + length])
        else:
            if kind == b"IDAT" and orientation != 1:  # eXIf must come before the image data
                out += _png_chunk(b"eXIf", _orientation_tiff(orientation))
                orientation = 1
            out += data[pos:end]
        pos = end
        if kind == b"IEND":
            if pos < len(data):
                removed.add("trailer")
            break
    else:
        raise ValueError("no IEND")
    if not removed:
        return Cleaned(data, "clean")
    return Cleaned(bytes(out), "stripped", tuple(sorted(removed)))


# --- WebP ---------------------------------------------------------------------------


def _strip_webp(data: bytes) -> Cleaned:
    size = struct.unpack("<I", data[4:8])[0]
    body = data[12 : 8 + size]
    chunks = []
    removed: set[str] = set()
    orientation = 1
    pos = 0
    while pos + 8 <= len(body):
        kind = body[pos : pos + 4]
        length = struct.unpack("<I", body[pos + 4 : pos + 8])[0]
        end = pos + 8 + length + (length & 1)
        if pos + 8 + length > len(body):
            raise ValueError("truncated chunk")
        if kind in (b"EXIF", b"XMP "):
            removed.add("EXIF" if kind == b"EXIF" else "XMP")
            if kind == b"EXIF":
                orientation = _orientation(body[pos + 8 : pos + 8 + length])
        else:
            chunks.append(bytearray(body[pos:end]))
        pos = end
    if not removed and 8 + size >= len(data):
        return Cleaned(data, "clean")
    has_vp8x = False
    for chunk in chunks:
        if chunk[:4] == b"VP8X":
            has_vp8x = True
            chunk[8] &= ~(0x08 | 0x04) & 0xFF  # EXIF and XMP flags
            if orientation != 1:
                chunk[8] |= 0x08
    if orientation != 1 and has_vp8x:  # the EXIF chunk goes last, as the format asks
        tiff = _orientation_tiff(orientation)
        chunks.append(
            bytearray(b"EXIF" + struct.pack("<I", len(tiff)) + tiff + b"\x00" * (len(tiff) & 1))
        )
    payload = b"WEBP" + b"".join(chunks)
    if 8 + size < len(data):
        removed.add("trailer")
    return Cleaned(
        b"RIFF" + struct.pack("<I", len(payload)) + payload, "stripped", tuple(sorted(removed))
    )


# --- GIF ----------------------------------------------------------------------------


def _sub_blocks(data: bytes, pos: int) -> int:
    """Position after a chain of GIF data sub-blocks starting at `pos`."""
    while True:
        if pos >= len(data):
            raise ValueError("truncated sub-blocks")
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def _strip_gif(data: bytes) -> Cleaned:
    flags = data[10]
    pos = 13 + (3 * (1 << ((flags & 7) + 1)) if flags & 0x80 else 0)
    out = bytearray(data[:pos])
    removed: set[str] = set()
    while True:
        if pos >= len(data):
            raise ValueError("no trailer")
        block = data[pos]
        if block == 0x3B:
            out.append(0x3B)
            if pos + 1 < len(data):
                removed.add("trailer")
            break
        if block == 0x21:
            label = data[pos + 1]
            end = _sub_blocks(data, pos + 2)
            keep = True
            if label == 0xFE:
                keep = False
                removed.add("comment")
            elif label == 0xFF:
                ident = data[pos + 3 : pos + 14]
                keep = ident in (b"NETSCAPE2.0", b"ANIMEXTS1.0")
                if not keep:
                    removed.add("XMP")
            if keep:
                out += data[pos:end]
            pos = end
        elif block == 0x2C:
            flags = data[pos + 9]
            start = pos
            pos += 10 + (3 * (1 << ((flags & 7) + 1)) if flags & 0x80 else 0)
            pos = _sub_blocks(data, pos + 1)  # LZW minimum code size, then the data
            out += data[start:pos]
        else:
            raise ValueError("unknown block")
    if not removed:
        return Cleaned(data, "clean")
    return Cleaned(bytes(out), "stripped", tuple(sorted(removed)))


# --- re-encoded formats -----------------------------------------------------------


def _reencode(data: bytes, kind: str) -> Cleaned:
    from PIL import ImageSequence

    fmt = {"tiff": "TIFF", "heif": "HEIF"}[kind]
    with open_image(data, formats=(fmt,)) as img:
        frames = [frame.copy() for frame in ImageSequence.Iterator(img)]
    for frame in frames:
        frame.info = {}  # a copy keeps `info` (EXIF, XMP, ICC …): start from nothing
    out = io.BytesIO()
    options = {"compression": "tiff_deflate"} if fmt == "TIFF" else {}
    frames[0].save(out, fmt, save_all=len(frames) > 1, append_images=frames[1:], **options)
    return Cleaned(out.getvalue(), "reencoded", ("EXIF", "XMP"))


def _blank(kind: str) -> bytes:
    from PIL import Image

    fmt = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF", "tiff": "TIFF"}.get(
        kind, "PNG"
    )
    out = io.BytesIO()
    Image.new("RGB", (1, 1), (255, 255, 255)).save(out, fmt)
    return out.getvalue()


_STRIPPERS: dict[str, Callable[[bytes], Cleaned]] = {
    "jpeg": _strip_jpeg,
    "png": _strip_png,
    "webp": _strip_webp,
    "gif": _strip_gif,
}


def strip_image(data: bytes) -> Cleaned:
    """One picture without its metadata (see the module doc for what each format keeps).

    Never raises: a picture that cannot be parsed comes back as a blank one."""
    kind = image_kind(data)
    if kind is None or kind == "bmp":
        return Cleaned(data, "other" if kind is None else "clean")
    if len(data) > MAX_IMAGE_BYTES:
        return Cleaned(_blank(kind), "replaced", ("all",))
    try:
        if kind in _STRIPPERS:
            return _STRIPPERS[kind](data)
        return _reencode(data, kind)
    except Exception:  # noqa: BLE001 - a picture we cannot read is not published as it is
        return Cleaned(_blank(kind), "replaced", ("all",))


_PERSONAL_TAGS = frozenset(
    {
        0x010E,  # ImageDescription
        0x010F,  # Make
        0x0110,  # Model
        0x0131,  # Software
        0x0132,  # DateTime
        0x013B,  # Artist
        0x013C,  # HostComputer
        0x8298,  # Copyright
        0x8769,  # the EXIF sub-IFD (dates, camera serial, maker notes)
        0x8825,  # the GPS sub-IFD
        0x9C9B,  # XPTitle … XPSubject (Windows)
        0x9C9C,
        0x9C9D,
        0x9C9E,
        0x9C9F,
        0xA430,  # CameraOwnerName
        0xA431,  # BodySerialNumber
    }
)
"""EXIF tags that describe the photo's maker, place, time or owner (not its pixels)."""


def metadata_of(data: bytes) -> dict[str, bool]:
    """What a picture carries, as Pillow sees it: {"exif", "gps", "xmp", "comment"}.

    "exif" means a tag about the camera, owner, time or place (`_PERSONAL_TAGS`), not the
    structural tags every TIFF has. For tests and for checking a package; never raises."""
    found = {"exif": False, "gps": False, "xmp": False, "comment": False}
    try:
        with open_image(data) as img:
            exif = img.getexif()
            found["exif"] = any(tag in _PERSONAL_TAGS for tag in exif)
            found["gps"] = 0x8825 in exif or bool(exif.get_ifd(0x8825))
            info = img.info
            found["xmp"] = bool(info.get("xmp") or info.get("XML:com.adobe.xmp"))
            found["comment"] = bool(info.get("comment")) or any(
                key in info for key in ("Author", "Comment", "Description", "Title")
            )
    except Exception:  # noqa: BLE001
        pass
    return found


# --- whole packages -----------------------------------------------------------------


def clean_member(name: str, data: bytes, depth: int = 0) -> tuple[bytes, str] | None:
    """For one part of an Office package: (new bytes, status) when it is a picture or
    a nested Office package that needed cleaning, None when it can be copied as it is.

    This is the hook for `officemeta.published_copy`'s loop over parts."""
    if name.lower().endswith(OFFICE_SUFFIXES) and "/embeddings/" in name.lower():
        if depth >= MAX_NESTING:
            return None
        try:
            out, report = strip_package(data, depth=depth + 1)
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
            return None
        return (out, "stripped") if report.parts else None
    if not is_media_part(name) and image_kind(data[:16]) is None:
        return None
    result = strip_image(data)
    if result.status in ("clean", "other"):
        return None
    return result.data, result.status


def strip_package(source: Path | bytes, *, depth: int = 0) -> tuple[bytes, PackageReport]:
    """A .docx/.xlsx/.pptx (path or bytes) with every picture part cleaned; the other
    parts are copied byte for byte (with their original compression and dates).

    Raises `zipfile.BadZipFile` for a file that is not a zip (the caller publishes such
    a file as it is, as `officemeta` does)."""
    report = PackageReport()
    data = source.read_bytes() if isinstance(source, Path) else source
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            if info.is_dir():
                zout.writestr(info, b"")
                continue
            part = zin.read(info) if info.file_size <= MAX_IMAGE_BYTES else None
            if part is None:
                if is_media_part(info.filename):
                    zout.writestr(info, _blank("png"))
                    report.parts[info.filename] = "replaced"
                else:
                    with zin.open(info) as src, zout.open(info, "w") as dst:
                        while chunk := src.read(1 << 20):
                            dst.write(chunk)
                continue
            cleaned = clean_member(info.filename, part, depth)
            if cleaned is None:
                zout.writestr(info, part)
            else:
                zout.writestr(info, cleaned[0])
                report.parts[info.filename] = cleaned[1]
    return out.getvalue(), report
