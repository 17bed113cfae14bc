"""Hostile inputs, one school's folder each: time, peak memory and outcome of a real build.

    .venv/bin/python scripts/bench_hostile.py                 # every case, 120 s budget each
    .venv/bin/python scripts/bench_hostile.py --only md-      # the Markdown cases
    .venv/bin/python scripts/bench_hostile.py --json before.json --timeout 60
    .venv/bin/python scripts/bench_hostile.py --list

Each case is a one-project site made in a temporary folder (mkdocs.yml like the demo's,
`projects/<school>/` with project.yml and a logo) plus the one hostile input that issue 12
found: Markdown that recursed or took quadratic time, YAML that was refused only after
seconds and hundreds of MB, a lone surrogate in a form field, a PostScript file named
`logo.png`. The command (`mkdocs build`, or a `showcase` command) runs in a fresh child
process in its own session with a hard timeout; wall time and the child's peak RSS
(`wait4`) are measured, and the outcome is one of

    built     exit 0, no finding beyond those of the clean baseline site
    finding   exit 0, with a new finding (the hostile input was reported, the site built)
    crash     non-zero exit; the exception (or last error line) is shown
    timeout   killed at the budget

Only public interfaces are used (the `mkdocs` and `showcase` commands of this Python's
environment), so the script runs unchanged across refactorings of the package.

Issue 22's cases (`--only i22-`): the issue's SVG logo (feTurbulence with 10⁸ octaves) —
once as it is, and once with the SVG sanitiser and cost checks switched off in every
process of the command (a `sitecustomize` on PYTHONPATH), so the number measures the
image worker's time limit whatever the sanitiser refuses; 40 cases and 40 album descriptions of
93 KB; 40 images at exactly the 64 Mpx limit; a 5,000-photo album. To measure the
code of another checkout with this environment, put its `plugins/` first:
`PYTHONPATH=/path/to/main/plugins .venv/bin/python scripts/bench_hostile.py --only i22-`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

SCHOOL = "青禾路小学"
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
MAX_TEXT = 2 * 1024 * 1024
"""The loader's current size limit for any text file: the YAML cases stay just under it."""
YAML_SIZE = 1_950_000
GS_MARK = "gs-was-run.txt"


# --- inputs ---------------------------------------------------------------------------


def nested_list(levels: int = 1000) -> str:
    """1,000 list items each nested one level deeper (two-space indent): ≈1 MB."""
    return "".join("  " * i + "- 项\n" for i in range(levels))


def headings(n: int = 8000) -> str:
    """Headings on consecutive lines, no blank line between (each split re-scans the rest)."""
    return "## 标题\n" * n


def definition_lists(n: int = 4000) -> str:
    """Definition lists with an indented continuation line, no blank lines."""
    return "术语\n:   释义\n    续行\n" * n


def definition_lists_flat(n: int = 1000) -> str:
    """Terms and definitions on consecutive lines: each one nests a level deeper."""
    return "术语\n: 释义\n" * n


def brackets(n: int = 8000) -> str:
    """Unclosed `[`: every one starts a link search to the end of the text."""
    return "[" * n


def abbreviations(n: int = 4000) -> str:
    definitions = "".join(f"*[ABR{i}]: 缩写{i}\n" for i in range(n))
    return definitions + "\n" + " ".join(f"ABR{i}" for i in range(n)) + "\n"


def footnotes(n: int = 4000) -> str:
    """Footnote definitions with an indented continuation line."""
    return "".join(f"[^{i}]: 脚注\n    续\n" for i in range(n))


def _fill(prefix: str, item: str, sep: str, suffix: str, size: int = YAML_SIZE) -> str:
    count = (size - len((prefix + suffix).encode())) // len((item + sep).encode())
    return prefix + sep.join([item] * count) + suffix


def yaml_flow_list() -> str:
    """project.yml whose tags are a 1.9 MB flow list: fields first, so it is a real form."""
    head = "".join(f"{k}: {v}\n" for k, v in FIELDS.items() if k != "tags")
    return _fill(head + "tags: [", "x", ", ", "]\n")


def yaml_album() -> str:
    """album.yml with ≈2 MB of captions (a block mapping, as a person writes it)."""
    lines = [f"照片{i:06d}.jpg: 活动现场\n" for i in range(YAML_SIZE // 32)]
    return "title: 教师节表彰\ncaptions:\n" + "".join("  " + ln for ln in lines)


def front_matter_list() -> str:
    """A case whose front matter holds ≈2 MB of tags (a block list)."""
    return _fill("---\ntitle: 案例\ntags:\n", "- 标签", "\n", "\n---\n正文。\n")


def surrogate_yaml(field_name: str) -> str:
    """project.yml with a lone surrogate written as a YAML escape in one field."""
    lines = []
    for k, v in FIELDS.items():
        if k == field_name:
            v = '[名师工作室, "标签\\ud800"]' if k == "tags" else f'"{v}\\ud800"'
        elif isinstance(v, list):
            v = "[" + ", ".join(v) + "]"
        lines.append(f"{k}: {v}\n")
    if field_name == "goals":
        lines.append('goals: "项目目标\\ud800"\n')
    return "".join(lines)


# --- sites ----------------------------------------------------------------------------


def _png(path: Path) -> None:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (400, 400), (200, 16, 46))
    ImageDraw.Draw(img).ellipse([100, 100, 300, 300], fill=(242, 193, 78))
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "PNG")


def _eps(path: Path) -> None:
    """A real EPS file (written by Pillow), saved under an image name."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 16, 46)).save(out, "EPS")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_site(root: Path) -> Path:
    """A site as `showcase init` makes it, with one ordinary project; returns its folder."""
    import yaml

    config = {
        "site_name": "党建精品项目展示专栏",
        "site_url": "https://example.edu.cn/dangjian/",
        "docs_dir": "docs",
        "theme": {"name": "material", "language": "zh", "font": False},
        "plugins": [
            {"search": {"lang": "zh"}},
            {"showcase": {"sources": ["projects"], "cache_dir": ".cache/showcase"}},
            "glightbox",
        ],
        "markdown_extensions": [{"toc": {"permalink": True}}, "tables", "attr_list", "md_in_html"],
    }
    _write(root / "mkdocs.yml", yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    (root / "docs").mkdir(exist_ok=True)
    folder = root / "projects" / SCHOOL
    _write(folder / "project.yml", yaml.safe_dump(FIELDS, allow_unicode=True, sort_keys=False))
    _png(folder / "logo.png")
    _write(folder / "cases" / "名师工作室.md", "---\ntitle: 名师工作室\n---\n一段正文。\n")
    return folder


def _case_body(text: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        _write(folder / "cases" / "案例.md", "---\ntitle: 案例\n---\n" + text)

    return setup


def _file(name: str, text: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        _write(folder / name, text)

    return setup


def _album(folder: Path) -> None:
    album = folder / "photos" / "2025-09-10 教师节表彰"
    _png(album / "01-颁奖现场.png")
    _write(album / "album.yml", yaml_album())


def _eps_logo(folder: Path) -> None:
    (folder / "logo.png").unlink()
    _eps(folder / "logo.png")


def _eps_photo(folder: Path) -> None:
    _eps(folder / "photos" / "2025-09-10 教师节表彰" / "01-颁奖现场.jpg")


def _fake_gs(root: Path) -> dict[str, str]:
    """A `gs` first on PATH that fails, as a broken Ghostscript install does."""
    bin_dir = root / "fake-bin"
    bin_dir.mkdir(exist_ok=True)
    gs = bin_dir / "gs"
    # it leaves a mark: a working Ghostscript would have run the school's PostScript
    gs.write_text(
        f"#!/bin/sh\necho \"$@\" >> '{root / GS_MARK}'\n"
        "echo 'GPL Ghostscript: fake failure' >&2\nexit 1\n"
    )
    gs.chmod(0o755)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}


@dataclass
class Case:
    name: str
    what: str
    setup: Callable[[Path], None] | None = None
    command: tuple[str, ...] = ("mkdocs", "build")
    env: Callable[[Path], dict[str, str]] | None = None
    timeout: float | None = None
    """Seconds for this case when longer than --timeout (building 5,000 photos takes minutes)."""


# --- issue 22: one school's folder, bounded ----------------------------------------------

SVG_FILTER = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><filter id="t">'
    '<feTurbulence baseFrequency="0.9" numOctaves="100000000"/></filter>'
    '<rect width="100" height="100" filter="url(#t)"/></svg>'
)
HEAVY_TEXT = "^^" * 16000 + "~~" * 16000 + "==" * 16000
"""93 KB: under each text's limits, seconds to render each."""
PIXEL_LIMIT_SIDE = 8000
"""8000 × 8000 = 64,000,000 pixels: exactly the decoded-pixel limit per image."""


def _svg_logo(folder: Path) -> None:
    (folder / "logo.png").unlink()
    _write(folder / "logo.svg", SVG_FILTER)
    text = (folder / "project.yml").read_text(encoding="utf-8")
    _write(folder / "project.yml", text + "logo: logo.svg\n")


_NO_SANITISER = """\
# bench_hostile: the SVG sanitiser and cost checks off in this process, so the image
# worker's limit is what is measured
import importlib.machinery
import sys

_OFF = {
    "showcase.media.svg": {"sanitize_svg": lambda data, *a, **k: data.decode("utf-8")},
    "showcase.core.svgcost": {
        "check_svg_bytes": lambda *a, **k: None,
        "check_cost": lambda *a, **k: None,
    },
}


class _Patch:
    def find_spec(self, name, path=None, target=None):
        if name not in _OFF:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None:
            return None
        real = spec.loader.exec_module

        def exec_module(module):
            real(module)
            for attr, value in _OFF[name].items():
                if hasattr(module, attr):
                    setattr(module, attr, value)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _Patch())
"""


def _no_sanitiser(root: Path) -> dict[str, str]:
    """PYTHONPATH with a sitecustomize that turns `sanitize_svg` into a pass-through and
    the SVG cost checks off in every process of the command (the build and its
    forkserver workers)."""
    folder = root / "no-sanitiser"
    folder.mkdir(exist_ok=True)
    (folder / "sitecustomize.py").write_text(_NO_SANITISER, encoding="utf-8")
    rest = os.environ.get("PYTHONPATH", "")
    return {"PYTHONPATH": os.pathsep.join(p for p in (rest, str(folder)) if p)}


def _heavy_texts(folder: Path) -> None:
    """40 cases and 40 albums (one photo each) whose texts are the 93 KB one."""
    import yaml

    for i in range(40):
        _write(folder / "cases" / f"案例{i:02d}.md", f"---\ntitle: 案例{i}\n---\n{HEAVY_TEXT}\n")
        album = folder / "photos" / f"2025-09-{1 + i % 28:02d} 活动{i:02d}"
        _png(album / "01-现场.png")
        _write(album / "album.yml", yaml.safe_dump({"description": HEAVY_TEXT}, width=10**9))


def _distinct_copies(data: bytes, paths: list[Path]) -> None:
    """The same picture under each path, each with different bytes after its end (Pillow
    ignores them; the cache, keyed by content hash, does not share them)."""
    for i, path in enumerate(paths):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data + i.to_bytes(4, "big"))


def _pixel_limit_images(folder: Path) -> None:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (PIXEL_LIMIT_SIDE, PIXEL_LIMIT_SIDE), (200, 16, 46))
    ImageDraw.Draw(img).ellipse([1000, 1000, 7000, 7000], fill=(242, 193, 78))
    out = io.BytesIO()
    img.save(out, "PNG", compress_level=1)
    album = folder / "photos" / "2025-09-10 大图"
    _distinct_copies(out.getvalue(), [album / f"{i:02d}-大图.png" for i in range(40)])


def _big_album(folder: Path, count: int = 5000) -> None:
    """One album of `count` distinct 640×480 JPEGs (≈ 0.3 Mpx each)."""
    from PIL import Image, ImageDraw

    album = folder / "photos" / "2025-09-10 五千张"
    album.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        img = Image.new("RGB", (640, 480), (i % 256, (i // 256) % 256, 120))
        ImageDraw.Draw(img).text((20, 20), str(i), fill=(255, 255, 255))
        img.save(album / f"{i:05d}.jpg", "JPEG", quality=80)


I22_CASES = [
    (
        "i22-svg-filter",
        "SVG 标识：feTurbulence numOctaves=10⁸（原样，经过清理）",
        _svg_logo,
        None,
        180,
    ),
    (
        "i22-svg-filter-worker",
        "同一个 SVG，关掉清理：只靠图片进程的时间上限",
        _svg_logo,
        _no_sanitiser,
        180,
    ),
    ("i22-md-40x93k", "40 个案例 + 40 个相册说明，每篇 93 KB", _heavy_texts, None, 450),
    ("i22-img-40-at-limit", "40 张正好 6400 万像素的图片", _pixel_limit_images, None, 300),
    ("i22-album-5000", "一个 5000 张照片的相册（640×480）", _big_album, None, 600),
]


def _surrogate(field_name: str) -> Callable[[Path], None]:
    return _file("project.yml", surrogate_yaml(field_name))


def _all_surrogates(folder: Path) -> None:
    text = "".join(
        f'{k}: "{v}\\ud800"\n' if isinstance(v, str) else f"{k}: {v}\n"
        for k, v in FIELDS.items()
        if k != "tags"
    )
    _write(folder / "project.yml", text + 'tags: ["标签\\udfff"]\ngoals: "目标\\ud800"\n')


CASES: list[Case] = [
    Case("baseline", "一个正常的项目（固定开销）"),
    Case("md-nested-list", "1000 层嵌套列表（≈1 MB）", _case_body(nested_list())),
    Case("md-deflist-flat", "1000 组紧挨的定义列表（16 KB）", _case_body(definition_lists_flat())),
    Case("md-headings", "8000 个紧挨的标题（78 KB）", _case_body(headings())),
    Case("md-deflist", "4000 组带续行的定义列表（113 KB）", _case_body(definition_lists())),
    Case("md-brackets", "8000 个未闭合的 [（8 KB）", _case_body(brackets())),
    Case("md-abbr", "4000 个缩写定义（118 KB）", _case_body(abbreviations())),
    Case("md-footnotes", "4000 个带续行的脚注（93 KB）", _case_body(footnotes())),
    Case(
        "yaml-project-flow",
        "project.yml 里 1.9 MB 的流式列表",
        _file("project.yml", yaml_flow_list()),
    ),
    Case("yaml-album", "≈2 MB 的 album.yml（captions）", _album),
    Case(
        "yaml-front-matter",
        "案例文件头里 ≈2 MB 的 tags",
        _file("cases/案例.md", front_matter_list()),
    ),
    *[Case(f"surrogate-{f}", f"{f} 里有孤立代理字符 \\ud800", _surrogate(f)) for f in TEXT_FIELDS],
    Case(
        "surrogate-export-json",
        "全部字段有 \\ud800：showcase export registry --format json",
        _all_surrogates,
        ("showcase", "export", "registry", "--format", "json", "-o", "out.json"),
    ),
    Case(
        "surrogate-export-xlsx",
        "全部字段有 \\ud800：showcase export registry（xlsx）",
        _all_surrogates,
        ("showcase", "export", "registry", "-o", "out.xlsx"),
    ),
    Case(
        "surrogate-export-form",
        "全部字段有 \\ud800：showcase export form",
        _all_surrogates,
        ("showcase", "export", "form", f"projects/{SCHOOL}", "-o", "form.docx"),
    ),
    Case(
        "surrogate-check-html",
        "全部字段有 \\ud800：showcase check --format html",
        _all_surrogates,
        ("showcase", "check", "--format", "html", "-o", "review.html"),
    ),
    Case("eps-logo", "EPS 文件命名为 logo.png，PATH 上是会失败的 gs", _eps_logo, env=_fake_gs),
    Case("eps-photo", "EPS 文件命名为照片 .jpg，PATH 上是会失败的 gs", _eps_photo, env=_fake_gs),
    *[Case(n, w, setup, env=env, timeout=t) for n, w, setup, env, t in I22_CASES],
    Case(
        "i22-svg-filter-export",
        "同一个 SVG（关掉清理）：showcase export registry",
        _svg_logo,
        ("showcase", "export", "registry", "-o", "out.xlsx"),
        env=_no_sanitiser,
        timeout=180,
    ),
]


# --- running --------------------------------------------------------------------------


@dataclass
class Result:
    case: str
    what: str
    command: str
    outcome: str
    seconds: float
    peak_mb: float
    detail: str = ""
    page: bool | None = None
    findings: list[str] = field(default_factory=list)


_FINDING = re.compile(r"(?:ERROR\s+-\s+(showcase: .*)|-\s+(showcase(?: 警告:|: 警告) .*))$")
"""Findings as the plugin logs them: errors at ERROR, warnings at INFO (progress lines are not)."""
_EXCEPTION = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)\b.*)$")


def executable(name: str) -> list[str]:
    """The command of this Python's environment (a venv's bin), else `python -m`."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return [str(local)]
    # the command line's module moved with the package's layout; either works
    cli = (
        "showcase.commands.cli" if importlib.util.find_spec("showcase.commands") else "showcase.cli"
    )
    module = {"mkdocs": "mkdocs", "showcase": cli}[name]
    return [sys.executable, "-m", module]


def run(
    command: list[str], cwd: Path, timeout: float, env: dict[str, str]
) -> tuple[int | None, float, float, str]:
    """(exit code or None on timeout, seconds, peak RSS in MB, stdout+stderr)."""
    out_path = cwd / f".run-{time.monotonic_ns()}.txt"
    with out_path.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the whole group (image workers too) is killed on timeout
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        # leftovers of the group (a worker outliving its parent)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    text = out_path.read_text(encoding="utf-8", errors="replace")
    out_path.unlink()
    code = None if killed.is_set() else proc.returncode
    return code, seconds, usage.ru_maxrss / 1024, text


def _findings(text: str, root: Path) -> list[str]:
    found = []
    for line in text.splitlines():
        m = _FINDING.search(line)
        if m:
            found.append(
                (m.group(1) or m.group(2)).replace(str(root) + os.sep, "").replace(str(root), "")
            )
    return found


def _crash_detail(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    exceptions = [ln for ln in lines if _EXCEPTION.match(ln)]
    if exceptions:
        return exceptions[-1][:160]
    return (lines[-1] if lines else "(no output)")[:160]


def run_case(case: Case, timeout: float, baseline: set[str], keep: Path | None) -> Result:
    root = Path(tempfile.mkdtemp(prefix=f"hostile-{case.name}-"))
    try:
        folder = make_site(root)
        if case.setup is not None:
            case.setup(folder)
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
        env.update(case.env(root) if case.env else {})
        command = [*executable(case.command[0]), *case.command[1:]]
        timeout = max(timeout, case.timeout or 0) if case.timeout else timeout
        code, seconds, peak, text = run(command, root, timeout, env)
        found = _findings(text, root)
        new = [f for f in found if f not in baseline]
        page = (root / "site" / "projects").is_dir() if case.command[0] == "mkdocs" else None
        shown = " ".join(case.command)
        if code is None:
            outcome, detail = "timeout", f"killed after {timeout:.0f} s"
        elif code != 0:
            outcome, detail = "crash", _crash_detail(text)
        elif new:
            outcome, detail = "finding", new[0][:160]
        else:
            outcome, detail = "built", ""
        if (root / GS_MARK).exists():
            detail = f"[gs was run] {detail}"
        if keep is not None:
            shutil.copytree(root, keep / case.name, dirs_exist_ok=True)
        return Result(case.name, case.what, shown, outcome, seconds, peak, detail, page, new)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds per case (default 120)"
    )
    parser.add_argument(
        "--only", action="append", default=[], help="run cases whose name contains this"
    )
    parser.add_argument("--json", type=Path, help="write the results as JSON to this file")
    parser.add_argument("--keep", type=Path, help="copy each case's site folder here")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    args = parser.parse_args(argv)
    if args.list:
        for case in CASES:
            print(f"{case.name:24} {' '.join(case.command):40} {case.what}")
        return 0
    chosen = [c for c in CASES if not args.only or any(o in c.name for o in args.only)]
    base = run_case(CASES[0], args.timeout, set(), args.keep)
    if base.outcome not in ("built", "finding"):
        print(f"the clean baseline site does not build: {base.detail}", file=sys.stderr)
        return 2
    baseline = set(base.findings)
    results = [base] if CASES[0] in chosen else []
    print(f"{'case':24} {'outcome':8} {'wall s':>7} {'peak MB':>8}  detail", flush=True)
    for r in results:
        print(
            f"{r.case:24} {r.outcome:8} {r.seconds:7.1f} {r.peak_mb:8.0f}  {r.detail}", flush=True
        )
    for case in chosen:
        if case is CASES[0]:
            continue
        r = run_case(case, args.timeout, baseline, args.keep)
        results.append(r)
        print(
            f"{r.case:24} {r.outcome:8} {r.seconds:7.1f} {r.peak_mb:8.0f}  {r.detail}", flush=True
        )
    print()
    print("| case | input | command | outcome | wall s | peak RSS MB | detail |")
    print("|---|---|---|---|---:|---:|---|")
    for r in results:
        detail = r.detail.replace("|", "\\|")
        print(
            f"| {r.case} | {r.what} | `{r.command}` | {r.outcome} | {r.seconds:.1f} | {r.peak_mb:.0f} | {detail} |"
        )
    if args.json:
        payload = {
            "python": sys.version.split()[0],
            "timeout": args.timeout,
            "results": [asdict(r) for r in results],
        }
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
