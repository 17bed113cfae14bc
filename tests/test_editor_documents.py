"""The documents a branch really has, entered through `showcase edit` only (issue 20).

Modelled on seeds/004 (a case whose 重要资料附录 lists six numbered items with titles and
types, several files to an item) and seeds/001 (a county's plan with 制定单位, 印发日期,
适用范围, recurring work and named days). All text here is fictional. The form is filled
in Debian's chromium; the site is then built and the pages are searched for what was typed.
Screenshots: test-output/screenshots/editor-docs-*.png.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import CHROMIUM, SHOTS, article, build, make_image, make_project, read
from editor_helpers import start_editor

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="没有 /usr/bin/chromium，跳过浏览器测试"
)
sync_api = pytest.importorskip("playwright.sync_api", reason="没有安装 playwright")

CASE_TITLE = "争做名师 彰显先锋——以“星光工作室”为平台的党建案例"
CASE_BODY = (
    "## 一、起因\n\n学校合并后，教师队伍参差不齐。\n\n"
    "## 二、做法\n\n1. 宣传动员，积极筹备。\n2. 制定方案，规范管理。\n\n"
    "## 三、成效\n\n党员教师的示范作用得到群众认可。\n\n"
    "四、“争做名师，做好名师”主题活动的重要资料附录。"
)
# (title, type, description, files) in the order of the case's appendix list
APPENDIX = [
    ("“星光工作室”成立活动仪式", "图片", "", ["成立仪式-1.jpg", "成立仪式-2.jpg"]),
    ("“星光工作室”组织管理成员及分工一览表", "", "", ["成员分工表.docx"]),
    (
        "“星光工作室”结对共进签字仪式及协议书",
        "图片、文本",
        "签字仪式现场照片一张，协议书范本一份。",
        ["签字仪式.jpg", "结对协议书.docx"],
    ),
    ("“星光工作室”成员发展规划计划书", "文本图片", "", ["发展规划.docx"]),
    ("“星光工作室”培训、指导、交流实践活动", "图片", "", ["送教下乡.jpg"]),
    ("“星光工作室”成员近几年成果证书", "图片、复印件", "原件存学校档案室。", ["证书.jpg"]),
]
PLAN = {
    "title": "青溪区学校党建“双培双树”工程实施方案（示例）",
    "year": "2025",
    "date": "2025-03-01",
    "issuer": "青溪区教育局党委",
    "scope": "全区中小学党组织",
    "body": "## 一、总体要求\n\n以“双培”为抓手，以“双树”为目标。",
}
TIMED = [
    ("每月", "青年党员听课评课1次"),
    ("每季度", "集中学习至少2次\n谈心谈话1次"),
    ("每学期末", "推荐骨干教师进入储备库"),
    ("七一前", "评选党员教师先锋"),
    ("教师节", "表彰党员教学标兵"),
]
MONTHS = {3: "印发实施方案", 12: "年度考核与总结"}
SIGNING = "结对双方在协议书上签字（示例照片）"


def _docx(path: Path, text: str) -> Path:
    import docx

    doc = docx.Document()
    doc.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "专栏"
    subprocess.run(
        [sys.executable, "-m", "showcase.commands.cli", "init", str(site)],
        capture_output=True,
        text=True,
        check=True,
    )
    make_project(
        site / "projects",
        "星光小学",
        {
            "name": "“星光”名师工作室党建品牌",
            "branch": "星光小学党总支",
            "school": "星光小学",
            "summary": "以名师工作室为平台，党员教师争做名师、做好名师。",
            "slug": "xingguang",
        },
    )
    return site


def _context(browser, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    context.set_default_timeout(20_000)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).hostname == "127.0.0.1"
            else route.abort()
        ),
    )
    return context


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#form")
    page.wait_for_function("typeof window.showcaseWordCount === 'function'")


def test_appendix_and_county_plan_entered_in_the_form_reach_the_pages(browser, tmp_path):
    site = _site(tmp_path)
    media = tmp_path / "材料"
    files: dict[str, Path] = {}
    for i, (_title, _kind, _desc, names) in enumerate(APPENDIX):
        for name in names:
            files[name] = (
                make_image(media / name, (900, 600), color=(30 * i, 90, 120))
                if name.endswith(".jpg")
                else _docx(media / name, f"{name}（示例）")
            )
    problems: list[str] = []
    with start_editor(site / "projects" / "星光小学") as (url, _port, _log):
        context = _context(browser)
        page = context.new_page()
        page.on("pageerror", lambda e: problems.append(str(e)))
        _open(page, url)

        # --- the case, with its appendix entered item by item ---
        page.click("text=+ 新建案例")
        case = page.locator('[data-part="case"]').last
        case.locator('[data-k="title"]').fill(CASE_TITLE)
        case.locator('[data-k="date"]').fill("2012-05-08")
        case.locator('[data-k="body"]').fill(CASE_BODY)
        # items 1, 3, 2 first: item 2 is then moved up with ↑ 前移 (the order is the form's)
        entry_order = [0, 2, 1, 3, 4]
        for n, index in enumerate(entry_order):
            title, kind, desc, names = APPENDIX[index]
            case.locator("[data-add-item]").click()
            item = case.locator("[data-appendix-item]").nth(n)
            item.locator('[data-k="title"]').fill(title)
            item.locator('[data-k="type"]').fill(kind)
            if desc:
                item.locator('[data-k="description"]').fill(desc)
            item.locator('input[data-upload="appendix-item"]').set_input_files(
                [str(files[name]) for name in names]
            )
            item.locator("[data-appendix]").nth(len(names) - 1).wait_for()
        case.locator("[data-appendix-item]").nth(2).locator("[data-up]").click()
        # a picture of an item gets its own description (the page's alt text)
        signing = case.locator("[data-appendix-item]").nth(2).locator("[data-appendix]").first
        assert signing.locator('[data-k="caption"]').input_value() == "签字仪式"
        signing.locator('[data-k="caption"]').fill(SIGNING)
        # the last item from the case's own button: one new item per file, then retitled
        case.locator('input[data-upload="appendix"]').set_input_files([str(files["证书.jpg"])])
        last = case.locator("[data-appendix-item]").nth(5)
        last.wait_for()
        assert last.locator('[data-k="title"]').input_value() == "证书"  # from the file name
        last.locator('[data-k="title"]').fill(APPENDIX[5][0])
        last.locator('[data-k="type"]').fill(APPENDIX[5][1])
        last.locator('[data-k="description"]').fill(APPENDIX[5][2])
        numbers = case.locator("[data-appendix-item] [data-number]").all_inner_texts()
        assert numbers == ["1", "2", "3", "4", "5", "6"]
        titles = [
            case.locator("[data-appendix-item]").nth(i).locator('[data-k="title"]').input_value()
            for i in range(6)
        ]
        assert titles == [a[0] for a in APPENDIX]
        case.screenshot(path=str(SHOTS / "editor-docs-appendix-1280.png"))

        # --- the county's plan ---
        page.click("text=+ 新建工作计划")
        plan = page.locator('[data-part="plan"]').last
        for key in ("title", "year", "date", "issuer", "scope", "body"):
            plan.locator(f'[data-k="{key}"]').fill(PLAN[key])
        for n, (when, items) in enumerate(TIMED):
            plan.locator("[data-add-timed]").click()
            row = plan.locator("[data-timed-row]").nth(n)
            row.locator('[data-k="when"]').fill(when)
            row.locator('[data-k="items"]').fill(items)
        for month, items in MONTHS.items():
            plan.locator(f'[data-month="{month}"]').fill(items)
        # a month box grows with its text
        box = plan.locator('[data-month="5"]')
        before = box.bounding_box()["height"]
        box.fill("第一件事\n第二件事\n第三件事\n第四件事\n第五件事")
        assert box.bounding_box()["height"] > before + 40
        box.fill("")
        plan.screenshot(path=str(SHOTS / "editor-docs-plan-1280.png"))
        page.screenshot(path=str(SHOTS / "editor-docs-form-1280.png"), full_page=True)

        page.click("#save")
        page.wait_for_selector("#status.ok")
        # after the reload the form shows what was saved, in order
        case = page.locator('[data-part="case"]').last
        assert [
            case.locator("[data-appendix-item]").nth(i).locator('[data-k="title"]').input_value()
            for i in range(6)
        ] == [a[0] for a in APPENDIX]
        assert case.locator("[data-appendix-item]").nth(2).locator("[data-appendix]").count() == 2
        plan = page.locator('[data-part="plan"]').last
        assert plan.locator('[data-k="issuer"]').input_value() == PLAN["issuer"]
        assert [
            plan.locator("[data-timed-row]").nth(i).locator('[data-k="when"]').input_value()
            for i in range(len(TIMED))
        ] == [w for w, _ in TIMED]

        phone = _context(browser, width=390).new_page()
        phone.goto(url)
        phone.goto(page.url)
        phone.wait_for_selector("#form")
        phone.locator('[data-part="case"]').last.screenshot(
            path=str(SHOTS / "editor-docs-appendix-390.png")
        )
        phone.locator('[data-part="plan"]').last.screenshot(
            path=str(SHOTS / "editor-docs-plan-390.png")
        )
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        context.close()
    assert problems == []

    # --- what the site reads, and what the built pages show ---
    from showcase.reading.load import load_project

    folder = site / "projects" / "星光小学"
    project = load_project(folder)
    assert [f.message for f in project.findings if f.is_error] == []
    (case,) = project.cases
    got = [
        (
            i.number,
            i.title,
            i.type_label,
            i.description,
            sorted(m.path.name for m in [*i.images, *i.files]),
        )
        for i in case.appendix
    ]
    assert got == [
        (str(n), t, k or "Word 文档", d, sorted(names))
        for n, (t, k, d, names) in enumerate(APPENDIX, 1)
    ]
    (plan,) = project.plans
    assert (plan.issuer, plan.scope, str(plan.date), plan.year) == (
        PLAN["issuer"],
        PLAN["scope"],
        PLAN["date"],
        2025,
    )
    timed = {t.label: t.items for t in plan.timed}
    assert timed == {w: items.split("\n") for w, items in TIMED}
    assert [t.label for t in plan.timed if t.recurring] == ["每月", "每季度", "每学期末"]
    assert {t.label: t.month for t in plan.timed if not t.recurring} == {"七一前": 6, "教师节": 9}

    out = build(site / "mkdocs.yml", strict=True)
    case_page = article(read(out, f"projects/xingguang/cases/{case.slug}/"))
    # the author's own appendix heading titles the appendix, once
    assert case_page.count("主题活动的重要资料附录<") == 1  # the heading's text, once
    assert len(re.findall(r"<h2[^>]*>[^<]*附录", case_page)) == 1
    assert re.search(r"<h2[^>]*>四、“争做名师，做好名师”主题活动的重要资料附录", case_page)
    items = re.findall(
        r'<li class="sc-appendix__item".*?(?=<li class="sc-appendix__item"|</ol>)', case_page, re.S
    )
    assert len(items) == 6
    for n, (html, (title, kind, desc, names)) in enumerate(zip(items, APPENDIX, strict=True), 1):
        assert f'data-number="{n}"' in html
        assert title in html, title
        if kind:
            assert f'<span class="sc-appendix__type">{kind}</span>' in html
        if desc:
            assert desc in html
        assert html.count("<figure") == sum(name.endswith(".jpg") for name in names)
        assert html.count("download") == sum(name.endswith(".docx") for name in names)
    assert f'alt="{SIGNING}"' in items[2] and f"<figcaption>{SIGNING}</figcaption>" in items[2]
    plan_page = article(read(out, f"projects/xingguang/plans/{plan.slug}/"))
    for text in (
        "制定：青溪区教育局党委",
        "适用范围：全区中小学党组织",
        "印发：2025年3月1日",
        "常规工作",
        "青年党员听课评课1次",
        "集中学习至少2次",
        "推荐骨干教师进入储备库",
        "印发实施方案",
        "年度考核与总结",
    ):
        assert text in plan_page, text
    june = re.search(r'data-month="6".*?</li>', plan_page, re.S).group()
    assert "七一前" in june and "评选党员教师先锋" in june
    september = re.search(r'data-month="9".*?</li>', plan_page, re.S).group()
    assert "教师节" in september and "表彰党员教学标兵" in september
    _shoot_pages(
        browser,
        out,
        [f"projects/xingguang/cases/{case.slug}/", f"projects/xingguang/plans/{plan.slug}/"],
    )


def _shoot_pages(browser, out: Path, pages: list[str]) -> None:
    """The built pages at 1280 and 390 px, to look at."""
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    handler = partial(SimpleHTTPRequestHandler, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for width in (1280, 390):
            context = _context(browser, width)
            page = context.new_page()
            for rel in pages:
                page.goto(f"http://127.0.0.1:{server.server_port}/{rel}")
                kind = "case" if "/cases/" in rel else "plan"
                page.screenshot(
                    path=str(SHOTS / f"editor-docs-{kind}-page-{width}.png"), full_page=True
                )
            context.close()
    finally:
        server.shutdown()


def test_closed_tab_unsaved_edits_are_offered_back(browser, tmp_path):
    site = _site(tmp_path)
    photo = make_image(tmp_path / "升旗.jpg", (800, 600))
    with start_editor(site / "projects" / "星光小学") as (url, _port, _log):
        context = _context(browser)
        page = context.new_page()
        _open(page, url)
        project_url = page.url
        page.fill('[name="members"]', "57")
        page.fill('[name="goals"]', "三年内培养区级骨干教师十名。\n\n人人上好示范课。")
        page.locator('.ind-group[data-kind="implicit"] [data-add-row]').click()
        page.locator('.ind-group[data-kind="implicit"] [data-row] [data-k="text"]').fill(
            "青年教师对教师职业的认同感和归属感明显增强，愿意长期扎根学校。"
        )
        page.click("text=+ 新建工作计划")
        plan = page.locator('[data-part="plan"]').last
        plan.locator('[data-k="title"]').fill("2026年党支部工作计划")
        plan.locator("[data-add-timed]").click()
        plan.locator('[data-timed-row] [data-k="when"]').fill("每学期末")
        plan.locator('[data-timed-row] [data-k="items"]').fill("党员民主评议")
        page.click("text=+ 新建相册")
        album = page.locator('[data-part="album"]').last
        album.locator('[data-k="title"]').fill("升旗仪式")
        album.locator('input[data-upload="photos"]').set_input_files([str(photo)])
        album.locator("[data-photo]").first.wait_for()
        album.locator("[data-photo] [data-rotate-photo]").click()  # turned once, unsaved
        album.locator('[data-photo] [data-k="caption"]').fill("全体党员在国旗下重温入党誓词")
        page.wait_for_timeout(800)  # the draft is written a moment after the last keystroke
        page.close(run_before_unload=False)  # the tab is gone, nothing was saved
        assert "57" not in (site / "projects" / "星光小学" / "project.yml").read_text("utf-8")

        again = context.new_page()
        _open(again, project_url)
        banner = again.locator("#draft")
        banner.wait_for()
        assert "没有保存" in banner.inner_text()
        again.screenshot(path=str(SHOTS / "editor-docs-draft-offer-1280.png"))
        assert again.locator('[name="members"]').input_value() == ""
        again.click("[data-draft-restore]")
        again.locator('[data-part="plan"]').first.wait_for()
        assert again.locator('[name="members"]').input_value() == "57"
        assert "人人上好示范课" in again.locator('[name="goals"]').input_value()
        assert (
            "扎根学校"
            in again.locator('.ind-group[data-kind="implicit"] [data-k="text"]').input_value()
        )
        plan = again.locator('[data-part="plan"]').first
        assert plan.locator('[data-timed-row] [data-k="items"]').input_value() == "党员民主评议"
        photo_li = again.locator('[data-part="album"] [data-photo]').first
        assert photo_li.get_attribute("data-rotate") == "90"
        assert banner.is_hidden()
        again.click("#save")
        again.wait_for_selector("#status.ok")
        # saved: the draft is gone, and the page no longer offers it
        assert again.evaluate("Object.keys(localStorage).length") == 0
        _open(again, project_url)
        assert again.locator("#draft").is_hidden()
        context.close()

    from PIL import Image
    from showcase.reading.load import load_project

    project = load_project(site / "projects" / "星光小学")
    assert project.values["members"] == 57
    assert project.indicators_of("implicit")[0].text.endswith("扎根学校。")
    assert project.plans[0].timed[0].label == "每学期末"
    (album,) = project.albums
    assert album.photos[0].caption == "全体党员在国旗下重温入党誓词"
    with Image.open(album.photos[0].path) as img:
        assert img.size == (600, 800)  # saved turned a quarter to the right


def test_start_page_button_stays_on_one_line(browser, tmp_path):
    site = _site(tmp_path)
    with start_editor(site / "projects") as (url, _port, _log):
        for width in (1280, 390):
            context = _context(browser, width)
            page = context.new_page()
            page.goto(url)
            button = page.locator("#new-project button")
            box = button.bounding_box()
            line = float(button.evaluate("b => parseFloat(getComputedStyle(b).lineHeight)"))
            assert box["height"] < 2 * line, width
            page.screenshot(path=str(SHOTS / f"editor-docs-start-{width}.png"))
            context.close()
