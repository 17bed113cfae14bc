"""What a reader sees first, measured in the browser on the demo (issue 16).

- every image in the first screen loads eagerly, none far below it does, and the album's
  first photo is fetched with high priority;
- each image's `sizes` matches the width it is drawn at (so the browser picks a file near
  that size, not the 512 px logo for a 180 px box);
- the project's chips are all within reach, and the registry reads on a phone.
Screenshots go to test-output/screenshots/ (git-ignored).
"""

from __future__ import annotations

import re

import pytest
from conftest import CHROMIUM, SHOTS
from pagecheck import serving

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="没有 /usr/bin/chromium，跳过浏览器测试（Debian: apt-get install -y chromium）",
)
sync_api = pytest.importorskip("playwright.sync_api", reason="没有安装 playwright")

from test_checkers import PAGES  # noqa: E402

SCREENS = {"phone": (390, 844), "lighthouse": (412, 823), "desktop": (1280, 900)}
"""390 px and 1280 px as the issue asks, and Lighthouse's mobile screen."""

IMAGES = """() => [...document.querySelectorAll('.md-content img, body > ul img')].map(img => {
  const r = img.getBoundingClientRect();
  return {src: img.currentSrc || img.src, top: r.top, bottom: r.bottom, width: r.width,
          loading: img.getAttribute('loading') || 'eager',
          priority: img.getAttribute('fetchpriority') || '', sizes: img.getAttribute('sizes')};
})"""

# the width `sizes` gives at this viewport: the first entry whose media matches, measured
SIZES_WIDTH = """(sizes) => {
  for (const entry of sizes.split(/,(?![^(]*\\))/).map(s => s.trim())) {
    const m = entry.match(/^(\\(.*?\\))\\s+(.+)$/);
    const [media, length] = m ? [m[1], m[2]] : [null, entry];
    if (media && !matchMedia(media).matches) continue;
    const probe = document.createElement('div');
    probe.style.cssText = 'position:absolute;visibility:hidden;height:0;width:' + length;
    document.body.appendChild(probe);
    const width = probe.getBoundingClientRect().width;
    probe.remove();
    return width;
  }
  return null;
}"""


@pytest.fixture(scope="module")
def demo(demo_site):
    with serving(demo_site) as base:
        yield base


def _open(browser, base: str, path: str, screen: str):
    width, height = SCREENS[screen]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.goto(base + path)
    page.wait_for_load_state("domcontentloaded")
    return context, page


@pytest.mark.parametrize("screen", list(SCREENS))
def test_first_screen_images_are_eager_and_the_rest_lazy(demo, browser, screen):
    height = SCREENS[screen][1]
    wrong = []
    for name in ("home", "project", "album", "case", "districts", "registry", "embed"):
        context, page = _open(browser, demo, PAGES[name], screen)
        for img in page.evaluate(IMAGES):
            seen = img["top"] < height and img["bottom"] > 0 and img["width"] > 0
            if seen and img["loading"] == "lazy":
                wrong.append(
                    f"{name}: lazy in the first screen (top {img['top']:.0f}): {img['src']}"
                )
            if img["top"] > 2 * height and img["loading"] != "lazy":
                wrong.append(f"{name}: eager two screens down (top {img['top']:.0f}): {img['src']}")
        if name == "album":
            first = [i for i in page.evaluate(IMAGES) if i["priority"] == "high"]
            assert len(first) == 1 and first[0]["top"] < height, first
        context.close()
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("width", [390, 1280, 1600])
def test_sizes_match_the_rendered_width(demo, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    wrong, checked = [], 0
    for name in (
        "home",
        "project",
        "project-svg-logo",
        "album",
        "case",
        "registry",
        "districts",
        "embed",
    ):
        page.goto(demo + PAGES[name])
        page.wait_for_load_state("domcontentloaded")
        for img in page.evaluate(IMAGES):
            if not img["sizes"] or img["width"] == 0:
                continue
            said = page.evaluate(SIZES_WIDTH, img["sizes"])
            checked += 1
            if abs(said - img["width"]) > max(2, 0.03 * img["width"]):
                wrong.append(
                    f"{name}: drawn {img['width']:.1f}px, sizes says {said:.1f}px ({img['sizes']})"
                )
    context.close()
    assert checked > 20
    assert wrong == [], "\n".join(wrong)


def test_the_largest_logo_file_is_near_the_box(demo, browser):
    """Lighthouse's phone (412 px, 1.75×): the hero logo box is 180 px, so a 320 px file, not 512."""
    context = browser.new_context(
        viewport={"width": 412, "height": 823}, device_scale_factor=1.75, locale="zh-CN"
    )
    page = context.new_page()
    page.goto(demo + PAGES["project"])
    page.wait_for_load_state("networkidle")
    hero = page.locator(".sc-hero__logo img").evaluate(
        """i => ({w: i.getBoundingClientRect().width, sizes: i.getAttribute('sizes'),
                 srcsets: [...(i.closest('picture')?.querySelectorAll('source') ?? []), i]
                   .map(e => e.getAttribute('srcset')).filter(Boolean)})"""
    )
    assert hero["w"] == 180 and page.evaluate(SIZES_WIDTH, hero["sizes"]) == 180, hero
    # which candidate Chromium fetches is its own heuristic (and its cache's); the promise is
    # the markup: every format offers a file that covers 180 px at 1.75× and is not the 512
    assert hero["srcsets"], hero
    for srcset in hero["srcsets"]:
        widths = sorted(int(w) for w in re.findall(r"\s(\d+)w\b", srcset))
        enough = [w for w in widths if w >= 180 * 1.75]
        assert enough and enough[0] < 512, srcset
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_every_project_chip_is_within_reach(demo, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    for name in ("project", "album"):
        page.goto(demo + PAGES[name])
        nav = page.locator("nav.sc-localnav")
        assert nav.evaluate("n => n.scrollWidth <= n.clientWidth")
        box = nav.bounding_box()
        chips = nav.locator("a")
        assert chips.count() == 5  # home, a case, two albums, a plan
        for i in range(chips.count()):
            chip = chips.nth(i).bounding_box()
            assert (
                box["x"] <= chip["x"] and chip["x"] + chip["width"] <= box["x"] + box["width"] + 0.5
            )
            assert chip["x"] + chip["width"] <= width
        if name == "album":
            assert nav.locator("a[aria-current=page]").count() == 1
    page.goto(demo + PAGES["project"])
    page.locator("nav.sc-localnav").screenshot(path=str(SHOTS / f"localnav-{width}.png"))
    context.close()


def test_registry_reads_on_a_phone(demo, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(demo + PAGES["registry"])
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    rows = page.locator("#sc-registry tbody tr")
    assert rows.count() == 5
    for i in range(rows.count()):
        for cell in ("sc-registry__name", "sc-registry__summary", "sc-registry__branch"):
            td = rows.nth(i).locator(f"td.{cell}")
            box = td.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (i, cell, box)
            assert td.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), (i, cell)
            label = td.evaluate("e => getComputedStyle(e, '::before').content")
            assert label.strip('"') == td.get_attribute("data-label"), (cell, label)
    page.screenshot(path=str(SHOTS / "registry-390.png"), full_page=True)
    context.close()
    # at 1280 the header cells are told apart
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(demo + PAGES["registry"])
    borders = page.evaluate(
        "[...document.querySelectorAll('#sc-registry th + th')]"
        ".map(th => parseFloat(getComputedStyle(th).borderLeftWidth))"
    )
    assert borders and min(borders) >= 1
    context.close()
