"""The built site in a real browser (Debian's chromium, headless, no network).

The site is served from 127.0.0.1 under a sub-path (/dangjian/), as a school's CMS or
intranet server would; the offline zip is opened from file://. Every test fails on a
console error, a failed request, a response >= 400, or a request to any other host.
Screenshots go to test-output/screenshots/ (git-ignored): look at them after a change.
"""

from __future__ import annotations

import functools
import http.server
import threading
import unicodedata
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import CHROMIUM, SHOTS, build, write

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="没有 /usr/bin/chromium，跳过浏览器测试（Debian: apt-get install -y chromium fonts-noto-cjk）",
)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="没有安装 playwright（pip install playwright）"
)

from test_publish import ALBUM as ALBUM_SLUG  # noqa: E402
from test_publish import CASE as CASE_SLUG  # noqa: E402
from test_publish import QINGHE, SITE_URL, make_rich_site  # noqa: E402

SUB = "/dangjian/"
PROJECT = f"projects/{QINGHE}/"
CASE = PROJECT + f"cases/{CASE_SLUG}/"
ALBUM = PROJECT + f"photos/{ALBUM_SLUG}/"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """/dangjian/… → the site folder; /cms/… → a stand-in for the school's CMS; else 404."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".webp": "image/webp",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".woff2": "font/woff2",
        ".js": "text/javascript",
    }

    def __init__(self, *args, site: Path, cms: Path, **kwargs):
        self.site, self.cms = site, cms
        super().__init__(*args, directory=str(site), **kwargs)

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        for prefix, folder in ((SUB, self.site), ("/cms/", self.cms)):
            if path.startswith(prefix):
                self.directory = str(folder)
                return super().translate_path("/" + path[len(prefix) :])
        return str(self.site / "__not_under_the_sub_path__")

    def send_error(self, code, message=None, explain=None) -> None:
        # like a web server configured with the site's 404.html as its error page
        page = self.site / "404.html"
        if code == 404 and urlsplit(self.path).path.startswith(SUB) and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    site = build(make_rich_site(root / "src"), strict=True)
    cms = root / "cms"
    write(
        cms / "column.html",
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>学校首页</title></head>'
        '<body style="margin:0"><div style="width:300px;border:1px solid #ccc"><h3>党建专栏</h3>'
        f'<iframe src="{SUB}embed/" title="党建精品项目" width="100%" height="420" style="border:0">'
        "</iframe></div></body></html>",
    )
    handler = functools.partial(_Handler, site=site, cms=cms)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", site, root
    finally:
        server.shutdown()
        server.server_close()


class Guard:
    """Collects everything that must not happen while a page is used."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.expected_404: set[str] = set()

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.on("request", self._request)

    def _console(self, message) -> None:
        if message.type == "error" and message.location.get("url") not in self.expected_404:
            self.problems.append(f"console: {message.text} ({message.location.get('url')})")

    def _response(self, response) -> None:
        if response.status >= 400 and response.url not in self.expected_404:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def _failed(self, request) -> None:
        # a lazy image cancelled by leaving the page is not a fault of the site
        if "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about", "file"):
            return
        if parts.hostname != "127.0.0.1":
            self.problems.append(f"outside request: {request.url}")


def _context(browser, width: int, guard: Guard, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.set_default_timeout(10_000)

    # no network: anything not on 127.0.0.1 is recorded by the guard and never leaves the machine
    def route(route):
        parts = urlsplit(route.request.url)
        if parts.hostname == "127.0.0.1" or parts.scheme == "file":
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    context.on("page", guard.watch)
    return context


@pytest.fixture
def guard():
    g = Guard()
    yield g
    assert g.problems == [], "\n".join(g.problems)


def _settle(page) -> None:
    page.wait_for_load_state("networkidle")


def _no_horizontal_scroll(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url}: {scroll}px wide at {width}px"


FIND_RESULT = """([title]) => {
  const items = [...document.querySelectorAll('.md-search-result__item')];
  const i = items.findIndex(e => e.innerText.replace(/\\u200b/g, '').includes(title));
  return i >= 0 ? i + 1 : 0;
}"""


def _search(page, query: str, title: str) -> None:
    """Type into Material's search box, wait for `title` among the results, open it.

    Material reads the box on keyup (a Chinese input method commits with a key, e.g.
    Space); typing CJK text here inserts it without one, so a key is pressed after it.
    """
    box = page.locator("input.md-search__input")
    box.click()
    for _attempt in range(5):
        box.fill(query)
        box.press("End")
        try:
            # Material shows the jieba-segmented words joined by zero-width spaces
            found = page.wait_for_function(FIND_RESULT, arg=[title], timeout=1500)
            break
        except sync_api.TimeoutError:
            continue
    else:
        raise AssertionError(f"搜索“{query}”没有找到“{title}”")
    index = found.json_value() - 1
    page.screenshot(
        path=str(SHOTS / f"search-{'offline' if page.url.startswith('file:') else 'served'}.png")
    )
    page.locator(".md-search-result__item").nth(index).locator("a").first.click()


def test_home_project_and_registry_under_a_sub_path(served, browser, guard):
    base, site, _ = served
    context = _context(browser, 1280, guard)
    page = context.new_page()
    page.goto(base + SUB)
    _settle(page)
    assert page.evaluate("document.documentElement.lang") == "zh"
    assert page.locator("a.sc-card").count() == 2
    page.screenshot(path=str(SHOTS / "home-1280.png"), full_page=True)
    page.locator("a.sc-card", has_text="党组织“1+5”建设工程").click()
    page.wait_for_url(base + SUB + PROJECT)
    _settle(page)
    assert page.locator("h1").first.inner_text() == "党组织“1+5”建设工程"
    assert page.locator(".sc-hero img").first.evaluate("i => i.complete && i.naturalWidth > 0")
    page.screenshot(path=str(SHOTS / "project-1280.png"), full_page=True)
    # every image on the page loaded and has a text alternative
    for url in ("", PROJECT, CASE, ALBUM, "registry/"):
        page.goto(base + SUB + url)
        _settle(page)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy images load too
        _settle(page)
        missing = page.evaluate(
            "[...document.images].filter(i => !(i.getAttribute('alt') || '').trim()).map(i => i.src)"
        )
        assert missing == [], (url, missing)
        broken = page.evaluate(
            "[...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.src)"
        )
        assert broken == [], (url, broken)
    # a missing address at any depth: the server answers with 404.html, styled and with working links
    missing = base + SUB + "projects/no-such-branch/cases/x/"
    guard.expected_404.add(missing)
    assert page.goto(missing).status == 404
    _settle(page)
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") != "static"
    page.locator(".md-nav--primary a", has_text="登记表").first.click()
    page.wait_for_url(base + SUB + "registry/")
    # registry downloads and the embed code
    page.goto(base + SUB + "registry/")
    href = page.locator("a[download][href$='registry.json']").get_attribute("href")
    response = page.request.get(base + SUB + "registry/" + href)
    assert response.ok and response.json()
    assert (
        page.locator(".sc-embed__code").inner_text().startswith(f'<iframe src="{SITE_URL}embed/"')
    )
    context.close()


def test_phone_width_has_no_horizontal_scroll(served, browser, guard):
    base, _, _ = served
    context = _context(browser, 390, guard, height=844)
    page = context.new_page()
    for url in ("", PROJECT, CASE, ALBUM, "registry/", "embed/"):
        page.goto(base + SUB + url)
        _settle(page)
        _no_horizontal_scroll(page, 390)
        if url in ("", PROJECT):
            name = "home-390.png" if not url else "project-390.png"
            page.screenshot(path=str(SHOTS / name), full_page=True)
    context.close()


def test_chinese_search_finds_the_case(served, browser, guard):
    base, _, _ = served
    context = _context(browser, 1280, guard)
    page = context.new_page()
    page.goto(base + SUB)
    _settle(page)
    _search(page, "名师工作室", "名师工作室引领青年教师成长")
    page.wait_for_url(f"**{SUB}{CASE}**")
    _settle(page)
    assert "名师工作室引领青年教师成长" in page.locator("h1").first.inner_text()
    context.close()


def test_lightbox_opens_by_click_and_keyboard(served, browser, guard):
    base, _, _ = served
    context = _context(browser, 1280, guard)
    page = context.new_page()
    page.goto(base + SUB + ALBUM)
    _settle(page)
    photos = page.locator(".sc-gallery a.glightbox")
    assert photos.count() == 3
    box = page.locator(".glightbox-container")

    photos.first.click()
    box.wait_for(state="visible")
    page.locator(".gslide.current img").wait_for(state="visible")
    page.wait_for_timeout(600)  # the zoom animation, for a clear screenshot
    page.screenshot(path=str(SHOTS / "lightbox-1280.png"))
    assert "教师节表彰大会" in page.locator(".gslide.current").inner_text()
    page.keyboard.press("Escape")
    box.wait_for(state="detached")

    # keyboard only: Tab reaches a photo, Enter opens it, arrows move, Escape closes
    photos.nth(1).focus()
    assert page.evaluate("document.activeElement.classList.contains('glightbox')")
    page.keyboard.press("Enter")
    box.wait_for(state="visible")
    page.locator(".gslide.current img").wait_for(state="visible")
    assert "优秀教师合影" in page.locator(".gslide.current").inner_text()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "document.querySelector('.gslide.current')?.innerText.includes('颁奖现场')"
    )
    page.keyboard.press("Escape")
    box.wait_for(state="detached")
    context.close()


# WCAG AA: 4.5:1 for text, 3:1 for large text (24px, or 18.66px bold)
CONTRAST_JS = """
() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
                               if (c.length === 3 || c[3] === 1) return c.slice(0, 3);
                               if (getComputedStyle(el).backgroundImage !== 'none') return null; } return [255, 255, 255]; };
  const bad = [];
  for (const el of document.querySelectorAll('.md-content *, .md-header *')) {
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join('');
    if (!text || !el.offsetParent) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || Number(style.opacity) < 1) continue;
    const bg = background(el); if (!bg) continue;   // text over a picture or gradient: not measured here
    const fg = rgb(style.color).slice(0, 3);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) bad.push(`${el.tagName}.${el.className}: "${text.slice(0, 20)}" ${ratio.toFixed(2)} < ${need}`);
  }
  return bad;
}
"""


def test_text_contrast(served, browser, guard):
    base, _, _ = served
    context = _context(browser, 1280, guard)
    page = context.new_page()
    for url in ("", PROJECT, CASE, ALBUM, "registry/"):
        page.goto(base + SUB + url)
        _settle(page)
        assert page.evaluate(CONTRAST_JS) == [], url
    context.close()


def test_project_page_prints_as_a4(served, browser, guard):
    from pypdf import PdfReader

    base, _, root = served
    context = _context(browser, 1280, guard)
    page = context.new_page()
    page.goto(base + SUB + PROJECT)
    _settle(page)
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".sc-localnav"):
        assert page.locator(hidden).first.evaluate("e => getComputedStyle(e).display") == "none", (
            hidden
        )
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi, to look at
    page.screenshot(path=str(SHOTS / "project-print.png"), full_page=True)
    pdf = root / "project.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    reader = PdfReader(str(pdf))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert abs(width - 595) < 3 and abs(height - 842) < 3  # A4 in points
    # the PDF's font maps some characters to Kangxi radicals (⼯ for 工): NFKC folds them back
    assert "党组织“1+5”建设工程" in unicodedata.normalize("NFKC", reader.pages[0].extract_text())
    context.close()


def test_embed_list_inside_a_cms_column(served, browser, guard):
    base, _, _ = served
    context = _context(browser, 1280, guard)
    page = context.new_page()
    page.goto(base + "/cms/column.html")
    frame = page.frame_locator("iframe")
    links = frame.locator("a[target=_blank]")
    links.first.wait_for()
    assert links.count() == 3  # two projects and the whole list
    assert frame.locator(".sc-embed-logo img").first.evaluate(
        "i => i.complete && i.naturalWidth > 0"
    )
    width = frame.locator("body").evaluate("b => document.documentElement.scrollWidth")
    assert width <= 300
    _settle(page)
    page.screenshot(
        path=str(SHOTS / "embed-in-cms.png"), clip={"x": 0, "y": 0, "width": 320, "height": 500}
    )
    with context.expect_page() as opened:
        links.first.click()
    new = opened.value
    new.wait_for_load_state()
    assert new.url.startswith(base + SUB + "projects/")
    context.close()


def test_offline_zip_from_file_url(served, browser, guard, tmp_path):
    from showcase.commands.package import run_package

    _, _, root = served
    out = tmp_path / "离线版.zip"
    assert run_package(root / "src" / "mkdocs.yml", out, offline=True) == 0
    folder = tmp_path / "U盘"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(folder)
    context = _context(browser, 1280, guard)
    page = context.new_page()
    page.goto((folder / "index.html").as_uri())
    page.locator("a.sc-card", has_text="党组织“1+5”建设工程").click()
    page.wait_for_url(f"**/projects/{QINGHE}/index.html")
    assert page.locator("h1").first.inner_text() == "党组织“1+5”建设工程"
    _search(page, "青年教师", "名师工作室引领青年教师成长")
    page.wait_for_url(f"**/cases/{CASE_SLUG}.html*")
    assert "名师工作室" in page.locator("h1").first.inner_text()
    # the case's appendix photo opens in the lightbox from the folder too
    page.locator(".sc-gallery a.glightbox").first.click()
    page.locator(".gslide.current img").wait_for(state="visible")
    assert page.locator(".gslide.current img").evaluate("i => i.naturalWidth > 0")
    page.keyboard.press("Escape")
    page.locator(".glightbox-container").wait_for(state="detached")
    context.close()


def test_lightbox_survives_instant_navigation(browser, guard, tmp_path):
    """navigation.instant swaps pages without reloading them; glightbox re-binds on Material's
    document$ (mkdocs-glightbox >= 0.4), so a photo reached that way still opens. The demo keeps
    instant navigation off anyway: page scripts such as the facet filters run on load only."""
    import yaml

    config = make_rich_site(tmp_path)
    site = tmp_path / "site"
    handler = functools.partial(_Handler, site=site, cms=site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}{SUB}"
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
        data["site_url"] = base  # instant loading only follows links its sitemap lists
        data["theme"]["features"] = ["navigation.instant"]
        config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        build(config, strict=True)
        context = _context(browser, 1280, guard)
        page = context.new_page()
        page.goto(base)
        _settle(page)
        page.evaluate("window.__notReloaded = true")
        page.locator("a.sc-card", has_text="党组织“1+5”建设工程").click()
        page.wait_for_url(base + PROJECT)
        page.locator("a.sc-album").first.click()
        page.wait_for_url(base + ALBUM)
        _settle(page)
        assert page.evaluate("window.__notReloaded === true")  # really instant, no page load
        page.locator(".sc-gallery a.glightbox").first.click()
        page.locator(".glightbox-container").wait_for(state="visible")
        page.keyboard.press("Escape")
        page.locator(".glightbox-container").wait_for(state="detached")
        context.close()
    finally:
        server.shutdown()
        server.server_close()
