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


DOWNLOAD_DEBRIS = [
    "合集下载",
    "1、下载文档前请自行甄别文档内容的完整性，平台不提供额外的编辑服务。",
    "2、“仅部分预览”的文档，不可在线预览部分如存在完整性等问题，可反馈申请退款。",
]
WEB_DEBRIS = ["THE END", "打赏", "海报", "<<上一篇", "下一篇>>"]


def plan_with_schedule(path: Path) -> Path:
    """seeds/001 and 002's layout, typed numbering only: download-site lines on top, a
    plan issued by a body above the branch, 一、（一）1.(1) typed, a table of targets, a
    工作安排 with months (one with its item on the same line), recurring work and named
    days, the issuer and the date at the end, then a page's comment box."""
    doc = Document()
    for line in DOWNLOAD_DEBRIS:
        doc.add_paragraph(line)
    doc.add_paragraph("示范县学校党建“双培双树”工程实施方案")
    doc.add_paragraph("适用范围：全县中小学党组织")
    doc.add_paragraph("为建强教师队伍，现就实施“双培双树”工程制定本方案。")
    doc.add_paragraph("一、总体要求")
    doc.add_paragraph("坚持党建引领，把骨干教师培养成党员，把党员教师培养成骨干。")
    doc.add_paragraph("二、主要任务")
    doc.add_paragraph("（一）聚焦“双培”强根基")
    doc.add_paragraph("1.骨干教师培养成党员")
    doc.add_paragraph("(1)精准识别培养对象。每学期末推荐候选对象，入库人数不低于教师总数的10%。")
    doc.add_paragraph("(2)严格发展程序。评议优秀率达85%以上方可列为发展对象。")
    doc.add_paragraph("2.党员教师培养成骨干")
    doc.add_paragraph("组建党员名师工作室，吸纳10-15名党员教师参与。")
    doc.add_paragraph("（二）推进“双树”立标杆")
    p = doc.add_paragraph("每年评选")
    p.add_run("党员教师先锋30名").bold = True
    p.add_run("，其中边境学校不低于40%。")
    table = doc.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    for r, (a, b) in enumerate(
        [("指标", "目标"), ("储备库入库比例", "不低于10%"), ("集中学习", "每季度至少2次")]
    ):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    doc.add_paragraph("三、工作安排：")
    doc.add_paragraph("三月份：")
    doc.add_paragraph("1、召开工程启动会；")
    doc.add_paragraph("2、下发年度培养计划。")
    doc.add_paragraph("八月份：布置暑期党员理论自学。")
    doc.add_paragraph("九月份：")
    doc.add_paragraph("1、庆祝“教师节”，做好表彰工作。")
    doc.add_paragraph("每季度：开展2次集中学习")
    doc.add_paragraph("每学期末：推荐储备库候选对象；考评党员积分")
    doc.add_paragraph("七一前：表彰优秀共产党员")
    doc.add_paragraph("示范县教育局党委")
    doc.add_paragraph("2025年2月26日")
    for line in ("评论", "还能输入140字", "用户评论"):
        doc.add_paragraph(line)
    doc.save(str(path))
    return path


APPENDIX = [
    ("1", "“名师工作室”揭牌仪式", "(图片)"),
    ("2", "“名师工作室”成员及分工一览表", ""),
    ("3", "“名师工作室”师徒结对签约仪式及协议书", "(图片、文本)"),
    ("4", "“名师工作室”成员三年发展规划", "(文本图片)"),
    ("5", "“名师工作室”获奖证书", "(图片、复印件)"),
]


def case_with_appendix(path: Path, *, styled: bool) -> Path:
    """seeds/002 and 004's layout: a case whose last section is the 附录 list, written as
    the author's own heading "五、…主题活动的重要资料附录。". `styled`: headings carry
    Word's Heading styles (and the title the Title style); else only typed numbering.
    A photo with GPS sits under the first appendix item, one more in the text; bold runs
    and a Word bulleted list; web-page lines at the end."""
    doc = Document()

    def head(text: str, level: int) -> None:
        if styled:
            doc.add_heading(text, level)
        else:
            doc.add_paragraph(text)

    head("青石小学“星火”名师工作室党建案例", 0)
    doc.add_paragraph("——以名师工作室为平台的党建创新案例")
    head("一、“星火”主题活动的起因。", 1)
    head("1.学校合并带来的挑战", 2)
    doc.add_paragraph("学校合并后，教师专业水平参差不齐，党员教师要站出来带头。")
    head("2.新时期党员的使命", 2)
    p = doc.add_paragraph("我们提出：")
    p.add_run("党员就是名师的后备军").bold = True
    p.add_run("。")
    head("二、“星火”主题活动的做法。", 1)
    head("1.宣传动员，积极筹备", 2)
    doc.add_paragraph("党总支召开全体党员大会，成立名师工作室。")
    doc.add_paragraph("揭牌仪式上的合影：")
    doc.add_paragraph().add_run().add_picture(io.BytesIO(picture((20, 120, 60))), width=Cm(5))
    for item in ("师徒结对", "主题研讨", "送教下乡"):
        doc.add_paragraph(item, style="List Bullet")
    head("三、“星火”主题活动的成效。", 1)
    doc.add_paragraph("两年来，12名青年教师在区级评比中获奖。")
    head("四、“星火”主题活动的重要资料附录。", 1)
    for number, title, kind in APPENDIX:
        doc.add_paragraph(f"{number}.{title}{kind}")
        if number == "1":
            doc.add_paragraph().add_run().add_picture(
                io.BytesIO(picture(exif_gps=True)), width=Cm(5)
            )
    doc.add_paragraph("2024/5/8。")
    for line in WEB_DEBRIS + ["相关文档"]:
        doc.add_paragraph(line)
    doc.save(str(path))
    return path
