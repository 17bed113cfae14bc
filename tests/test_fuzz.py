"""Random YAML documents and random bytes named as images: loading and checking only
ever produce findings, never an exception."""

from __future__ import annotations

import atexit
import datetime as dt
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from showcase.checking import images, personal, texts
from showcase.checking.rules import check_all
from showcase.config import default_settings
from showcase.core.fields import all_names
from showcase.core.findings import Finding
from showcase.reading.load import load_project

FUZZ = settings(
    max_examples=int(os.environ.get("SHOWCASE_FUZZ_EXAMPLES", "60")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

KEYS = st.sampled_from(
    all_names()
    + [
        "title",
        "date",
        "authors",
        "tags",
        "summary",
        "schedule",
        "year",
        "captions",
        "cover",
        "description",
        "explicit",
        "implicit",
        "text",
        "target",
        "actual",
        "三月",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats()
    | st.text(max_size=40)
    | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))
    | st.sampled_from(
        [
            "13800000000",
            "11010519491231002X",
            "请填写",
            "../../etc/passwd",
            "/etc/passwd",
            "logo.png",
            "http://x.cn",
            "javascript:alert(1)",
            "2025-13-45",
            "三月",
            ".inf",
        ]
    )
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(KEYS | st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
DOCUMENTS = st.dictionaries(KEYS | st.text(max_size=10), VALUES, max_size=8).map(
    lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False)
)
# broken YAML too: random text, and valid documents with a random cut or insert
TEXTS = (
    DOCUMENTS
    | st.text(max_size=200)
    | st.tuples(DOCUMENTS, st.integers(0, 300), st.text(max_size=5)).map(
        lambda t: t[0][: t[1]] + t[2] + t[0][t[1] :]
    )
)


def _image_bytes(fmt: str, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 16, 46)).save(out, fmt)
    return out.getvalue()


HEADERS = [
    _image_bytes("PNG", (40, 30)),
    _image_bytes("JPEG", (40, 30)),
    _image_bytes("GIF", (8, 8)),
    _image_bytes("WEBP", (16, 16)),
    _image_bytes("BMP", (4, 4)),
    _image_bytes("TIFF", (4, 4)),
]
# random bytes, and real images cut or overwritten at random places (reach deeper parser code)
IMAGE_BYTES = st.binary(max_size=600) | st.tuples(
    st.sampled_from(HEADERS), st.integers(0, 400), st.binary(max_size=60)
).map(lambda t: t[0][: t[1]] + t[2] + t[0][t[1] + len(t[2]) :])


_ROOT = Path(tempfile.mkdtemp(prefix="showcase-fuzz-"))
atexit.register(shutil.rmtree, _ROOT, True)


def _load_and_check(build) -> list[Finding]:
    # one folder, files rewritten per example: creating folders is the slow part here
    folder = _ROOT / "p"
    for path in sorted(folder.rglob("*"), reverse=True) if folder.exists() else []:
        if path.is_file():
            path.unlink()
    for cache in (images._image_cache, personal._scan_cache, texts._line_cache):
        cache.clear()  # keyed by mtime: a rewrite within the same tick must not hit
    build(folder)
    project = load_project(folder)
    check_all([project], default_settings(base_dir=_ROOT))
    findings = project.findings
    for f in findings:
        assert isinstance(f, Finding) and f.message
        json.dumps(f.to_dict(), ensure_ascii=False)
        f.format()
    return findings


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(data)


@FUZZ
@given(project=TEXTS, front=TEXTS, album=TEXTS, body=st.text(max_size=100))
def test_random_yaml_gives_findings_not_exceptions(project, front, album, body):
    def build(folder: Path) -> None:
        _write(folder / "project.yml", project.encode("utf-8", "surrogatepass"))
        _write(
            folder / "cases" / "案例.md",
            f"---\n{front}\n---\n{body}".encode("utf-8", "surrogatepass"),
        )
        _write(folder / "plans" / "计划.md", f"---\n{album}---\n".encode("utf-8", "surrogatepass"))
        _write(
            folder / "photos" / "2025-01-01 相册" / "album.yml",
            album.encode("utf-8", "surrogatepass"),
        )
        _write(folder / "photos" / "2025-01-01 相册" / "01.png", HEADERS[0])
        _write(folder / "goals.md", body.encode("utf-8", "surrogatepass"))

    _load_and_check(build)


@FUZZ
@given(
    logo=IMAGE_BYTES,
    photo=IMAGE_BYTES,
    appendix=IMAGE_BYTES,
    name=st.sampled_from(
        ["01.jpg", "02.png", "03.webp", "04.gif", "05.heic", "06.tif", "07.bmp", "08.JPG"]
    ),
)
def test_random_bytes_named_as_images_give_findings_not_exceptions(logo, photo, appendix, name):
    def build(folder: Path) -> None:
        _write(folder / "project.yml", "branch: 支部\nname: 项目\nsummary: 简介\n")
        _write(folder / "logo.png", logo)
        _write(folder / "photos" / "2025-01-01 相册" / name, photo)
        _write(folder / "cases" / "案例.md", "# 案例\n")
        _write(folder / "cases" / "案例" / name, appendix)
        _write(folder / "cases" / "案例" / "附件.docx", appendix)
        _write(folder / "cases" / "案例" / "附件.pdf", b"%PDF-1.4\n" + photo)
        _write(folder / "cases" / "案例" / "附件.xlsx", logo)

    findings = _load_and_check(build)
    assert all(f.file for f in findings)
