"""Issue 22 (1, 4, 8): SVG logos that cost without bound, load URLs through CSS escapes,
or carry a phone photo's GPS in a `data:` picture. Each in a site with a control school."""

from __future__ import annotations

import base64
import io
import logging
import re
import time
from pathlib import Path

import pytest
from conftest import build, make_project, make_site, read, write
from PIL import Image

EVIL = {"branch": "白杨小学党支部", "school": "白杨小学", "name": "红烛工程", "summary": "摘要。"}

TURBULENCE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><filter id="t">'
    '<feTurbulence baseFrequency="0.9" numOctaves="100000000"/></filter>'
    '<rect width="100" height="100" filter="url(#t)"/></svg>'
)
CSS_ESCAPE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    "<style>rect{fill:u\\72l(http://127.0.0.1:8899/x.png)}"
    "@import 'http://127.0.0.1:8899/a.css';"
    "circle{fill:image-set('http://127.0.0.1:8899/y.png' 1x);stroke:#c00}</style>"
    '<rect width="100" height="50" style="stroke:u\\72l(http://127.0.0.1:8899/z.png)"/>'
    '<circle cx="50" cy="75" r="20" fill="url(http://127.0.0.1:8899/w.png)"/></svg>'
)
USE_FANOUT = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><g id="l0">'
    '<rect width="1" height="1"/></g>'
    + "".join(f'<g id="l{n}">' + f'<use href="#l{n - 1}"/>' * 10 + "</g>" for n in range(1, 7))
    + '<use href="#l6"/></svg>'
)
MORPHOLOGY = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><filter id="m">'
    '<feMorphology radius="50"/></filter><rect width="100" height="100" filter="url(#m)"/></svg>'
)
BLUR_EVERYWHERE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><filter id="b">'
    '<feGaussianBlur stdDeviation="3"/></filter>'
    + '<rect width="100" height="100" filter="url(#b)"/>' * 100
    + "</svg>"
)
NORMAL_SHADOW = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="400" height="400">'
    '<defs><filter id="s" x="-20%" y="-20%" width="140%" height="140%">'
    '<feGaussianBlur in="SourceAlpha" stdDeviation="2"/><feOffset dx="2" dy="2"/>'
    '<feMerge><feMergeNode/><feMergeNode in="SourceGraphic"/></feMerge></filter>'
    '<linearGradient id="g"><stop offset="0" stop-color="#c8102e"/>'
    '<stop offset="1" stop-color="#f2c14e"/></linearGradient></defs>'
    "<style>.star{fill:url(#g)}</style>"
    '<circle class="star" cx="50" cy="50" r="40" filter="url(#s)"/></svg>'
)


def _site_with_logo(root: Path, svg: str | bytes) -> tuple[Path, Path]:
    make_project(root / "projects", "qinghe")  # the control school, a PNG logo
    evil = make_project(root / "projects", "baiyang", {**EVIL, "logo": "logo.svg"}, logo=False)
    write(evil / "logo.svg", svg)
    write(evil / "cases" / "a.md", "---\ntitle: 案例\n---\n正文。\n")
    return make_site(root), evil


def _build_logged(config: Path, caplog) -> tuple[Path, list[str], float]:
    caplog.set_level(logging.INFO)
    start = time.perf_counter()
    site = build(config)
    seconds = time.perf_counter() - start
    lines = [r.getMessage() for r in caplog.records if "showcase" in r.name]
    return site, lines, seconds


def _published_svgs(site: Path, slug: str) -> list[Path]:
    page = read(site, f"projects/{slug}/")
    rels = set(re.findall(r'src="\.\./\.\./(assets/showcase/img/[^"]+\.svg)"', page))
    return [site / rel for rel in sorted(rels)]


@pytest.mark.parametrize(
    "name,svg,words",
    [
        ("turbulence", TURBULENCE, "numOctaves"),
        ("morphology", MORPHOLOGY, "feMorphology"),
        ("use-fanout", USE_FANOUT, "<use>"),
        ("blur-everywhere", BLUR_EVERYWHERE, "滤镜用得过多"),
    ],
)
def test_costly_svg_is_refused_fast_and_the_control_school_builds(
    site_root: Path, caplog, name: str, svg: str, words: str
):
    config, evil = _site_with_logo(site_root, svg)
    site, lines, seconds = _build_logged(config, caplog)
    assert seconds < 60, f"{name}: {seconds:.1f} s"  # unbounded before: killed at 300 s
    assert "青禾路小学" in read(site, "projects/qinghe/")
    assert "红烛工程" in read(site, "projects/baiyang/")  # the school is published, no logo
    assert _published_svgs(site, "baiyang") == []
    hits = [ln for ln in lines if "logo.svg" in ln and words in ln]
    assert hits and "拒绝" in hits[0], lines
    # `showcase check` says so too, as an error naming the file
    from showcase.build import load_all
    from showcase.config import default_settings

    settings = default_settings(
        sources=["projects"], base_dir=site_root, cache_dir=str(site_root / ".cache")
    )
    _projects, findings = load_all(settings)
    assert any(
        f.is_error and f.file and f.file.endswith("logo.svg") and words in f.message
        for f in findings
    ), [f.message for f in findings]


def test_a_normal_logo_with_a_drop_shadow_is_kept(site_root: Path, caplog):
    config, _ = _site_with_logo(site_root, NORMAL_SHADOW)
    site, lines, _ = _build_logged(config, caplog)
    svgs = _published_svgs(site, "baiyang")
    assert svgs, lines
    text = svgs[0].read_text(encoding="utf-8")
    assert "feGaussianBlur" in text and "url(#g)" in text and "url(#s)" in text


def test_css_that_could_load_anything_is_dropped(site_root: Path, caplog):
    config, _ = _site_with_logo(site_root, CSS_ESCAPE)
    site, _, _ = _build_logged(config, caplog)
    assert "青禾路小学" in read(site, "projects/qinghe/")
    (svg,) = _published_svgs(site, "baiyang")
    text = svg.read_text(encoding="utf-8")
    for needle in ("127.0.0.1", "8899", "\\72", "import", "image-set", "http"):
        assert needle not in text.replace("http://www.w3.org", ""), needle
    assert "stroke:#c00" in text  # what loads nothing stays


def test_chromium_opening_the_published_svg_makes_no_request(site_root: Path, caplog, browser):
    config, evil = _site_with_logo(site_root, CSS_ESCAPE)
    site, _, _ = _build_logged(config, caplog)
    (published,) = _published_svgs(site, "baiyang")

    def requests_of(path: Path) -> list[str]:
        context = browser.new_context()
        seen: list[str] = []
        context.route("http://127.0.0.1:8899/**", lambda route: route.abort())
        page = context.new_page()
        page.on("request", lambda request: seen.append(request.url))
        page.goto(path.as_uri())
        page.wait_for_timeout(500)
        context.close()
        return [u for u in seen if not u.startswith("file:")]

    # the detector works: the original file, opened the same way, asks for the URLs
    assert any("127.0.0.1:8899" in u for u in requests_of(evil / "logo.svg"))
    assert requests_of(published) == []


def _gps_jpeg() -> bytes:
    img = Image.new("RGB", (64, 48), (200, 16, 46))
    exif = Image.Exif()
    exif[0x010F] = "FakePhoneMaker"
    exif[0x0110] = "FakePhone 12"
    exif[0x010E] = "王秘密 13800000000"
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, comment=b"secret comment")
    return out.getvalue()


def test_a_data_uri_photo_inside_an_svg_logo_loses_its_exif_and_gps(site_root: Path, caplog):
    photo = base64.b64encode(_gps_jpeg()).decode("ascii")
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="100" height="100"><rect width="100" height="100" fill="#fff"/>'
        f'<image x="10" y="10" width="64" height="48" href="data:image/jpeg;base64,{photo}"/>'
        f'<image x="10" y="60" width="64" height="48" '
        f'xlink:href="data:image/jpeg;base64,{photo}"/></svg>'
    )
    config, _ = _site_with_logo(site_root, svg)
    site, _, _ = _build_logged(config, caplog)
    assert "青禾路小学" in read(site, "projects/qinghe/")
    (published,) = _published_svgs(site, "baiyang")
    text = published.read_text(encoding="utf-8")
    uris = re.findall(r'href="data:image/(\w+);base64,([^"]+)"', text)
    assert len(uris) == 2
    for _kind, data in uris:
        raw = base64.b64decode(data)
        assert b"FakePhone" not in raw and b"secret" not in raw and b"13800000000" not in raw
        with Image.open(io.BytesIO(raw)) as img:
            exif = img.getexif()
            assert not exif.get_ifd(0x8825) and 0x8825 not in exif
            assert img.size == (64, 48)
