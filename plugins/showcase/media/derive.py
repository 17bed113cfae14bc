"""Media: source images → derived, metadata-free files in the cache.

Every published image is derived here, never copied raw: EXIF orientation applied,
all metadata dropped (EXIF, GPS, XMP, IPTC, comments, ICC after conversion to sRGB),
resized to the widths the pages use, WebP plus a JPEG (photos) or PNG (logos) fallback.
SVG logos are sanitised and also rasterised.
"""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageCms, ImageOps, UnidentifiedImageError

from ..core.atomic import write_atomic
from ..core.imaging import (
    LOGO_FORMATS,
    LOGO_WIDTHS,
    MAX_DECODED_PIXELS,
    OWN_PNG,
    PHOTO_FORMATS,
    PHOTO_WIDTHS,
    RefusedFormat,
    open_image,
)
from .cache import (
    EXT,
    JPEG_OPTIONS,
    PNG_OPTIONS,
    WEBP_OPTIONS,
    ImageSet,
    MediaError,
    Variant,
    entry_dir,
    manifest_path,
    variant,
)
from .svg import looks_like_svg, sanitize_svg


def _bomb(width: int, height: int) -> MediaError:
    return MediaError(
        f"图片像素过多（{width}×{height}，超过 {MAX_DECODED_PIXELS // 10000} 万像素上限），"
        "可能是“解压炸弹”，已拒绝处理，这张图片不会发布",
        hint="请把图片缩小（例如长边 4000 像素以内）后再放入",
    )


def describe(exc: BaseException) -> MediaError:
    """A decoding error → a message a branch secretary can act on."""
    if isinstance(exc, MediaError):
        return exc
    if isinstance(exc, RefusedFormat):
        return MediaError(exc.message, exc.hint)
    if isinstance(exc, PILImage.DecompressionBombError):
        size = re.findall(r"\d+", str(exc))
        pixels = f"（{size[0]} 像素）" if size else ""
        return MediaError(
            f"图片像素过多{pixels}，可能是“解压炸弹”，已拒绝处理，这张图片不会发布",
            hint="请把图片缩小（例如长边 4000 像素以内）后再放入",
        )
    if isinstance(exc, UnidentifiedImageError):
        return MediaError(
            "这不是图片文件（内容不是 JPEG、PNG、WebP、GIF、HEIC 等图片格式），这张图片不会发布",
            hint="可能是改了扩展名的其他文件；请放入手机或相机导出的原图",
        )
    text = str(exc)
    if "truncated" in text or isinstance(exc, EOFError):
        return MediaError(
            "图片文件不完整（可能没有拷贝或下载完），这张图片不会发布",
            hint="请重新拷贝原图",
        )
    return MediaError(
        f"图片已损坏，无法解码（{type(exc).__name__}: {text[:80]}），这张图片不会发布",
        hint="请重新拷贝或导出原图",
    )


_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


_LAB = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))


def _is_srgb(profile: ImageCms.ImageCmsProfile) -> bool:
    try:
        return "srgb" in ImageCms.getProfileDescription(profile).lower()
    except ImageCms.PyCMSError:
        return False


def _normalize(img: PILImage.Image) -> PILImage.Image:
    """Any mode → L, LA, RGB, RGBA or CMYK (8 bits per channel)."""
    mode = img.mode
    if mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        if mode in ("L", "RGB") and "transparency" in img.info:
            return img.convert("LA" if mode == "L" else "RGBA")
        return img
    if mode.startswith("I;16") or mode == "I":
        # 16-bit grey: scale 0–65535 to 0–255 (a plain convert would clip)
        return img.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if mode in ("P", "PA"):
        alpha = mode == "PA" or "transparency" in img.info
        return img.convert("RGBA" if alpha else "RGB")
    if mode == "LAB":
        return ImageCms.profileToProfile(img, _LAB, _SRGB, outputMode="RGB")
    if mode == "La":
        return img.convert("LA")
    if mode in ("RGBa", "RGBX"):
        return img.convert("RGBA" if mode == "RGBa" else "RGB")
    if mode in ("1", "F"):
        return img.convert("L")
    return img.convert("RGB")


def _to_srgb(img: PILImage.Image, icc: bytes | None) -> PILImage.Image:
    """Convert to sRGB through the embedded ICC profile (CMYK, Display P3, Adobe RGB …)."""
    if icc and img.mode in ("RGB", "RGBA", "CMYK"):
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if img.mode == "CMYK" or not _is_srgb(profile):
                out = "RGBA" if img.mode == "RGBA" else "RGB"
                img = ImageCms.profileToProfile(img, profile, _SRGB, outputMode=out)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: treat the pixels as sRGB rather than refuse the photo
    if img.mode == "CMYK":
        img = img.convert("RGB")
    elif img.mode in ("L", "LA"):
        img = img.convert("RGBA" if img.mode == "LA" else "RGB")
    return img


def _flatten(img: PILImage.Image, keep_alpha: bool) -> PILImage.Image:
    if img.mode != "RGBA":
        return img
    alpha = img.getchannel("A")
    if alpha.getextrema()[0] == 255:  # fully opaque: no alpha channel needed
        return img.convert("RGB")
    if keep_alpha:
        return img
    bg = PILImage.new("RGB", img.size, (255, 255, 255))
    bg.paste(img, mask=alpha)
    return bg


def _oriented_size(img: PILImage.Image) -> tuple[int, int]:
    try:
        orientation = img.getexif().get(0x0112, 1)
    except Exception:  # a broken EXIF block must not lose the photo
        orientation = 1
    w, h = img.size
    return (h, w) if orientation in (5, 6, 7, 8) else (w, h)


def _decode(
    data: bytes, max_width: int, formats: tuple[str, ...]
) -> tuple[PILImage.Image, tuple[int, int]]:
    """Decode at the smallest size that still gives `max_width`; returns (image, full size)."""
    img = open_image(io.BytesIO(data), formats=formats)
    if img.format not in ("JPEG", "MPO") and img.width * img.height > MAX_DECODED_PIXELS:
        # no shrink-on-load to hope for; refused before getexif, which decodes a PNG's pixels
        raise _bomb(*img.size)
    full = _oriented_size(img)
    if full[0] > max_width:
        # JPEG: DCT-domain shrink-on-load (1/2, 1/4, 1/8), never below what we need
        scale = max_width / full[0]
        img.draft(None, (math.ceil(img.width * scale), math.ceil(img.height * scale)))
    if img.width * img.height > MAX_DECODED_PIXELS:
        raise _bomb(*full)
    icc = img.info.get("icc_profile")
    img.load()
    ImageOps.exif_transpose(img, in_place=True)
    img = _normalize(img)
    if icc:
        img.info["icc_profile"] = icc
    return img, full


def _render_svg(data: bytes) -> tuple[str, PILImage.Image]:
    """Sanitised SVG text and a raster of it at the largest logo width."""
    import resvg_py

    clean = sanitize_svg(data)
    try:
        png = resvg_py.svg_to_bytes(svg_string=clean, width=LOGO_WIDTHS[-1])
        img = open_image(io.BytesIO(bytes(png)), formats=OWN_PNG)
        img.load()
    except Exception as exc:
        raise MediaError(
            f"SVG 标识无法绘制（{str(exc)[:80]}），这张图片不会发布",
            hint="请在绘图软件中重新导出 SVG，或改用 PNG 标识",
        ) from exc
    return clean, img.convert("RGBA")


def _save(img: PILImage.Image, path: Path, fmt: str) -> None:
    img.info = {}  # nothing from the source travels into the output (EXIF, XMP, ICC, comments)
    opts = {"webp": WEBP_OPTIONS, "jpeg": JPEG_OPTIONS, "png": PNG_OPTIONS}[fmt]
    write_atomic(path, lambda fh: img.save(fh, fmt.upper(), **opts))


def derive(data: bytes, kind: str, key: str, cache_dir: Path) -> ImageSet:
    """Decode `data` and write every variant and then the manifest of entry `key`."""
    widths = LOGO_WIDTHS if kind == "logo" else PHOTO_WIDTHS
    fallback = "png" if kind == "logo" else "jpeg"
    variants: list[Variant] = []
    folder = entry_dir(cache_dir, key)
    if looks_like_svg(data):
        if kind != "logo":
            raise MediaError("照片不能是 SVG 矢量图，这张图片不会发布", hint="请改用 JPEG 或 PNG")
        text, img = _render_svg(data)
        full = img.size
        path = folder / f"{key}.svg"
        write_atomic(path, lambda fh: fh.write(text.encode("utf-8")))
        variants.append(variant(cache_dir, key, path.name, img.width, img.height, "svg"))
        icc = None
    else:
        try:
            img, full = _decode(data, widths[-1], LOGO_FORMATS if kind == "logo" else PHOTO_FORMATS)
        except MediaError:
            raise
        except Exception as exc:  # every decoder failure is a finding, never a traceback
            raise describe(exc) from exc
        icc = img.info.get("icc_profile")
    targets = sorted({min(w, full[0]) for w in widths}, reverse=True)
    current = img
    for i, width in enumerate(targets):
        height = max(1, round(full[1] * width / full[0]))
        if current.size != (width, height):
            # each size from the previous one; reducing_gap shrinks big non-JPEG sources fast
            current = current.resize((width, height), PILImage.LANCZOS, reducing_gap=3.0)
        if i == 0:
            # colour conversion at display size is far cheaper than at full size
            current = _flatten(_to_srgb(current, icc), keep_alpha=kind == "logo")
        for fmt in ("webp", fallback):
            name = f"{key}-{width}.{EXT[fmt]}"
            _save(current, folder / name, fmt)
            variants.append(variant(cache_dir, key, name, width, height, fmt))
    manifest = {
        "key": key,
        "kind": kind,
        "width": full[0],
        "height": full[1],
        "variants": [[v.path.name, v.width, v.height, v.format] for v in variants],
    }
    write_atomic(manifest_path(cache_dir, key), lambda fh: fh.write(json.dumps(manifest).encode()))
    return ImageSet(key, kind, full[0], full[1], variants)
