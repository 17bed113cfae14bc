"""Word files in the layouts of the real documents (seeds 000-004), built with python-docx;
the words are new and the people fictional."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from PIL import Image, ImageDraw

BRIEF = (
    "青石教育集团共有教职员工186人、退休教师52人。党总支带领97名党员，通过自愿报名与组织牵线，"
    "把每名党员与所在年级组、非党教师、退休教师、困难学生和入党积极分子联系起来，形成“一带四”"
    "结对机制。党员亮身份、作表率，在课堂上立标杆，在服务中树形象，带动全体教师提升师德修养"
    "与业务能力。集团以此凝聚“求真、向善、尚美、笃行”的学校精神，努力建设一支师德高尚、业务"
    "精湛、结构合理、充满活力的教师队伍，让每一名学生都能遇见好老师，让每一位老师都能成为学生"
    "成长路上的引路人和同行者。"
)


def picture(color=(200, 16, 46), size=(320, 240), *, exif_gps: bool = False) -> bytes:
    """A JPEG photo; with `exif_gps` it carries a camera model and a GPS position."""
    img = Image.new("RGB", size, color)
    ImageDraw.Draw(img).rectangle([20, 20, size[0] - 20, size[1] - 20], outline=(255, 255, 255))
    buf = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x0110] = "PhoneCam X"  # Model
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2] = "N", (30.0, 15.0, 0.0)
        gps[3], gps[4] = "E", (120.0, 10.0, 0.0)
        img.save(buf, "JPEG", exif=exif)
    else:
        img.save(buf, "JPEG")
    return buf.getvalue()


def _alt(run, text: str) -> None:
    """Give the picture in a run an alt text, as Word stores it (wp:docPr descr)."""
    for doc_pr in run._r.iter(qn("wp:docPr")):
        doc_pr.set("descr", text)


def registry_and_form(path: Path, *, second_branch: bool = False) -> Path:
    """seeds/000's layout: 表一 as a small table per branch (a header row of three, a value
    row with the logo picture whose alt text is a stray word, then label/value rows with
    the value merged across, then empty rows), a note, then 表二 with labels broken by
    spaces and line breaks; the two tables name the project differently."""
    doc = Document()
    doc.add_paragraph("示范区教育系统党建精品项目展示专栏首页地址登记表")
    branches = [
        (
            "青石党总支",
            "党组织“2+4”共建工程",
            BRIEF,
            "https://www.qingshi.example.cn/Components/NewsMain.aspx?moduleid=221",
        )
    ]
    if second_branch:
        branches.append(
            (
                "白桦小学党支部",
                "“三心”育人工程",
                "以爱心、耐心、恒心陪伴每一名学生。",
                "https://www.baihua.example.cn/dj/",
            )
        )
    for branch, name, brief, url in branches:
        t = doc.add_table(rows=6, cols=3)
        t.style = "Table Grid"
        for cell, text in zip(
            t.rows[0].cells,
            ["党支部（总支）", "党建精品项目LOGO图标", "展示专栏首页地址"],
            strict=True,
        ):
            cell.text = text
        t.cell(1, 0).text = branch
        run = t.cell(1, 1).paragraphs[0].add_run()
        run.add_picture(io.BytesIO(picture((200, 16, 46), (200, 200))), width=Cm(2))
        _alt(run, "学困生")
        t.cell(1, 2).text = url
        t.cell(2, 0).text = "精品项目名称"
        t.cell(2, 1).merge(t.cell(2, 2)).text = name
        t.cell(3, 0).text = "精品项目简介（200字以内）"
        t.cell(3, 1).merge(t.cell(3, 2)).text = brief
        doc.add_paragraph("")
    doc.add_paragraph("注：此表请于3月15日前通过电子稿发送到组织人事科张老师处。")
    doc.add_paragraph("表二：")
    doc.add_paragraph("示范区教育系统党建精品项目申报表")
    f = doc.add_table(rows=9, cols=5)
    f.style = "Table Grid"
    f.cell(0, 0).merge(f.cell(8, 0)).text = "党建精品项目构成"
    f.cell(0, 1).text = "项目名称"
    f.cell(0, 2).merge(f.cell(0, 4)).text = "“2+4”党组织共建工程 "
    f.cell(1, 1).text = "精品项目\n 彩色LOGO\n标识"
    f.cell(1, 2).merge(f.cell(1, 4)).paragraphs[0].add_run().add_picture(
        io.BytesIO(picture((30, 90, 200), (200, 200))), width=Cm(2)
    )
    f.cell(2, 1).text = "申报党\n\n支  部"
    f.cell(2, 2).text = "青石党总支"
    f.cell(2, 3).text = "党员\n\n人数"
    f.cell(2, 4).text = "97"
    f.cell(3, 1).text = "项  目\n\n负责人"
    f.cell(3, 2).text = "张老师"
    f.cell(3, 3).text = "联系\n\n方式"
    f.cell(3, 4).text = "13800000000"
    f.cell(4, 1).text = "项目实施\n\n目  标"
    f.cell(4, 2).merge(f.cell(4, 3)).text = "建设一支师德高尚、业务精湛的党员教师队伍。"
    meaning = f.cell(4, 4)
    meaning.text = "精品标识释义："
    meaning.add_paragraph("")
    meaning.add_paragraph("  两只手托起一颗红星，象征党员教师托举学生成长。")
    f.cell(5, 1).text = "显性及隐性指标"
    ind = f.cell(5, 2).merge(f.cell(5, 4))
    ind.text = "显性指标："
    ind.add_paragraph("1.区级以上学科带头人30名。")
    ind.add_paragraph("2.教师违反师德现象做到零投诉。")
    ind.add_paragraph("隐形指标：")
    ind.add_paragraph("团队凝心聚力，教师职业幸福感提升。")
    f.cell(6, 1).text = "项目实施的主要举措、载体与步骤"
    steps = f.cell(6, 2).merge(f.cell(6, 4))
    steps.text = "一、划分党员责任区，亮身份、作表率。"
    steps.add_paragraph("   1.以年级组为单位划分责任区。")
    steps.add_paragraph("   2.党员在办公室亮出承诺。")
    steps.add_paragraph("二、建立“1+4”结对帮扶机制。")
    f.cell(7, 1).text = "项目实施的预期效果及影响"
    f.cell(7, 2).merge(f.cell(7, 4)).text = "  形成可推广的党建品牌。"
    f.cell(8, 1).text = "支部（总支）\n\n意  见"
    box = f.cell(8, 2).merge(f.cell(8, 4))
    box.text = "                书记签名"
    box.add_paragraph("                    党支部（总支）盖章")
    box.add_paragraph("                       年    月    日")
    doc.add_paragraph("注：党建精品项目的定位应具有前瞻性、创新性、适切性、可操作性。")
    doc.save(str(path))
    return path
