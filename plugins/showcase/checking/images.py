"""Images checked before the build decodes them: opened header-only, never fully decoded.

Empty, truncated, corrupt or mislabelled files and decompression bombs become findings
and are taken out of the project, so the media step never tries them and the same
problem is reported once.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage

from ..core.budgets import budgets_of
from ..core.fields import PLACEHOLDER_IMAGE_KEY
from ..core.findings import Findings
from ..core.imaging import (
    LOGO_FORMATS,
    LOGO_WIDTHS,
    MAX_DECODED_PIXELS,
    PHOTO_FORMATS,
    PHOTO_WIDTHS,
    RefusedFormat,
    open_image,
)
from ..core.model import Image, Project
from ..core.settings import Settings
from ..core.svgcost import check_svg_bytes

LOGO_MIN_PX = 200


MAX_SVG_BYTES = 5_000_000
"""As `media.svg`: a larger SVG is refused there, unread."""


LOGO_MAX_ASPECT = 1.5


@dataclass(frozen=True)
class ImageInfo:
    error: str | None = None
    width: int = 0
    height: int = 0
    placeholder: bool = False
    decoded: int = 0
    """Pixels the media step will decode (a big JPEG shrinks on load), for the school's budget."""


_image_cache: dict[tuple[str, int, int, str], ImageInfo] = {}


def inspect_image(path: Path, kind: str = "photo") -> ImageInfo:
    """Open an image's header safely (no full decode): size, or why it cannot be used.

    `kind` is "photo" or "logo" (the media step decodes them at different sizes).
    Cached by path, size and mtime, so `mkdocs serve` rebuilds do not reopen photos.
    """
    try:
        stat = path.stat()
    except OSError as exc:
        return ImageInfo(f"无法读取图片：{exc.strerror or exc}")
    key = (str(path), stat.st_size, stat.st_mtime_ns, kind)
    info = _image_cache.get(key)
    if info is None:
        info = _inspect(path, stat.st_size, kind)
        if len(_image_cache) > 50_000:
            _image_cache.clear()
        _image_cache[key] = info
    return info


# The media step's limits: it decodes a JPEG shrunk to the largest width it publishes
# and refuses more pixels than MAX_DECODED_PIXELS. The same rule here, on the header.
_MAX_PIXELS = MAX_DECODED_PIXELS


_MAX_WIDTH = {
    "photo": max(PHOTO_WIDTHS),
    "logo": max(LOGO_WIDTHS),
}


def _inspect(path: Path, size: int, kind: str) -> ImageInfo:
    if size == 0:
        return ImageInfo("图片文件是空的（0 字节），可能没有复制完整")
    if path.suffix.lower() == ".svg":  # text: the media step sanitises it; its cost is said here
        if size <= MAX_SVG_BYTES:
            why = check_svg_bytes(path.read_bytes())
            if why:
                return ImageInfo(why.removesuffix("，这张图片不会发布") + "，已拒绝处理")
        side = _MAX_WIDTH.get(kind, _MAX_WIDTH["photo"])
        return ImageInfo(decoded=side * side)  # drawn at this size
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with open_image(path, formats=LOGO_FORMATS if kind == "logo" else PHOTO_FORMATS) as img:
                width, height = img.size
                if width <= 0 or height <= 0:
                    return ImageInfo("图片尺寸为 0，文件已损坏")
                placeholder = bool(img.info.get(PLACEHOLDER_IMAGE_KEY))
                fmt = img.format
                offset = _scan_offset(img)
                limit = _MAX_WIDTH.get(kind, _MAX_WIDTH["photo"])
                if width > limit:
                    scale = limit / width  # only JPEG changes size here (DCT shrink-on-load)
                    img.draft(None, (math.ceil(width * scale), math.ceil(height * scale)))
                decoded = img.width * img.height
                if decoded > _MAX_PIXELS:
                    return ImageInfo(_bomb(width, height))
                img.verify()
    except PILImage.DecompressionBombError:
        return ImageInfo(_bomb(None, None))
    except RefusedFormat as exc:  # an EPS, PDF, PSD … renamed to .jpg: never decoded
        return ImageInfo(exc.message.removesuffix("，这张图片不会发布"))
    except PILImage.UnidentifiedImageError:
        return ImageInfo(
            f"不是有效的图片文件：内容不是 {path.suffix.lstrip('.').upper()} 图片（可能只是改了扩展名）"
        )
    except Exception as exc:  # noqa: BLE001 - hostile files raise anything from Pillow's parsers
        if isinstance(exc, EOFError) or "truncat" in str(exc).lower():
            return ImageInfo("图片文件不完整（可能没有拷贝或下载完），无法打开")
        return ImageInfo(f"图片文件已损坏，无法打开（{type(exc).__name__}）")
    if fmt in ("JPEG", "MPO") and offset is not None and not _jpeg_complete(path, offset):
        return ImageInfo("图片文件不完整（JPEG 缺少结尾，可能没有传完或复制中断）")
    return ImageInfo(None, width, height, placeholder, decoded)


def _bomb(width: int | None, height: int | None) -> str:
    size = f"（{width}×{height}）" if width else ""
    return f"图片像素过多{size}，可能是“解压炸弹”，已拒绝处理"


def _scan_offset(img: PILImage.Image) -> int | None:
    """Where a JPEG's first scan starts (Pillow stops reading the header there)."""
    try:
        return int(img.fp.tell())
    except (OSError, ValueError, AttributeError):
        return None


def _jpeg_complete(path: Path, offset: int) -> bool:
    """True when an end-of-image marker (FF D9) follows the start of the first scan.

    Entropy-coded data cannot contain FF D9, so finding one proves the image is whole.
    Searched from the end backwards: a whole photo answers in the first chunk, even
    with a phone's trailer (a motion-photo video) after the image.
    """
    chunk = 256 * 1024
    with path.open("rb") as fh:
        end = fh.seek(0, 2)
        following = b""
        while end > offset:
            start = max(offset, end - chunk)
            fh.seek(start)
            data = fh.read(end - start)
            if b"\xff\xd9" in data + following[:1]:
                return True
            following = data
            end = start
    return False


def check_images(project: Project, settings: Settings, findings: Findings) -> None:
    if project.logo is not None:
        info = inspect_image(project.logo.path, "logo")
        file, line = project.lines.get("logo", (None, None))
        if info.error:
            findings.error(
                f"LOGO 图片无法使用：{info.error}",
                file=project.logo.path,
                field="logo",
                hint="网站上暂用占位图代替；请换一张正常的 PNG 或 JPG 图片",
            )
            project.logo = None
        elif info.placeholder:
            findings.warning(
                "LOGO 还是模板生成的示例图片，请换成本支部的标识",
                file=project.logo.path,
                field="logo",
            )
        elif info.width:
            w, h = info.width, info.height
            if min(w, h) < LOGO_MIN_PX:
                findings.warning(
                    f"LOGO 只有 {w}×{h} 像素，太小，网页上会模糊",
                    file=project.logo.path,
                    field="logo",
                    hint=f"请提供至少 {LOGO_MIN_PX}×{LOGO_MIN_PX} 像素的图片，最好 512×512 以上",
                )
            if max(w, h) / min(w, h) > LOGO_MAX_ASPECT:
                findings.warning(
                    f"LOGO 是 {w}×{h} 像素，离正方形太远，在卡片和登记表里会显得很小",
                    file=project.logo.path,
                    field="logo",
                    hint="请裁成接近正方形的图片",
                )
    budget = _PixelBudget(budgets_of(settings).school_image_mpx, project)
    if project.logo is not None:
        budget.spend(inspect_image(project.logo.path, "logo").decoded)
    for album in project.albums:
        album.photos = _keep_good(album.photos, findings, "照片", budget)
        if album.cover is not None and album.cover not in album.photos:
            album.cover = None
    project.albums = [a for a in project.albums if a.photos]
    for case in project.cases:
        case.images = _keep_good(case.images, findings, "附录图片", budget)
    budget.summary(findings)


class _PixelBudget:
    """The decoded pixels a school's images may cost (`school_image_mpx`), spent in the
    order the site shows them: logo, albums, case images. Past it, the rest are findings
    and are left out, so the media step never decodes them (the same on every build)."""

    SHOWN = 20
    """Findings one by one up to this many; the rest in one summary finding."""

    def __init__(self, mpx: float, project: Project) -> None:
        self.limit = int(mpx * 1_000_000)
        self.spent = 0
        self.refused = 0
        self.project = project

    def spend(self, pixels: int) -> bool:
        if self.spent + pixels > self.limit:
            self.refused += 1
            return False
        self.spent += pixels
        return True

    def refuse(self, image: Image, findings: Findings, what: str) -> None:
        if self.refused <= self.SHOWN:
            findings.error(
                f"本项目的图片总量超出上限（解码后共约 {self.limit // 1_000_000} 百万像素），"
                f"这张{what}没有处理，不会发布",
                file=image.path,
                hint="请精选照片（每个相册几十张为宜），或把照片缩小到长边 2000 像素左右",
            )

    def summary(self, findings: Findings) -> None:
        if self.refused > self.SHOWN:
            findings.error(
                f"本项目的图片总量超出上限，另有 {self.refused - self.SHOWN} 张图片没有处理，不会发布",
                file=self.project.folder,
                hint="请精选照片（每个相册几十张为宜），或把照片缩小到长边 2000 像素左右",
            )


def _keep_good(
    images: list[Image], findings: Findings, what: str, budget: _PixelBudget | None = None
) -> list[Image]:
    good = []
    for image in images:
        info = inspect_image(image.path)
        if info.error:
            findings.error(
                f"{what}无法使用，已跳过：{info.error}",
                file=image.path,
                hint="其余照片照常发布；请重新导出或换一张",
            )
            continue
        if budget is not None and not budget.spend(info.decoded):
            budget.refuse(image, findings, what)
            continue
        if info.placeholder:
            findings.warning(f"还是模板生成的示例{what}，请换成真实的{what}", file=image.path)
        good.append(image)
    return good
