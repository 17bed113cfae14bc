"""Project logos for Office files: metadata-free PNGs, or the site's placeholder drawing."""

from __future__ import annotations

import io
from pathlib import Path

from ..core.imaging import LOGO_FORMATS, OWN_PNG, RefusedFormat, open_image
from ..core.model import Project
from ..media.cache import MediaError
from ..media.svg import sanitize_svg
from ..site.charts import placeholder_png


class LogoError(Exception):
    pass


def logo_png(project: Project | None, box: int, notes: list[str] | None = None) -> bytes:
    """The project's logo as a metadata-free PNG fitting `box`×`box` pixels.

    Rendered at twice the size for print. Uses the media pipeline's derived file when the
    site build made one, else the source (PNG/JPG via Pillow, SVG via resvg); a project
    without a usable logo gets the red placeholder with the branch's first characters.
    """
    px = box * 2
    if project is not None and project.logo is not None:
        key = _logo_key(project, px)
        if key is not None and key in _LOGO_CACHE:
            return _LOGO_CACHE[key]
        try:
            data = _render_logo(project, px)
        except LogoError as exc:
            if notes is not None:
                notes.append(f"{project.logo.path}：{exc}，已用占位图代替")
        else:
            if key is not None:
                if len(_LOGO_CACHE) >= 512:
                    _LOGO_CACHE.pop(next(iter(_LOGO_CACHE)))
                _LOGO_CACHE[key] = data
            return data
    return _placeholder(project, px)


def _placeholder(project: Project | None, px: int) -> bytes:
    """The same placeholder the site shows (charts.placeholder_svg), as PNG."""
    return placeholder_png(
        project or Project(folder=Path("."), slug="", values={"branch": "党"}), px
    )


_LOGO_CACHE: dict[tuple, bytes] = {}
"""Rendered logos by source file state, so `mkdocs serve` rebuilds do not redo them."""


def _logo_key(project: Project, px: int) -> tuple | None:
    try:
        st = project.logo.path.stat()
    except OSError:
        return None
    return (str(project.logo.path), st.st_mtime_ns, st.st_size, px)


def _render_logo(project: Project, px: int) -> bytes:
    from PIL import Image as PILImage
    from PIL import ImageOps

    logo = project.logo
    derived = logo.derived
    path = logo.path
    if path.suffix.lower() == ".svg":
        import resvg_py

        try:
            if derived is not None and derived.svg is not None:
                svg = derived.svg.path.read_text(encoding="utf-8")  # sanitised by the build
            else:  # no build here (the command line): the same sanitiser first
                svg = sanitize_svg(path.read_bytes())
            data = bytes(resvg_py.svg_to_bytes(svg_string=svg, width=px))
        except MediaError as exc:
            raise LogoError(str(exc)) from exc
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise LogoError(f"SVG 无法转换为图片（{type(exc).__name__}）") from exc
        source: Path | io.BytesIO = io.BytesIO(data)
        formats = OWN_PNG
    else:
        source, formats = path, LOGO_FORMATS
        if derived is not None:
            # the site's derived PNG is oriented and metadata-free already; smaller to decode
            fitting = [v for v in derived.variants if v.format == "png" and v.width >= px]
            if fitting:
                source, formats = min(fitting, key=lambda v: v.width).path, OWN_PNG
    try:
        with open_image(source, formats=formats) as img:
            img.load()
            img = ImageOps.exif_transpose(img)
            img = (
                img.convert("RGBA") if img.mode in ("RGBA", "LA", "P", "PA") else img.convert("RGB")
            )
            img.thumbnail((px, px), PILImage.LANCZOS)
            # a fresh image carries none of the source's EXIF, GPS or XMP
            clean = PILImage.new(img.mode, img.size)
            clean.paste(img)
    except PILImage.DecompressionBombError as exc:
        raise LogoError("图片像素过多，已拒绝处理") from exc
    except RefusedFormat as exc:
        raise LogoError(exc.message.removesuffix("，这张图片不会发布")) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise LogoError(f"不是有效的图片文件，或文件已损坏（{type(exc).__name__}）") from exc
    out = io.BytesIO()
    clean.save(out, "PNG", compress_level=6)
    return out.getvalue()


def png_size(data: bytes) -> tuple[int, int]:
    with open_image(io.BytesIO(data), formats=OWN_PNG) as img:
        return img.size


def fit(size: tuple[int, int], box: float) -> tuple[float, float]:
    w, h = size
    scale = box / max(w, h, 1)
    return w * scale, h * scale
