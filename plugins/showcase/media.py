"""Media: source images → derived, metadata-free files in a content-addressed cache.

Every published image is derived here: orientation applied, metadata dropped,
resized to the widths the pages use, WebP plus a JPEG/PNG fallback.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageOps

from .findings import Finding, Findings

PILImage.MAX_IMAGE_PIXELS = 64_000_000  # larger is treated as a decompression bomb

PHOTO_WIDTHS = (400, 800, 1600)
LOGO_WIDTHS = (128, 256, 512)
SETTINGS_VERSION = "1"
ASSET_DIR = "assets/showcase/img"


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
        return {"jpeg": "image/jpeg", "svg": "image/svg+xml"}.get(self.format, f"image/{self.format}")


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
    pass


def _digest(data: bytes, kind: str) -> str:
    h = hashlib.sha256(data)
    h.update(f"|{kind}|{SETTINGS_VERSION}".encode())
    return h.hexdigest()[:32]


def _write_atomic(path: Path, save) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            save(fh)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _to_rgb(img: PILImage.Image, keep_alpha: bool) -> PILImage.Image:
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        img = img.point(lambda v: v / 256).convert("L")
    has_alpha = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
    if keep_alpha and has_alpha:
        return img.convert("RGBA")
    if has_alpha:
        img = img.convert("RGBA")
        bg = PILImage.new("RGB", img.size, (255, 255, 255))
        bg.paste(img, mask=img.getchannel("A"))
        return bg
    return img.convert("RGB")


class MediaProcessor:
    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = Path(cache_dir)
        self.decodes = 0
        """How many images were decoded (a warm rebuild decodes none)."""

    def process(
        self, items: Iterable[tuple[Path, str]]
    ) -> tuple[dict[Path, ImageSet], list[Finding]]:
        """Derive every (path, kind) where kind is 'photo' or 'logo'."""
        results: dict[Path, ImageSet] = {}
        findings = Findings()
        for path, kind in items:
            if path in results:
                continue
            try:
                results[path] = self.derive(path, kind)
            except MediaError as exc:
                findings.error(str(exc), file=path, field="logo" if kind == "logo" else None)
        return results, list(findings)

    def derive(self, path: Path, kind: str) -> ImageSet:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise MediaError(f"无法读取图片：{exc.strerror or exc}") from exc
        if not data:
            raise MediaError("图片文件是空的（0 字节）")
        key = _digest(data, kind)
        manifest = self.cache_dir / key[:2] / f"{key}.txt"
        if manifest.is_file():
            cached = self._read_manifest(manifest, key, kind)
            if cached:
                return cached
        if path.suffix.lower() == ".svg":
            raise MediaError("SVG 图片暂不支持")
        result = self._render(path, key, kind)
        lines = [f"{result.width} {result.height}"] + [
            f"{v.rel} {v.width} {v.height} {v.format}" for v in result.variants
        ]
        _write_atomic(manifest, lambda fh: fh.write("\n".join(lines).encode()))
        return result

    def _read_manifest(self, manifest: Path, key: str, kind: str) -> ImageSet | None:
        try:
            rows = manifest.read_text().splitlines()
            w, h = map(int, rows[0].split())
            variants = []
            for row in rows[1:]:
                rel, vw, vh, fmt = row.split()
                file = self.cache_dir / rel.removeprefix(ASSET_DIR + "/")
                if not file.is_file():
                    return None
                variants.append(Variant(rel, file, int(vw), int(vh), fmt))
            return ImageSet(key, kind, w, h, variants)
        except (OSError, ValueError, IndexError):
            return None

    def _render(self, path: Path, key: str, kind: str) -> ImageSet:
        try:
            with PILImage.open(path) as img:
                self.decodes += 1
                img.load()
                img = ImageOps.exif_transpose(img)
                img = _to_rgb(img, keep_alpha=(kind == "logo"))
        except PILImage.DecompressionBombError as exc:
            raise MediaError("图片像素过多（可能是“解压炸弹”），已拒绝处理") from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise MediaError(f"不是有效的图片文件，或文件已损坏（{type(exc).__name__}）") from exc
        widths = LOGO_WIDTHS if kind == "logo" else PHOTO_WIDTHS
        fallback = "png" if kind == "logo" else "jpeg"
        result = ImageSet(key, kind, img.width, img.height)
        targets = sorted({min(w, img.width) for w in widths}, reverse=True)
        current = img
        for width in targets:
            height = max(1, round(img.height * width / img.width))
            if current.width != width:
                current = current.resize((width, height), PILImage.LANCZOS)
            for fmt in ("webp", fallback):
                rel = f"{ASSET_DIR}/{key[:2]}/{key}-{width}.{'jpg' if fmt == 'jpeg' else fmt}"
                out = self.cache_dir / rel.removeprefix(ASSET_DIR + "/")
                frame = current
                if fmt == "jpeg" and frame.mode != "RGB":
                    frame = frame.convert("RGB")
                opts = {"quality": 82} if fmt != "png" else {"optimize": True}
                _write_atomic(out, lambda fh, f=frame, t=fmt, o=opts: f.save(fh, t.upper(), **o))
                result.variants.append(Variant(rel, out, width, height, fmt))
        return result
