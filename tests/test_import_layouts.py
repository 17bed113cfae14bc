"""import-docx on forms laid out the way districts really send them (issue 14): labels
inside merged value cells, 隐形 for 隐性, the empty signature block, 表一 and 表二 in one
file, numbering pasted inside Word's own lists. Each form is made here with python-docx."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import yaml
from conftest import build, make_site
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from showcase.commands import export as export_cmd
from showcase.commands import importdocx as import_cmd
from showcase.commands.siteconfig import load_site
from showcase.core import targets
from showcase.office import importform
from showcase.reading.load import load_project
from test_office import full_project, logo_bytes


def _hyperlink(paragraph, url: str, text: str) -> None:
    """A real Word hyperlink (w:hyperlink with a relationship), as Word writes one."""
    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    text_el = OxmlElement("w:t")
    text_el.text = text
    run.append(text_el)
    link.append(run)
    paragraph._p.append(link)


def _numbered(cell, text: str, *, first: bool = False) -> None:
    """A paragraph in Word's own numbered list (List Number style)."""
    para = cell.paragraphs[0] if first else cell.add_paragraph()
    para.style = "List Number"
    para.add_run(text)


def merged_label_form(path: Path) -> Path:
    """Rows that are one merged cell holding label and text; a value cell that repeats
    its label; 显形/隐形 headings numbered 一、二、 with （一） items; numbering pasted into
    a Word list; the empty signature block."""
    doc = Document()
    doc.add_paragraph("党建精品项目申报表")
    t = doc.add_table(rows=9, cols=4)
    t.style = "Table Grid"

    def whole(r: int):
        return t.cell(r, 0).merge(t.cell(r, 3))

    t.cell(0, 0).text = "项目名称"
    t.cell(0, 1).merge(t.cell(0, 3)).text = "“红烛领航”工程"
    t.cell(1, 0).text = "申报党支部"
    t.cell(1, 1).text = "中共云岭中学党支部"
    t.cell(1, 2).text = "党员人数"
    t.cell(1, 3).text = "42"
    # the label written inside a merged cell, the text after its colon
    whole(2).text = "精品标识释义：标识整体为圆形，红烛居中，寓意党员教师燃烧自己、照亮学生。"
    # the label alone on the first line of the merged cell, the text below
    goals = whole(3)
    goals.text = "项目实施目标"
    goals.add_paragraph("用三年时间建成一支“红烛”党员教师队伍。")
    # the label cell, and a value cell that repeats the label before the text
    t.cell(4, 0).text = "项目实施的预期效果及影响"
    t.cell(4, 1).merge(t.cell(4, 3)).text = "预期效果：形成“红烛”育人品牌。"
    t.cell(5, 0).text = "显性及隐性指标"
    ind = t.cell(5, 1).merge(t.cell(5, 3))
    ind.text = "一、显形指标:"
    ind.add_paragraph("（一）培养区级骨干教师（目标：10-15名）")
    ind.add_paragraph("（二）党员教师公开课覆盖率（目标：不低于90%）")
    ind.add_paragraph("1. 每学期党员示范课（目标：至少2次）")
    ind.add_paragraph("二、隐形指标：")
    ind.add_paragraph("（一）党员教师先锋形象更加鲜明")
    ind.add_paragraph("（二）家长满意度持续提升")
    t.cell(6, 0).text = "项目实施的主要举措、载体与步骤"
    steps = t.cell(6, 1).merge(t.cell(6, 3))
    # pasted from another document: each item keeps its typed number inside Word's list
    _numbered(steps, "1、做好红烛党员教师的选拔", first=True)
    _numbered(steps, "2、开展“红烛讲堂”")
    _numbered(steps, "（三）建立成长档案")
    t.cell(7, 0).text = "精品项目彩色LOGO标识"
    t.cell(7, 1).merge(t.cell(7, 3)).paragraphs[0].add_run().add_picture(
        io.BytesIO(logo_bytes()), width=Cm(2)
    )
    box = whole(8)
    box.text = "支部（总支）意见："
    box.add_paragraph("")
    box.add_paragraph("书记签名：　　　　　　　　")
    box.add_paragraph("党支部（总支）盖章")
    box.add_paragraph("　　　　年　　月　　日")
    doc.save(str(path))
    return path


def both_tables_form(path: Path, *, registry_name: str = "“红烛领航”党建工程") -> Path:
    """One file with 表一 (the registry: a header row over one row per branch) and 表二."""
    doc = Document()
    doc.add_paragraph("表一")
    doc.add_paragraph("展示专栏首页地址登记表")
    reg = doc.add_table(rows=2, cols=6)
    reg.style = "Table Grid"
    headers = [
        "序号",
        "党支部（总支）",
        "党建精品项目LOGO图标",
        "展示专栏首页地址",
        "精品项目名称",
        "精品项目简介（200字以内）",
    ]
    for cell, text in zip(reg.rows[0].cells, headers, strict=True):
        cell.text = text
    row = reg.rows[1].cells
    row[0].text = "1"
    row[1].text = "云岭中学党支部"
    row[2].paragraphs[0].add_run().add_picture(io.BytesIO(logo_bytes((120, 120))), width=Cm(1.5))
    _hyperlink(
        row[3].paragraphs[0],
        "https://www.yunling.example.cn/Components/NewsMain.aspx?moduleid=221",
        "学校网站“红烛领航”专栏",
    )
    row[4].text = registry_name
    row[5].text = "以红烛精神引领党员教师立德树人。"
    doc.add_paragraph("")
    doc.add_paragraph("表二")
    doc.add_paragraph("党建精品项目申报表")
    form = doc.add_table(rows=4, cols=4)
    form.style = "Table Grid"
    form.cell(0, 0).text = "项目名称"
    form.cell(0, 1).merge(form.cell(0, 3)).text = "“红烛领航”工程"
    form.cell(1, 0).text = "申报党\n支  部"
    form.cell(1, 1).text = "云岭中学党支部"
    form.cell(1, 2).text = "党员人数"
    form.cell(1, 3).text = "42"
    form.cell(2, 0).text = "项目实施目标"
    form.cell(2, 1).merge(form.cell(2, 3)).text = "建成一支“红烛”党员教师队伍。"
    form.cell(3, 0).text = "支部（总支）意见"
    opinion = form.cell(3, 1).merge(form.cell(3, 3))
    opinion.text = "同意申报。"
    opinion.add_paragraph("党支部书记（签名）：周建国")
    opinion.add_paragraph("党支部（总支）盖章")
    opinion.add_paragraph("2025年3月12日")
    doc.save(str(path))
    return path


def _import(tmp_path: Path, form: Path, capsys) -> tuple[dict, str, Path]:
    assert import_cmd.run_import([form], tmp_path / "projects") == 0
    out = capsys.readouterr().out
    folder = next((tmp_path / "projects").iterdir())
    return yaml.safe_load((folder / "project.yml").read_text(encoding="utf-8")), out, folder


def test_labels_inside_merged_cells_and_the_spellings_authors_use(tmp_path: Path, capsys) -> None:
    data, out, folder = _import(tmp_path, merged_label_form(tmp_path / "云岭.docx"), capsys)
    meaning = (folder / "logo_meaning.md").read_text(encoding="utf-8")
    assert meaning == "标识整体为圆形，红烛居中，寓意党员教师燃烧自己、照亮学生。\n"
    assert (folder / "goals.md").read_text(encoding="utf-8") == (
        "用三年时间建成一支“红烛”党员教师队伍。\n"
    )
    assert (folder / "effects.md").read_text(encoding="utf-8") == "形成“红烛”育人品牌。\n"
    # 显形/隐形, 一、/（一）/1. numbering, half- and full-width colons; headings are no items
    assert data["indicators"] == {
        "explicit": [
            {"text": "培养区级骨干教师", "target": "10-15名"},
            {"text": "党员教师公开课覆盖率", "target": "不低于90%"},
            {"text": "每学期党员示范课", "target": "至少2次"},
        ],
        "implicit": ["党员教师先锋形象更加鲜明", "家长满意度持续提升"],
    }
    # the pasted numbers are kept, never a second number in front
    assert (folder / "measures.md").read_text(encoding="utf-8") == (
        "1. 做好红烛党员教师的选拔\n2. 开展“红烛讲堂”\n\n（三）建立成长档案\n"
    )
    # the unsigned block (书记签名 / 盖章 / 年 月 日) is no opinion
    assert "opinion" not in data
    assert "【为空】支部（总支）意见 (opinion)：“支部（总支）意见”为空" in out
    # where each field came from
    assert "【已读取】精品标识释义 (logo_meaning)：表二（申报表）第 3 行（与栏目名在同一格）" in out
    assert "【已读取】项目实施目标 (goals)：表二（申报表）第 4 行（与栏目名在同一格）" in out
    assert "【已读取】显性及隐性指标 (indicators)：表二（申报表）第 6 行" in out
    assert "【已读取】党员人数 (members)：表二（申报表）第 2 行" in out
    assert "【未找到】项目负责人 (leader)：未找到“项目负责人”栏目" in out
    # the loader reads the targets as written
    project = load_project(folder)
    by_text = {i.text: i for i in project.indicators}
    assert by_text["培养区级骨干教师"].bound == targets.RANGE
    assert (by_text["培养区级骨干教师"].target, by_text["培养区级骨干教师"].target_high) == (10, 15)
    assert by_text["党员教师公开课覆盖率"].bound == targets.AT_LEAST
    assert by_text["党员教师公开课覆盖率"].target_label == "不低于90%"
    assert not [f for f in project.findings if f.is_error and f.field != "summary"]


def test_both_tables_in_one_file(tmp_path: Path, capsys) -> None:
    data, out, folder = _import(tmp_path, both_tables_form(tmp_path / "云岭中学.docx"), capsys)
    # 展示专栏首页地址 and the brief come from 表一; the address behind the link text
    assert (
        data["homepage"] == "https://www.yunling.example.cn/Components/NewsMain.aspx?moduleid=221"
    )
    assert data["summary"] == "以红烛精神引领党员教师立德树人。"
    # the project name differs: 表二's is kept, both are named in a finding
    assert data["name"] == "“红烛领航”工程"
    assert data["branch"] == "云岭中学党支部"
    assert data["opinion"] == {
        "text": "同意申报。",
        "signed_by": "周建国",
        "date": dt.date(2025, 3, 12),
    }
    assert (
        "警告：" in out
        and "精品项目名称 (name): 两张表填写不一致：表二（申报表）为““红烛领航”工程”，"
        "表一（登记表）为““红烛领航”党建工程”；已采用表二（申报表）的，请核对"
        in out
    )
    assert "【已读取】展示专栏首页地址 (homepage)：表一（登记表）第 2 行“展示专栏首页地址”列" in out
    assert "【已读取】精品项目名称 (name)：表二（申报表）第 1 行" in out
    assert "【已读取】精品项目简介 (summary)：表一（登记表）第 2 行" in out
    # the logo from 表二 is missing here, so 表一's picture is used, and said so
    assert "【已读取】党建精品项目LOGO图标 (logo)：表一（登记表）第 2 行" in out
    assert (folder / "logo.png").is_file()
    # a guessed value is marked as a guess, in the report and in project.yml
    assert "【推断】学校 (school)：“云岭中学”，由支部名称“云岭中学党支部”推断，请核对" in out
    text = (folder / "project.yml").read_text(encoding="utf-8")
    assert "# 学校（推断值：由支部名称“云岭中学党支部”推断，请核对）\nschool: 云岭中学" in text
    assert "# 展示专栏首页地址 ← 表一（登记表）第 2 行“展示专栏首页地址”列\nhomepage:" in text
    # every field has its line in the report
    from showcase.core.fields import FIELDS

    for f in FIELDS:
        assert f"{f.display()}：" in out, f.key
    project = load_project(folder)
    assert not [f for f in project.findings if f.is_error]


def test_same_name_in_both_tables_is_no_finding(tmp_path: Path, capsys) -> None:
    form = both_tables_form(tmp_path / "a.docx", registry_name="“红烛领航” 工程")
    data = importform.read_form(form)
    assert data.findings == []  # the same name, spaced differently
    assert data.values["name"] == "“红烛领航”工程"


def test_a_real_opinion_keeps_text_signer_and_date() -> None:
    from showcase.office.docxtext import Para
    from showcase.office.formvalues import parse_opinion

    def paras(*lines):
        return [Para(line) for line in lines]

    assert parse_opinion(paras("书记签名：", "党支部（总支）盖章", "年  月  日")) is None
    assert parse_opinion(paras("书记签字：＿＿＿＿（盖章）", "２０２５年　月　日")) is None
    assert parse_opinion(
        paras("经支部委员会研究，同意申报。", "书记签名：王　红　　党支部（总支）盖章", "2025.3.10")
    ) == {"text": "经支部委员会研究，同意申报。", "signed_by": "王红", "date": dt.date(2025, 3, 10)}
    assert parse_opinion(paras("同意。各项规章制度健全。")) == {"text": "同意。各项规章制度健全。"}


def test_new_indicator_forms_survive_the_form_round_trip(tmp_path: Path, capsys) -> None:
    make_site(tmp_path)
    full_project(
        tmp_path / "projects",
        indicators={
            "explicit": [
                {"text": "区级骨干教师", "target": "10-15", "unit": "名"},
                {"text": "储备库教师占比", "target": "不低于10%"},
                {"text": "年度考评优秀率", "target": "85%以上", "actual": {2025: 80}},
                {"text": "集中学习", "target": "每季度至少2次"},
                {"text": "师德投诉", "target": "不超过0起"},
                {"text": "高级职称教师", "target": 20, "unit": "人"},
                "师德师风持续向好",
            ],
            "隐形指标": ["青年教师归属感增强"],
        },
    )
    settings = load_site(str(tmp_path / "mkdocs.yml")).settings
    form = tmp_path / "out" / "申报表.docx"
    assert export_cmd.run_export_form(settings, "青禾路小学", form) == 0
    assert import_cmd.run_import([form], tmp_path / "imported") == 0
    original = load_project(tmp_path / "projects" / "青禾路小学")
    back = load_project(tmp_path / "imported" / "青禾路小学")
    # the form shows targets as written, not yearly values
    for ind in original.indicators:
        ind.actual = {}
    assert back.indicators == original.indicators
    assert [i.target_label for i in back.indicators if i.target is not None] == [
        "10-15名",
        "不低于10%",
        "85%以上",
        "每季度至少2次",
        "不超过0起",
        "20人",
    ]


def test_registry_as_the_real_file_lays_it_out(tmp_path: Path, capsys) -> None:
    """seeds/000: 表一 a header row of three over a value row, then label/value rows
    (精品项目名称, 精品项目简介（200字以内）) merged across; 表二 below. Nothing is lost:
    the brief and the address come from 表一, both names are reported."""
    from wordfiles import BRIEF, registry_and_form

    data, out, folder = _import(
        tmp_path, registry_and_form(tmp_path / "登记表和申报表.docx"), capsys
    )
    assert data["summary"] == BRIEF
    assert (
        data["homepage"] == "https://www.qingshi.example.cn/Components/NewsMain.aspx?moduleid=221"
    )
    assert data["branch"] == "青石党总支" and data["members"] == 97
    assert data["name"] == "“2+4”党组织共建工程"
    assert "【已读取】精品项目简介 (summary)：表一（登记表）第 4 行" in out
    assert "【已读取】展示专栏首页地址 (homepage)：表一（登记表）第 2 行“展示专栏首页地址”列" in out
    # the two tables' names, both in one warning
    assert "表二（申报表）为““2+4”党组织共建工程”，表一（登记表）为“党组织“2+4”共建工程”" in out
    assert (folder / "logo_meaning.md").read_text(encoding="utf-8").startswith("两只手托起")
    assert data["indicators"]["implicit"] == ["团队凝心聚力，教师职业幸福感提升"]
    assert "opinion" not in data  # the unsigned block
    assert "【为空】" not in out.split("精品项目简介")[1].split("\n")[0]
    # the brief is kept whole and the loader says it is over the limit (by Word's count)
    make_site(tmp_path)
    settings = load_site(str(tmp_path / "mkdocs.yml")).settings
    from showcase.checking.rules import check_project

    over = [f for f in check_project(load_project(folder), settings) if f.field == "summary"]
    assert over and over[0].message == "233 字，超出 200 字上限"
    # published: the brief whole on the project's page, the lead and the phone not at all
    html = (build(tmp_path / "mkdocs.yml") / "projects" / "qingshi" / "index.html").read_text(
        encoding="utf-8"
    )
    assert BRIEF in html and "“2+4”党组织共建工程" in html
    assert "张老师" not in html and "13800000000" not in html


def test_registry_labels_over_their_values(tmp_path: Path) -> None:
    """表一 with each label alone on its row and the value on the row below it."""
    doc = Document()
    t = doc.add_table(rows=5, cols=3)
    for cell, text in zip(
        t.rows[0].cells, ["党支部（总支）", "党建精品项目LOGO图标", "展示专栏首页地址"], strict=True
    ):
        cell.text = text
    t.cell(1, 0).text = "丙小学党支部"
    t.cell(1, 2).text = "https://c.example.cn/"
    t.cell(2, 0).merge(t.cell(2, 2)).text = "精品项目简介（200字以内）"
    t.cell(3, 0).merge(t.cell(3, 2)).text = "丙小学的简介。"
    doc.save(str(tmp_path / "丙.docx"))
    [data] = importform.read_forms(tmp_path / "丙.docx")
    assert data.values["summary"] == "丙小学的简介。"
    assert data.places["summary"] == "表一（登记表）第 4 行（“精品项目简介（200字以内）”下方）"
    assert data.values["branch"] == "丙小学党支部"


def test_several_branches_in_one_registry_each_become_a_project(tmp_path: Path, capsys) -> None:
    """Two small 表一 tables (one per branch) and one 表二: 表二 joins the branch it names."""
    from wordfiles import registry_and_form

    form = registry_and_form(tmp_path / "两个支部.docx", second_branch=True)
    assert import_cmd.run_import([form], tmp_path / "projects") == 0
    out = capsys.readouterr().out
    assert "登记表里有 2 个支部" in out
    folders = {p.name: p for p in (tmp_path / "projects").iterdir()}
    second = yaml.safe_load((folders["白桦小学"] / "project.yml").read_text(encoding="utf-8"))
    assert second["name"] == "“三心”育人工程"
    assert second["homepage"] == "https://www.baihua.example.cn/dj/"
    assert (folders["白桦小学"] / "logo.jpg").is_file()
    first = yaml.safe_load((folders["青石"] / "project.yml").read_text(encoding="utf-8"))
    assert first["members"] == 97  # 表二 went to its own branch


def test_a_merged_district_grid_gives_one_project_per_row(tmp_path: Path) -> None:
    """A header row over one row per branch (the district's merged returns)."""
    doc = Document()
    grid = doc.add_table(rows=4, cols=5)
    heads = [
        "序号",
        "党支部（总支）",
        "展示专栏首页地址",
        "精品项目名称",
        "精品项目简介（200字以内）",
    ]
    for cell, text in zip(grid.rows[0].cells, heads, strict=True):
        cell.text = text
    for r, (branch, name) in enumerate([("甲小学党支部", "甲工程"), ("乙中学党支部", "乙工程")], 1):
        cells = grid.rows[r].cells
        cells[0].text, cells[1].text, cells[3].text = str(r), branch, name
        cells[2].text = f"https://{r}.example.cn/"
        cells[4].text = f"{name}的简介。"
    doc.save(str(tmp_path / "汇总.docx"))  # row 3 stays empty: skipped
    forms = importform.read_forms(tmp_path / "汇总.docx")
    assert [(d.values["branch"], d.values["name"], d.values["summary"]) for d in forms] == [
        ("甲小学党支部", "甲工程", "甲工程的简介。"),
        ("乙中学党支部", "乙工程", "乙工程的简介。"),
    ]
    assert forms[1].places["name"] == "表一（登记表）第 3 行“精品项目名称”列"
