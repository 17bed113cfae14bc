"""The zips of `showcase package`, unpacked and opened from file:// as a web admin would.

The offline zip searches from file:// (search/showcase-index.js, a script: the browser
allows scripts there but blocks Pagefind's module and fetches) and finds what readers
type without quotes. The web-server zip, opened the same way, says plainly in Chinese
what to do instead of searching, and its links open pages, not folder listings.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import SHOTS
from test_search import ask, make_search_site


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> dict[str, Path]:
    from showcase.commands.package import run_package

    root = tmp_path_factory.mktemp("package")
    config = make_search_site(root / "src")
    out = {}
    for name, offline in (("offline", True), ("online", False)):
        archive = root / f"{name}.zip"
        assert run_package(config, archive, offline=offline) == 0
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(root / name)
        out[name] = root / name
    return out


def _open(browser, path: Path, width: int = 390):
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    return context, page, errors


def _search(page, query: str) -> list[str]:
    ask(page, query)
    return page.eval_on_selector_all(
        ".md-search-result__item > a:first-child", "els => els.map(e => e.href)"
    )


def test_the_offline_zip_searches_from_file(unpacked, browser):
    site = unpacked["offline"]
    context, page, errors = _open(browser, site / "index.html")
    for query, folder in (("双培双树", "mingde"), ("2345", "donghu"), ("1+5", "qinghe")):
        found = _search(page, query)
        assert found, query
        assert found[0].startswith("file://") and f"/projects/{folder}/" in found[0], found
        assert found[0].split("?")[0].endswith(".html")
        assert query in page.locator(".md-search-result__item mark").first.inner_text()
    page.screenshot(path=str(SHOTS / "search-offline-390.png"))
    # a result opens its page from the folder
    page.locator(".md-search-result__item > a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and "/projects/qinghe/" in page.url
    assert page.locator("article h1").count() == 1
    assert errors == []
    context.close()


def test_the_web_zip_opened_from_file_says_what_to_do(unpacked, browser):
    site = unpacked["online"]
    context, page, errors = _open(browser, site / "index.html")
    # project cards and the navigation open pages, not folder listings
    hrefs = page.eval_on_selector_all(
        "a.sc-card, a[href*='projects/']", "els => els.map(e => e.href)"
    )
    assert hrefs and all(h.split("#")[0].endswith(".html") for h in hrefs), hrefs
    page.locator("article a[href*='projects/qinghe']").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/projects/qinghe/index.html")
    assert "党组织“1+5”建设工程" in page.locator("article h1").inner_text()
    # search cannot run here: the box says so plainly, and promises nothing
    _search(page, "1+5")
    status = page.locator("#sc-search-status").inner_text()
    assert "从本地文件打开时不能搜索" in status and "离线版" in status, status
    assert "稍后" not in status
    assert page.locator("[data-sc-search-more]").is_hidden()
    page.screenshot(path=str(SHOTS / "search-webzip-file-390.png"))
    context.close()
