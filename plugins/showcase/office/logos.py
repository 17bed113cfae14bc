"""Project logos for Office files: metadata-free PNGs, or the site's placeholder drawing."""

from __future__ import annotations

import atexit
import io
from pathlib import Path

from ..core.budgets import Budgets
from ..core.imaging import LOGO_FORMATS, OWN_PNG, RefusedFormat, open_image
from ..core.model import Project
from ..core.workers import WorkerPool
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
            cached = _LOGO_CACHE[key]
            if isinstance(cached, bytes):
                return cached
            if notes is not None:
                notes.append(f"{project.logo.path}：{cached}，已用占位图代替")
            return _placeholder(project, px)
        try:
            data = _render_limited(project, px)
        except LogoError as exc:
            if notes is not None:
                notes.append(f"{project.logo.path}：{exc}，已用占位图代替")
            if key is not None:  # the next export in this process does not wait for it again
                _LOGO_CACHE[key] = str(exc)
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


_LOGO_CACHE: dict[tuple, bytes | str] = {}
"""Rendered logos (or why not) by source file state, so `mkdocs serve` rebuilds and the
second export of a command do not redo them."""

LIMITS = Budgets()
"""One logo's time and memory (`image_seconds`, `image_memory_mb`): an SVG whose filter
would take hours, or a PNG that needs gigabytes, costs one placeholder, never the export."""

_pool: WorkerPool | None = None


def configure(budgets: Budgets) -> None:
    """Use a site's budgets for the logos of the exports that follow."""
    global LIMITS
    if budgets != LIMITS:
        close_workers()  # a new memory cap needs a new worker
        LIMITS = budgets


def _workers() -> WorkerPool:
    global _pool
    if _pool is None:
        _pool = WorkerPool(1, memory_mb=LIMITS.image_memory_mb, name="showcase-logo")
    return _pool


def close_workers() -> None:
    """Stop the logo worker (at the end of a build or command; tests)."""
    global _pool
    pool, _pool = _pool, None
    if pool is not None:
        pool.close()


def _render_limited(project: Project, px: int) -> bytes:
    """`_render_logo` in a worker process stopped past `LIMITS`."""
    logo = project.logo
    derived = logo.derived
    svg = str(derived.svg.path) if derived is not None and derived.svg is not None else None
    pngs = (
        []
        if derived is None
        else [(str(v.path), v.width) for v in derived.variants if v.format == "png"]
    )
    args = (str(logo.path), svg, pngs, px)
    reply = _workers().call(_render_logo, args, LIMITS.image_seconds)
    if reply[0] == "ok":
        return reply[1]
    if reply[0] == "unavailable":  # no processes here: render in-process
        return _render_logo(*args)
    if reply[0] == "error" and reply[1] == "LogoError":
        raise LogoError(reply[2])
    if reply[0] == "timeout":
        raise LogoError(f"转换超过 {LIMITS.image_seconds:.3g} 秒仍未完成，已停止")
    if reply[0] == "error" and reply[1] == "MemoryError":
        raise LogoError(f"转换需要的内存超过 {LIMITS.image_memory_mb} MB 上限，已停止")
    raise LogoError(f"转换时出错（{reply[1] if len(reply) > 1 else '进程意外退出'}）")


def _logo_key(project: Project, px: int) -> tuple | None:
    try:
        st = project.logo.path.stat()
    except OSError:
        return None
    return (str(project.logo.path), st.st_mtime_ns, st.st_size, px)


def _render_logo(path_text: str, svg_path: str | None, pngs: list, px: int) -> bytes:
    """The logo at `path_text` as a clean PNG fitting `px` (runs in a logo worker).

    `svg_path` is the build's sanitised copy of an SVG logo, `pngs` its derived PNGs
    (path, width): smaller and metadata-free, used when they are large enough."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    path = Path(path_text)
    if path.suffix.lower() == ".svg":
        import resvg_py

        try:
            if svg_path is not None:
                svg = Path(svg_path).read_text(encoding="utf-8")  # sanitised by the build
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
        # the site's derived PNG is oriented and metadata-free already; smaller to decode
        fitting = [(width, Path(p)) for p, width in pngs if width >= px]
        if fitting:
            source, formats = min(fitting)[1], OWN_PNG
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


atexit.register(close_workers)
