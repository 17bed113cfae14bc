"""The authors' guide stays with the authors (issue 23): a site made by `showcase init`
publishes the column only; the guide is the file docs/guide.md and a page of `showcase
edit`, and reaches navigation, sitemap and search only with `publish_guide: true`."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, build, make_project
from editor_helpers import start_editor
from test_editor import _request

MARK = "怎样准备一个项目文件夹"
"""The guide's title: found wherever the guide is."""


def _init(folder: Path) -> Path:
    done = subprocess.run(
        [sys.executable, "-m", "showcase.commands.cli", "init", str(folder)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    make_project(folder / "projects", "柳塘湾小学")
    config = folder / "mkdocs.yml"  # with its address, as published: the sitemap lists pages
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "# site_url: https://www.example.edu.cn/dangjian/",
            "site_url: https://www.example.edu.cn/dangjian/",
        ),
        encoding="utf-8",
    )
    return folder


def _published_text(site: Path) -> str:
    """Every page, the sitemap and the search indexes, as one text (Material's own
    scripts aside: their source maps mention other projects' guides)."""
    parts = []
    theirs = site / "assets" / "javascripts"
    for path in (p for p in site.rglob("*") if p.is_file() and not p.is_relative_to(theirs)):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":  # Pagefind's index and fragments are gzipped
            data = gzip.decompress(data)
        parts.append(data.decode("utf-8", errors="replace"))
    return "\n".join(parts)


def test_an_init_site_publishes_the_column_only(tmp_path) -> None:
    folder = _init(tmp_path / "党建专栏")
    assert MARK in (folder / "docs" / "guide.md").read_text(encoding="utf-8")  # the file is there
    assert "publish_guide: false" in (folder / "mkdocs.yml").read_text(encoding="utf-8")
    site = build(folder / "mkdocs.yml", strict=True)
    assert not (site / "guide").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "guide/" not in home and "作者指南" not in home  # not in navigation, not 下一页
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/projects/" in sitemap and "/guide/" not in sitemap
    assert list(site.glob("pagefind/fragment/*"))  # the search index was made, without it
    published = _published_text(site)
    assert MARK not in published
    assert "guide/" not in published


def test_a_site_that_asks_publishes_the_guide(tmp_path) -> None:
    folder = _init(tmp_path / "党建专栏")
    config = folder / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("publish_guide: false", "publish_guide: true"),
        encoding="utf-8",
    )
    site = build(config, strict=True)
    assert MARK in (site / "guide" / "index.html").read_text(encoding="utf-8")
    assert "guide/" in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_the_repository_demo_publishes_its_guide_as_the_readme_says() -> None:
    # the demo is also the project's documentation site (README); init sites do not
    assert "publish_guide: true" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "publish_guide: true" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    folder = _init(tmp_path_factory.mktemp("guide") / "党建专栏")
    # the site's own guide is shown (a school may have added a line of its own)
    guide = folder / "docs" / "guide.md"
    guide.write_text(
        guide.read_text(encoding="utf-8") + "\n本校补充：照片交给宣传委员。\n", encoding="utf-8"
    )
    with start_editor(folder / "projects") as (url, port, _log):
        yield port, url.split("token=", 1)[1]


def test_the_editor_shows_the_guide_to_authors(editor) -> None:
    port, token = editor
    auth = {"X-Showcase-Token": token}
    response, body = _request(port, "/", headers=auth)
    assert response.status == 200 and 'href="/guide"' in body.decode()
    response, body = _request(port, "/p/柳塘湾小学/", headers=auth)
    assert response.status == 200 and 'href="/guide"' in body.decode()
    response, body = _request(port, "/guide", headers=auth)
    page = body.decode()
    assert response.status == 200 and MARK in page and "本校补充：照片交给宣传委员。" in page
    assert "<table>" in page and "<script" not in page.split("</head>", 1)[1]
    # like every page of the editor, only with the run's token
    response, _ = _request(port, "/guide")
    assert response.status == 403


def test_an_editor_outside_a_site_shows_the_shipped_guide(tmp_path) -> None:
    root = tmp_path / "projects"
    make_project(root, "柳塘湾小学")
    with start_editor(root) as (url, port, _log):
        token = url.split("token=", 1)[1]
        response, body = _request(port, "/guide", headers={"X-Showcase-Token": token})
    assert response.status == 200 and MARK in body.decode()
    shipped = ROOT / "plugins" / "showcase" / "site_template" / "docs" / "guide.md"
    assert shipped.read_text(encoding="utf-8") == (ROOT / "docs" / "guide.md").read_text(
        encoding="utf-8"
    )
