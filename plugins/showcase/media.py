"""Media: source images → derived, metadata-free files in a content-addressed cache.

Every published image is derived here, never copied raw: EXIF orientation applied,
all metadata dropped (EXIF, GPS, XMP, IPTC, comments, ICC after conversion to sRGB),
resized to the widths the pages use, WebP plus a JPEG (photos) or PNG (logos) fallback.
SVG logos are sanitised and also rasterised.

The cache is keyed by a hash of the source bytes and the processing settings. Each
derived file is written to a temporary name and renamed; the entry's manifest is
written last, so an entry exists only once all its files are complete. A stat index
(size, mtime, inode → content hash) lets a warm rebuild skip reading the sources.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import math
import multiprocessing
import os
import re
import secrets
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from PIL import Image as PILImage
from PIL import ImageCms, ImageOps, UnidentifiedImageError

from .findings import Finding, Findings, Level

try:  # HEIC/HEIF photos from iPhones
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover - a declared dependency
    pillow_heif = None

log = logging.getLogger("mkdocs.plugins.showcase")

PHOTO_WIDTHS = (400, 800, 1600)
"""Thumbnail, card/inline display, lightbox: the srcset of every photo."""
LOGO_WIDTHS = (128, 192, 256, 320, 384, 512)
"""Steps small enough that a logo drawn 90 or 180 CSS px wide at 1.75–3× gets a file near its size."""
WEBP_OPTIONS = {"quality": 80, "method": 4}
JPEG_OPTIONS = {"quality": 82, "optimize": True}
PNG_OPTIONS = {"optimize": True}
MAX_DECODED_PIXELS = 64_000_000
"""Above this (after JPEG shrink-on-load) an image is refused as a decompression bomb.

Pillow's own check in `Image.open` refuses anything above 2 × MAX_IMAGE_PIXELS before
any pixel is decoded; this limit bounds a worker's memory (64 Mpx RGBA = 256 MB)."""
MAX_SVG_BYTES = 5_000_000
PIPELINE_VERSION = "2"
"""Bump when the derived output changes, so every cache entry is made anew."""
ASSET_DIR = "assets/showcase/img"
TMP_PREFIX = ".tmp-"
INDEX_NAME = "index.json"
PARALLEL_MIN = 6
"""Fewer images than this are processed in-process: starting workers costs more."""
PROGRESS_MIN = 20

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
_EXT = {"jpeg": "jpg", "webp": "webp", "png": "png", "svg": "svg"}


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


# ---------------------------------------------------------------- cache files


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cache_key(digest: str, kind: str) -> str:
    """The entry's name: source content + kind + every setting that changes the output."""
    return hashlib.sha256(f"{digest}|{kind}|{_SETTINGS}".encode()).hexdigest()[:32]


def _tmp_name(path: Path) -> Path:
    # the writer's pid in the name lets a later build tell a dead writer's leftovers
    # from a concurrent build's file in progress
    return path.with_name(f"{TMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}-{path.name}")


def write_atomic(path: Path, save: Callable[[IO[bytes]], Any]) -> None:
    """Write via a temporary file in the same folder, then rename: never a half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(path)
    try:
        with open(tmp, "wb") as fh:
            save(fh)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _entry_dir(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2]


def _manifest_path(cache_dir: Path, key: str) -> Path:
    return _entry_dir(cache_dir, key) / f"{key}.json"


def _variant(cache_dir: Path, key: str, name: str, width: int, height: int, fmt: str) -> Variant:
    return Variant(
        f"{ASSET_DIR}/{key[:2]}/{name}", _entry_dir(cache_dir, key) / name, width, height, fmt
    )


def _read_entry(cache_dir: Path, key: str, kind: str) -> ImageSet | MediaError | None:
    """The cached entry: derived files, or the finding of a source that cannot be used
    (so a broken photo is not decoded again every build); None when missing or incomplete."""
    try:
        data = json.loads(_manifest_path(cache_dir, key).read_bytes())
        if data.get("key") == key and "error" in data:
            return MediaError(str(data["error"]), data.get("hint"))
        variants = [_variant(cache_dir, key, n, w, h, f) for n, w, h, f in data["variants"]]
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


def _stale_tmp(path: Path, now: float) -> bool:
    m = re.match(rf"{re.escape(TMP_PREFIX)}(\d+)-", path.name)
    try:
        old = now - path.stat().st_mtime > 24 * 3600
    except OSError:
        return False
    if old or m is None:
        return True
    return not _pid_alive(int(m.group(1)))


# ---------------------------------------------------------------- decoding


def _open(data: bytes) -> PILImage.Image:
    """Open without decoding pixels; Pillow refuses oversized images here (bomb check)."""
    with warnings.catch_warnings():
        # between 1× and 2× MAX_IMAGE_PIXELS Pillow only warns; our own limit decides below
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        return PILImage.open(io.BytesIO(data))


def _bomb(width: int, height: int) -> MediaError:
    return MediaError(
        f"图片像素过多（{width}×{height}，超过 {MAX_DECODED_PIXELS // 10000} 万像素上限），"
        "可能是“解压炸弹”，已拒绝处理，这张图片不会发布",
        hint="请把图片缩小（例如长边 4000 像素以内）后再放入",
    )


def _describe(exc: BaseException) -> MediaError:
    """A decoding error → a message a branch secretary can act on."""
    if isinstance(exc, MediaError):
        return exc
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


def _decode(data: bytes, max_width: int) -> tuple[PILImage.Image, tuple[int, int]]:
    """Decode at the smallest size that still gives `max_width`; returns (image, full size)."""
    img = _open(data)
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
        img = PILImage.open(io.BytesIO(bytes(png)))
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
    folder = _entry_dir(cache_dir, key)
    if _looks_like_svg(data):
        if kind != "logo":
            raise MediaError("照片不能是 SVG 矢量图，这张图片不会发布", hint="请改用 JPEG 或 PNG")
        text, img = _render_svg(data)
        full = img.size
        path = folder / f"{key}.svg"
        write_atomic(path, lambda fh: fh.write(text.encode("utf-8")))
        variants.append(_variant(cache_dir, key, path.name, img.width, img.height, "svg"))
        icc = None
    else:
        try:
            img, full = _decode(data, widths[-1])
        except MediaError:
            raise
        except Exception as exc:  # every decoder failure is a finding, never a traceback
            raise _describe(exc) from exc
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
            name = f"{key}-{width}.{_EXT[fmt]}"
            _save(current, folder / name, fmt)
            variants.append(_variant(cache_dir, key, name, width, height, fmt))
    manifest = {
        "key": key,
        "kind": kind,
        "width": full[0],
        "height": full[1],
        "variants": [[v.path.name, v.width, v.height, v.format] for v in variants],
    }
    write_atomic(_manifest_path(cache_dir, key), lambda fh: fh.write(json.dumps(manifest).encode()))
    return ImageSet(key, kind, full[0], full[1], variants)


# ---------------------------------------------------------------- SVG sanitising

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SVG_ELEMENTS = frozenset(
    """svg g defs symbol use title desc switch path rect circle ellipse line polyline polygon
    text tspan textPath linearGradient radialGradient stop clipPath mask pattern marker image
    style filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix
    feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB
    feFuncG feFuncR feGaussianBlur feMerge feMergeNode feMorphology feOffset fePointLight
    feSpecularLighting feSpotLight feTile feTurbulence""".split()  # noqa: SIM905
)
"""Everything else goes: script, foreignObject, iframe, a, animate/set (can rewrite href),
metadata (may carry the author's name), editor elements, feImage (loads URLs)."""
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|jpg|gif|webp);base64,", re.I)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)\s*(?!#)[^)]*\)", re.I)
_CSS_BAD = re.compile(r"@import[^;]*;?|expression\s*\(|behavior\s*:|-moz-binding|javascript:", re.I)


def _clean_css(text: str) -> str:
    return _CSS_URL.sub("none", _CSS_BAD.sub("", text))


def _looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return (
        head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg"))
        and b"<svg" in data[:65536].lower()
    )


def sanitize_svg(data: bytes) -> str:
    """A safe copy of an SVG logo: no scripts, event handlers, external references or
    foreignObject; DTD entities are refused outright (billion laughs, XXE)."""
    import xml.etree.ElementTree as ET

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if len(data) > MAX_SVG_BYTES:
        raise MediaError(f"SVG 文件过大（超过 {MAX_SVG_BYTES // 1_000_000} MB），这张图片不会发布")
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise MediaError(
            "SVG 含有实体声明或外部引用，出于安全原因拒绝处理，这张图片不会发布",
            hint="请在绘图软件中另存为“SVG 1.1”或导出 PNG 标识",
        ) from exc
    except ET.ParseError as exc:
        raise MediaError(f"SVG 文件格式有误（{exc}），这张图片不会发布") from exc

    def local(tag: str) -> tuple[str, str]:
        if tag.startswith("{"):
            ns, _, name = tag[1:].partition("}")
            return ns, name
        return "", tag

    def clean(el: ET.Element) -> None:
        for child in list(el):
            if not isinstance(child.tag, str):  # comments, processing instructions
                el.remove(child)
                continue
            ns, name = local(child.tag)
            if ns not in (SVG_NS, "") or name not in SVG_ELEMENTS:
                el.remove(child)
                continue
            if not ns:
                child.tag = f"{{{SVG_NS}}}{name}"
            clean(child)
        for attr in list(el.attrib):
            ns, name = local(attr)
            value = el.attrib[attr]
            lowered = re.sub(r"\s+", "", value).lower()
            keep = ns in ("", XLINK_NS, XML_NS) and not name.lower().startswith("on")
            if keep and name == "href":
                keep = value.startswith("#") or (
                    local(el.tag)[1] == "image" and bool(_DATA_IMAGE.match(value))
                )
            if keep and ("javascript:" in lowered or "data:" in lowered and name != "href"):
                keep = False
            if keep and (name == "style" or "url(" in lowered):
                el.attrib[attr] = _clean_css(value)
            if not keep:
                del el.attrib[attr]
        if local(el.tag)[1] == "style" and el.text:
            el.text = _clean_css(el.text)

    ns, name = local(root.tag)
    if name != "svg" or ns not in (SVG_NS, ""):
        raise MediaError("SVG 文件的根元素不是 <svg>，这张图片不会发布")
    root.tag = f"{{{SVG_NS}}}svg"
    clean(root)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")


# ---------------------------------------------------------------- workers


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
    cached = _read_entry(cache_dir, key, task.kind)
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
            write_atomic(_manifest_path(cache_dir, key), lambda fh: fh.write(payload))
        return _Outcome(task.path, task.kind, key, error=str(exc), hint=exc.hint, decoded=1)
    except Exception as exc:  # an encoder or disk failure: a finding, not remembered
        err = _describe(exc)
        return _Outcome(task.path, task.kind, key, error=str(err), hint=err.hint, decoded=1)
    return _Outcome(task.path, task.kind, key, image=image, decoded=1)


def _mp_context() -> multiprocessing.context.BaseContext:
    # forkserver: safe beside the threads of `mkdocs serve` and tqdm, cheap per worker
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# ---------------------------------------------------------------- the processor


class MediaProcessor:
    def __init__(self, cache_dir: Path, *, jobs: int | None = None, progress: bool = True) -> None:
        self.cache_dir = Path(cache_dir).absolute()  # variants become MkDocs abs_src_path
        self.jobs = max(1, jobs or cpu_count())
        self.progress = progress
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
                    if entry.name.startswith(TMP_PREFIX) and _stale_tmp(Path(entry.path), now):
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
                and _manifest_path(self.cache_dir, memo[1]).is_file()
            ):
                self._accept(path, kind, sig, memo[1], memo[2], results, findings)
                continue
            digest = self._digest_of(path, sig)
            if digest is not None:
                key = cache_key(digest, kind)
                cached = _read_entry(self.cache_dir, key, kind)
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
                for path, kind, _ in [t for twins in self._twins.values() for t in twins]:
                    self._collect(
                        _work(_Task(str(path), kind, str(self.cache_dir))), results, findings, sigs
                    )
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
            cached = _read_entry(self.cache_dir, key, kind)
            if cached is not None:
                self._accept(path, kind, sig, key, cached, results, findings)
                if bar is not None:
                    bar.update(1)
                continue
            self._twins[key] = []
            yield _Task(str(path), kind, str(self.cache_dir))

    def _run(self, tasks: Iterator[_Task]) -> Iterator[_Outcome]:
        first: list[_Task] = []
        for task in tasks:
            first.append(task)
            if len(first) >= PARALLEL_MIN:
                break
        if self.jobs == 1 or len(first) < PARALLEL_MIN:
            for task in [*first, *tasks]:
                yield _work(task)
            return
        yield from self._run_parallel(iter([*first, *tasks]))

    def _run_parallel(self, tasks: Iterator[_Task]) -> Iterator[_Outcome]:
        """Worker processes with a bounded queue: memory stays flat for any number of photos.

        A worker that dies (a decoder crash on a hostile file) breaks the pool: the tasks
        in flight are then retried one by one, each in a pool of its own, to find the culprit.
        A pool that breaks before its first result cannot start here: we go on in-process.
        """
        window = self.jobs * 3
        suspects: list[_Task] = []
        pool = ProcessPoolExecutor(self.jobs, mp_context=_mp_context())
        inflight: dict[Future, _Task] = {}
        worked = False
        try:
            pending = True
            while pending or inflight:
                while pending and len(inflight) < window:
                    task = next(tasks, None)
                    if task is None:
                        pending = False
                        break
                    inflight[pool.submit(_work, task)] = task
                if not inflight:
                    break
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                broken: list[_Task] = []
                for fut in done:
                    task = inflight.pop(fut)
                    try:
                        outcome = fut.result()
                    except BrokenProcessPool:
                        broken.append(task)
                        continue
                    worked = True
                    yield outcome
                if broken:
                    broken.extend(inflight.values())
                    inflight.clear()
                    pool.shutdown(wait=True, cancel_futures=True)
                    if not worked:
                        log.warning("showcase: 无法启动图片处理进程，改为单进程处理")
                        for task in [*broken, *tasks]:
                            yield _work(task)
                        return
                    suspects.extend(broken)
                    pool = ProcessPoolExecutor(self.jobs, mp_context=_mp_context())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        for task in suspects:
            with ProcessPoolExecutor(1, mp_context=_mp_context()) as single:
                try:
                    yield single.submit(_work, task).result()
                except BrokenProcessPool:
                    yield _Outcome(
                        task.path,
                        task.kind,
                        error="处理这张图片时解码程序崩溃，这张图片不会发布",
                        hint="文件可能已损坏，请重新导出原图",
                        decoded=1,
                    )

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


def run_prune(settings) -> int:
    """`showcase cache prune`: delete cached images that no project uses any more."""
    from .build import load_all
    from .sources import prune_sources
    from .textutil import human_size

    cache_dir = settings.resolve(settings.cache_dir) / "images"
    projects, _ = load_all(settings)
    gone, gone_bytes = prune_sources(settings, [p.folder for p in projects])
    if gone:
        print(f"已清理来源缓存：删除 {gone} 份不再使用的解压/克隆副本，释放 {human_size(gone_bytes)}。")
    if not cache_dir.is_dir():
        print(f"图片缓存为空（{cache_dir}），无需清理。")
        return 0
    items = image_items(projects)
    processor = MediaProcessor(cache_dir, jobs=settings.jobs, progress=False)
    keep = processor.keys_for(items)
    removed, freed = processor.prune(keep, sources={str(p) for p, _ in items})
    print(
        f"已清理图片缓存：删除 {removed} 个不再使用的文件，释放 {human_size(freed)}；"
        f"保留 {len(projects)} 个项目中 {len(keep)} 张图片的缓存。\n缓存位置：{cache_dir}"
    )
    return 0
