"""Issue 12: one school's file never takes down the district — black-box, public interfaces only.

Every input is made here: a lone surrogate in each form field, an EPS file named like a
picture with a failing `gs` first on PATH, Markdown that recursed or took quadratic
time, YAML that was expensive before it was refused, a git source with a symlinked
folder, phone and ID numbers in every written form, Office appendices holding a
GPS-tagged photo, appendix types whose metadata cannot be removed. Sites are built
with `mkdocs build` (in this process through conftest's `build`, or as a child process
when time and memory are the point) and the `showcase` command is run as a child
process, so these tests hold across any reorganisation of the package.

Time and memory budgets are relative to a clean one-project site measured in the same
session (`baseline`), so a slow or busy machine moves both sides alike.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, build, make_image, make_project, make_site, read, write
from hostile import id_number
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from PIL import Image

sys.path.insert(0, str(ROOT / "scripts"))
import bench_hostile as inputs  # noqa: E402 - the benchmark's generators of the same inputs

SLUG = "qinghe"
FIELDS = {
    "branch": "青禾路小学党支部",
    "school": "青禾路小学",
    "district": "青溪区",
    "name": "党组织“1+5”建设工程",
    "summary": "以一个支部带动五支队伍，打造师德高尚、业务精良的教师团队。",
    "category": "队伍建设",
    "tags": ["名师工作室", "青年教师"],
    "year": 2025,
}
TEXT_FIELDS = ("name", "branch", "summary", "district", "tags", "category", "goals")
MD_EXTRA_SECONDS = 6.0
"""A hostile text may cost its time limit (a few seconds) and a worker restart, no more."""
YAML_EXTRA_SECONDS = 2.0
NOISE = 1.5
"""Baselines are measured once per session; a busy machine later slows a run by this much
(the failures these tests guard against cost 5-10× a normal run)."""
YAML_EXTRA_MB = 80


# --- running the public commands ---------------------------------------------------------


@dataclass
class Run:
    code: int | None
    """None: killed at the timeout."""
    seconds: float
    peak_mb: float
    output: str

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.output or "意外错误" in self.output


def run(cwd: Path, *args: str, timeout: float = 180, env: dict[str, str] | None = None) -> Run:
    """A command in its own session; wall time and its peak RSS (wait4); killed at timeout."""
    full = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1", **(env or {}))
    return Run(*inputs.run([*inputs.executable(args[0]), *args[1:]], cwd, timeout, full))


def findings_json(root: Path, *paths: str) -> list[dict]:
    result = run(root, "showcase", "check", "--format", "json", *paths)
    assert result.code in (0, 1) and not result.traceback, result.output[-2000:]
    start = result.output.index("[")
    return json.loads(result.output[start : result.output.rindex("]") + 1])


def one_project_site(root: Path, fields: dict | None = None, **options) -> Path:
    """A site with one ordinary project `qinghe` (logo, one case); returns the project folder."""
    (root / "projects").mkdir(parents=True, exist_ok=True)
    folder = make_project(root / "projects", SLUG, dict(fields or FIELDS))
    write(folder / "cases" / "名师工作室.md", "---\ntitle: 名师工作室\n---\n一段正文。\n")
    make_site(root, options)
    return folder


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> dict[str, Run]:
    """A clean site's `mkdocs build` and `showcase check`, each the slower of two runs."""
    root = tmp_path_factory.mktemp("baseline")
    one_project_site(root)
    out: dict[str, Run] = {}
    for name, args in (("build", ("mkdocs", "build")), ("check", ("showcase", "check"))):
        runs = []
        for _ in range(2):
            shutil.rmtree(root / ".cache", ignore_errors=True)
            shutil.rmtree(root / "site", ignore_errors=True)
            runs.append(run(root, *args))
            assert runs[-1].code in (0, 1) and not runs[-1].traceback, runs[-1].output[-2000:]
        out[name] = max(runs, key=lambda r: r.seconds)
    return out


def showcase_lines(output: str) -> list[str]:
    """The findings a build logged (errors at ERROR, warnings at INFO)."""
    return [ln for ln in output.splitlines() if "showcase: " in ln or "showcase 警告" in ln]


# --- any text may hold any code point ------------------------------------------------------


def surrogate_yaml(field: str) -> str:
    """project.yml with `\\ud800` written as a YAML escape in one field."""
    lines = []
    for key, value in FIELDS.items():
        if key == field:
            value = '[名师工作室, "标签\\ud800"]' if key == "tags" else f'"{value}\\ud800"'
        elif isinstance(value, list):
            value = "[" + ", ".join(value) + "]"
        lines.append(f"{key}: {value}\n")
    if field == "goals":
        lines.append('goals: "项目目标\\ud800。"\n')
    return "".join(lines)


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_lone_surrogate_in_any_field_is_a_finding_not_a_crash(site_root: Path, field: str):
    folder = one_project_site(site_root)
    write(folder / "project.yml", surrogate_yaml(field))
    site = build(site_root / "mkdocs.yml")
    page = read(site, f"projects/{SLUG}/")
    assert "\ud800" not in page
    registry = json.loads((site / "registry.json").read_bytes().decode("utf-8"))
    assert registry
    for path in site.rglob("*"):
        if path.suffix in (".html", ".json", ".csv", ".xml"):
            path.read_bytes().decode("utf-8")  # every published text file is valid UTF-8
    found = findings_json(site_root)
    assert any(f["field"] == field and f["file"].endswith("project.yml") for f in found), found


ALL_SURROGATES = (
    "".join(
        f'{k}: "{v}\\ud800"\n' if isinstance(v, str) else f"{k}: {v}\n"
        for k, v in FIELDS.items()
        if k != "tags"
    )
    + 'tags: ["标签\\udfff"]\ngoals: "目标\\ud800"\nopinion: {text: "同意\\ud800", signed_by: "王书记\\udc00"}\n'
)


@pytest.mark.parametrize(
    "args, output",
    [
        (("showcase", "export", "registry", "--format", "json", "-o", "out.json"), "out.json"),
        (("showcase", "export", "registry", "--format", "csv", "-o", "out.csv"), "out.csv"),
        (("showcase", "export", "registry", "--format", "xlsx", "-o", "out.xlsx"), "out.xlsx"),
        (("showcase", "export", "registry", "--format", "docx", "-o", "out.docx"), "out.docx"),
        (("showcase", "export", "form", SLUG, "-o", "form.docx"), "form.docx"),
        (("showcase", "check", "--format", "html", "-o", "review.html"), "review.html"),
        (("showcase", "check", "--format", "json", "-o", "check.json"), "check.json"),
        (("showcase", "check"), None),
    ],
    ids=lambda v: "-".join(v[1:4]) if isinstance(v, tuple) else str(v),
)
def test_surrogates_in_every_field_do_not_crash_exports_or_reports(site_root: Path, args, output):
    folder = one_project_site(site_root)
    write(folder / "project.yml", ALL_SURROGATES)
    result = run(site_root, *args)
    assert result.code in (0, 1) and not result.traceback, result.output[-2000:]
    if output:
        data = (site_root / output).read_bytes()
        assert data
        if output.endswith((".json", ".csv", ".html")):
            assert "\ud800" not in data.decode("utf-8-sig")


CONTROL_FILES = {
    "goals.md": "目标\x0b第二行\x01\ufffe结束。\n",
    "measures.md": "举措\x07\x1b[31m\x85\n",
    "cases/案例.md": "---\ntitle: 案例\n---\n正文\x0c分页\x08。\n",
}


@pytest.mark.parametrize(
    "args",
    [
        ("mkdocs", "build"),
        ("showcase", "export", "form", SLUG, "-o", "form.docx"),
        ("showcase", "export", "registry", "--format", "docx", "-o", "out.docx"),
        ("showcase", "check", "--format", "html", "-o", "review.html"),
    ],
    ids=lambda a: "-".join(a[:3]),
)
def test_control_characters_in_text_files_and_fields(site_root: Path, args):
    """Word pastes carry vertical tabs and page breaks; XML (docx, xlsx) refuses them."""
    folder = one_project_site(site_root)
    (folder / "project.yml").write_text(
        "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in FIELDS.items())
        + 'opinion: {text: "同意\\x0b申报", signed_by: "王书记\\x1b"}\n',
        encoding="utf-8",
    )
    for name, text in CONTROL_FILES.items():
        write(folder / name, text)
    result = run(site_root, *args)
    assert result.code in (0, 1) and not result.traceback, result.output[-2000:]
    if args[0] == "mkdocs":
        lines = showcase_lines(result.output)
        for name in ("goals.md", "measures.md", "案例.md"):
            assert any(name in line for line in lines), (name, lines)


# --- only the image formats we mean to read are ever decoded --------------------------------


def eps_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 16, 46)).save(out, "EPS")
    return out.getvalue()


def fake_gs(root: Path) -> tuple[dict[str, str], Path]:
    """A `gs` first on PATH that fails and leaves a mark when it is run at all."""
    bin_dir = root / "fake-bin"
    bin_dir.mkdir()
    mark = root / "gs-was-run.txt"
    gs = bin_dir / "gs"
    gs.write_text(
        f"#!/bin/sh\necho \"$@\" >> '{mark}'\necho 'fake Ghostscript failure' >&2\nexit 1\n"
    )
    gs.chmod(0o755)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}, mark


@pytest.mark.parametrize(
    "where",
    [
        "logo.png",
        "photos/2025-09-10 教师节表彰/01-颁奖现场.jpg",
        "cases/名师工作室/01-揭牌仪式.png",
    ],
)
def test_postscript_named_as_a_picture_is_never_run(site_root: Path, where: str):
    folder = one_project_site(site_root)
    if where != "logo.png":
        make_image(folder / "photos" / "2025-09-10 教师节表彰" / "02-合影.jpg")
    target = folder / where
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(eps_bytes())
    env, mark = fake_gs(site_root)
    built = run(site_root, "mkdocs", "build", env=env)
    assert built.code == 0 and not built.traceback, built.output[-3000:]
    assert (site_root / "site" / "projects" / SLUG / "index.html").is_file()
    assert any(Path(where).name in line for line in showcase_lines(built.output)), built.output[
        -3000:
    ]
    for args in (
        ("showcase", "check"),
        ("showcase", "export", "registry", "-o", "登记表.xlsx"),
        ("showcase", "export", "registry", "--format", "docx", "-o", "登记表.docx"),
        ("showcase", "export", "form", SLUG, "-o", "申报表.docx"),
    ):
        result = run(site_root, *args, env=env)
        assert result.code in (0, 1) and not result.traceback, (args, result.output[-2000:])
    assert not mark.exists(), f"Ghostscript was run: {mark.read_text()}"


# --- Markdown cannot crash or stall the build -----------------------------------------------

MARKDOWN = {
    # name: (text, what only a rendering shows, or None where our precheck always refuses)
    "nested-list-1000": (inputs.nested_list(1000), None),
    "deflist-flat-1000": (inputs.definition_lists_flat(1000), "<dt>术语</dt>"),
    "headings-16000": (inputs.headings(16000), None),
    "deflist-6000": (inputs.definition_lists(6000), None),
    "brackets-12000": (inputs.brackets(12000), None),
    "abbreviations-6000": (inputs.abbreviations(6000), None),
    "footnotes-6000": (inputs.footnotes(6000), None),
    "emphasis-3000": ("*" * 3000 + "正文" + "*" * 3000 + "\n", "正文</"),
}


@pytest.mark.parametrize("name", list(MARKDOWN))
def test_hostile_markdown_is_shown_as_text_within_budget(tmp_path: Path, baseline, name: str):
    """The promise, whatever the Markdown library's version: the build finishes within its
    budget, the case is published with its text (rendered, or escaped with a finding naming
    the file), and the rest of the project is untouched."""
    text, rendered_mark = MARKDOWN[name]
    folder = one_project_site(tmp_path)
    write(folder / "cases" / "案例.md", "---\ntitle: 案例\n---\n" + text)
    write(folder / "goals.md", "## 目标\n\n一个正常的目标。\n")
    budget = NOISE * baseline["build"].seconds + MD_EXTRA_SECONDS
    built = run(tmp_path, "mkdocs", "build", timeout=max(120, 4 * budget))
    assert built.code == 0 and not built.traceback, built.output[-3000:]
    assert built.seconds < budget, f"{built.seconds:.1f} s (budget {budget:.1f} s)"
    site = tmp_path / "site"
    assert "一个正常的目标" in read(site, f"projects/{SLUG}/")
    pages = {
        p: p.read_text(encoding="utf-8")
        for p in (site / "projects" / SLUG / "cases").rglob("*.html")
    }
    titles = [re.search(r"<title>([^<]*)", html).group(1) for html in pages.values()]
    assert any(t.startswith("案例") for t in titles), titles  # the case is still published
    case_html = next(html for html in pages.values() if "<title>案例" in html)
    told = any("案例.md" in line for line in showcase_lines(built.output))
    escaped = html.escape(text.split("\n", 1)[0], quote=False)
    if rendered_mark is None or told:
        assert told, built.output[-3000:]  # the author is told why it is shown as text
        assert escaped in case_html  # and the reader sees the text as written
    else:
        assert rendered_mark in case_html


# --- YAML is refused before it is expensive ----------------------------------------------------


def flow(prefix: str, item: str, suffix: str, size: int = 1_950_000) -> str:
    count = (size - len((prefix + suffix).encode())) // len((item + ", ").encode())
    return prefix + ", ".join([item] * count) + suffix


BIG_YAML = {
    "project.yml": lambda: flow(
        "".join(f"{k}: {v}\n" for k, v in FIELDS.items() if k != "tags") + "tags: [", "x", "]\n"
    ),
    "photos/2025-09-10 教师节表彰/album.yml": lambda: flow("captions: {", "p.jpg: x", "}\n"),
    "cases/案例.md": lambda: flow("---\ntitle: 案例\ntags: [", "x", "]\n---\n正文。\n"),
    "plans/计划.md": lambda: flow("---\nschedule:\n  3: [", "x", "]\n---\n正文。\n"),
}


@pytest.mark.parametrize("name", list(BIG_YAML))
def test_big_yaml_is_refused_fast_and_small(tmp_path: Path, baseline, name: str):
    folder = one_project_site(tmp_path)
    make_image(folder / "photos" / "2025-09-10 教师节表彰" / "01.jpg")
    text = BIG_YAML[name]()
    assert len(text.encode()) < 2 * 1024 * 1024  # under the old 2 MB text limit
    write(folder / name, text)
    result = run(tmp_path, "showcase", "check", "--format", "json", timeout=120)
    assert result.code in (0, 1) and not result.traceback, result.output[-2000:]
    base = baseline["check"]
    assert result.seconds < NOISE * base.seconds + YAML_EXTRA_SECONDS, f"{result.seconds:.1f} s"
    assert result.peak_mb < base.peak_mb + YAML_EXTRA_MB, f"{result.peak_mb:.0f} MB"
    found = json.loads(result.output[result.output.index("[") :])
    assert any(f["file"].endswith(Path(name).name) and f["level"] == "error" for f in found)


def test_small_yaml_with_too_many_nodes_or_aliases_is_refused(tmp_path: Path, baseline):
    folder = one_project_site(tmp_path)
    write(
        folder / "project.yml",
        flow("name: 项目\nbranch: 支部\nsummary: 简介\ntags: [", "x", "]\n", 150_000),
    )
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
    )
    write(folder / "cases" / "案例.md", f"---\n{bomb}---\n正文。\n")
    result = run(tmp_path, "showcase", "check", "--format", "json", timeout=120)
    assert result.code == 1 and not result.traceback, result.output[-2000:]
    assert result.seconds < NOISE * baseline["check"].seconds + YAML_EXTRA_SECONDS
    found = json.loads(result.output[result.output.index("[") :])
    assert any(f["file"].endswith("project.yml") and f["level"] == "error" for f in found)
    assert any(f["file"].endswith("案例.md") and f["level"] == "error" for f in found)


# --- project folders are never links ----------------------------------------------------------


def git(*args: str, cwd: Path) -> None:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="测试",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="测试",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_git_source_never_follows_a_symlinked_folder(tmp_path: Path):
    other = make_project(tmp_path / "elsewhere", "secret", {**FIELDS, "name": "别人的秘密项目"})
    repo = tmp_path / "repo"
    make_project(repo, "real", FIELDS)
    (repo / "stolen").symlink_to(other)  # absolute, out of the repository
    (repo / "stolen2").symlink_to(os.path.relpath(other, repo))  # relative, out of it too
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "提交", cwd=repo)
    root = tmp_path / "site-root"
    root.mkdir()
    make_site(root, {"sources": [{"git": repo.as_uri(), "ref": "main"}]})
    site = build(root / "mkdocs.yml")
    assert (site / "projects" / "real" / "index.html").is_file()
    for name in ("stolen", "stolen2", "secret"):
        assert not (site / "projects" / name).exists()
    assert "别人的秘密项目" not in (site / "registry.json").read_text(encoding="utf-8")


def test_folder_source_never_follows_a_symlinked_folder(site_root: Path, tmp_path: Path):
    other = make_project(tmp_path / "elsewhere", "secret", {**FIELDS, "name": "别人的秘密项目"})
    make_project(site_root / "projects", "real", FIELDS)
    (site_root / "projects" / "linked").symlink_to(other)
    make_site(site_root)
    site = build(site_root / "mkdocs.yml")
    assert (site / "projects" / "real" / "index.html").is_file()
    assert not (site / "projects" / "linked").exists()
    assert "别人的秘密项目" not in (site / "registry.json").read_text(encoding="utf-8")


# --- personal data, by construction --------------------------------------------------------

PHONE_FORMS = {
    "dashes": "138-0000-0000",
    "spaces": "138 0000 0000",
    "full-width": "１３８００００００００",
    "plus86": "+86 138 0000 0000",
    "plus86-brackets": "(+86)13800000000",
    "dots": "138.0000.0000",
    "zero-width": "138\u200b0000\u200b0000",
    "no-break": "138\u00a00000\u00a00000",
    "ideographic-space": "138\u30000000\u30000000",
    "chinese-numerals": "一三八〇〇〇〇〇〇〇〇",
    "bare": "13800000000",
}
LANDLINES = {
    "landline-dash": ("010-88880000", "88880000"),
    "landline-brackets": ("（0571）8888 0000", "88880000"),
}


_NUMERALS = str.maketrans("〇一二三四五六七八九", "0123456789")


def digits_of(html: str) -> str:
    """Every digit of a page in order, Chinese numerals and full-width digits included."""
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", html).translate(_NUMERALS))


@pytest.mark.parametrize("form", [*PHONE_FORMS, *LANDLINES])
def test_publish_personal_masks_every_written_form(site_root: Path, form: str):
    written, secret = LANDLINES.get(form, (PHONE_FORMS.get(form), "13800000000"))
    fields = {**FIELDS, "leader": "张老师", "contact": written}
    one_project_site(site_root, fields, publish_personal=True)
    site = build(site_root / "mkdocs.yml")
    page = read(site, f"projects/{SLUG}/")
    assert "张老师" in page
    assert "****" in page
    assert secret not in digits_of(page), f"{written!r} published unmasked"
    for path in site.rglob("*"):
        if path.suffix in (".html", ".json", ".csv", ".xml", ".js"):
            assert secret not in digits_of(path.read_text(encoding="utf-8", errors="ignore")), path


SCAN_FORMS = {
    "dashes": "138-0000-0001",
    "spaces": "138 0000 0002",
    "full-width": "１３８０００００００３",
    "plus86": "+86 138 0000 0004",
    "dots": "138.0000.0005",
    "plus86-brackets": "(+86)13800000006",
    "zero-width": "138\u200b0000\u200b0007",
    "no-break": "138\u00a00000\u00a00008",
    "chinese-numerals": "一三八〇〇〇〇〇〇〇九",
    "landline": "010-8888 0010",
    "landline-brackets": "(0571)88880011",
}
SCAN_MASKED = {
    "dashes": "0001",
    "spaces": "0002",
    "full-width": "0003",
    "plus86": "0004",
    "dots": "0005",
    "plus86-brackets": "0006",
    "zero-width": "0007",
    "no-break": "0008",
    "chinese-numerals": "0009",
    "landline": "0010",
    "landline-brackets": "0011",
}
ID_SPACED = id_number("11010519491231002")  # 11010519491231002X
ID_CHINESE = id_number("44030419800515123")  # 440304198005151239
_CN = dict(zip("0123456789", "〇一二三四五六七八九", strict=True))
PLACES = {
    "caption": (("album.yml", "01-合影.jpg"), "0021"),
    "file-name": ("13800000022", "0022"),
    "front-matter": ("案例.md", "0023"),
    "txt-appendix": ("联系方式.txt", "0024"),
    "id-spaces": ("goals.md", ID_SPACED[-4:]),
    "id-chinese-numerals": ("goals.md", ID_CHINESE[-4:]),
}


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> list[dict]:
    """One project with each form in a text, and a number in each kind of place."""
    root = tmp_path_factory.mktemp("scan")
    folder = one_project_site(root)
    spaced = f"{ID_SPACED[:6]} {ID_SPACED[6:14]} {ID_SPACED[14:]}"
    chinese = "".join(_CN[d] for d in ID_CHINESE)
    write(
        folder / "goals.md",
        "\n\n".join(f"联系 {v}" for v in SCAN_FORMS.values())
        + f"\n\n证件 {spaced}\n\n证件号码 {chinese}\n",
    )
    album = folder / "photos" / "2025-09-10 教师节表彰"
    make_image(album / "01-合影.jpg")
    make_image(album / "02-张老师13800000022.jpg")
    write(album / "album.yml", "captions:\n  01-合影.jpg: 合影，联系 138 0000 0021\n")
    write(
        folder / "cases" / "案例.md",
        "---\ntitle: 案例\nsummary: 联系人张老师 138-0000-0023\n---\n正文。\n",
    )
    write(folder / "cases" / "案例" / "联系方式.txt", "名单\n张老师 电话：13800000024\n")
    return findings_json(root)


def _personal(found: list[dict]) -> list[dict]:
    return [f for f in found if re.search("手机|电话|身份证", f["message"])]


@pytest.mark.parametrize("form", list(SCAN_FORMS))
def test_pii_scan_finds_every_written_form(scanned, form: str):
    last4 = SCAN_MASKED[form]
    hits = [
        f for f in _personal(scanned) if f["file"].endswith("goals.md") and last4 in f["message"]
    ]
    assert hits, [f["message"] for f in _personal(scanned)]


@pytest.mark.parametrize("place", list(PLACES))
def test_pii_scan_looks_everywhere_a_number_is_published(scanned, place: str):
    where, last4 = PLACES[place]
    names = where if isinstance(where, tuple) else (where,)
    hits = [
        f
        for f in _personal(scanned)
        if last4 in f["message"] and any(n in (f["file"] or "") + f["message"] for n in names)
    ]
    assert hits, (place, [(f["file"], f["message"]) for f in _personal(scanned)])


def gps_jpeg() -> bytes:
    img = Image.new("RGB", (320, 240), (200, 16, 46))
    exif = Image.Exif()
    exif[0x010F] = "FakePhoneMaker"
    exif[0x0110] = "FakePhone 12"
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _office_with_photo(folder: Path) -> None:
    import docx
    import openpyxl
    from openpyxl.drawing.image import Image as SheetImage

    photo = gps_jpeg()
    document = docx.Document()
    document.add_paragraph("工作室成立仪式")
    document.add_picture(io.BytesIO(photo))
    document.save(str(folder / "cases" / "案例" / "活动记录.docx"))
    book = openpyxl.Workbook()
    book.active.add_image(SheetImage(io.BytesIO(photo)), "B2")
    book.save(str(folder / "cases" / "案例" / "成员分工.xlsx"))


def test_pictures_inside_office_appendices_lose_exif_and_gps(site_root: Path):
    folder = one_project_site(site_root)
    write(folder / "cases" / "案例.md", "---\ntitle: 案例\n---\n正文。\n")
    (folder / "cases" / "案例").mkdir(parents=True)
    _office_with_photo(folder)
    site = build(site_root / "mkdocs.yml")
    published = [p for p in site.rglob("*") if p.suffix in (".docx", ".xlsx")]
    assert {p.suffix for p in published} == {".docx", ".xlsx"}
    for path in published:
        with zipfile.ZipFile(path) as package:
            media = [n for n in package.namelist() if "/media/" in n]
            assert media, path
            for name in media:
                data = package.read(name)
                assert b"FakePhone" not in data, (path, name)
                with Image.open(io.BytesIO(data)) as img:
                    exif = img.getexif()
                    assert 0x8825 not in exif and not exif.get_ifd(0x8825), (path, name)
                    assert 0x010F not in exif and 0x0110 not in exif, (path, name)


UNSTRIPPABLE = {
    "旧版文档.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000,
    "旧版表格.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000,
    "旧版演示.ppt": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000,
    "文稿.wps": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000,
    "活动视频.mp4": b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 2000,
    "材料.zip": b"PK\x05\x06" + b"\x00" * 18,
}


def _unstrippable_site(root: Path, **options) -> Path:
    folder = one_project_site(root, **options)
    write(folder / "cases" / "案例.md", "---\ntitle: 案例\n---\n正文。\n")
    for name, data in UNSTRIPPABLE.items():
        write(folder / "cases" / "案例" / name, data)
    return folder


def test_appendices_whose_metadata_cannot_be_removed_are_named(site_root: Path):
    _unstrippable_site(site_root)
    found = findings_json(site_root)
    for name in UNSTRIPPABLE:
        assert any(f["file"] and f["file"].endswith(name) for f in found), (name, found)


def test_strict_privacy_does_not_publish_them(site_root: Path):
    _unstrippable_site(site_root, strict_privacy=True)
    built = run(site_root, "mkdocs", "build")
    assert built.code == 0 and not built.traceback, built.output[-3000:]
    assert "strict_privacy" not in "\n".join(
        ln for ln in built.output.splitlines() if "Unrecognised" in ln or "未知" in ln
    ), built.output[-2000:]
    published = {p.name for p in (site_root / "site").rglob("*") if p.is_file()}
    for name in UNSTRIPPABLE:
        assert not any(n.endswith(Path(name).suffix) and Path(name).stem in n for n in published), (
            name
        )
    for name in UNSTRIPPABLE:
        assert any(name in line for line in showcase_lines(built.output)), name


# --- fuzz: author texts mixing every class -----------------------------------------------------

FUZZ = settings(
    max_examples=int(os.environ.get("SHOWCASE_HOSTILE_EXAMPLES", "8")),
    deadline=None,
    database=None,
    # each example is a real build: shrinking a failure would run hundreds more
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ODD_CHARACTERS = st.sampled_from(
    ["\ud800", "\udfff", "\ud83d\ude00", "\x00", "\x1b", "\x07", "\x85", "\ufffe", "\uffff",
     "\ufdd0", "\U0010ffff", "\u202e", "\u200b", "\ufeff", "\r", "\t"]
)  # fmt: skip
PATTERNS = st.one_of(
    st.integers(50, 1200).map(inputs.nested_list),
    st.integers(100, 4000).map(inputs.headings),
    st.integers(100, 3000).map(inputs.definition_lists),
    st.integers(50, 1000).map(inputs.definition_lists_flat),
    st.integers(100, 6000).map(inputs.brackets),
    st.integers(100, 3000).map(inputs.abbreviations),
    st.integers(100, 3000).map(inputs.footnotes),
    st.integers(100, 3000).map(lambda n: "*" * n + "x" + "*" * n),
    st.integers(10, 300).map(lambda n: "> " * n + "引用\n"),
    st.sampled_from([*PHONE_FORMS.values(), *SCAN_FORMS.values(), ID_SPACED]),
)
SEGMENTS = st.one_of(st.text(max_size=40), ODD_CHARACTERS, PATTERNS)
TEXTS = st.lists(SEGMENTS, min_size=1, max_size=5).map("".join)


def _yaml_text(value: str) -> str:
    """A YAML double-quoted scalar on one line: odd characters become escapes (\\uD800)."""
    return yaml.safe_dump(value, allow_unicode=True, width=10**9, default_style='"').strip()


_FUZZ_ROOT: list[Path] = []


@FUZZ
@given(goals=TEXTS, body=TEXTS, summary=TEXTS, caption=TEXTS, tag=TEXTS)
def test_any_author_text_gives_a_site_with_findings_only(
    tmp_path_factory, goals, body, summary, caption, tag
):
    if not _FUZZ_ROOT:
        _FUZZ_ROOT.append(tmp_path_factory.mktemp("hostile-fuzz"))
    root = _FUZZ_ROOT[0] / f"run-{time.monotonic_ns()}"
    folder = one_project_site(root, publish_personal=True)
    (folder / "project.yml").write_text(
        "".join(
            f"{k}: {_yaml_text(str(v))}\n"
            for k, v in FIELDS.items()
            if k not in ("tags", "summary")
        )
        + f"summary: {_yaml_text(summary or '简介')}\n"
        + f"tags: [{_yaml_text(tag)}]\n"
        + f"goals: {_yaml_text(goals)}\n"
        + f"contact: {_yaml_text(tag)}\n",
        encoding="utf-8",
        errors="surrogatepass",
    )
    (folder / "cases").mkdir(exist_ok=True)
    (folder / "cases" / "案例.md").write_text(
        f"---\ntitle: {_yaml_text(summary or '案例')}\n---\n{body}",
        encoding="utf-8",
        errors="surrogatepass",
    )
    album = folder / "photos" / "2025-09-10 活动"
    make_image(album / "01.jpg", (64, 48))
    write(album / "album.yml", f"captions:\n  01.jpg: {_yaml_text(caption)}\n")
    built = run(root, "mkdocs", "build", timeout=180)
    try:
        assert built.code == 0 and not built.traceback, built.output[-3000:]
        assert built.seconds < 90, built.seconds
        assert (root / "site" / "index.html").is_file()
    finally:
        shutil.rmtree(root, ignore_errors=True)
