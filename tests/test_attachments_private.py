"""Issue 22 (4, 5): personal data hidden inside appendix files.

Every file is made here: a .docx with python-docx and then raw XML parts (comments,
tracked changes, headers, footers, a text box, custom properties, people, a remote
template, a UNC link, an embedded workbook), a .pptx zipped from XML, a large .xlsx with
a cell comment, PDFs written with pikepdf (a phone JPEG as a page image, JavaScript run
on opening, an embedded file, an encrypted one with /Author, text on page 45). Each
site has a control school beside the one with the file; the published copies are
opened and searched for the hidden data, and the findings name the file.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pikepdf
import pytest
from conftest import build, make_project, make_site, read, write
from PIL import Image

NAME = "王秘密"
EMAIL = "wangmimi@example.cn"
PHONES = {f"p{n}": f"1380000{n:04d}" for n in range(1, 20)}
EVIL = {"branch": "白杨小学党支部", "school": "白杨小学", "name": "红烛工程", "summary": "摘要。"}


def _site(root: Path) -> Path:
    """The control school `qinghe` and `baiyang`, whose case `a` gets the appendix."""
    make_project(root / "projects", "qinghe")
    evil = make_project(root / "projects", "baiyang", EVIL)
    write(evil / "cases" / "a.md", "---\ntitle: 活动案例\n---\n正文。\n")
    (evil / "cases" / "a").mkdir(parents=True)
    make_site(root)
    return evil / "cases" / "a"


def _build(root: Path, caplog) -> tuple[Path, list[str]]:
    caplog.set_level(logging.INFO)
    site = build(root / "mkdocs.yml")
    lines = [r.getMessage() for r in caplog.records if "showcase" in r.name]
    assert "青禾路小学" in read(site, "projects/qinghe/")  # the control school
    return site, lines


def _check(root: Path) -> list[str]:
    from showcase.build import load_all
    from showcase.config import default_settings

    settings = default_settings(sources=["projects"], base_dir=root, cache_dir=str(root / ".cache"))
    _projects, findings = load_all(settings)
    return [f"{f.file}: {f.message}" for f in findings]


def _all_bytes(data: bytes, depth: int = 0) -> bytes:
    """Every part of a package, unzipped, nested packages too, as one blob to search."""
    out = bytearray()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            part = zf.read(name)
            out += name.encode() + b"\n" + part + b"\n"
            if part[:2] == b"PK" and depth < 3:
                out += _all_bytes(part, depth + 1)
    return bytes(out)


def _gps_jpeg(description: str = "") -> bytes:
    img = Image.new("RGB", (320, 240), (200, 16, 46))
    exif = Image.Exif()
    exif[0x010F] = "FakePhoneMaker"
    exif[0x0110] = "FakePhone 12"
    exif[0x010E] = description or f"{NAME} {PHONES['p19']}"
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


# --- .docx ------------------------------------------------------------------------------

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument"


def _embedded_xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "联系人"
    book.active["B1"] = PHONES["p8"]
    book.properties.creator = NAME
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def hidden_docx(path: Path) -> Path:
    """A .docx whose visible body is clean and whose hidden places all hold data."""
    document = docx.Document()
    document.add_paragraph("活动方案正文")
    document.save(str(path))
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    body = parts["word/document.xml"].decode()
    extra = (
        f'<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>请审阅</w:t></w:r>'
        f'<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>'
        f'<w:p><w:del w:id="1" w:author="{NAME}" w:date="2025-01-01T00:00:00Z"><w:r>'
        f"<w:delText>联系 {PHONES['p5']}</w:delText></w:r></w:del>"
        f'<w:ins w:id="2" w:author="{NAME}"><w:r><w:t>新增内容</w:t></w:r></w:ins></w:p>'
        '<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" '
        'style="width:100pt;height:40pt"><v:textbox><w:txbxContent><w:p><w:r>'
        f"<w:t>文本框 {PHONES['p4'][:3]}</w:t></w:r><w:r><w:t>{PHONES['p4'][3:]}</w:t></w:r>"
        "</w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"
        '<w:p><w:hyperlink r:id="rIdUnc"><w:r><w:t>名单</w:t></w:r></w:hyperlink></w:p>'
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space='
        '"preserve"> INCLUDEPICTURE "\\\\\\\\fileserver2\\\\pic.png" \\d </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    body = body.replace("<w:sectPr", extra + "<w:sectPr", 1)
    sect = (
        '<w:headerReference w:type="default" r:id="rIdH"/>'
        '<w:footerReference w:type="default" r:id="rIdF"/>'
    )
    body = re.sub(r"(<w:sectPr[^>]*>)", r"\1" + sect, body, count=1)
    parts["word/document.xml"] = body.encode()
    parts["word/header1.xml"] = (
        f"<w:hdr {W_NS}><w:p><w:r><w:t>页眉 {PHONES['p1']}</w:t></w:r></w:p></w:hdr>"
    ).encode()
    parts["word/footer1.xml"] = (
        f"<w:ftr {W_NS}><w:p><w:r><w:t>页脚 {PHONES['p2']}</w:t></w:r></w:p></w:ftr>"
    ).encode()
    parts["word/comments.xml"] = (
        f'<w:comments {W_NS}><w:comment w:id="0" w:author="{NAME}" w:initials="WM">'
        f"<w:p><w:r><w:t>找{NAME}，{PHONES['p3']}</w:t></w:r></w:p></w:comment></w:comments>"
    ).encode()
    parts["word/people.xml"] = (
        '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
        f'<w15:person w15:author="{NAME}"><w15:presenceInfo w15:providerId="AD" '
        f'w15:userId="{EMAIL} {PHONES["p7"]}"/></w15:person></w15:people>'
    ).encode()
    parts["docProps/custom.xml"] = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        '2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" '
        f'pid="2" name="联系电话"><vt:lpwstr>{PHONES["p6"]}</vt:lpwstr></property></Properties>'
    ).encode()
    parts["word/embeddings/Microsoft_Excel_Worksheet.xlsx"] = _embedded_xlsx()
    settings = parts["word/settings.xml"].decode()
    settings = re.sub(
        r"(<w:settings[^>]*>)", r'\1<w:attachedTemplate r:id="rIdT"/>', settings, count=1
    )
    if "xmlns:r=" not in settings.split(">", 2)[1]:
        settings = settings.replace("<w:settings ", f"<w:settings {R_NS} ", 1)
    parts["word/settings.xml"] = settings.encode()
    parts["word/_rels/settings.xml.rels"] = (
        f'<Relationships xmlns="{REL.replace("officeDocument/2006/relationships", "package/2006/relationships")}">'
        f'<Relationship Id="rIdT" Type="{REL}/attachedTemplate" '
        'Target="http://127.0.0.1:8899/template.dotm" TargetMode="External"/></Relationships>'
    ).encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdH" Type="{REL}/header" Target="header1.xml"/>'
        f'<Relationship Id="rIdF" Type="{REL}/footer" Target="footer1.xml"/>'
        f'<Relationship Id="rIdC" Type="{REL}/comments" Target="comments.xml"/>'
        f'<Relationship Id="rIdP" Type="http://schemas.microsoft.com/office/2011/relationships/'
        'people" Target="people.xml"/>'
        f'<Relationship Id="rIdE" Type="{REL}/package" '
        'Target="embeddings/Microsoft_Excel_Worksheet.xlsx"/>'
        f'<Relationship Id="rIdUnc" Type="{REL}/hyperlink" '
        'Target="\\\\fileserver\\share\\名单.xlsx" TargetMode="External"/>'
        f'<Relationship Id="rIdW" Type="{REL}/hyperlink" '
        'Target="https://www.example.cn/" TargetMode="External"/></Relationships>',
    )
    parts["word/_rels/document.xml.rels"] = rels.encode()
    types = parts["[Content_Types].xml"].decode()
    types = types.replace(
        "</Types>",
        f'<Override PartName="/word/header1.xml" ContentType="{CT}.wordprocessingml.header+xml"/>'
        f'<Override PartName="/word/footer1.xml" ContentType="{CT}.wordprocessingml.footer+xml"/>'
        '<Override PartName="/word/comments.xml" '
        f'ContentType="{CT}.wordprocessingml.comments+xml"/>'
        '<Override PartName="/word/people.xml" '
        f'ContentType="{CT}.wordprocessingml.people+xml"/>'
        '<Override PartName="/docProps/custom.xml" '
        f'ContentType="{CT}.custom-properties+xml"/>'
        f'<Default Extension="xlsx" ContentType="{CT}.spreadsheetml.sheet"/></Types>',
    )
    parts["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def test_docx_hidden_places_are_scanned_removed_and_named(site_root: Path, caplog):
    folder = _site(site_root)
    original = hidden_docx(folder / "方案.docx")
    # a reader can see or extract each of them: the scan reads every one
    found = "\n".join(_check(site_root))
    for key in ("p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"):
        masked = PHONES[key][:3] + "****" + PHONES[key][-4:]
        assert masked in found, (key, found)
    assert "方案.docx" in found

    site, lines = _build(site_root, caplog)
    published = site / "projects" / "baiyang" / "files" / "a" / "方案.docx"
    blob = _all_bytes(published.read_bytes())
    for secret in (
        NAME,
        EMAIL,
        "fileserver",
        "127.0.0.1",
        *(PHONES[f"p{n}"] for n in (3, 5, 6, 7)),
    ):
        assert secret.encode() not in blob, secret
    assert b"https://www.example.cn/" in blob  # a web link stays
    with zipfile.ZipFile(published) as zf:
        assert b"attachedTemplate" not in zf.read("word/settings.xml")
    # the document still opens, with its text and the accepted insertion
    texts = [p.text for p in docx.Document(str(published)).paragraphs]
    assert "活动方案正文" in texts and "新增内容" in texts
    assert not any(PHONES["p5"] in t for t in texts)
    said = [ln for ln in lines if "方案.docx" in ln and "已删除" in ln]
    assert said, lines
    for what in (
        "批注",
        "修订记录",
        "自定义属性",
        "people.xml",
        "远程模板",
        "UNC",
        "嵌入的文件里的",
    ):
        assert what in said[0], (what, said[0])
    assert original.read_bytes()[:2] == b"PK" and NAME.encode() in _all_bytes(
        original.read_bytes()
    )  # the teacher's own file is untouched


# --- .pptx and .xlsx ----------------------------------------------------------------------


def hidden_pptx(path: Path) -> Path:
    """A minimal presentation zipped from XML: a slide, its notes and a comment."""
    p = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
    a = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    slide = (
        f"<p:sld {p} {a}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>联系"
        f"{PHONES['p9'][:3]}</a:t></a:r><a:r><a:t>-{PHONES['p9'][3:7]}-{PHONES['p9'][7:]}"
        "</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
    )
    notes = (
        f"<p:notes {p} {a}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>备注 "
        f"{PHONES['p10']}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:notes>"
    )
    comment = (
        f'<p:cmLst {p}><p:cm authorId="0"><p:text>{NAME} {PHONES["p11"]}</p:text></p:cm></p:cmLst>'
    )
    authors = f'<p:cmAuthorLst {p}><p:cmAuthor id="0" name="{NAME}" initials="W"/></p:cmAuthorLst>'
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("ppt/slides/slide1.xml", slide)
        zf.writestr("ppt/notesSlides/notesSlide1.xml", notes)
        zf.writestr("ppt/comments/comment1.xml", comment)
        zf.writestr("ppt/commentAuthors.xml", authors)
        zf.writestr(
            "docProps/core.xml",
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:creator>{NAME}</dc:creator></cp:coreProperties>",
        )
    return path


def big_xlsx(path: Path, rows: int = 3000) -> Path:
    """Beyond the old 20,000-cell cap: a phone in the last row, another in a comment."""
    from openpyxl.comments import Comment

    book = openpyxl.Workbook()
    sheet = book.active
    for r in range(1, rows + 1):
        sheet.append([f"第{r}行", r, r * 2, "值", "值", "值", "值", "值"])
    sheet.cell(rows + 1, 1, f"联系 {PHONES['p12']}")
    sheet["B2"].comment = Comment(f"问{NAME} {PHONES['p13']}", NAME)
    book.save(str(path))
    return path


def test_pptx_and_big_xlsx_are_scanned_everywhere(site_root: Path, caplog):
    folder = _site(site_root)
    hidden_pptx(folder / "汇报.pptx")
    big_xlsx(folder / "名单.xlsx")
    found = "\n".join(_check(site_root))
    for key in ("p9", "p10", "p11", "p12", "p13"):
        assert PHONES[key][:3] + "****" + PHONES[key][-4:] in found, (key, found)
    assert "汇报.pptx" in found and "名单.xlsx" in found

    site, lines = _build(site_root, caplog)
    files = site / "projects" / "baiyang" / "files" / "a"
    for name, gone in (("汇报.pptx", (NAME, PHONES["p11"])), ("名单.xlsx", (NAME, PHONES["p13"]))):
        blob = _all_bytes((files / name).read_bytes())
        for secret in gone:
            assert secret.encode() not in blob, (name, secret)
        assert any(name in ln and "批注" in ln and "已删除" in ln for ln in lines), lines
    book = openpyxl.load_workbook(files / "名单.xlsx")
    assert book.active["A3000"].value == "第3000行"  # the data is all there


# --- PDF ------------------------------------------------------------------------------------


def _pdf_with_page_photo(path: Path, *, javascript: bool = False, attach: bool = False) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    page = pdf.pages[0]
    image = pikepdf.Stream(pdf, _gps_jpeg())
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height = 320, 240
    image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
    image.Filter = pikepdf.Name.DCTDecode
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = pikepdf.Stream(pdf, b"q 320 0 0 240 100 400 cm /Im0 Do Q")
    pdf.docinfo["/Author"] = NAME
    if javascript:
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String(f"app.alert('{PHONES['p14']}')")
        )
    if attach:
        pdf.attachments["名单.txt"] = pikepdf.AttachedFileSpec(
            pdf, f"{NAME} {PHONES['p15']}".encode()
        )
    pdf.save(path)
    return path


def test_pdf_page_photo_javascript_and_attachments_are_removed(site_root: Path, caplog):
    folder = _site(site_root)
    _pdf_with_page_photo(folder / "简报.pdf", javascript=True, attach=True)
    site, lines = _build(site_root, caplog)
    published = site / "projects" / "baiyang" / "files" / "a" / "简报.pdf"
    data = published.read_bytes()
    with pikepdf.open(published) as pdf:
        assert "/Info" not in pdf.trailer or NAME not in str(pdf.docinfo)
        assert "/OpenAction" not in pdf.Root and not pdf.attachments
        (image,) = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image
        ]
        jpeg = image.read_raw_bytes()
    assert b"FakePhone" not in data and b"FakePhone" not in jpeg
    with Image.open(io.BytesIO(jpeg)) as img:
        assert img.size == (320, 240)
        exif = img.getexif()
        assert not exif.get_ifd(0x8825) and 0x8825 not in exif and 0x010E not in exif
    for secret in (PHONES["p14"], PHONES["p15"], PHONES["p19"]):
        assert secret.encode() not in data
    said = [ln for ln in lines if "简报.pdf" in ln and "已删除" in ln]
    assert said, lines
    for what in ("EXIF/GPS", "OpenAction", "嵌入的文件", "文档信息"):
        assert what in said[0], (what, said[0])


def test_encrypted_pdf_loses_its_author_and_keeps_its_permissions(site_root: Path, caplog):
    folder = _site(site_root)
    source = _pdf_with_page_photo(folder / "plain.pdf")
    with pikepdf.open(source) as pdf:
        pdf.save(
            folder / "加密.pdf",
            encryption=pikepdf.Encryption(
                owner="owner-secret", user="", allow=pikepdf.Permissions(extract=False)
            ),
        )
    source.unlink()
    with pikepdf.open(folder / "加密.pdf") as pdf:
        assert pdf.is_encrypted and str(pdf.docinfo["/Author"]) == NAME
    site, lines = _build(site_root, caplog)
    published = site / "projects" / "baiyang" / "files" / "a" / "加密.pdf"
    with pikepdf.open(published) as pdf:
        assert pdf.is_encrypted and not pdf.allow.extract
        assert "/Author" not in pdf.docinfo
    assert any("加密.pdf" in ln and "文档信息" in ln for ln in lines), lines


def test_pdf_needing_a_password_is_not_published(site_root: Path, caplog):
    folder = _site(site_root)
    source = _pdf_with_page_photo(folder / "plain.pdf")
    with pikepdf.open(source) as pdf:
        pdf.save(folder / "密码.pdf", encryption=pikepdf.Encryption(owner="o", user="u"))
    source.unlink()
    site, lines = _build(site_root, caplog)
    assert not (site / "projects" / "baiyang" / "files" / "a" / "密码.pdf").exists()
    assert any("密码.pdf" in ln and "不会发布" in ln and "密码" in ln for ln in lines), lines
    assert "红烛工程" in read(site, "projects/baiyang/")


@pytest.mark.parametrize("pages", [45])
def test_every_pdf_page_is_scanned(site_root: Path, pages: int):
    folder = _site(site_root)
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for n in range(1, pages + 1):
        pdf.add_blank_page(page_size=(612, 792))
        text = f"Page {n}" + (f" tel {PHONES['p16']}" if n == pages else "")
        pdf.pages[-1].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        pdf.pages[-1].Contents = pikepdf.Stream(
            pdf, f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        )
    pdf.save(folder / "长文件.pdf")
    found = "\n".join(_check(site_root))
    assert f"第 {pages} 页有手机号码 138****{PHONES['p16'][-4:]}" in found, found


def test_encrypted_pdf_text_is_scanned(site_root: Path):
    folder = _site(site_root)
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    pdf.add_blank_page(page_size=(612, 792))
    pdf.pages[0].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    pdf.pages[0].Contents = pikepdf.Stream(
        pdf, f"BT /F1 12 Tf 72 720 Td (tel {PHONES['p17']}) Tj ET".encode()
    )
    pdf.save(folder / "加密名单.pdf", encryption=pikepdf.Encryption(owner="o", user=""))
    found = "\n".join(_check(site_root))
    assert f"加密名单.pdf: 附录文件第 1 页有手机号码 138****{PHONES['p17'][-4:]}" in found, found


def test_a_scan_past_its_time_budget_says_so(site_root: Path, monkeypatch):
    from showcase.checking import personal

    folder = _site(site_root)
    big_xlsx(folder / "名单.xlsx", rows=50)
    monkeypatch.setattr(personal, "SCAN_SECONDS", 0.0)
    personal._scan_cache.clear()
    found = "\n".join(_check(site_root))
    assert "名单.xlsx: 附录文件内容太多" in found and "没有检查个人信息" in found, found
