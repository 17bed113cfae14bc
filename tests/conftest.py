"""Shared helpers: real project folders and real MkDocs builds in temporary folders."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def write(path: Path, text: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(textwrap.dedent(text).lstrip("\n").encode(encoding))
    return path


def make_image(
    path: Path, size=(640, 480), color=(200, 16, 46), fmt: str | None = None, **save
) -> Path:
    """A real picture: a gradient with a shape, so encoders have something to do."""
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(img)
    w, h = size
    for y in range(0, h, max(1, h // 32)):
        draw.rectangle([0, y, w, y + h // 32], fill=(color[0], (y * 255) // h, 120))
    draw.ellipse([w // 4, h // 4, 3 * w // 4, 3 * h // 4], fill=(242, 193, 78))
    img.save(path, fmt or None, **save)
    return path


MINIMAL = {
    "branch": "青禾路小学党支部",
    "school": "青禾路小学",
    "name": "党组织“1+5”建设工程",
    "summary": "以一个支部带动五支队伍，打造师德高尚、业务精良的教师团队。",
}


def make_project(root: Path, folder: str, fields: dict | None = None, *, logo: bool = True) -> Path:
    path = root / folder
    data = dict(MINIMAL if fields is None else fields)
    write(path / "project.yml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    if logo:
        make_image(path / "logo.png", (400, 400))
    return path


def make_site(root: Path, plugin_options: dict | None = None, *, extra: dict | None = None) -> Path:
    """A mkdocs.yml beside `projects/` in root, as a school would write it."""
    options = {"sources": ["projects"], "cache_dir": str(root / ".cache")}
    options.update(plugin_options or {})
    config = {
        "site_name": "测试站点",
        "docs_dir": "docs",
        "theme": {"name": "material", "language": "zh"},
        "plugins": [{"search": {"lang": "zh"}}, {"showcase": options}, "glightbox"],
    }
    config.update(extra or {})
    (root / "docs").mkdir(parents=True, exist_ok=True)
    write(root / "mkdocs.yml", yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return root / "mkdocs.yml"


def build(config_file: Path, *, strict: bool = False) -> Path:
    """Run a real `mkdocs build` in this process; returns the site folder."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    cfg = load_config(str(config_file), strict=strict)
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return Path(cfg.site_dir)


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    (tmp_path / "projects").mkdir()
    return tmp_path


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The repository's demo, built once per test session into a copy."""
    dest = tmp_path_factory.mktemp("demo")
    for name in ("mkdocs.yml", "docs", "projects"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    # the repository's image cache: images scripts/ci_engines.sh derived are not derived again
    config = (dest / "mkdocs.yml").read_text(encoding="utf-8")
    cache = (ROOT / ".cache" / "showcase").as_posix()
    (dest / "mkdocs.yml").write_text(
        config.replace("cache_dir: .cache/showcase", f"cache_dir: {cache}"), encoding="utf-8"
    )
    return build(dest / "mkdocs.yml", strict=True)


def read(site: Path, url_path: str) -> str:
    path = site / url_path
    if url_path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path.read_text(encoding="utf-8")


def article(html: str) -> str:
    """The page's own content, without navigation and table of contents."""
    start = html.index('<article class="md-content__inner')
    return html[start : html.index("</article>", start)]


# --- the browser: Debian's chromium driven by Playwright, one for the whole session ------

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",  # the machine has no internet: no background requests
    "--disable-component-update",
    "--no-first-run",
]
SHOTS = ROOT / "test-output" / "screenshots"
"""Screenshots the browser tests take, to look at (git-ignored)."""


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("没有 /usr/bin/chromium，跳过浏览器测试（Debian: apt-get install -y chromium）")
    sync_api = pytest.importorskip("playwright.sync_api", reason="没有安装 playwright")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield b
        finally:
            b.close()
