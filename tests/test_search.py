"""Search: the Pagefind index (tokeniser, search documents, build step) and the header box.

Browser tests type what readers type into Material's header search box, on the demo and
on a site built here from folders, at 1280 and 390 px, and assert the top hit, its
excerpt, and that the home page's facet buttons never show up as an excerpt.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import logging
import re
import threading
import zipfile
from pathlib import Path

import pytest
from conftest import CHROMIUM, SHOTS, build, make_project, make_site, write
from mkdocs.exceptions import Abort
from showcase.site import searchindex, searchtext
from showcase.site.searchtext import PageInfo, article_html, search_document, tokenize

# --- the tokeniser and the search documents --------------------------------------------


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("党组织“1+5”建设工程", "党 组 织 “1‿5” 建 设 工 程"),
        ("“2345”党建品牌。", "“2345” 党 建 品 牌 。"),
        ("１＋５ 与 1 + 5", "1‿5 与 1‿5"),
        ("2025年，LOGO设计1.5倍", "2025 年 ， LOGO 设 计 1.5 倍"),
        ("书名《红岩》读后感", "书 名 《红 岩》 读 后 感"),
        ("（一）深化", "（一） 深 化"),
    ],
)
def test_tokenize_each_chinese_character_is_a_word(text, tokens):
    assert tokenize(text) == tokens


PAGE = """<html><body><nav>导航</nav>
<article class="md-content__inner md-typeset">
<h1 id="x">“双培双树”工程<a class="headerlink" href="#x">¶</a></h1>
<div class="sc-facets" data-pagefind-ignore><button>全部 5</button></div>
<p><span>2024年6月28日</span><span>作者：张老师</span></p>
<figure><svg><text>目标 20人</text></svg><img src="a.png" alt="标识"><figcaption>骨干教师</figcaption></figure>
</article><footer>页脚</footer></body></html>"""


def test_search_document_holds_the_content_only():
    assert article_html("<html><body>没有正文</body></html>") is None
    info = PageInfo(title="“双培双树”工程", kind="project", context="明德教育集团党总支")
    info.filters = {"district": "青溪区", "year": "2025"}
    info.tags = ["双培双树"]
    doc = search_document(PAGE, info)
    assert '<html lang="und">' in doc and "<main data-pagefind-body>" in doc
    assert 'data-pagefind-meta="title:“双 培 双 树” 工 程"' in doc
    assert 'data-pagefind-filter="district:青溪区"' in doc
    assert 'data-pagefind-meta="tags:双 培 双 树"' in doc
    assert 'data-pagefind-meta="context:‿明德教育集团党总支"' in doc  # shown, never matched
    for gone in ("导航", "页脚", "headerlink", "<svg", "<img", "目标 20"):
        assert gone not in doc
    assert "data-pagefind-ignore" in doc  # the facets stay marked, Pagefind skips them
    # text nodes side by side stay apart: 日 and 作 are two words, not “日作”
    assert "日 ¶" not in doc and re.search(r"日 </span><span> 作", doc)
    assert "骨 干 教 师 ¶ </figcaption>" in doc


# --- the build step ----------------------------------------------------------------------


def fragments(site: Path) -> dict[str, dict]:
    """Pagefind's per-page records (gzip, a signature, then JSON), by URL."""
    out = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data[data.index(b"{") :])
        out[record["url"]] = record
    return out


def despace(text: str) -> str:
    return re.sub(r"\s+|¶", "", text).replace(searchtext.JOINER, "+")


PROJECTS = {
    "qinghe": {
        "branch": "青禾路小学党支部",
        "name": "党组织“1+5”建设工程",
        "summary": "以一个支部带动五支队伍，培养骨干教师，打造师德高尚的教师团队。",
        "district": "青溪区",
        "category": "队伍建设",
        "year": 2025,
        "tags": ["名师工作室"],
    },
    "donghu": {
        "branch": "东湖中学党支部",
        "name": "“2345”党建品牌",
        "summary": "双岗三比四创五帮，党员教师人人争做四有好老师。",
        "district": "东湖区",
        "category": "师德师风",
        "year": 2024,
    },
    "mingde": {
        "branch": "明德教育集团党总支",
        "name": "“双培双树”工程",
        "summary": "把骨干教师培养成党员，把党员教师培养成骨干，简称双培。",
        "district": "青溪区",
        "category": "队伍建设",
        "year": 2025,
    },
}
PLAN = """
---
title: 东湖中学党支部2025年工作计划
year: 2025
schedule:
  1: [参加学校领导班子民主生活会]
  8: [党员教师赴可可托海开展研学实践]
---

## 重点工作

开好民主生活会，暑期赴可可托海研学。
"""
DISTRACTOR = """
---
title: 支部日常
date: 2025-01-05
---

1年5个月以来，生活会议开了 12 次，民主评议一次；可可爱爱的孩子们在海边托管班。
双方培训骨干力量，党建品牌建设。
"""


DASHED = """
---
title: 红色研学——走进纪念馆
date: 2025-05-04
---

## 研学安排

| 时间 | 地点 |
| --- | --- |
| 上午 | 纪念馆 |
"""


def make_search_site(root: Path, **options) -> Path:
    projects = root / "projects"
    for folder, fields in PROJECTS.items():
        make_project(projects, folder, fields)
    write(projects / "donghu" / "plans" / "2025年工作计划.md", PLAN)
    write(projects / "qinghe" / "cases" / "支部日常.md", DISTRACTOR)
    write(projects / "mingde" / "cases" / "研学.md", DASHED)
    theme = {
        "name": "material",
        "language": "zh",
        "features": ["search.highlight", "content.tooltips"],
    }
    return make_site(root, options, extra={"theme": theme})


@pytest.fixture(scope="module")
def search_site(tmp_path_factory) -> Path:
    return build(make_search_site(tmp_path_factory.mktemp("search")), strict=True)


def test_the_site_ships_a_pagefind_index_and_no_material_index(search_site):
    site = search_site
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    assert not (site / "search" / "search_index.json").exists()
    assert not (site / "pagefind" / "pagefind-ui.js").exists()  # Material's box, not Pagefind's UI
    assert (site / "assets" / "showcase" / "search.js").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "data-sc-search" in home and 'class="md-search__input"' in home
    assert 'data-md-component="search"' not in home  # Material's bundle does not mount its search
    assert 'name="search"' not in home  # …and does not fetch search_index.json
    assert 'label class="md-header__button md-icon" for="__search"' in home


def test_the_index_holds_page_content_only(search_site):
    records = fragments(search_site)
    assert "/review/" not in records  # the office's page stays out unless review_page: true
    home = records["/"]
    assert "全部" not in home["content"] and "所属区县" not in home["content"]  # facets
    registry = despace(records["/registry/"]["content"])
    assert "/projects/" not in registry  # the registry's address column
    project = records["/projects/qinghe/"]
    assert despace(project["meta"]["title"]) == "党组织“1+5”建设工程"
    assert project["filters"] == {
        "district": ["青溪区"],
        "category": ["队伍建设"],
        "year": ["2025"],
    }
    assert "队伍建设" not in despace(project["content"])[:80]  # the hero chips are filters instead
    case = records["/projects/qinghe/cases/zhibu-richang/"]
    assert case["meta"]["context"] == "‿青禾路小学党支部 · 案例"
    assert case["filters"]["district"] == ["青溪区"]
    assert "image" not in case["meta"]  # no picture bytes in results: Material shows none
    assert "/guide/" not in records and all(r["url"].startswith("/") for r in records.values())


def _plugin_build(config_file: Path):
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    cfg = load_config(str(config_file))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return cfg.plugins["showcase"].search.index.last, Path(cfg.site_dir)


def test_an_unchanged_site_is_not_indexed_again(tmp_path):
    config = make_search_site(tmp_path)
    first, site = _plugin_build(config)
    assert not first.cached and first.pages > 5 and (site / "pagefind" / "pagefind.js").is_file()
    again, site = _plugin_build(config)
    assert again.cached and again.bytes == first.bytes
    assert (site / "pagefind" / "pagefind.js").is_file()
    write(tmp_path / "projects" / "mingde" / "goals.md", "三年培养示范教师三十名。\n")
    changed, _ = _plugin_build(config)
    assert not changed.cached
    assert len(list((tmp_path / ".cache" / "search").iterdir())) == 1  # one bundle kept


def test_an_indexer_failure_is_a_finding_not_a_crash(tmp_path, monkeypatch, caplog):
    config = make_search_site(tmp_path)
    monkeypatch.setattr(searchindex, "run_pagefind", lambda *a, **k: "退出码 1：测试")
    with caplog.at_level(logging.ERROR, logger="mkdocs"):
        site = build(config)
    assert (site / "index.html").is_file() and not (site / "pagefind").exists()
    assert any("生成搜索索引失败：退出码 1：测试" in r.getMessage() for r in caplog.records)
    with pytest.raises(Abort):
        build(config, strict=True)


def test_without_pagefind_the_site_falls_back_to_materials_search(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(searchindex, "pagefind_binary", lambda: None)
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        site = build(make_search_site(tmp_path))
    assert (site / "search" / "search_index.json").is_file()
    assert not (site / "pagefind").exists()
    assert any("找不到 Pagefind 程序" in r.getMessage() for r in caplog.records)


def test_search_engine_material_keeps_materials_search(tmp_path):
    site = build(make_search_site(tmp_path, search_engine="material"), strict=True)
    assert (site / "search" / "search_index.json").is_file()
    assert not (site / "pagefind").exists()
    assert 'data-md-component="search"' in (site / "index.html").read_text(encoding="utf-8")


def test_package_includes_the_index_and_offline_ships_a_script_index(tmp_path):
    from showcase.commands.package import run_package

    config = make_search_site(tmp_path / "src")
    online, offline = tmp_path / "site.zip", tmp_path / "offline.zip"
    assert run_package(config, online, offline=False) == 0
    with zipfile.ZipFile(online) as zf:
        names = set(zf.namelist())
        assert "pagefind/pagefind.js" in names and "search/search_index.json" not in names
        assert any(n.startswith("pagefind/fragment/") for n in names)
        assert 'fileExtension=".pf_fragment"' in zf.read("web.config").decode()
    assert run_package(config, offline, offline=True) == 0
    with zipfile.ZipFile(offline) as zf:
        names = set(zf.namelist())
        assert "search/showcase-index.js" in names  # file:// runs scripts, fetches nothing
        assert "search/search_index.js" not in names
        assert not any(n.startswith("pagefind/") for n in names)
        home = zf.read("index.html").decode()
        assert "data-sc-search" in home and 'data-md-component="search"' not in home
        index = zf.read("search/showcase-index.js").decode()
        assert index.startswith("window.showcaseIndex=[") and "1‿5" in index


# --- in the browser -------------------------------------------------------------------------

browser_only = pytest.mark.skipif(not CHROMIUM.exists(), reason="没有 /usr/bin/chromium")
QUERIES = [
    "2345",
    "“1+5”",
    "1+5",
    "双培双树",
    "双培",
    "可可托海",
    "民主生活会",
    "骨干教师",
    "2345党建品牌",
]
DEMO_TOP = {
    "2345": "projects/donghu-middle/",
    "“1+5”": "projects/qinghe-lu-xiaoxue/",
    "1+5": "projects/qinghe-lu-xiaoxue/",
    "双培双树": "projects/mingde-jiaoyu-jituan/",
    "双培": "projects/mingde-jiaoyu-jituan/",
    "可可托海": "projects/yunling-zhiye-jishuxuexiao/plans/2025-nian-dangzhibu-gongzuo-jihua/",
    "民主生活会": "projects/yunling-zhiye-jishuxuexiao/plans/2025-nian-dangzhibu-gongzuo-jihua/",
    "2345党建品牌": "projects/donghu-middle/",
}
SITE_TOP = {
    "2345": "projects/donghu/",
    "“1+5”": "projects/qinghe/",
    "1+5": "projects/qinghe/",
    "双培双树": "projects/mingde/",
    "双培": "projects/mingde/",
    "可可托海": "projects/donghu/plans/2025-nian-gongzuo-jihua/",
    "民主生活会": "projects/donghu/plans/2025-nian-gongzuo-jihua/",
    "2345党建品牌": "projects/donghu/",
}
FACET_TEXT = re.compile(r"全部\s*\d|所属区县\s*全部|申报年度\s*全部")


def _serve(site: Path):
    from test_browser import _Handler

    handler = functools.partial(_Handler, site=site, cms=site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def guard():
    from test_browser import Guard

    g = Guard()
    yield g
    assert g.problems == [], "\n".join(g.problems)


def _open_page(browser, guard, url: str, width: int):
    from test_browser import _context

    context = _context(browser, width, guard, height=844 if width < 500 else 900)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page, requests


def ask(page, query: str, timeout: float = 15_000) -> None:
    """Open the header search as a reader would, type, and wait until it has answered."""
    box = page.locator("input.md-search__input")
    if not page.evaluate("matchMedia('(min-width: 60em)').matches || __search.checked"):
        # a phone: the magnifier in the header opens the search
        page.locator("label.md-header__button[for=__search]").click()
        box.wait_for(state="visible")
    box.click()
    box.fill(query)
    page.wait_for_function(
        "q => document.querySelector('[data-sc-search]').getAttribute('data-sc-done') === q",
        arg=query,
        timeout=timeout,
    )


def type_query(page, query: str, width: int) -> list[dict]:
    """Open the header search as a reader would, type, wait for the answer; the results."""
    ask(page, query)
    return page.evaluate(
        """() => [...document.querySelectorAll('.md-search-result__item')].map(li => ({
             href: li.querySelector('a').getAttribute('href'),
             title: li.querySelector('h1').innerText,
             excerpt: li.querySelector('article p:last-child').innerText,
             marked: [...li.querySelectorAll('article p:last-child mark')].map(m => m.innerText),
             facets: li.innerText,
           }))"""
    )


def _plain(text: str) -> str:
    return re.sub(r"[\s“”‘’\"']", "", text).replace("＋", "+")


def _check(page, results: list[dict], query: str, base: str, top: str | None) -> None:
    assert results, f"搜索“{query}”没有结果"
    first = results[0]
    path = first["href"].split("?")[0]
    if top is not None:
        assert path == base + top, (query, [r["href"] for r in results])
    want = _plain(query)
    assert any(want in _plain(m) for m in first["marked"]), (query, first)  # the match is marked
    assert want in _plain(first["excerpt"]), (query, first["excerpt"])
    text = page.request.get(page.url.split("/dangjian/")[0] + path).text()
    article = re.sub(r"<[^>]+>", "", text[text.index("<article") : text.index("</article>")])
    assert want in _plain(article), f"第一个结果 {path} 不含“{query}”"
    for r in results:
        assert not FACET_TEXT.search(r["excerpt"]), r  # facet buttons are never an excerpt


@pytest.fixture(scope="module")
def served_demo(demo_site):
    server = _serve(demo_site)
    try:
        yield f"http://127.0.0.1:{server.server_port}/dangjian/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def served_site(search_site):
    server = _serve(search_site)
    try:
        yield f"http://127.0.0.1:{server.server_port}/dangjian/"
    finally:
        server.shutdown()
        server.server_close()


@browser_only
@pytest.mark.parametrize("width", [1280, 390])
def test_demo_queries_find_the_page_that_holds_them(served_demo, browser, guard, width):

    context, page, requests = _open_page(browser, guard, served_demo, width)
    assert not any("/pagefind/" in r for r in requests)  # nothing until the reader searches
    for query in QUERIES:
        results = type_query(page, query, width)
        _check(page, results, query, "/dangjian/", DEMO_TOP.get(query))
        if query == "双培":
            page.wait_for_timeout(500)  # Material's search slides in
            page.screenshot(path=str(SHOTS / f"search-pagefind-{width}.png"))
        page.keyboard.press("Escape")
    assert not any("search_index" in r for r in requests)
    assert any(r.endswith("/pagefind/pagefind.js") for r in requests)
    # a district is a facet on the home page: it is found on project pages, never as facet text
    results = type_query(page, "青溪区", width)
    assert results and not any(r["href"].split("?")[0] == "/dangjian/" for r in results)
    context.close()


@browser_only
@pytest.mark.parametrize("width", [1280, 390])
def test_queries_on_a_site_built_from_folders(served_site, browser, guard, width):
    context, page, _ = _open_page(browser, guard, served_site, width)
    for query in QUERIES:
        _check(page, type_query(page, query, width), query, "/dangjian/", SITE_TOP.get(query))
        page.keyboard.press("Escape")
    # words of the distractor page, but not the phrase: nothing false
    assert type_query(page, "生活会", width)[0]["href"].startswith(
        "/dangjian/projects/donghu/plans/"
    )
    assert type_query(page, "托海", width)[0]["href"].startswith("/dangjian/projects/donghu/plans/")
    assert type_query(page, "可可托海研学营地", width) == []  # two characters off
    assert page.locator("#sc-search-status").inner_text() == "没有找到符合条件的结果"
    context.close()


@browser_only
def test_keyboard_filters_and_highlight(served_site, browser, guard):
    context, page, _ = _open_page(browser, guard, served_site + "projects/donghu/", 1280)
    page.keyboard.press("/")  # Material's shortcut opens the search
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.type("教师")
    done = (
        "() => document.querySelector('[data-sc-search]').getAttribute('data-sc-done') === '教师'"
    )
    page.wait_for_function(done)
    everywhere = page.locator(".md-search-result__item").count()
    # narrow to one district: the filter list comes from the index
    page.locator("details.sc-search-filters > summary").click()
    page.locator("select[data-filter=district] option[value=东湖区]").wait_for(state="attached")
    page.locator("select[data-filter=district]").select_option("东湖区")
    page.wait_for_function(done)
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > a:first-child", "els => els.map(e => e.getAttribute('href'))"
    )
    assert hrefs and all(h.startswith("/dangjian/projects/donghu/") for h in hrefs), hrefs
    assert len(hrefs) < everywhere
    assert "东湖区" in page.locator("[data-sc-search-chosen]").inner_text()
    page.locator("select[data-filter=district]").select_option("")
    page.wait_for_function(done)
    assert page.locator(".md-search-result__item").count() == everywhere
    # ↓ moves into the results, Enter opens one; the words are marked on the page
    page.locator("input.md-search__input").focus()
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused and focused.startswith("/dangjian/projects/")
    page.keyboard.press("Enter")
    page.wait_for_url("**/projects/**?h=*")
    page.wait_for_load_state("networkidle")
    assert "教师" in page.locator("mark[data-md-highlight]").first.inner_text()
    # Escape closes the search again
    page.keyboard.press("s")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    context.close()


@browser_only
def test_browser_tokeniser_matches_the_index(served_site, browser, guard):
    """search.js splits a query into the words searchtext.py indexed: same rules, two languages."""
    context, page, _ = _open_page(browser, guard, served_site, 1280)
    for text in (
        "党组织“1+5”建设工程",
        "“2345”党建品牌",
        "１＋５",
        "2025年LOGO设计1.5倍",
        "双培双树",
    ):
        words = page.evaluate("t => window.showcaseSearch.phrases(t).flat()", text)
        indexed = [w.strip("“”（）《》") for w in tokenize(text).split() if w not in "，。"]
        assert [w.lower() for w in indexed if w] == words, text
    context.close()
