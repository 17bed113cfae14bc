"""Issue 22: one school's folder costs the district a bounded multiple of a normal one.

Each class of attack is built beside a normal control school in the same site, with the
public commands run as child processes (`mkdocs build`, `showcase package`, `showcase
export registry`): the control school is published, the offending item is a finding
naming its file, and the build takes at most `RATIO` times the same control school
built alone in this session (plus, where a limit is the point, that limit). Budgets
are set small in the sites here, so the tests stay quick; the benchmark
(`scripts/bench_hostile.py`) measures the defaults.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, make_image, make_project, make_site, write

sys.path.insert(0, str(ROOT / "scripts"))
import bench_hostile as inputs  # noqa: E402 - the benchmark's generators of the same inputs

RATIO = 4.0
"""A site with one hostile school beside the control builds within this multiple of the
control school alone (measured in the same session), plus the limit a case waits for."""

CONTROL = {
    "branch": "青禾路小学党支部",
    "school": "青禾路小学",
    "district": "青溪区",
    "name": "党组织“1+5”建设工程",
    "summary": "以一个支部带动五支队伍，打造师德高尚、业务精良的教师团队。",
    "slug": "qinghe-lu-xiaoxue",
}
OTHER = {
    "branch": "城南小学党支部",
    "school": "城南小学",
    "district": "青溪区",
    "name": "“红烛”工程",
    "summary": "以老带新，培养青年教师。",
    "slug": "chengnan",
}


def control_school(projects: Path) -> Path:
    """An ordinary school: logo, a case with a photo, an album."""
    folder = make_project(projects, "青禾路小学", CONTROL)
    write(folder / "cases" / "名师工作室.md", "---\ntitle: 名师工作室\n---\n一段**正文**。\n")
    make_image(folder / "cases" / "名师工作室" / "01-揭牌.jpg", (800, 600))
    make_image(folder / "photos" / "2025-09-10 教师节表彰" / "01-颁奖.jpg", (800, 600))
    return folder


def site(root: Path, **options) -> Path:
    """A site with the control school; returns the projects folder."""
    control_school(root / "projects")
    make_site(root, options)
    return root / "projects"


def run(cwd: Path, *args: str, timeout: float = 240, env: dict | None = None) -> inputs.Result:
    full = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1", **(env or {}))
    code, seconds, peak, text = inputs.run(
        [*inputs.executable(args[0]), *args[1:]], cwd, timeout, full
    )
    assert code is not None, f"{' '.join(args)} killed after {timeout} s"
    assert "Traceback (most recent call last)" not in text, text[-3000:]
    return inputs.Result(args[0], "", " ".join(args), str(code), seconds, peak, text)


@pytest.fixture(scope="module")
def normal(tmp_path_factory) -> float:
    """Seconds of `mkdocs build` of the control school alone (the slower of two runs)."""
    root = tmp_path_factory.mktemp("normal")
    site(root)
    times = []
    for _ in range(2):
        shutil.rmtree(root / ".cache", ignore_errors=True)
        shutil.rmtree(root / "site", ignore_errors=True)
        result = run(root, "mkdocs", "build")
        assert result.outcome == "0", result.detail[-2000:]
        times.append(result.seconds)
    return max(times)


def built(root: Path, normal: float, extra: float = 0.0) -> str:
    """`mkdocs build` of the site at root: its output; asserts the control school and
    the time bound."""
    result = run(root, "mkdocs", "build")
    assert result.outcome == "0", result.detail[-3000:]
    assert (root / "site" / "projects" / CONTROL["slug"] / "index.html").is_file()
    assert result.seconds <= RATIO * normal + extra, (result.seconds, normal)
    return result.detail


def logged(output: str, *words: str) -> list[str]:
    return [ln for ln in output.splitlines() if "showcase" in ln and all(w in ln for w in words)]


# --- 1. image jobs under a time and memory limit -------------------------------------------

SVG_FILTER = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><filter id="t">'
    '<feTurbulence baseFrequency="0.9" numOctaves="100000000"/></filter>'
    '<rect width="100" height="100" filter="url(#t)"/></svg>'
)
"""The issue's logo: resvg computes 10⁸ octaves of noise per pixel (hours)."""


def test_a_logo_that_never_finishes_is_stopped_and_the_rest_builds(tmp_path, normal):
    projects = site(tmp_path, budgets={"image_seconds": 3})
    evil = make_project(projects, "城南小学", {**OTHER, "logo": "logo.svg"}, logo=False)
    write(evil / "logo.svg", SVG_FILTER)
    output = built(tmp_path, normal, extra=3)
    found = logged(output, "城南小学/logo.svg", "logo")
    assert found, output[-3000:]
    # refused by the sanitiser or stopped by the worker's limit: either way a finding
    assert (tmp_path / "site" / "projects" / "chengnan" / "index.html").is_file()
    # the exports never wait for it either: placeholder and a note
    for args in (("export", "registry", "-o", "r.xlsx"), ("export", "form", "chengnan")):
        result = run(tmp_path, "showcase", *args, timeout=120)
        assert result.outcome == "0", result.detail[-2000:]
        assert result.seconds <= RATIO * normal + 3, (args, result.seconds, normal)
    assert zipfile.is_zipfile(tmp_path / "r.xlsx")


def _sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def test_the_worker_is_killed_past_its_time_and_memory_limits():
    from showcase.core.workers import WorkerPool

    pool = WorkerPool(1, memory_mb=200)
    try:
        started = time.perf_counter()
        assert pool.call(time.sleep, (60,), 1.0) == ("timeout",)
        assert time.perf_counter() - started < 10
        reply = pool.call(bytearray, (2 * 1024**3,), 30)  # 2 GB under a 200 MB cap
        assert reply[0] in ("crashed",) or reply[:2] == ("error", "MemoryError")
        assert pool.call(len, ("好",), 30) == ("ok", 1)  # a new worker for the next job
        assert pool.starts == 2
    finally:
        pool.close()


def test_an_image_past_the_time_limit_is_a_finding_naming_file_and_field(tmp_path):
    """The media step itself, with a limit no real image can meet: every job is stopped."""
    from showcase.core.budgets import Budgets
    from showcase.media.processor import MediaProcessor

    logo = make_image(tmp_path / "学校" / "logo.png", (3000, 3000))
    photo = make_image(tmp_path / "学校" / "photos" / "a" / "01.jpg", (3000, 2000))
    media = MediaProcessor(
        tmp_path / "cache", jobs=1, progress=False, budgets=Budgets(image_seconds=0.001)
    )
    results, findings = media.process([(logo, "logo"), (photo, "photo")])
    assert results == {}
    by_file = {f.file: f for f in findings}
    assert "超过" in by_file[str(logo)].message and by_file[str(logo)].field == "logo"
    assert "不会发布" in by_file[str(photo)].message
    # nothing half-written is left in the cache
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.name.startswith(".tmp")]


# --- 2. per-school budgets ------------------------------------------------------------------

HEAVY_TEXT = "^^" * 16000 + "~~" * 16000 + "==" * 16000
"""The issue's 93 KB text: under each text's limits, seconds to render each."""


def test_a_schools_texts_share_one_budget(tmp_path, normal):
    projects = site(tmp_path, budgets={"school_markdown_seconds": 2, "school_markdown_kb": 400})
    heavy = make_project(projects, "城南小学", OTHER)
    for i in range(12):
        write(heavy / "cases" / f"案例{i:02d}.md", f"---\ntitle: 案例{i}\n---\n{HEAVY_TEXT}\n")
    output = built(tmp_path, normal, extra=2)
    past = logged(output, "城南小学/cases/", "本项目的文字")
    assert len(past) >= 8, output[-3000:]  # the rest of the school's texts: plain text
    assert not logged(output, "青禾路小学", "本项目的文字")
    page = tmp_path / "site" / "projects" / "chengnan" / "cases" / "anli-11" / "index.html"
    assert page.is_file()  # still published, as plain text


def test_a_schools_images_share_one_pixel_budget(tmp_path, normal):
    projects = site(tmp_path, budgets={"school_image_mpx": 40})
    heavy = make_project(projects, "城南小学", OTHER)
    album = heavy / "photos" / "2025-05-01 运动会"
    for i in range(8):
        make_image(album / f"{i:02d}-大图.png", (4000, 4000))  # 16 Mpx each, decoded in full
    output = built(tmp_path, normal, extra=0)
    refused = logged(output, "城南小学/photos/", "图片总量超出上限")
    assert len(refused) == 6, output[-3000:]  # 2 × 16 Mpx fit in 40 (the logo is small)
    page = next((tmp_path / "site" / "projects" / "chengnan" / "photos").glob("*/index.html"))
    assert page.read_text(encoding="utf-8").count('class="sc-photo"') == 2


# --- 3. package and build agree; no school takes another's address -------------------------


def test_package_publishes_what_it_can_and_lists_the_rest(tmp_path, normal):
    from hostile import truncated

    projects = site(tmp_path)
    broken = make_project(projects, "城南小学", OTHER)
    truncated(broken / "photos" / "2025-05-01 运动会" / "01-半张.jpg")
    make_image(broken / "photos" / "2025-05-01 运动会" / "02-好.jpg")
    result = run(tmp_path, "showcase", "package", "-o", "site.zip")
    assert result.outcome == "0", result.detail[-2000:]
    assert "没有发布" in result.detail and "01-半张.jpg" in result.detail
    assert result.seconds <= RATIO * normal * 1.5  # a build and a zip
    names = zipfile.ZipFile(tmp_path / "site.zip").namelist()
    assert f"projects/{CONTROL['slug']}/index.html" in names
    assert "projects/chengnan/index.html" in names
    strict = run(tmp_path, "showcase", "package", "--strict", "-o", "strict.zip")
    assert strict.outcome == "1" and not (tmp_path / "strict.zip").exists()


def test_a_zip_claiming_another_schools_slug_replaces_nobody(tmp_path, normal):
    projects = site(tmp_path)
    fake = {**OTHER, "name": "冒名项目", "slug": CONTROL["slug"]}
    with zipfile.ZipFile(projects / "0-evil.zip", "w") as zf:
        zf.writestr("evil/project.yml", yaml.safe_dump(fake, allow_unicode=True))
    result = run(tmp_path, "mkdocs", "build")
    assert result.outcome == "0"
    assert result.seconds <= RATIO * normal
    # the rule of docs/guide.md: slug-<first 6 hex of sha256(source as written + folder)>
    code = {
        label: CONTROL["slug"] + "-" + hashlib.sha256(f"{label}\n{name}".encode()).hexdigest()[:6]
        for label, name in (("projects", "青禾路小学"), ("projects/0-evil.zip", "evil"))
    }
    pages = {k: tmp_path / "site" / "projects" / v / "index.html" for k, v in code.items()}
    assert "党组织“1+5”建设工程" in pages["projects"].read_text(encoding="utf-8")
    assert "冒名项目" in pages["projects/0-evil.zip"].read_text(encoding="utf-8")
    errors = [ln for ln in logged(result.detail, "ERROR") if "slug" in ln]
    assert len(errors) == 2 and all("0-evil.zip" in e and "青禾路小学" in e for e in errors)


# --- 7. control characters in file and folder names -----------------------------------------

BAD_NAME = "\x1b[31m案例\u202egpj.exe\x01"


def test_control_and_bidi_characters_in_names_never_reach_a_page(tmp_path, normal):
    projects = site(tmp_path)
    odd = make_project(projects, "城南小学", OTHER)
    write(odd / "cases" / f"{BAD_NAME}.md", "没有标题的案例正文。\n")
    make_image(odd / "photos" / "2025-05-01 运动会\u202e" / f"01-{BAD_NAME}.jpg")
    output = built(tmp_path, normal)
    assert logged(output, "城南小学", "不可见的字符"), output[-3000:]
    assert "\x1b" not in output and "\u202e" not in output  # not into the terminal either
    pages = list((tmp_path / "site").rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]", text), (
            page
        )
    home = (tmp_path / "site" / "projects" / "chengnan" / "index.html").read_text(encoding="utf-8")
    assert "案例gpj.exe" in home  # the case is published, under its cleaned name
    search = tmp_path / "site" / "search" / "search_index.json"
    if search.is_file():
        assert "\\u202e" not in search.read_text(encoding="utf-8").lower()


# --- 9. the editor's upload staging ---------------------------------------------------------


def test_staging_is_bounded_and_emptied(tmp_path):
    import io

    from showcase.commands.editor.staging import Staging, StagingFull

    staging = Staging(tmp_path / "uploads", max_mb=1, max_files=3)
    sid, size = staging.add(io.BytesIO(b"x" * 600_000), "a.png", ".png", 10**8)
    assert size == 600_000 and sid in staging
    with pytest.raises(StagingFull):
        staging.add(io.BytesIO(b"x" * 600_000), "b.png", ".png", 10**8)
    assert len(list((tmp_path / "uploads").iterdir())) == 1  # nothing half-written left
    staging.add(io.BytesIO(b"x"), "c.png", ".png", 10**8)
    staging.add(io.BytesIO(b"x"), "d.png", ".png", 10**8)
    with pytest.raises(StagingFull):
        staging.add(io.BytesIO(b"x"), "e.png", ".png", 10**8)
    assert staging.release([staging[sid].path]) == 1  # saved: gone from disk and from the bound
    assert not any(p.stat().st_size > 1000 for p in (tmp_path / "uploads").iterdir())
    staging.add(io.BytesIO(b"x" * 600_000), "f.png", ".png", 10**8)


def test_the_editor_cleans_its_staging_on_start_and_on_exit(tmp_path):
    from editor_helpers import start_editor
    from showcase.commands.editor.staging import OWNER_FILE, WORK_PREFIX

    temp = tmp_path / "tmp"
    temp.mkdir()
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(gone.stdout)
    stale = temp / f"{WORK_PREFIX}old"
    (stale / "uploads").mkdir(parents=True)
    (stale / "uploads" / "big.png").write_bytes(b"x" * 100_000)
    (stale / OWNER_FILE).write_text(str(dead_pid))
    foreign = temp / f"{WORK_PREFIX}not-ours"  # no marker: never touched
    foreign.mkdir()
    make_project(tmp_path / "projects", "青禾路小学", CONTROL)
    env = {"TMPDIR": str(temp), "SHOWCASE_EDIT_STAGING_MB": "1"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with start_editor(tmp_path / "projects") as (url, port, log):
            assert not stale.exists() and foreign.exists()
            mine = [p for p in temp.iterdir() if (p / OWNER_FILE).is_file()]
            assert len(mine) == 1
            uploads = _upload(port, url, b"x" * 700_000), _upload(port, url, b"y" * 700_000)
            assert uploads[0][0] == 200 and uploads[1][0] == 413
            assert "请先点“保存”" in json.loads(uploads[1][1])["error"]
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    deadline = time.monotonic() + 10
    while mine[0].exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not mine[0].exists()  # removed when the editor stopped


def _upload(port: int, url: str, data: bytes) -> tuple[int, bytes]:
    import http.client

    token = url.split("token=", 1)[1]
    boundary = "----showcase"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="照片.png"\r\n'
        "Content-Type: image/png\r\n\r\n".encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "POST",
        "/api/upload",
        body=body,
        headers={
            "X-Showcase-Token": token,
            "Origin": f"http://127.0.0.1:{port}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response.status, payload
