"""imageformats: only the formats we mean to read are decoded; Ghostscript never runs."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, UnidentifiedImageError
from showcase.core.imaging import (
    LOGO_FORMATS,
    PHOTO_FORMATS,
    RefusedFormat,
    open_image,
    refused_format,
)


def encoded(fmt: str, **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 16, 46)).save(out, fmt, **options)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "HEIF"])
def test_every_allowed_format_opens(fmt):
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    with open_image(encoded(fmt)) as img:
        img.load()
        assert img.format == fmt and img.size == (32, 24)


def test_a_phones_multi_picture_jpeg_opens_through_jpeg():
    data = encoded("MPO", save_all=True, append_images=[Image.new("RGB", (32, 24))])
    with open_image(data) as img:
        assert img.format == "MPO"


def test_paths_and_open_files_work_and_keep_their_position(tmp_path: Path):
    path = tmp_path / "照片.jpg"
    path.write_bytes(encoded("JPEG"))
    with open_image(path) as img:
        assert img.format == "JPEG"
    with path.open("rb") as fh, open_image(fh) as img:
        assert img.format == "JPEG"


@pytest.mark.parametrize(
    "fmt, name",
    [("EPS", "PostScript"), ("PDF", "PDF"), ("ICO", "ICO"), ("JPEG2000", "JPEG 2000")],
)
def test_other_formats_are_refused_by_name(fmt, name):
    try:
        data = encoded(fmt)
    except (OSError, KeyError):
        pytest.skip(f"Pillow cannot write {fmt} here")
    with pytest.raises(RefusedFormat) as caught:
        open_image(data)
    assert name in caught.value.message and caught.value.hint
    assert isinstance(caught.value, UnidentifiedImageError)  # callers' old handling still applies
    assert refused_format(data[:64]) is not None


def test_logos_are_png_jpeg_or_webp_only():
    assert set(LOGO_FORMATS) < set(PHOTO_FORMATS)
    with pytest.raises(UnidentifiedImageError):
        open_image(encoded("TIFF"), formats=LOGO_FORMATS)


def test_garbage_is_pillows_own_error():
    with pytest.raises(UnidentifiedImageError) as caught:
        open_image(b"not an image at all")
    assert not isinstance(caught.value, RefusedFormat)


def test_ghostscript_never_runs_not_even_for_a_plain_image_open(tmp_path: Path):
    """In a fresh process with a `gs` first on PATH that leaves a mark: neither
    open_image nor a direct Image.open(...).load() of an EPS file runs it."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    mark = tmp_path / "gs-was-run"
    (bin_dir / "gs").write_text(f"#!/bin/sh\ntouch '{mark}'\nexit 1\n")
    (bin_dir / "gs").chmod(0o755)
    eps = tmp_path / "logo.png"
    eps.write_bytes(encoded("EPS"))
    script = f"""
import showcase.core.imaging as f
from PIL import Image
try:
    f.open_image({str(eps)!r})
except f.RefusedFormat as exc:
    print("refused", exc.format_name)
try:
    Image.open({str(eps)!r}).load()
except OSError as exc:
    print("no gs:", exc)
"""
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert "refused PostScript" in result.stdout, result.stderr
    assert "no gs:" in result.stdout, result.stderr
    assert not mark.exists()
