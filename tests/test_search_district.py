"""Search on a district of 300 projects, as a reader types on a slow phone.

One site of 300 light projects (scripts/search_district.py: a logo, a case, a plan each;
schools named as real ones are, many sharing characters) is built once for this module.
The browser is 390 px wide with its CPU slowed 4× (Chrome's CPU throttling, as Lighthouse
does for a phone). Queries are typed as Chinese readers type them: no spaces, a wrong
character, traditional characters, pinyin in full and as initials.
"""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT, SHOTS, build
from test_search import _serve, ask

sys.path.insert(0, str(ROOT / "scripts"))
from search_district import make_search_district  # noqa: E402

N = 300
HOME = "/projects/school-0001/"  # 柳塘湾小学党支部, 应急演练
FENG = "/projects/school-0002/"  # 凤鸣山中学党支部, 茶艺


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    site = build(make_search_district(tmp_path_factory.mktemp("district"), N))
    server = _serve(site)
    try:
        yield f"http://127.0.0.1:{server.server_port}/dangjian/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def guard():
    from test_browser import Guard

    g = Guard()
    yield g
    assert g.problems == [], "\n".join(g.problems)


def _phone(browser, guard, url: str):
    from test_browser import _context

    context = _context(browser, 390, guard, height=844)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page


def _ask(page, query: str) -> list[str]:
    """Type into the header box as a phone reader does; the result links, in order."""
    ask(page, query, timeout=30_000)
    return page.eval_on_selector_all(
        ".md-search-result__item > a:first-child",
        "els => els.map(e => e.getAttribute('href').split('?')[0].replace('/dangjian', ''))",
    )


def test_readers_find_what_they_type(district, browser, guard):
    context, page = _phone(browser, guard, district + "projects/school-0150/")
    # unspaced: a school and an activity, found as parts (other schools hold 应急演练 too)
    found = _ask(page, "柳塘湾应急演练")
    assert found[0].startswith(HOME), found
    assert _ask(page, "凤鸣山中学茶艺")[0].startswith(FENG)
    found = _ask(page, "党支部工作计划")  # 某某党支部2025年工作计划: parts of the title
    assert found and all("/plans/" in f for f in found[:5]), found
    # a name ranks its own project home first, above its plan
    found = _ask(page, "柳塘湾小学")
    assert found[0] == HOME and HOME + "plans/gongzuo-jihua/" in found, found
    page.screenshot(path=str(SHOTS / "search-district-390.png"))
    # one wrong character (弯 for 湾): still found, and below exact matches
    found = _ask(page, "柳塘弯小学")
    assert found[0] == HOME, found
    both = _ask(page, "小学柳塘弯")
    assert HOME in both
    # traditional characters read as simplified
    # its home, plan and case come before 凤鸣坡… (names that share 凤鸣)
    found = _ask(page, "鳳鳴山中學")
    assert found[0] == FENG and all(f.startswith(FENG) for f in found[:3]), found
    # pinyin of names: in full, part of it, and as initials
    assert _ask(page, "liutangwan")[0] == HOME
    assert _ask(page, "fengmingshan")[0] == FENG
    assert _ask(page, "fmszx")[0] == FENG
    # two characters wrong is no longer the name
    assert HOME not in _ask(page, "柳糖弯小学")
    context.close()


def test_escape_and_tab_return_to_the_page(district, browser, guard):
    context, page = _phone(browser, guard, district)
    assert _ask(page, "应急演练")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("Escape")
    assert not page.evaluate("__search.checked")
    # focus is back on the page, as in Material: nothing inside the closed search
    assert page.evaluate(
        "!document.querySelector('[data-sc-search]').contains(document.activeElement)"
    )
    page.keyboard.press("Tab")
    focused = page.evaluate_handle("document.activeElement")
    assert page.evaluate(
        "el => !el.closest('[data-sc-search]') && el.getClientRects().length > 0"
        " && getComputedStyle(el).visibility !== 'hidden'",
        focused,
    ), page.evaluate("el => el.outerHTML.slice(0, 200)", focused)
    context.close()
