"""Publishing: nothing from outside, sub-path, package/offline zip, embed, sharing tags, links, engines."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, build, make_image, make_project, make_site, read, write
from mkdocs.exceptions import Abort
from showcase.commands.linkcheck import check_links, scan_site
from showcase.commands.package import run_package
from showcase.core.textutil import slugify
from showcase.site import selfcontained

SITE_URL = "https://example.edu.cn/dangjian/"
# URL names by the product's rule (test_site.py tests the rule; jieba picks the word breaks)
QINGHE = slugify("青禾路小学")
CASE = slugify("名师工作室")
ALBUM = slugify("2015-09-10 教师节表彰")
CASE_TEXT = """
---
title: 名师工作室引领青年教师成长
date: 2023-05-04
authors: [张老师]
summary: 以名师工作室为载体，结对帮扶青年教师。
---
## 背景

学校青年教师占比高，亟需骨干引领。支部牵头成立名师工作室，开展师徒结对和课堂诊断。

## 主要做法

1. 举行揭牌仪式
2. 签订师徒结对协议
"""

# Resources a browser fetches by itself: scripts, styles, images, frames, fonts.
RESOURCE = re.compile(
    r"<(?:script|img|source|iframe|video|audio|embed)\b[^>]*\b(?:src|srcset|poster)=\"(?:https?:)?//"
    r"|<link\b(?=[^>]*\brel=\"(?:stylesheet|preconnect|preload|icon|modulepreload)\")[^>]*\bhref=\"(?:https?:)?//"
    r"|url\(\s*['\"]?(?:https?:)?//",
    re.IGNORECASE,
)


def make_rich_site(root: Path, **plugin_options) -> Path:
    """Two projects: one with an album of photos and a Chinese case with an appendix."""
    projects = root / "projects"
    projects.mkdir(parents=True, exist_ok=True)
    p = make_project(projects, "青禾路小学")
    write(p / "cases" / "名师工作室.md", CASE_TEXT)
    make_image(p / "cases" / "名师工作室" / "01-揭牌仪式.jpg", (900, 600))
    write(p / "cases" / "名师工作室" / "成员名单.txt", "张老师 李老师\n")
    album = p / "photos" / "2015-09-10 教师节表彰"
    for i, name in enumerate(["01-教师节表彰大会.jpg", "02-优秀教师合影.jpg", "03-颁奖现场.jpg"]):
        make_image(album / name, (1200, 800), color=(60 * i, 90, 160))
    make_project(
        projects,
        "donghu-middle",
        {
            "branch": "东湖中学党支部",
            "school": "东湖中学",
            "name": "“2345”党建品牌",
            "summary": "双岗三比四创五帮，党员教师人人争做四有好老师。",
        },
    )
    return make_site(root, plugin_options, extra={"site_url": SITE_URL})


@pytest.fixture(scope="module")
def rich(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("rich")
    write(
        root / "wechat.html",
        '<script src="https://res.wx.qq.com/open/js/jweixin-1.6.0.js"></script>\n'
        "<!-- 学校微信分享 -->\n",
    )
    return build(make_rich_site(root, wechat_snippet="wechat.html"), strict=True)


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.is_file())


def test_minimal_site_loads_nothing_from_outside(site_root):
    """theme material + search + showcase + glightbox, nothing else: no font, script or image from outside."""
    make_project(site_root / "projects", "qinghe")
    make_image(site_root / "projects" / "qinghe" / "photos" / "活动" / "合影.jpg")
    site = build(make_site(site_root), strict=True)
    pages = html_pages(site)
    assert len(pages) >= 5
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not RESOURCE.search(text), (page, RESOURCE.search(text).group(0))
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text
        assert selfcontained.external_resources(text) == [], page
    home = read(site, "")
    assert '<html lang="zh"' in home
    assert "assets/javascripts/glightbox.min.js" in read(
        site, f"projects/qinghe/photos/{slugify('活动')}/"
    )
    for css in site.rglob("*.css"):
        assert not RESOURCE.search(css.read_text(encoding="utf-8")), css


def test_external_resource_is_an_error_naming_the_page(site_root, caplog):
    p = make_project(site_root / "projects", "青禾路小学")
    write(
        p / "cases" / "外链.md",
        "---\ntitle: 外链案例\n---\n正文 ![合影](https://cdn.example.com/photo.jpg)\n",
    )
    write(
        site_root / "docs" / "about.md",
        '# 关于\n\n<script src="//cdn.example.com/x.js"></script>\n\n'
        "[政府网站](https://www.gov.cn/)\n",
    )
    config = make_site(site_root)
    with caplog.at_level(logging.INFO, logger="mkdocs"), pytest.raises(Abort):
        build(config, strict=True)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    case = [m for m in errors if f"cases/{slugify('外链')}/" in m]
    assert case and "外链.md" in case[0] and "https://cdn.example.com/photo.jpg" in case[0]
    about = [m for m in errors if "页面 about/" in m]
    assert about and "docs/about.md" in about[0] and "//cdn.example.com/x.js" in about[0]
    assert not any("gov.cn" in m for m in errors)  # a plain link loads nothing

    # opting out: no check, and Material's web font is left as the theme has it
    make_site(site_root, {"self_contained": False})
    caplog.clear()
    site = build(config, strict=True)
    assert "fonts.googleapis.com" in read(site, "")


def test_subpath_site_every_internal_link_and_anchor_resolves(rich):
    report = scan_site(rich, SITE_URL)
    assert report.findings == [], [f.format() for f in report.findings]
    assert report.pages >= 8 and report.links > 100
    assert "https://squidfunk.github.io/mkdocs-material/" in report.external  # listed, not fetched
    # the 404 page is served at any depth, so its links are absolute under the sub-path
    page404 = read(rich, "404.html")
    assert 'href="/dangjian/assets/stylesheets/' in page404
    assert 'href="/dangjian/registry/"' in page404
    # the registry's downloads, relative from /dangjian/registry/
    registry = read(rich, "registry/")
    assert 'href="../registry.json"' in registry and (rich / "registry.json").is_file()
    # no generated link may leave the sub-path
    for page in html_pages(rich):
        if page.name == "404.html":
            continue
        assert not re.search(r'(?:href|src)="/(?!/)', page.read_text(encoding="utf-8")), page


def test_link_check_names_the_page_and_lists_external_links(site_root, monkeypatch):
    make_project(site_root / "projects", "qinghe")
    write(
        site_root / "docs" / "about.md",
        "# 关于\n\n[坏链接](missing/)　[坏锚点](../registry/#nope)　[好锚点](../registry/#embed-code)\n\n"
        "[站外](https://www.gov.cn/)　[邮件](mailto:a@example.com)\n",
    )
    site = build(make_site(site_root))
    findings = check_links(site)
    messages = {f.message.split("：")[0] for f in findings}
    assert messages == {"链接的页面或文件不存在", "锚点 #nope 在 registry/index.html 中不存在"}
    for f in findings:
        assert f.file == str(site / "about" / "index.html") and f.line and f.is_error
    assert list(scan_site(site).external.get("https://www.gov.cn/", [])) == ["about/index.html"]

    monkeypatch.chdir(site_root)
    from showcase.commands.cli import main

    result = CliRunner().invoke(main, ["check", "--links"])
    assert result.exit_code == 1, result.output
    assert "site/about/index.html:" in result.output and "锚点 #nope" in result.output
    assert "https://www.gov.cn/" in result.output and "站外链接" in result.output
    shutil.rmtree(site)
    result = CliRunner().invoke(main, ["check", "--links"])
    assert result.exit_code == 1 and "还没有生成网站" in result.output


def test_sharing_tags_on_every_project_page(rich):
    for url in (
        f"projects/{QINGHE}/",
        f"projects/{QINGHE}/cases/{CASE}/",
        f"projects/{QINGHE}/photos/{ALBUM}/",
        "projects/donghu-middle/",
    ):
        text = read(rich, url)
        assert '<meta property="og:title"' in text, url
        assert '<meta property="og:description" content="' in text, url
        assert f'<meta property="og:url" content="{SITE_URL}{url}">' in text
        image = re.search(r'<meta property="og:image" content="([^"]+)">', text)
        assert image and image.group(1).startswith(SITE_URL + "assets/showcase/img/"), url
        assert image.group(1).endswith(".png")  # share cards do not show WebP/SVG everywhere
        assert (rich / image.group(1)[len(SITE_URL) :]).is_file()
    home = read(rich, f"projects/{QINGHE}/")
    assert '<meta property="og:title" content="党组织“1+5”建设工程">' in home
    assert "以一个支部带动五支队伍" in re.search(r'og:description" content="([^"]+)"', home).group(
        1
    )


def test_wechat_snippet_in_every_head(rich, site_root, caplog):
    pages = html_pages(rich)
    for page in pages:
        if page.parts[-2:] == ("embed", "index.html"):
            continue  # the iframe list is not shared on its own
        text = page.read_text(encoding="utf-8")
        head = text[: text.index("</head>")]
        assert "jweixin-1.6.0.js" in head and "学校微信分享" in head, page
    # a missing file is a clear error naming the option
    make_project(site_root / "projects", "qinghe")
    config = make_site(site_root, {"wechat_snippet": "没有这个文件.html"})
    with caplog.at_level(logging.INFO, logger="mkdocs"), pytest.raises(Abort):
        build(config, strict=True)
    assert any(
        "wechat_snippet" in r.getMessage() and "没有这个文件.html" in r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.ERROR
    )


def test_embed_page_is_standalone_and_registry_shows_the_snippet(rich):
    embed = read(rich, "embed/")
    assert embed.startswith("<!doctype html>") and '<html lang="zh">' in embed
    assert "<script" not in embed and "<link" not in embed and "md-header" not in embed
    assert "<style>" in embed
    assert selfcontained.external_resources(embed) == []
    links = re.findall(r'<a href="([^"]+)" target="_blank" rel="noopener">', embed)
    assert f"../projects/{QINGHE}/" in links and "../projects/donghu-middle/" in links
    assert "东湖中学党支部" in embed and "“2345”党建品牌" in embed
    for src in re.findall(r'<img src="([^"]+)"', embed):
        assert (rich / "embed" / src).resolve().is_file(), src
    assert re.search(r'<img [^>]*alt="[^"]+标识"', embed)
    registry = read(rich, "registry/")
    assert f'&lt;iframe src="{SITE_URL}embed/"' in registry
    assert 'href="../embed/"' in registry


def test_package_zip_for_upload_and_iis(tmp_path):
    config = make_rich_site(tmp_path / "s")
    out = tmp_path / "发布" / "site.zip"
    assert run_package(config, out, offline=False) == 0
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".tmp-")]
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert "index.html" in names and "embed/index.html" in names and "404.html" in names
        assert f"projects/{QINGHE}/index.html" in names  # directory URLs for a server
        chinese = [i for i in zf.infolist() if not i.filename.isascii()]
        assert chinese and all(i.flag_bits & 0x800 for i in chinese)  # UTF-8 names
        assert any(i.filename.endswith("成员名单.txt") for i in chinese)
        webconfig = ET.fromstring(zf.read("web.config"))
    maps = {m.get("fileExtension"): m.get("mimeType") for m in webconfig.iter("mimeMap")}
    assert maps[".json"] == "application/json" and maps[".webp"] == "image/webp"
    assert maps[".woff2"] == "font/woff2" and maps[".svg"] == "image/svg+xml" and ".xlsx" in maps
    removed = {r.get("fileExtension") for r in webconfig.iter("remove")}
    assert set(maps) <= removed  # no "duplicate collection entry" on servers that know a type


def test_offline_package_works_from_a_folder(tmp_path):
    config = make_rich_site(tmp_path / "s")
    out = tmp_path / "离线版.zip"
    assert run_package(config, out, offline=True) == 0
    dest = tmp_path / "u盘"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(dest)
    assert (dest / "使用说明.txt").is_file() and (dest / "web.config").is_file()
    assert (dest / "projects" / QINGHE / "index.html").is_file()
    # our search's index as a script: file:// allows scripts, not fetches (test_search_offline)
    assert (dest / "search" / "showcase-index.js").stat().st_size > 1000
    home = (dest / "index.html").read_text(encoding="utf-8")
    assert f'href="projects/{QINGHE}/index.html"' in home
    assert 'src="assets/showcase/iframe-worker.js"' in home  # file:// search, without unpkg.com
    assert (dest / "assets" / "showcase" / "iframe-worker.js").is_file()
    for page in html_pages(dest):
        text = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in text and not RESOURCE.search(text), page
    assert scan_site(dest, SITE_URL).findings == []
    # the source folder's own site/ is left alone
    assert not (tmp_path / "s" / "site").exists()


def test_package_lists_errors_and_strict_refuses(site_root, capsys):
    p = make_project(site_root / "projects", "qinghe")
    write(p / "cases" / "外链.md", "---\ntitle: 外链\n---\n![x](https://cdn.example.com/x.png)\n")
    out = site_root / "site.zip"
    assert run_package(make_site(site_root), out, offline=False, strict=True) == 1
    assert not out.exists()
    assert "没有打包" in capsys.readouterr().err
    # without --strict, like `mkdocs build`: packaged, and the error listed
    assert run_package(make_site(site_root), out, offline=False) == 0
    assert out.exists()
    err = capsys.readouterr().err
    assert "没有发布" in err and "cdn.example.com" in err
    assert run_package(site_root / "nope.yml", out, offline=False) == 2


PROPERDOCS = Path(sys.executable).parent / "properdocs"


def _listing(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


@pytest.mark.skipif(not PROPERDOCS.exists(), reason="properdocs 未安装（pip install properdocs）")
def test_properdocs_builds_the_same_site(tmp_path):
    """ProperDocs (the maintained MkDocs 1.x) loads showcase, Material and glightbox, and --strict
    counts our findings: one run (jieba makes each process start slowly) with one page at fault."""
    config = make_rich_site(tmp_path)
    write(
        tmp_path / "projects" / "donghu-middle" / "cases" / "外链.md",
        "---\ntitle: 外链\n---\n![x](https://cdn.example.com/x.png)\n",
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [str(PROPERDOCS), "build", "--strict", "-f", str(config), "-d", "site-pd"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr  # strict: the site is written, then the build fails
    assert "会从站外加载资源" in run.stderr and "外链.md" in run.stderr
    pd = tmp_path / "site-pd"
    mk = build(config)
    assert _listing(pd) == _listing(mk)
    album = read(pd, f"projects/{QINGHE}/photos/{ALBUM}/")
    assert "glightbox.min.js" in album and 'class="glightbox"' in album and "ProperDocs" in album
    assert '<meta property="og:image"' in read(pd, f"projects/{QINGHE}/")
    assert "ProperDocs" not in read(mk, "") and read(pd, "embed/") == read(mk, "embed/")


def test_print_stylesheet_and_demo_config():
    css = (ROOT / "plugins" / "showcase" / "assets" / "showcase.css").read_text(encoding="utf-8")
    section = css[css.index("/* --- publishing") :]
    assert "size: A4" in section and "@media print" in section
    for needed in (
        ".md-header",
        ".md-sidebar",
        ".md-search",
        ".md-footer",
        "break-inside: avoid",
        "attr(href)",
    ):
        assert needed in section
    demo = yaml.safe_load(
        (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "#")
    )
    # instant navigation swaps pages without loading them: page scripts that run on load
    # (facet filters) would not start; see test_browser.py for the lightbox under it
    assert "navigation.instant" not in (demo["theme"].get("features") or [])
    assert demo["theme"].get("language") == "zh"
