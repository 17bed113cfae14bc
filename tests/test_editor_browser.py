"""`showcase init` + `showcase edit` as a teacher uses them, in Debian's chromium (no network).

The editor runs as the real command (`showcase edit PATH --port N --no-browser`) in a
subprocess; the browser fills the form; the site is then built with `mkdocs build --strict`.
Screenshots go to test-output/screenshots/editor-*.png: look at them after a change.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import CHROMIUM, SHOTS, article, build, make_image, read, write
from editor_helpers import start_editor

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="没有 /usr/bin/chromium，跳过浏览器测试"
)
sync_api = pytest.importorskip("playwright.sync_api", reason="没有安装 playwright")


# The 申报表 the teacher fills in (fictional school and people).
FORM = {
    "name": "“星河1+3”党建品牌",
    "branch": "星河实验小学党支部",
    "members": "42",
    "leader": "周老师",
    "contact": "13800000000",
    "goals": "用三年时间，把支部建成师生信赖的战斗堡垒。\n\n- 党员教师人人有示范课；\n- 青年教师三年站稳讲台。",
    "logo_meaning": "标识以一颗星和三条河流组成，代表一个支部带动三支队伍。",
    "measures": "### 一、建强支部\n\n1. 每月一次主题党日。\n2. 每学期一次党员示范课展示周。\n\n### 二、带好队伍\n\n1. 师徒结对全覆盖。",
    "effects": "形成可复制的“星河”经验，在学区内交流推广。",
    "summary": "星河实验小学党支部以“星河1+3”为品牌，一个支部带动党员、骨干、青年三支队伍，开展示范课、师徒结对和志愿服务，打造师德高尚、业务精良的教师团队。",
    "homepage": "https://www.xinghe.example.cn/Components/NewsMain.aspx?moduleid=88",
    "school": "星河实验小学",
    "district": "青溪区",
    "category": "队伍建设",
    "tags": "名师工作室、青年教师",
    "year": "2025",
    "slug": "xinghe-shiyan",
}
INDICATORS = {
    "explicit": [
        {
            "text": "区级骨干教师",
            "target": "12",
            "unit": "人",
            "actual": [("2024", "7"), ("2025", "10")],
        },
        {"text": "师德师风投诉为零"},
    ],
    "implicit": [{"text": "青年教师职业认同感明显增强"}],
}
OPINION = {"text": "同意申报。", "signed_by": "王书记", "date": "2025-03-10"}
PHOTOS = ["01-升旗仪式.jpg", "02-示范课.jpg", "03-志愿服务.jpg"]
SCHEDULE = {3: "开学工作部署\n印发年度计划", 7: "“七一”主题党日", 9: "教师节表彰"}
TRICKY = [
    "",
    "hello world 2025",
    "党组织“1+5”建设工程",
    "“2345”党建品牌：双岗三比四创五帮。",
    "Word 字数：12ab 3.5% e-mail",
    "全角，标点！？；：（）【】《》——……",
    "表情😀👍🏽 与 👨‍👩‍👧 家庭",
    "\u3000全角空格\u3000与\ttab\n换行\r\n",
    "ｆｕｌｌ ｗｉｄｔｈ ＡＢＣ １２３",
    "\ufeffBOM\u00a0不间断\u2003空格\u200b零宽",
    "𠀀𪚥 扩展区汉字",
    "\x1c\x1d分隔\x85符",
]


def _docx(path: Path) -> Path:
    import docx

    doc = docx.Document()
    doc.add_paragraph("星河实验小学 师徒结对协议（示例）")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Guard:
    """Console errors, failed requests and any request that is not to 127.0.0.1."""

    def __init__(self, expected: int | None = None) -> None:
        self.problems: list[str] = []
        self.expected = expected
        """An HTTP status the test provokes on purpose (409 for a conflict)."""

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        page.on("response", self._response)
        page.on("request", self._request)

    def _console(self, message) -> None:
        if message.type == "error" and not (
            self.expected and f"status of {self.expected}" in message.text
        ):
            self.problems.append(f"console: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400 and response.status != self.expected:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            self.problems.append(f"outside request: {request.url}")


def _context(browser, guard: Guard, width: int = 1280):
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
    context.on("page", guard.watch)
    return context


def _fill_indicators(page) -> None:
    for kind, rows in INDICATORS.items():
        group = page.locator(f'.ind-group[data-kind="{kind}"]')
        for i, row in enumerate(rows):
            group.locator("[data-add-row]").click()
            line = group.locator("[data-row]").nth(i)
            line.locator('[data-k="text"]').fill(row["text"])
            if "target" in row:
                line.locator('[data-k="target"]').fill(row["target"])
                line.locator('[data-k="unit"]').fill(row["unit"])
                for j, (year, value) in enumerate(row["actual"]):
                    line.locator("[data-add-year]").click()
                    pair = line.locator("[data-pair]").nth(j)
                    pair.locator('[data-k="year"]').fill(year)
                    pair.locator('[data-k="value"]').fill(value)


def test_teacher_from_empty_folder_to_built_column(browser, tmp_path):
    site = tmp_path / "我的专栏"
    run = subprocess.run(
        [sys.executable, "-m", "showcase.commands.cli", "init", str(site)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "showcase edit" in run.stdout
    media = tmp_path / "手机里的照片"
    logo = make_image(media / "星河标识.png", (600, 600))
    photos = [
        make_image(media / n, (1600, 1200), color=(40 * i, 120, 90)) for i, n in enumerate(PHOTOS)
    ]
    case_image = make_image(media / "01-结对仪式.jpg", (1200, 800))
    case_doc = _docx(media / "师徒结对协议.docx")

    guard = Guard()
    with start_editor(site / "projects") as (url, _port, _log):
        context = _context(browser, guard)
        page = context.new_page()
        page.goto(url)
        assert urlsplit(page.url).query == ""  # the token left the address bar
        page.fill("#new-folder", "星河实验小学")
        page.click("button:has-text('新建项目')")
        page.wait_for_selector("#form")
        # the form's script runs at the end of the page, after #form is parsed
        page.wait_for_function("typeof window.showcaseWordCount === 'function'")

        # the brief's live count is textutil.word_count, character for character
        from showcase.core.textutil import word_count

        counted = page.evaluate("(xs) => xs.map((x) => window.showcaseWordCount(x))", TRICKY)
        assert counted == [word_count(t) for t in TRICKY]

        # findings beside a field, from the checker, while typing
        too_long = "这是一段超过二百字上限的简介。" * 15
        page.fill('[name="summary"]', too_long)
        box = page.locator('.findings[data-target="field:summary"]')
        box.locator(".finding").first.wait_for()
        assert f"{word_count(too_long)} 字，超出 200 字上限" in box.inner_text()
        assert page.locator('[data-count-for="summary"] [data-count]').inner_text() == str(
            word_count(too_long)
        )
        page.locator("#f-summary").screenshot(path=str(SHOTS / "editor-finding-summary.png"))
        assert (
            "“项目名称”还没有填写"
            in page.locator('.findings[data-target="field:name"]').inner_text()
        )

        for key, value in FORM.items():
            page.fill(f'[name="{key}"]', value)
        page.set_input_files('input[name="logo"]', str(logo))
        _fill_indicators(page)
        page.fill('[name="opinion.text"]', OPINION["text"])
        page.fill('[name="opinion.signed_by"]', OPINION["signed_by"])
        page.fill('[name="opinion.date"]', OPINION["date"])
        page.locator('.findings[data-target="field:summary"] .finding').wait_for(state="detached")

        # an album: three photos at once, a caption changed, the order changed
        page.click("text=+ 新建相册")
        album = page.locator('[data-part="album"]').last
        album.locator('[data-k="title"]').fill("开学典礼")
        album.locator('[data-k="date"]').fill("2025-09-01")
        album.locator('[data-k="description"]').fill("新学期第一天，全体师生举行开学典礼。")
        album.locator('input[data-upload="photos"]').set_input_files([str(p) for p in photos])
        album.locator("[data-photo]").nth(2).wait_for()
        album.locator("[data-photo]").nth(1).locator('[data-k="caption"]').fill("党员教师上示范课")
        album.locator("[data-photo]").nth(2).locator("[data-up]").click()  # 志愿服务 before 示范课
        album.screenshot(path=str(SHOTS / "editor-album-upload.png"))

        # a case with one image and one Word file as its appendix
        page.click("text=+ 新建案例")
        case = page.locator('[data-part="case"]').last
        case.locator('[data-k="title"]').fill("师徒结对助力青年教师成长")
        case.locator('[data-k="date"]').fill("2025-06-20")
        case.locator('[data-k="authors"]').fill("张老师、李老师")
        case.locator('[data-k="tags"]').fill("师徒结对")
        case.locator('[data-k="summary"]').fill("一对一结对，青年教师一年站稳讲台。")
        case.locator('[data-k="body"]').fill(
            "## 一、背景\n\n青年教师多。\n\n## 二、做法\n\n1. 一对一结对。"
        )
        case.locator('input[data-upload="appendix"]').set_input_files(
            [str(case_image), str(case_doc)]
        )
        case.locator("[data-appendix]").nth(1).wait_for()

        # a plan with a three-month schedule
        page.click("text=+ 新建工作计划")
        plan = page.locator('[data-part="plan"]').last
        plan.locator('[data-k="title"]').fill("2025年党支部工作计划")
        plan.locator('[data-k="year"]').fill("2025")
        for month, items in SCHEDULE.items():
            plan.locator(f'[data-month="{month}"]').fill(items)
        plan.locator('[data-k="body"]').fill("## 一、指导思想\n\n立德树人。")

        page.screenshot(path=str(SHOTS / "editor-form-1280.png"), full_page=True)
        page.click("#save")
        page.wait_for_selector("#status.ok")
        assert "已保存" in page.locator("#status").inner_text()

        # 预览: the build's own project page
        with page.expect_popup() as popup:
            page.click("#preview")
        preview = popup.value
        preview.wait_for_url(re.compile(r"/preview/"), timeout=120_000)  # a real MkDocs build
        preview.wait_for_load_state()
        assert FORM["name"] in preview.locator("article").inner_text()
        assert "/preview/projects/xinghe-shiyan/" in preview.url
        preview.close()

        phone = _context(browser, guard, width=390).new_page()
        phone.goto(url)  # a new browser: the printed address with its token, once
        phone.goto(page.url)
        phone.screenshot(path=str(SHOTS / "editor-form-390.png"))
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        context.close()
    assert guard.problems == []

    folder = site / "projects" / "星河实验小学"
    # the project.yml written reads back equal to what was typed
    from showcase.reading.load import load_project

    project = load_project(folder)
    assert [f.message for f in project.findings if f.is_error] == []
    for key, value in FORM.items():
        got = project.values[key]
        assert (
            str(got).strip() == value.strip()
            if key != "tags"
            else got == ["名师工作室", "青年教师"]
        )
    explicit = project.indicators_of("explicit")
    assert (explicit[0].text, explicit[0].target, explicit[0].unit, explicit[0].actual) == (
        "区级骨干教师",
        12,
        "人",
        {2024: 7, 2025: 10},
    )
    assert [i.text for i in project.indicators] == [
        "区级骨干教师",
        "师德师风投诉为零",
        "青年教师职业认同感明显增强",
    ]
    opinion = project.values["opinion"]
    assert (opinion.text, opinion.signed_by, str(opinion.date)) == (
        "同意申报。",
        "王书记",
        "2025-03-10",
    )
    # uploads keep their bytes; the teacher's order is kept by the file names
    assert _sha(folder / "logo.png") == _sha(logo)
    (album_dir,) = (folder / "photos").iterdir()
    assert album_dir.name == "2025-09-01 开学典礼"
    names = sorted(p.name for p in album_dir.glob("*.jpg"))
    assert names == ["01-升旗仪式.jpg", "02-志愿服务.jpg", "03-示范课.jpg"]
    assert _sha(album_dir / "02-志愿服务.jpg") == _sha(photos[2])
    assert [p.caption for p in project.albums[0].photos] == [
        "升旗仪式",
        "志愿服务",
        "党员教师上示范课",
    ]
    (case_md,) = (folder / "cases").glob("*.md")
    appendix = case_md.with_suffix("")
    assert _sha(appendix / "师徒结对协议.docx") == _sha(case_doc)
    assert _sha(appendix / "01-结对仪式.jpg") == _sha(case_image)
    assert [(m.month, m.items) for m in project.plans[0].schedule] == [
        (3, ["开学工作部署", "印发年度计划"]),
        (7, ["“七一”主题党日"]),
        (9, ["教师节表彰"]),
    ]

    # the site builds strictly and shows all of it
    out = build(site / "mkdocs.yml", strict=True)
    home = article(read(out, "projects/xinghe-shiyan/"))
    for text in (
        FORM["name"],
        FORM["branch"],
        "42",
        "一个支部带动三支队伍",
        "每月一次主题党日",
        "在学区内交流推广",
        "区级骨干教师",
        "青年教师职业认同感明显增强",
        "同意申报",
        "2025年3月10日",
    ):
        assert text in home, text
    assert (
        FORM["contact"] not in home and FORM["leader"] not in home
    )  # personal data stays off the site
    album_page = article(read(out, "projects/xinghe-shiyan/photos/" + project.albums[0].slug + "/"))
    assert album_page.count("<img") >= 3 and "党员教师上示范课" in album_page
    case_page = article(read(out, "projects/xinghe-shiyan/cases/" + project.cases[0].slug + "/"))
    assert "师徒结对协议" in case_page and ".docx" in case_page and "结对仪式" in case_page
    plan_page = article(read(out, "projects/xinghe-shiyan/plans/" + project.plans[0].slug + "/"))
    assert all(item in plan_page for item in ("开学工作部署", "“七一”主题党日", "教师节表彰"))


COMMENTED = """# 申报表（明理中学）——用记事本填写
项目名称: "明理“四有”工程"   # 与申报表一致

申报党支部: 明理中学党支部
# 党员人数按 2025 年统计
党员人数: 31
项目负责人: 赵老师
精品项目简介: 以“四有”好老师为目标，党员教师带头上好每一节课。
标签: [师德师风, 四有好老师]
显性及隐性指标:
  显性指标:
    - text: 市级优秀教师   # 三年目标
      target: 5
      unit: 人
      actual: {2024: 2}
  隐性指标:
    - 师生关系更融洽
支部（总支）意见:
  意见: 同意申报。
  日期: 2025-03-01
"""


def test_commented_chinese_keys_survive_and_disk_changes_are_not_overwritten(browser, tmp_path):
    folder = tmp_path / "projects" / "明理中学"
    write(folder / "project.yml", COMMENTED.encode("gb18030"))  # saved by Notepad as GBK
    make_image(folder / "logo.png", (400, 400))
    guard = Guard(expected=409)
    with start_editor(folder) as (url, _port, _log):
        context = _context(browser, guard)
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("#form")
        assert page.input_value('[name="members"]') == "31"
        page.fill('[name="members"]', "33")
        page.fill('[name="school"]', "明理中学")
        page.fill('[name="tags"]', "师德师风、四有好老师、青年教师")
        row = page.locator('.ind-group[data-kind="explicit"] [data-row]').first
        row.locator("[data-add-year]").click()
        row.locator("[data-pair]").nth(1).locator('[data-k="year"]').fill("2025")
        row.locator("[data-pair]").nth(1).locator('[data-k="value"]').fill("4")
        page.click("#save")
        page.wait_for_selector("#status.ok")

        text = (folder / "project.yml").read_bytes().decode("gb18030")
        for line in COMMENTED.splitlines():  # every comment is still there
            if "#" in line:
                assert "# " + line.split("# ", 1)[1] in text, line
        for key in (
            "项目名称:",
            "申报党支部:",
            "党员人数: 33",
            "精品项目简介:",
            "显性指标:",
            "隐性指标:",
            "意见:",
            "日期:",
        ):
            assert key in text, key
        assert "学校: 明理中学" in text  # a new key is written the way this file writes keys
        assert re.search(r"标签: \[师德师风, 四有好老师, 青年教师\]", text)
        assert "actual: {2024: 2, 2025: 4}" in text
        assert (
            text.index("精品项目简介") < text.index("学校") < text.index("标签")
        )  # in the table's order

        # someone changes project.yml while the form is open: the editor refuses to overwrite it
        page.fill('[name="members"]', "40")
        changed = text.replace("党员人数: 33", "党员人数: 35")
        (folder / "project.yml").write_bytes(changed.encode("gb18030"))
        page.click("#save")
        alert = page.locator("#alert")
        alert.wait_for()
        assert (
            "被其他程序改动过" in alert.inner_text() and "申报表和登记表各栏" in alert.inner_text()
        )
        assert (folder / "project.yml").read_bytes().decode("gb18030") == changed
        page.screenshot(path=str(SHOTS / "editor-conflict.png"))
        context.close()
    assert guard.problems == []
    from showcase.reading.load import load_project

    project = load_project(folder)
    assert project.values["members"] == 35 and project.values["school"] == "明理中学"
