"""Files a build publishes carry no author names, safe names, and nothing of our own templates."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import docx
import openpyxl
from conftest import MINIMAL, build, make_image, make_project, make_site, read, write
from showcase.build import load_all
from showcase.config import default_settings
from showcase.core.settings import Settings

AUTHOR = "王秘密"


def _settings(root: Path) -> Settings:
    return default_settings(sources=["projects"], base_dir=root, cache_dir=str(root / ".cache"))


def test_office_appendix_published_without_author_names(site_root: Path) -> None:
    project = make_project(site_root / "projects", "qinghe")
    write(project / "cases" / "jiaoyan.md", "---\ntitle: 教研活动\n---\n正文\n")
    appendix = project / "cases" / "jiaoyan"
    appendix.mkdir(parents=True)
    doc = docx.Document()
    doc.add_paragraph("活动方案正文")
    doc.core_properties.author = AUTHOR
    doc.core_properties.last_modified_by = AUTHOR + "改"
    doc.save(appendix / "方案.docx")
    wb = openpyxl.Workbook()
    wb.active["A1"] = "签到表"
    wb.properties.creator = AUTHOR + "表"
    wb.properties.lastModifiedBy = AUTHOR + "表"
    wb.save(appendix / "签到.xlsx")
    original = (appendix / "方案.docx").read_bytes()

    site = build(make_site(site_root))

    files = site / "projects" / "qinghe" / "files" / "jiaoyan"
    published_doc, published_xlsx = files / "方案.docx", files / "签到.xlsx"
    for path in (published_doc, published_xlsx):
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                assert AUTHOR.encode() not in zf.read(name), f"{path.name}:{name}"
    # the documents themselves are intact, and the teacher's file is not touched
    assert [p.text for p in docx.Document(published_doc).paragraphs] == ["活动方案正文"]
    assert openpyxl.load_workbook(published_xlsx).active["A1"].value == "签到表"
    assert (appendix / "方案.docx").read_bytes() == original
    assert "方案.docx" in read(site, "projects/qinghe/cases/jiaoyan/")


def test_broken_office_appendix_still_builds(site_root: Path) -> None:
    project = make_project(site_root / "projects", "qinghe")
    write(project / "cases" / "a.md", "---\ntitle: 案例\n---\n正文\n")
    write(project / "cases" / "a" / "坏文件.docx", b"PK\x03\x04 not really a zip")
    site = build(make_site(site_root))
    assert (site / "projects" / "qinghe" / "files" / "a" / "坏文件.docx").is_file()


def test_file_names_in_unknown_encoding_are_findings_not_crashes(site_root: Path) -> None:
    projects = site_root / "projects"
    project = make_project(projects, "qinghe")
    cases = project / "cases"
    cases.mkdir()
    write(cases / "a.md", "---\ntitle: 案例\n---\n正文\n")
    # GBK names unpacked on a UTF-8 system: bytes that are no UTF-8
    with open(os.path.join(os.fsencode(cases), "\u6848\u4f8b.md".encode("gbk")), "wb") as fh:
        fh.write(b"---\ntitle: t\n---\nbody\n")
    (cases / "a").mkdir()
    with open(os.path.join(os.fsencode(cases / "a"), "\u9644\u5f55.pdf".encode("gbk")), "wb") as fh:
        fh.write(b"%PDF-1.4\n")
    album = os.path.join(os.fsencode(project / "photos"), "2020-01-01 \u6d3b\u52a8".encode("gbk"))
    os.makedirs(album)
    make_image(Path(os.fsdecode(album)) / "01.jpg")
    bad_project = os.path.join(os.fsencode(projects), "\u6d3b\u52a8".encode("gbk"))
    os.makedirs(bad_project)
    make_project(projects, os.fsdecode(os.path.basename(bad_project)))

    _projects, findings = load_all(_settings(site_root))
    messages = [f.message for f in findings]
    assert sum("编码无法识别" in m for m in messages) == 4, messages

    site = build(make_site(site_root))
    assert "案例" in read(site, "projects/qinghe/cases/a/")


def test_very_long_names_give_short_urls(site_root: Path) -> None:
    projects = site_root / "projects"
    project = make_project(projects, "长" * 80)
    write(project / "cases" / ("案" * 80 + ".md"), "---\ntitle: 长案例\n---\n正文\n")
    write(project / "plans" / ("计" * 80 + ".md"), "---\ntitle: 长计划\n---\n正文\n")
    make_image(project / "photos" / ("2020-01-01 " + "相" * 70) / "01.jpg")
    make_project(projects, "b", dict(MINIMAL, name="第二个项目", slug="a" * 300))

    _projects, findings = load_all(_settings(site_root))
    assert any(f.field == "slug" and "最多 80 个字符" in f.message for f in findings)

    site = build(make_site(site_root))
    pages = [p for p in (site / "projects").rglob("index.html")]
    assert len(pages) >= 4
    assert all(len(part) <= 80 for p in pages for part in p.relative_to(site).parts)


def test_template_partials_are_not_published(site_root: Path) -> None:
    make_project(site_root / "projects", "qinghe")
    site = build(make_site(site_root))
    assert not list(site.rglob("*.yml"))
    assert not (site / "showcase").exists()


def test_pdf_appendix_published_without_author(site_root) -> None:
    from pypdf import PdfReader, PdfWriter

    project = make_project(site_root / "projects", "qinghe")
    case = project / "cases" / "案例.md"
    case.parent.mkdir(parents=True, exist_ok=True)
    case.write_text("---\ntitle: 案例\n---\n正文。\n", encoding="utf-8")
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": "孙晓梅", "/Creator": "孙晓梅的电脑"})
    (project / "cases" / "案例").mkdir()
    with open(project / "cases" / "案例" / "证书 扫描.pdf", "wb") as fh:
        writer.write(fh)
    with open(project / "cases" / "案例" / "证书_扫描.pdf", "wb") as fh:
        writer.write(fh)
    make_site(site_root)
    site = build(site_root / "mkdocs.yml")
    published = sorted((site / "projects" / "qinghe" / "files").rglob("*.pdf"))
    assert [p.name for p in published] == [
        "证书_扫描-2.pdf",
        "证书_扫描.pdf",
    ]  # neither overwrites the other
    for pdf in published:
        assert (
            "孙晓梅".encode("utf-16-be") not in pdf.read_bytes()
            and b"\\u5b59" not in pdf.read_bytes()
        )
        meta = PdfReader(pdf).metadata
        assert not meta or "/Author" not in meta
        assert len(PdfReader(pdf).pages) == 1
