"""Search details (issue 23): names, pinyin and traditional characters at build time, and
what the box shows and does in the browser (?q=1+5, 显示更多结果, ——, sub-results, tooltip)."""

from __future__ import annotations

import re

import pytest
import test_search
from conftest import SHOTS
from showcase.site import searchindex
from showcase.site.searchtext import PageInfo, local_record, pinyin_words, search_document
from test_search import _open_page, fragments, type_query

# the search site of test_search.py, built once for this module too
search_site, served_site, guard = (
    test_search.search_site,
    test_search.served_site,
    test_search.guard,
)

# --- build time -------------------------------------------------------------------------------


def test_pinyin_of_names_in_full_and_as_initials():
    words = pinyin_words("凤鸣山中学")
    assert words[0] == "fengmingshanzhongxue" and "mingshanzhongxue" in words
    assert "fmszx" in words and "szx" in words
    assert "xue" not in words and "x" not in words  # one character alone would find every school
    assert pinyin_words("2345") == [] and pinyin_words("党") == []


def test_traditional_table_keeps_the_sites_characters():
    pairs = searchindex.t2s_pairs(["凤鸣山中学党支部"])
    table = dict(zip(pairs[::2], pairs[1::2], strict=True))
    assert table["鳳"] == "凤" and table["鳴"] == "鸣" and table["學"] == "学"
    assert set(table.values()) <= set("凤鸣山中学党支部")  # nothing the site never says


def test_traditional_table_comes_in_small_files_by_character():
    pairs = searchindex.t2s_pairs(["凤鸣山中学党支部"])
    shards = searchindex.t2s_shards(pairs, ["凤鸣山中学党支部", "學校"])  # the site writes 學
    assert len(shards) == searchindex.T2S_SHARD_COUNT
    assert "鳳凤" in shards[f"{ord('鳳') % searchindex.T2S_SHARD_COUNT:02d}.txt"]
    assert "學" not in "".join(shards.values())  # found as written: no reading needed


def test_common_characters_are_those_of_many_pages():
    docs = ["党支部"] * 5 + ["柳塘湾"]
    assert set(searchindex.common_chars(docs, pages=4)) == set("党支部")


ARTICLE = '<article class="md-content__inner md-typeset">{}</article>'


def test_card_parts_are_kept_apart_in_the_index():
    card = (
        '<h2>工作计划</h2><div class="sc-list"><a class="sc-item" href="p/">'
        '<span class="sc-item__title">某某党支部2025年工作计划</span>'
        '<span class="sc-item__meta">2025 年 · 月工作安排 2 个月</span></a></div>'
    )
    doc = search_document(ARTICLE.format(card), PageInfo(title="t"))
    assert re.search(r"计 划 </span> ¶ <span", doc)  # a gap: 计划 and 2025 are no phrase


def test_a_project_home_carries_its_names_and_their_pinyin():
    info = PageInfo(title="“2345”党建品牌", kind="project", names=["东湖中学", "东湖中学党支部"])
    doc = search_document(ARTICLE.format("<p>正文</p>"), info)
    names = re.search(r'data-pagefind-meta="names:([^"]*)"', doc).group(1)
    assert "东 湖 中 学" in names and "donghuzhongxue" in names and "dhzx" in names
    record = local_record(doc, info, "projects/donghu/index.html")
    assert record["u"] == "projects/donghu/index.html" and "dhzx" in record["k"]
    assert record["x"] == "正 文 ¶"


def test_the_index_ships_the_tables_search_js_reads(search_site):
    bundle = search_site / "pagefind"
    assert "學学" in (bundle / searchindex.T2S).read_text(encoding="utf-8")
    shard = f"{ord('學') % searchindex.T2S_SHARD_COUNT:02d}.txt"
    assert "學学" in (bundle / searchindex.T2S_SHARDS / shard).read_text(encoding="utf-8")
    assert (bundle / searchindex.COMMON).is_file()
    home = fragments(search_site)["/projects/donghu/"]
    assert "dhzx" in home["meta"]["names"]


# --- in the browser -----------------------------------------------------------------------------


def _more(page) -> bool:
    """Whether 显示更多结果 can be seen or reached with Tab."""
    return page.evaluate(
        "() => { const b = document.querySelector('[data-sc-search-more]');"
        " return b.getClientRects().length > 0 && getComputedStyle(b).visibility !== 'hidden'; }"
    )


def test_q_keeps_a_plus_and_more_shows_only_with_more(served_site, browser, guard):
    context, page, _ = _open_page(browser, guard, served_site + "?q=1+5", 390)
    page.wait_for_function(
        "() => document.querySelector('[data-sc-search]').getAttribute('data-sc-done') === '1+5'"
    )
    assert page.locator("input.md-search__input").input_value() == "1+5"
    first = page.locator(".md-search-result__item > a").first.get_attribute("href")
    assert first.startswith("/dangjian/projects/qinghe/")
    assert not _more(page)  # every result is shown already
    type_query(page, "", 390)
    assert "开始搜索" in page.locator("#sc-search-status").inner_text()  # Material’s words
    assert not _more(page)
    assert type_query(page, "可可托海研学营地", 390) == []
    assert not _more(page)
    context.close()


def test_an_unavailable_index_says_so_without_more(served_site, browser, guard):
    context, page, _ = _open_page(browser, guard, served_site, 1280)
    guard.problems.clear()
    page.route("**/pagefind/pagefind.js", lambda route: route.abort())
    page.on("console", lambda m: None)
    type_query(page, "双培", 1280)
    status = page.locator("#sc-search-status").inner_text()
    assert "没有加载成功" in status and "稍后" not in status
    assert not _more(page)
    guard.problems.clear()  # the blocked request is this test's doing
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_titles_sub_results_and_tooltip_read_as_written(served_site, browser, guard, width):
    context, page, _ = _open_page(browser, guard, served_site, width)
    results = type_query(page, "走进纪念馆", width)
    assert results[0]["title"] == "红色研学——走进纪念馆"  # not “— —”
    type_query(page, "东湖中学党支部2025年工作计划", width)
    subs = page.eval_on_selector_all(
        ".md-search-result__article:not(.md-search-result__article--document) p",
        "els => els.map(e => e.innerText)",
    )
    assert subs and not any(re.search(r"计划2025年\s*·", s) for s in subs), subs
    page.wait_for_timeout(400)
    page.screenshot(path=str(SHOTS / f"search-details-{width}.png"))
    page.locator("button[type=reset]").hover()
    tip = page.locator("#" + page.locator("button[type=reset]").get_attribute("aria-describedby"))
    tip.wait_for(state="visible")
    lines = tip.evaluate(
        "t => { const r = document.createRange(); r.selectNodeContents(t.firstElementChild);"
        " return r.getClientRects().length; }"
    )
    assert tip.inner_text() == "清空当前内容" and lines == 1
    context.close()
