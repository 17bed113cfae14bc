"""Word and Excel: import the 申报表, export the registry and the form (issue 5)."""

from __future__ import annotations

import csv
import io
import json
import posixpath
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
import yaml
from conftest import build, make_image, make_project, make_site, read, write
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Mm
from PIL import Image, ImageDraw
from showcase.commands import export as export_cmd
from showcase.commands import importdocx as import_cmd
from showcase.commands.siteconfig import load_site
from showcase.config import default_settings
from showcase.core.fields import FORM_FIELDS, registry_headers
from showcase.core.model import Indicator, Opinion
from showcase.office import docxtext, importform, registry, word
from showcase.office.form import form_docx
from showcase.reading.load import load_project

# --- forms made the way schools make them ------------------------------------------


def logo_bytes(size=(300, 300), fmt="PNG", **save) -> bytes:
    buf = io.BytesIO()
    img = Image.new("RGB", size, (200, 16, 46))
    ImageDraw.Draw(img).ellipse(
        [size[0] // 5, size[1] // 5, size[0] * 4 // 5, size[1] * 4 // 5], fill=(242, 193, 78)
    )
    img.save(buf, fmt, **save)
    return buf.getvalue()


def real_layout_form(path: Path, *, branch: str = "青禾路小学党支部") -> Path:
    """A 申报表 as typed in Word: labels broken by spaces and empty paragraphs, merged
    value cells, a label spanning two rows, Word numbering, the logo inside its cell."""
    doc = Document()
    doc.add_paragraph("党建精品项目申报表")
    t = doc.add_table(rows=11, cols=4)
    t.style = "Table Grid"

    def label(r: int, c: int, *lines: str) -> None:
        # Word forms put each label line in its own paragraph, often with empty ones between
        cell = t.cell(r, c)
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)

    def wide(r: int):
        return t.cell(r, 1).merge(t.cell(r, 3))

    label(0, 0, "项目名称")
    wide(0).text = "党组织“1+5”建设工程"
    label(1, 0, "精品项目彩色", "LOGO标识")
    wide(1).paragraphs[0].add_run().add_picture(io.BytesIO(logo_bytes()), width=Cm(3))
    label(2, 0, "申报党", "", "支  部")
    t.cell(2, 1).text = branch
    t.cell(2, 2).text = "党员\n人数"  # a line break inside the paragraph
    t.cell(2, 3).text = "25 人"
    label(3, 0, "项  目", "", "负责人")
    t.cell(3, 1).text = "张老师"
    label(3, 2, "联系", "", "方式")
    t.cell(3, 3).text = "13800000000"
    label(4, 0, "项目实施", "目  标")
    goals = wide(4)
    goals.text = "培养一支政治过硬、业务精湛的教师队伍。"
    goals.add_paragraph("")
    goals.add_paragraph("每年发展青年教师党员不少于 2 名。")
    label(5, 0, "精品标识", "释  义")
    wide(5).text = "标识由红色书本和金色火炬组成，寓意立德树人、薪火相传。"
    span = t.cell(6, 0).merge(t.cell(7, 0))  # one label over two rows
    span.text = "显性及隐性\n指  标"
    explicit = wide(6)
    explicit.text = "显性指标："
    explicit.add_paragraph("1. 培养省级名师1名")
    explicit.add_paragraph("2. 区级学科带头人（目标：20人）")
    explicit.add_paragraph("3、师德投诉零发生")
    wide(7).text = "隐性指标：教师职业认同感增强；家校关系更加融洽"
    label(8, 0, "项目实施的主要举措、", "载体与步骤")
    measures = wide(8)
    measures.text = "一、建机制"
    measures.add_paragraph("建立“双培”台账。", style="List Number")
    measures.add_paragraph("每季度开展两次专题学习。", style="List Number")
    measures.add_paragraph("二、搭平台")
    measures.add_paragraph("成立名师工作室。", style="List Bullet")
    label(9, 0, "项目实施的预期", "效果及影响")
    wide(9).text = "形成可复制的支部品牌。"
    label(10, 0, "支部（总支）", "意  见")
    opinion = wide(10)
    opinion.text = "同意申报。"
    opinion.add_paragraph("书记签字：王书记　　（盖章）")
    opinion.add_paragraph("2025年3月10日")
    doc.add_paragraph("注：精品项目须具有前瞻性、创新性、适切性、可操作性。")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def vertical_form(path: Path) -> Path:
    """Another school's layout: long texts under their label, the opinion label inside its
    own box, hints in brackets, a JPEG logo placed outside the logo cell."""
    doc = Document()
    doc.add_paragraph().add_run().add_picture(
        io.BytesIO(logo_bytes((200, 120), "JPEG")), width=Cm(3)
    )
    t = doc.add_table(rows=8, cols=2)
    t.style = "Table Grid"
    t.cell(0, 0).text = "项目名称："
    t.cell(0, 1).text = "“2345”党建品牌"
    t.cell(1, 0).text = "申报党支部（总支）"
    t.cell(1, 1).text = "中共明德教育集团党总支"
    t.cell(2, 0).text = "精品项目简介（200字以内）"
    t.cell(2, 1).text = "双岗三比四创五帮。"
    merged = t.cell(3, 0).merge(t.cell(3, 1))
    merged.text = "项目实施的主要举措、载体与步骤"
    body = t.cell(4, 0).merge(t.cell(4, 1))
    body.text = "1、立足双岗"
    body.add_paragraph("2、开展三比")
    body.add_paragraph("• 比师德")
    t.cell(5, 0).merge(t.cell(5, 1)).text = "精品项目彩色LOGO标识"
    t.cell(6, 0).merge(t.cell(6, 1)).text = ""
    box = t.cell(7, 0).merge(t.cell(7, 1))
    box.text = "支部（总支）意见："
    box.add_paragraph("")
    box.add_paragraph("书记签字：　　　　　　（盖章）")
    box.add_paragraph("　　年　　月　　日")
    doc.save(str(path))
    return path


def test_import_real_layout_reads_every_field(tmp_path: Path, capsys) -> None:
    form = real_layout_form(tmp_path / "青禾路小学申报表.docx")
    code = import_cmd.run_import([form], tmp_path / "projects")
    out = capsys.readouterr().out
    assert code == 0, out
    folder = tmp_path / "projects" / "青禾路小学"
    assert sorted(p.name for p in folder.iterdir()) == [
        "effects.md",
        "goals.md",
        "logo.png",
        "logo_meaning.md",
        "measures.md",
        "project.yml",
    ]
    data = yaml.safe_load((folder / "project.yml").read_text(encoding="utf-8"))
    assert data["name"] == "党组织“1+5”建设工程"
    assert data["branch"] == "青禾路小学党支部"
    assert data["members"] == 25
    assert data["leader"] == "张老师"
    assert data["contact"] == "13800000000"
    assert data["indicators"] == {
        "explicit": [
            "培养省级名师1名",
            {"text": "区级学科带头人", "target": 20, "unit": "人"},
            "师德投诉零发生",
        ],
        "implicit": ["教师职业认同感增强", "家校关系更加融洽"],
    }
    assert data["opinion"] == {
        "text": "同意申报。",
        "signed_by": "王书记",
        "date": __import__("datetime").date(2025, 3, 10),
    }
    assert (folder / "goals.md").read_text(encoding="utf-8") == (
        "培养一支政治过硬、业务精湛的教师队伍。\n\n每年发展青年教师党员不少于 2 名。\n"
    )
    # Word's own numbering (List Number / List Bullet) becomes Markdown lists
    assert (folder / "measures.md").read_text(encoding="utf-8") == (
        "一、建机制\n\n1. 建立“双培”台账。\n2. 每季度开展两次专题学习。\n\n二、搭平台\n\n- 成立名师工作室。\n"
    )
    assert "金色火炬" in (folder / "logo_meaning.md").read_text(encoding="utf-8")
    assert "支部品牌" in (folder / "effects.md").read_text(encoding="utf-8")
    with Image.open(folder / "logo.png") as logo:
        assert logo.size == (300, 300)
    # the loader accepts the folder; only the brief (not on the form) is missing, and we said so
    project = load_project(folder)
    assert [f.field for f in project.findings if f.is_error] == ["summary"]
    assert project.logo is not None and project.logo.path.name == "logo.png"
    assert "精品项目简介" in out and "summary" in out
    assert "✓" in out


def test_import_vertical_layout_label_in_box_and_first_image(tmp_path: Path, capsys) -> None:
    form = vertical_form(tmp_path / "明德.docx")
    assert import_cmd.run_import([form], tmp_path / "projects") == 0
    out = capsys.readouterr().out
    folder = tmp_path / "projects" / "明德教育集团"
    data = yaml.safe_load((folder / "project.yml").read_text(encoding="utf-8"))
    assert data["name"] == "“2345”党建品牌"
    assert data["branch"] == "中共明德教育集团党总支"
    assert data["school"] == "明德教育集团"
    assert data["summary"] == "双岗三比四创五帮。"
    assert "opinion" not in data  # a blank box waiting for the signature
    assert (folder / "measures.md").read_text(
        encoding="utf-8"
    ) == "1. 立足双岗\n2. 开展三比\n- 比师德\n"
    assert (folder / "logo.jpg").is_file()
    for said in ("第一张图片", "未找到“党员人数”", "“支部（总支）意见”为空", "未找到“联系方式”"):
        assert said in out, said
    project = load_project(folder)
    assert not [f for f in project.findings if f.is_error]


def test_import_several_forms_never_overwrites(tmp_path: Path, capsys) -> None:
    projects = tmp_path / "projects"
    first = real_layout_form(tmp_path / "a.docx")
    second = real_layout_form(tmp_path / "b.docx", branch="云岭中学党支部")
    again = real_layout_form(tmp_path / "c.docx")  # same branch as the first
    code = import_cmd.run_import([first, second, again], projects)
    captured = capsys.readouterr()
    assert code == 1
    assert sorted(p.name for p in projects.iterdir()) == ["云岭中学", "青禾路小学"]
    assert "已存在，未覆盖" in captured.err and "c.docx" in captured.err
    assert "共 3 份申报表：导入 2 份，失败 1 份" in captured.out
    # an edited folder survives a second import untouched
    yml = projects / "青禾路小学" / "project.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "summary: 已补写。\n", encoding="utf-8")
    before = yml.read_bytes()
    assert import_cmd.run_import([first], projects) == 1
    assert yml.read_bytes() == before
    assert not [p for p in projects.iterdir() if p.name.startswith(".")]


def test_old_doc_and_broken_files_get_clear_messages(tmp_path: Path, capsys) -> None:
    doc = write(tmp_path / "旧表.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    fake = write(tmp_path / "坏表.docx", b"this is not a zip")
    empty = tmp_path / "空白.docx"
    Document().save(str(empty))
    code = import_cmd.run_import([doc, fake, empty], tmp_path / "projects")
    err = capsys.readouterr().err
    assert code == 1
    if shutil.which("soffice") or shutil.which("libreoffice"):
        assert "旧表.doc：用 LibreOffice 转换 .doc 失败" in err  # not a real .doc
    else:
        assert "旧表.doc：这是旧版 Word 格式（.doc）" in err and "LibreOffice" in err
    assert err.count("另存为") == 2
    assert "坏表.docx：不是 Word（.docx）文件" in err
    assert "空白.docx：文件里没有找到申报表的表格" in err
    assert "Traceback" not in err
    assert not (tmp_path / "projects").exists() or not any((tmp_path / "projects").iterdir())


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")), reason="needs LibreOffice"
)
def test_old_doc_is_converted_with_libreoffice(tmp_path: Path, capsys) -> None:
    import subprocess

    form = real_layout_form(tmp_path / "src" / "表.docx")
    office = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(form),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert import_cmd.run_import([tmp_path / "表.doc"], tmp_path / "projects") == 0
    data = yaml.safe_load(
        (tmp_path / "projects" / "青禾路小学" / "project.yml").read_text(encoding="utf-8")
    )
    assert data["leader"] == "张老师" and data["members"] == 25


# --- a project with every field, for the exports ------------------------------------

FULL = {
    "branch": "青禾路小学党支部",
    "school": "青禾路小学",
    "name": "党组织“1+5”建设工程",
    "summary": "以一个支部带动五支队伍，打造师德高尚、业务精良的教师团队。",
    "members": 25,
    "leader": "张老师",
    "contact": "13800000000",
    "logo_meaning": "标识由红色书本和金色火炬组成，寓意立德树人、薪火相传。",
    "indicators": {
        "explicit": [
            "培养省级名师1名",
            {"text": "区级学科带头人", "target": 20, "unit": "人", "actual": {2024: 12}},
        ],
        "implicit": ["教师职业认同感增强"],
    },
    "effects": "形成可复制的支部品牌。\n\n带动全区学校党建工作。",
    "opinion": {"text": "同意申报。", "signed_by": "王书记", "date": "2025-03-10"},
}
GOALS = "培养一支政治过硬、业务精湛的教师队伍。\n\n每年发展青年教师党员不少于 2 名。\n"
MEASURES = (
    "一、建机制\n\n1. 建立“双培”台账。\n2. 每季度开展两次**专题学习**。\n\n"
    "二、搭平台\n\n- 成立[名师工作室](https://example.edu.cn/)。\n"
)


def full_project(root: Path, folder: str = "青禾路小学", **changes) -> Path:
    fields = {**FULL, **changes}
    path = make_project(root, folder, fields)
    write(path / "goals.md", GOALS)
    write(path / "measures.md", MEASURES)
    return path


def test_export_form_then_import_gives_back_the_fields(tmp_path: Path, capsys) -> None:
    make_site(tmp_path)
    full_project(tmp_path / "projects")
    settings = load_site(str(tmp_path / "mkdocs.yml")).settings
    form = tmp_path / "out" / "申报表.docx"
    assert export_cmd.run_export_form(settings, "青禾路小学", form) == 0
    assert import_cmd.run_import([form], tmp_path / "imported") == 0
    original = load_project(tmp_path / "projects" / "青禾路小学")
    back = load_project(tmp_path / "imported" / "青禾路小学")
    for field in FORM_FIELDS:
        if field.key in ("logo", "indicators", "measures"):
            continue
        assert back.get(field.key) == original.get(field.key), field.key
    # bold survives as bold runs; a link is printed as its words; lists stay lists
    assert (
        back.get("measures")
        == MEASURES.replace("[名师工作室](https://example.edu.cn/)", "名师工作室").strip()
    )
    # the form shows targets, not yearly actuals
    assert back.indicators == [
        Indicator("培养省级名师1名", "explicit"),
        Indicator("区级学科带头人", "explicit", target=20, unit="人"),
        Indicator("教师职业认同感增强", "implicit"),
    ]
    assert back.get("opinion") == Opinion(
        "同意申报。", "王书记", __import__("datetime").date(2025, 3, 10)
    )
    assert back.logo is not None
    with Image.open(back.logo.path) as img:
        assert img.format == "PNG" and max(img.size) <= 512


def test_exported_form_looks_like_the_paper_form(tmp_path: Path) -> None:
    full_project(tmp_path, opinion=None, leader="李老师")
    project = load_project(tmp_path / "青禾路小学")
    doc = Document(io.BytesIO(form_docx(project, default_settings())))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(
        0.1
    )
    assert doc.paragraphs[0].text == "党建精品项目申报表"
    table = doc.tables[0]
    labels = []
    for row in table.rows:
        cells = docxtext.distinct(row.cells)
        labels.extend(c.text for c in cells[::2])
    assert labels == [f.form_label for f in FORM_FIELDS]
    values = {}
    for row in table.rows:
        cells = docxtext.distinct(row.cells)
        for label, value in zip(cells[::2], cells[1::2], strict=True):
            values[label.text] = value
    # internal document: personal fields unmasked
    assert values["联系方式"].text == "13800000000" and values["项目负责人"].text == "李老师"
    assert len(values["精品项目彩色LOGO标识"]._tc.xpath(".//a:blip")) == 1
    box = values["支部（总支）意见"].text
    assert "书记签字：" in box and "（盖章）" in box and "年　　月　　日" in box
    assert "1. 建立“双培”台账。" in values["项目实施的主要举措、载体与步骤"].text
    assert "**" not in values["项目实施的主要举措、载体与步骤"].text
    assert "前瞻性、创新性、适切性和可操作性" in doc.paragraphs[-1].text


def test_export_form_unknown_slug(tmp_path: Path, capsys) -> None:
    make_site(tmp_path)
    full_project(tmp_path / "projects")
    settings = load_site(str(tmp_path / "mkdocs.yml")).settings
    assert export_cmd.run_export_form(settings, "nope", tmp_path / "x.docx") == 1
    assert "找不到网址名或文件夹名为“nope”的项目" in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists()


# --- the registry -------------------------------------------------------------------

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
}


def _target(z: zipfile.ZipFile, part: str, rid: str) -> str:
    folder, name = posixpath.split(part)
    rels = ET.fromstring(z.read(f"{folder}/_rels/{name}.rels"))
    target = next(
        r.get("Target") for r in rels.iterfind("rel:Relationship", _NS) if r.get("Id") == rid
    )
    return (
        target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{folder}/{target}")
    )


def sheet_pictures(xlsx, sheet: str) -> list[dict]:
    """The pictures a sheet shows, read from the file the way Excel reads it: each anchor's
    cell (0-based) and size in EMU. Not openpyxl's private `_images`, which only its
    reader fills (and only with Pillow installed)."""
    with zipfile.ZipFile(xlsx) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        rid = next(
            s.get(f"{{{_NS['r']}}}id")
            for s in book.iter(f"{{{_NS['m']}}}sheet")
            if s.get("name") == sheet
        )
        part = _target(z, "xl/workbook.xml", rid)
        drawing = ET.fromstring(z.read(part)).find("m:drawing", _NS)
        if drawing is None:
            return []
        pictures = []
        for anchor in ET.fromstring(z.read(_target(z, part, drawing.get(f"{{{_NS['r']}}}id")))):
            if anchor.find(".//xdr:pic", _NS) is None:
                continue
            ext = anchor.find("xdr:ext", _NS)
            pictures.append(
                {
                    "row": int(anchor.findtext("xdr:from/xdr:row", namespaces=_NS)),
                    "col": int(anchor.findtext("xdr:from/xdr:col", namespaces=_NS)),
                    "cx": int(ext.get("cx")) if ext is not None else None,
                    "cy": int(ext.get("cy")) if ext is not None else None,
                }
            )
        return pictures


SVG_LOGO = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">
<rect width="200" height="100" fill="#c8102e"/><circle cx="100" cy="50" r="30" fill="#f2c14e"/></svg>"""


@pytest.fixture
def registry_site(tmp_path: Path) -> Path:
    projects = tmp_path / "projects"
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0)}  # GPS
    one = full_project(projects, "青禾路小学")
    (one / "logo.png").unlink()
    make_image(one / "logo.jpg", (800, 600), fmt="JPEG", exif=exif.tobytes())
    two = make_project(
        projects,
        "云岭中学",
        {
            **FULL,
            "branch": "云岭中学党支部",
            "homepage": "https://yl.example.cn/Components/NewsMain.aspx?moduleid=221",
        },
        logo=False,
    )
    write(two / "logo.svg", SVG_LOGO)
    make_project(
        projects,
        "明德教育集团",
        {**FULL, "branch": "明德教育集团党总支", "name": "“2345”党建品牌"},
        logo=False,
    )
    make_project(projects, "未完成", {"branch": "某某幼儿园党支部"}, logo=False)
    make_site(tmp_path, extra={"site_url": "https://example.edu.cn/dangjian/"})
    return tmp_path


def test_registry_xlsx_reads_back(registry_site: Path, capsys) -> None:
    settings = load_site(str(registry_site / "mkdocs.yml")).settings
    out = registry_site / "登记表.xlsx"
    assert export_cmd.run_export_registry(settings, "xlsx", out) == 0
    err = capsys.readouterr().err
    assert "未完成" in err and "缺少必填项" in err
    wb = openpyxl.load_workbook(out)
    ws = wb["登记表"]
    assert ws.cell(1, 1).value == "展示专栏首页地址登记表"
    header = [c.value for c in ws[registry.XLSX_HEADER_ROW]]
    assert header == ["序号", *registry_headers(settings.summary_max_chars)]
    assert "精品项目简介（200字以内）" in header
    rows = list(ws.iter_rows(min_row=registry.XLSX_HEADER_ROW + 1, values_only=True))
    assert len(rows) == 3
    col = {h: i for i, h in enumerate(header)}
    assert [r[col["序号"]] for r in rows] == [1, 2, 3]
    assert {r[col["党支部（总支）"]] for r in rows} == {
        "青禾路小学党支部",
        "云岭中学党支部",
        "明德教育集团党总支",
    }
    # one picture per logo: the JPEG, the SVG rasterised and the placeholder, each in its row
    pictures = sheet_pictures(out, "登记表")
    assert len(pictures) == 3
    logo_col = col["党建精品项目LOGO图标"]
    assert sorted(p["row"] for p in pictures) == [2, 3, 4]
    assert {p["col"] for p in pictures} == {logo_col}
    for p in pictures:  # the size shown, in EMU (9525 per pixel)
        assert max(p["cx"], p["cy"]) == registry.XLSX_LOGO_PX * 9525
        assert ws.row_dimensions[p["row"] + 1].height * 4 / 3 >= p["cy"] / 9525
    # addresses are links: the given one, else the generated page under site_url
    url_col = col["展示专栏首页地址"] + 1
    links = {ws.cell(r, url_col).value: ws.cell(r, url_col).hyperlink.target for r in range(3, 6)}
    assert all(text == target for text, target in links.items())
    assert "https://yl.example.cn/Components/NewsMain.aspx?moduleid=221" in links
    generated = sorted(
        u for u in links if u.startswith("https://example.edu.cn/dangjian/projects/")
    )
    assert len(generated) == 2 and all(u.endswith("/") for u in generated)
    # the photo's EXIF and GPS never reach the file
    with zipfile.ZipFile(out) as z:
        media = [n for n in z.namelist() if n.startswith("xl/media/")]
        assert len(media) == 3
        for name in media:
            with Image.open(io.BytesIO(z.read(name))) as img:
                assert not img.getexif()
                assert b"SecretCamera" not in z.read(name)


def test_registry_csv_json_and_docx(registry_site: Path) -> None:
    settings = load_site(str(registry_site / "mkdocs.yml")).settings
    for fmt in ("csv", "json", "docx"):
        assert export_cmd.run_export_registry(settings, fmt, registry_site / f"r.{fmt}") == 0
    raw = (registry_site / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert lines[0][0] == "序号" and lines[0][-1] == "精品项目简介（200字以内）"
    assert len(lines) == 4
    data = json.loads((registry_site / "r.json").read_text(encoding="utf-8"))
    assert len(data["projects"]) == 3 and data["columns"][4]["label"] == "精品项目简介（200字以内）"
    doc = Document(str(registry_site / "r.docx"))
    assert doc.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert doc.paragraphs[0].text == "展示专栏首页地址登记表"
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == registry.registry_columns(settings)
    assert len(table.rows) == 4
    assert len(doc.inline_shapes) == 3
    addresses = [
        p.hyperlinks[0].address
        for row in table.rows[1:]
        for p in row.cells[3].paragraphs
        if p.hyperlinks
    ]
    assert (
        "https://yl.example.cn/Components/NewsMain.aspx?moduleid=221" in addresses
        and len(addresses) == 3
    )
    east_asia = doc.styles["Normal"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert east_asia == "等线"


def test_broken_logo_gets_placeholder_not_crash(tmp_path: Path, capsys) -> None:
    make_site(tmp_path)
    path = full_project(tmp_path / "projects")
    (path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 50)
    settings = load_site(str(tmp_path / "mkdocs.yml")).settings
    assert export_cmd.run_export_registry(settings, "xlsx", tmp_path / "r.xlsx") == 0
    err = capsys.readouterr().err
    assert "LOGO" in err and "用占位图代替" in err
    assert len(sheet_pictures(tmp_path / "r.xlsx", "登记表")) == 1


def test_markdown_to_form_paragraphs() -> None:
    text = (
        "# **标题**\n\n第一段\n接着写。\n\n1. 甲\n2) **乙：** 说明\n- 丙\n\n"
        "> 引用 *强调* `代码` ![图](a.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert word.markdown_paragraphs(text) == [
        ("h", "标题"),
        ("p", "第一段接着写。"),
        ("li", "1. 甲"),
        ("li", "2. **乙：** 说明"),
        ("li", "• 丙"),
        ("p", "引用 强调 代码"),
        ("p", "a　b"),
        ("p", "1　2"),
    ]
    assert word.text_runs("2. **乙：** 说明") == [
        ("2. ", False),
        ("乙：", True),
        (" 说明", False),
    ]


# --- the site publishes registry.xlsx ------------------------------------------------


def test_site_publishes_registry_xlsx(registry_site: Path) -> None:
    site = build(registry_site / "mkdocs.yml")
    wb = openpyxl.load_workbook(site / "registry.xlsx")
    ws = wb.active
    assert ws.max_row == registry.XLSX_HEADER_ROW + 3
    assert len(sheet_pictures(site / "registry.xlsx", ws.title)) == 3
    html = read(site, "registry/")
    assert 'href="../registry.xlsx"' in html
    assert (site / "registry.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_word_numbering_chinese_headings_and_levels(tmp_path: Path) -> None:
    """Word's automatic 一、 numbering over 1. items, bold lead-ins, a heading style."""
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls, qn

    doc = Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )

    def numbered(cell, text: str, level: int, *, first: bool = False, bold: bool = False) -> None:
        para = cell.paragraphs[0] if first else cell.add_paragraph()
        para.add_run(text).bold = bold
        num_pr = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", level), ("w:numId", 90)):
            node = OxmlElement(tag)
            node.set(qn("w:val"), str(value))
            num_pr.append(node)
        para._p.get_or_add_pPr().append(num_pr)

    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "项目名称"
    table.cell(0, 1).text = "测试项目"
    table.cell(1, 0).text = "主要举措"
    cell = table.cell(1, 1)
    numbered(cell, "建机制", 0, first=True, bold=True)
    numbered(cell, "建台账", 1)
    numbered(cell, "学习", 1)
    numbered(cell, "搭平台", 0)
    numbered(cell, "工作室", 1)
    lead = cell.add_paragraph()
    lead.add_run("对教师：").bold = True
    lead.add_run(" 有了榜样。")
    cell.add_paragraph("实施步骤", style="Heading 3")
    cell.add_paragraph("#1 教学楼")
    doc.save(str(tmp_path / "num.docx"))
    data = importform.read_form(tmp_path / "num.docx")
    assert data.texts["measures"] == (
        "### 一、建机制\n\n1. 建台账\n2. 学习\n\n二、搭平台\n\n1. 工作室\n\n"
        "**对教师：** 有了榜样。\n\n### 实施步骤\n\n\\#1 教学楼\n"
    )


def test_hostile_docx_is_refused(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(importform, "MAX_UNPACKED_MB", 1)  # a small limit keeps the test light
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<x/>")
        z.writestr("word/document.xml", b"\0" * (2 * 1024 * 1024))
    assert bomb.stat().st_size < 20_000
    assert import_cmd.run_import([bomb], tmp_path / "projects") == 1
    assert "不像是申报表" in capsys.readouterr().err


def test_registry_text_never_becomes_a_formula() -> None:
    rows = [
        {
            "slug": "x",
            "branch": '=HYPERLINK("http://evil.example","点我")',
            "homepage": "/projects/x/",
            "name": "+1 工程",
            "summary": "@SUM(A1)",
        },
    ]
    settings = default_settings()
    xlsx = registry.registry_xlsx(rows, [], settings)
    ws = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    cell = ws.cell(registry.XLSX_HEADER_ROW + 1, 2)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"
    assert ws.cell(registry.XLSX_HEADER_ROW + 1, 4).hyperlink is None  # a site path is no web link
    assert len(sheet_pictures(io.BytesIO(xlsx), ws.title)) == 1  # the placeholder
    line = list(csv.reader(io.StringIO(registry.registry_csv(rows, settings).decode("utf-8-sig"))))[
        1
    ]
    assert line[1].startswith("'=") and line[4] == "'+1 工程" and line[5] == "'@SUM(A1)"


def test_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from showcase.commands.cli import main

    make_site(tmp_path)
    full_project(tmp_path / "projects")
    config = str(tmp_path / "mkdocs.yml")
    runner = CliRunner()
    result = runner.invoke(
        main, ["export", "registry", "-f", config, "--format", "csv", "-o", str(tmp_path / "r.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "已导出登记表（1 个项目）" in result.output
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    form = tmp_path / "form.docx"
    result = runner.invoke(main, ["export", "form", "青禾路小学", "-f", config, "-o", str(form)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["import-docx", str(form), "-o", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new" / "青禾路小学" / "project.yml").is_file()
