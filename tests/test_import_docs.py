"""`showcase import-docx FILE --into PROJECT`: cases, plans and write-ups written in Word
become the project's Markdown with nothing lost (issue 20). Word files are built here with
python-docx in the layouts of seeds/000-004; the site is built with MkDocs and the pages
are read back."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import MINIMAL, build, make_project, make_site
from showcase.commands import importdocx as import_cmd
from showcase.office.officeimages import metadata_of
from wordfiles import APPENDIX, case_with_appendix, picture, plan_with_schedule


def _toc(html: str) -> list[str]:
    """The entries of the page's table of contents (Material's secondary navigation)."""
    m = re.search(r'<nav class="md-nav md-nav--secondary"(.*?)</nav>\s*</div>', html, re.S)
    assert m, "no table of contents"
    return [
        re.sub(r"<[^>]+>|\s+", "", t)
        for t in re.findall(r'<a href="#[^"]*" class="md-nav__link">(.*?)</a>', m.group(1), re.S)
    ]


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def _site(tmp_path: Path) -> tuple[Path, Path]:
    make_site(tmp_path)
    project = make_project(tmp_path / "projects", "青石小学", {**MINIMAL})
    return tmp_path / "mkdocs.yml", project


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def _case_page(site: Path) -> str:
    pages = [p for p in (site / "projects").rglob("cases/*/index.html")]
    assert len(pages) == 1, pages
    return pages[0].read_text(encoding="utf-8")


def _check_case(tmp_path: Path, capsys, *, styled: bool) -> None:
    config, project = _site(tmp_path)
    source = case_with_appendix(tmp_path / "名师工作室案例.docx", styled=styled)
    assert import_cmd.run_import_text([source], project) == 0
    out = capsys.readouterr().out
    # web-page lines are reported, not published
    assert "像是网页或下载网站加上的文字（THE END；打赏；海报；<<上一篇……）" in out
    case = project / "cases" / "青石小学“星火”名师工作室党建案例.md"
    meta = _front(case)
    assert meta["title"] == "青石小学“星火”名师工作室党建案例"
    assert str(meta["date"]) == "2024-05-08"
    # the 附录 list: every item, in order, with its title and type as the author wrote them
    listed = [(i["title"], i.get("type", "")) for i in meta["appendix"][: len(APPENDIX)]]
    kinds = {
        "(图片)": "图片",
        "(图片、文本)": "图片、文本",
        "(文本图片)": "文本、图片",
        "(图片、复印件)": "图片、复印件",
        "": "",
    }
    assert listed == [(title, kinds[kind]) for _n, title, kind in APPENDIX]
    # the photo under item 1 is in the case's folder without its GPS and camera
    photo = project / "cases" / case.stem / meta["appendix"][0]["files"][0]
    assert metadata_of(picture(exif_gps=True))["gps"]
    assert not any(metadata_of(photo.read_bytes()).values())
    body = case.read_text(encoding="utf-8")
    assert "THE END" not in body and "上一篇" not in body and "相关文档" not in body
    site = build(config)
    html = _case_page(site)
    toc = _toc(html)
    # headings in the page's table of contents, each number once, as typed
    for heading in (
        "一、“星火”主题活动的起因。",
        "1.学校合并带来的挑战",
        "二、“星火”主题活动的做法。",
        "1.宣传动员，积极筹备",
        "三、“星火”主题活动的成效。",
    ):
        assert heading in toc, (heading, toc)
    # the author's appendix heading is the appendix's title: once, never a second one
    assert toc[-1] == "四、“星火”主题活动的重要资料附录"
    assert re.findall(r"<h[1-6][^>]*>([^<]*附录[^<]*)</h", html) == [
        "四、“星火”主题活动的重要资料附录"
    ]
    assert "一、一、" not in html and "1. 1." not in _text(html)
    # the appendix on the page: numbered 1-5 in the author's order, titles and types
    items = re.findall(
        r'<span class="sc-appendix__no">(\d+)</span><span class="sc-appendix__label">'
        r'<span class="sc-appendix__title">(.*?)</span>(?: <span class="sc-appendix__type">(.*?)</span>)?',
        html,
    )
    assert [(n, t.replace("&ldquo;", "“").replace("&rdquo;", "”"), k) for n, t, k in items[:5]] == [
        (n, title, kinds[kind]) for n, title, kind in APPENDIX
    ]
    # bold and the Word list survive; web debris does not reach the page
    assert "<strong>党员就是名师的后备军</strong>" in html
    assert re.search(r"<ul>\s*<li>师徒结对</li>", html)
    for debris in ("THE END", "打赏", "上一篇", "下载文档前"):
        assert debris not in _text(html)


def test_a_case_with_word_heading_styles(tmp_path: Path, capsys) -> None:
    _check_case(tmp_path, capsys, styled=True)


def test_a_case_with_typed_numbering_only(tmp_path: Path, capsys) -> None:
    _check_case(tmp_path, capsys, styled=False)


def test_a_plan_with_months_recurring_work_issuer_and_scope(tmp_path: Path, capsys) -> None:
    config, project = _site(tmp_path)
    source = plan_with_schedule(tmp_path / "双培双树实施方案.docx")
    assert import_cmd.run_import_text([source], project) == 0  # a plan by its title
    out = capsys.readouterr().out
    assert "（计划“示范县学校党建“双培双树”工程实施方案”）" in out
    assert "下载文档前请自行甄别" in out and "未导入" in out
    plan = project / "plans" / "示范县学校党建“双培双树”工程实施方案.md"
    meta = _front(plan)
    assert meta["issuer"] == "示范县教育局党委"
    assert meta["scope"] == "全县中小学党组织"
    assert str(meta["date"]) == "2025-02-26" and meta["year"] == 2025
    assert meta["schedule"] == {
        "三月份": ["召开工程启动会", "下发年度培养计划"],
        "八月份": ["布置暑期党员理论自学"],
        "九月份": ["庆祝“教师节”，做好表彰工作"],
        "每季度": ["开展2次集中学习"],
        "每学期末": ["推荐储备库候选对象", "考评党员积分"],
        "七一前": ["表彰优秀共产党员"],
    }
    site = build(config)
    pages = list((site / "projects").rglob("plans/*/index.html"))
    assert len(pages) == 1
    html = pages[0].read_text(encoding="utf-8")
    text = _text(html)
    toc = _toc(html)
    for heading in (
        "一、总体要求",
        "二、主要任务",
        "（一）聚焦“双培”强根基",
        "1.骨干教师培养成党员",
    ):
        assert heading in toc, (heading, toc)
    assert "制定：示范县教育局党委" in text and "适用范围：全县中小学党组织" in text
    assert "印发：2025年2月26日" in text
    for item in (
        "召开工程启动会",
        "布置暑期党员理论自学",
        "开展2次集中学习",
        "考评党员积分",
        "表彰优秀共产党员",
    ):
        assert text.count(item) == 1, item  # in the schedule, once
    assert "每学期末" in text and "七一前" in text
    # the table and the bold run
    assert re.search(r"<td>储备库入库比例</td>\s*<td>不低于10%</td>", html)
    assert "<strong>党员教师先锋30名</strong>" in html
    for debris in ("下载文档前", "还能输入", "用户评论"):
        assert debris not in text


def test_as_case_overrides_and_bad_files_get_a_chinese_message(tmp_path: Path, capsys) -> None:
    _config, project = _site(tmp_path)
    source = plan_with_schedule(tmp_path / "方案.docx")
    assert import_cmd.run_import_text([source], project, "case") == 0
    assert (project / "cases" / "示范县学校党建“双培双树”工程实施方案.md").is_file()
    # the same again: never overwritten
    assert import_cmd.run_import_text([source], project, "case") == 1
    assert "已存在，未覆盖" in capsys.readouterr().err
    fake = tmp_path / "假的.docx"
    fake.write_text("不是 Word 文件", encoding="utf-8")
    old = tmp_path / "旧文档.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert import_cmd.run_import_text([fake], project) == 1
    err = capsys.readouterr().err
    assert "不是 Word（.docx）文件" in err
    assert import_cmd.run_import_text([tmp_path / "项目不存在.docx"], tmp_path / "nowhere") == 1
    assert "找不到项目文件夹" in capsys.readouterr().err


def test_the_editor_imports_a_word_case_and_keeps_it_through_a_save(
    tmp_path: Path, browser
) -> None:
    """从 Word 文件导入 in `showcase edit`, in chromium: the case arrives with its appendix,
    the debris is listed, and saving the form afterwards keeps the imported file as it is."""
    from conftest import SHOTS
    from editor_helpers import start_editor

    config, project = _site(tmp_path)
    source = case_with_appendix(tmp_path / "星火案例.docx", styled=False)
    with start_editor(project) as (url, _port, _log):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            page.goto(url)
            page.wait_for_selector("#word-import-button")
            page.select_option("#word-import-kind", "case")
            with page.expect_file_chooser() as chooser:
                page.click("#word-import-button")
            chooser.value.set_files(str(source))
            result = page.locator("#word-import-result")
            result.get_by_text("已把《星火案例.docx》导入为案例").wait_for()
            text = result.inner_text()
            assert "附录 6 项" in text and "THE END" in text  # the debris, listed
            assert "project.yml" not in text and ".md" not in text and "{" not in text
            page.locator("#word-import-result button").click()  # 刷新页面查看
            page.wait_for_selector('[data-part="case"]')
            assert "青石小学“星火”名师工作室党建案例" in page.content()
            page.locator("#sec-cases").screenshot(path=str(SHOTS / "word-import-1280.png"))
            case = project / "cases" / "青石小学“星火”名师工作室党建案例.md"
            before = _front(case)
            page.fill('[name="summary"]', "以名师工作室为平台培养青年教师。")
            page.click("#save")
            page.locator("#status", has_text="已保存").wait_for()
        finally:
            page.close()
    after = _front(case)
    assert after["appendix"][:5] == before["appendix"][:5]
    assert [i["title"] for i in after["appendix"][:5]] == [t for _n, t, _k in APPENDIX]
    site = build(config)
    assert "四、“星火”主题活动的重要资料附录" in _case_page(site)


def test_doc_and_wps_without_libreoffice_get_a_chinese_message(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    import shutil

    _config, project = _site(tmp_path)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    for name in ("案例.doc", "计划.wps"):
        old = tmp_path / name
        old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
        assert import_cmd.run_import_text([old], project) == 1
        err = capsys.readouterr().err
        assert f"{name}：这是旧版 Word 格式（.doc）、WPS 文字格式（.wps）" in err
        assert "另存为”Word 文档（*.docx）" in err and "LibreOffice" in err


def test_a_plan_for_a_whole_area_says_so(tmp_path: Path) -> None:
    """seeds/001: an area's plan with no 适用范围 line: the scope read from its title, marked."""
    from docx import Document
    from showcase.office.docimport import PLAN, import_text

    doc = Document()
    doc.add_paragraph("示范地区学校党建双培双树工程实施方案")
    doc.add_paragraph("一、总体要求")
    doc.add_paragraph("坚持党建引领。")
    doc.save(str(tmp_path / "方案.docx"))
    result = import_text(tmp_path / "方案.docx")
    assert result.kind == PLAN and result.meta["scope"] == "示范地区学校"
    assert result.notes == ["适用范围“示范地区学校”是从标题推断的，请核对"]


def test_a_broken_picture_and_a_long_appendix_import_without_a_crash(tmp_path: Path) -> None:
    """A picture part that is no picture is left out (said nowhere else to break); an
    appendix of 120 items keeps all of them in order."""
    import io
    import zipfile

    from docx import Document
    from docx.shared import Cm
    from showcase.office.docimport import import_text

    doc = Document()
    doc.add_paragraph("一个案例")
    doc.add_paragraph("正文第一段。")
    doc.add_paragraph().add_run().add_picture(io.BytesIO(picture()), width=Cm(3))
    doc.add_paragraph("附录：")
    for n in range(1, 121):
        doc.add_paragraph(f"{n}.材料{n}(图片)")
    good = tmp_path / "good.docx"
    doc.save(str(good))
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("word/media/"):
                data = b"\xff\xd8\xff\xe0 not really a jpeg" + b"\0" * 64
            dst.writestr(info, data)
    result = import_text(broken)
    titles = [item["title"] for item in result.meta["appendix"]]
    assert titles == [f"材料{n}" for n in range(1, 121)]
    assert all(item["type"] == "图片" for item in result.meta["appendix"])
    assert result.pictures == []
    assert "正文第一段。" in result.body


def test_the_command_line_wires_into_and_as(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from showcase.commands.cli import main

    _config, project = _site(tmp_path)
    source = case_with_appendix(tmp_path / "案例.docx", styled=True)
    result = CliRunner().invoke(
        main, ["import-docx", str(source), "--into", str(project), "--as", "plan"]
    )
    assert result.exit_code == 0, result.output
    assert "（计划“青石小学“星火”名师工作室党建案例”）" in result.output
    assert (project / "plans" / "青石小学“星火”名师工作室党建案例.md").is_file()
    result = CliRunner().invoke(main, ["import-docx", str(source), "--as", "story"])
    assert result.exit_code == 2  # click names the choices


def test_heading_1_as_the_title_puts_sections_at_the_top_level(tmp_path: Path) -> None:
    from docx import Document
    from showcase.office.docimport import import_text

    doc = Document()
    doc.add_heading("案例标题", 1)
    doc.add_heading("一、背景", 2)
    doc.add_paragraph("正文。")
    doc.add_heading("（一）起因", 3)
    doc.add_paragraph("正文。")
    doc.save(str(tmp_path / "h.docx"))
    result = import_text(tmp_path / "h.docx")
    assert result.title == "案例标题"
    assert result.body == "## 一、背景\n\n正文。\n\n### （一）起因\n\n正文。\n"
