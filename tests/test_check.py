"""Checking: content rules over loaded projects, with real bad files."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL, make_image, make_project, write
from hostile import (
    BAD_ID_CARD,
    ID_CARD,
    PHONE,
    bomb_png,
    corrupt_png,
    docx_with,
    empty,
    not_an_image,
    pdf_with,
    truncated,
    xlsx_with,
)
from showcase.build import SiteBuilder, load_all
from showcase.checking.personal import find_personal, is_id_card
from showcase.config import default_settings
from showcase.core.findings import Finding
from showcase.core.settings import Settings


def _settings(root: Path, **kw) -> Settings:
    return default_settings(
        sources=["projects"], base_dir=root, cache_dir=str(root / ".cache"), **kw
    )


def _check(root: Path, **kw) -> list[Finding]:
    return load_all(_settings(root, **kw))[1]


def _about(findings: list[Finding], name: str) -> list[Finding]:
    return [f for f in findings if f.file and Path(f.file).name == name]


def test_summary_over_the_limit_is_a_warning_counted_like_word(site_root):
    text = "党" * 150 + "，" * 60 + " ABC 2025"  # 150 + 60 + 2 = 212 字
    make_project(site_root / "projects", "p", {**MINIMAL, "summary": text})
    f = next(f for f in _check(site_root) if f.field == "summary")
    assert not f.is_error and "212 字，超出 200 字上限" in f.message
    assert f.line == 4 and f.file.endswith("project.yml")
    assert _check(site_root, summary_max_chars=300) == []


def test_duplicate_slugs(site_root):
    make_project(site_root / "projects", "一小", {**MINIMAL, "slug": "school"})
    make_project(site_root / "projects", "二小", {**MINIMAL, "slug": "school"})
    projects, findings = load_all(_settings(site_root))
    dups = [f for f in findings if f.field == "slug"]
    assert [f.project for f in dups] == ["一小", "二小"] and all(f.is_error for f in dups)
    assert all("一小" in f.message and "二小" in f.message and f.line == 5 for f in dups)
    from showcase.checking.rules import publishable

    # neither takes the other's address: both published, at slug-<code of the source>
    slugs = {p.folder.name: p.slug for p in publishable(projects)}
    assert set(slugs) == {"一小", "二小"}
    assert all(re.fullmatch(r"school-[0-9a-f]{6}", s) for s in slugs.values())
    assert len(set(slugs.values())) == 2


BAD_IMAGES = {
    "01-空文件.jpg": (empty, "空的"),
    "02-传了一半.jpg": (lambda p: truncated(p, "JPEG"), "不完整"),
    "03-传了一半.png": (lambda p: truncated(p, "PNG"), "不完整"),
    "04-损坏.png": (corrupt_png, "损坏"),
    "05-其实是文字.jpg": (not_an_image, "不是有效的图片"),
    "06-炸弹.png": (bomb_png, "解压炸弹"),
    "07-大炸弹.png": (lambda p: bomb_png(p, 9000, 9000), "解压炸弹"),
}


def _album_with_bad_images(project: Path) -> Path:
    album = project / "photos" / "2025-09-10 教师节"
    for name, (make, _) in BAD_IMAGES.items():
        make(album / name)
    make_image(album / "08-正常照片.jpg")
    return album


def test_bad_images_are_named_and_left_out(site_root):
    project = make_project(site_root / "projects", "p")
    _album_with_bad_images(project)
    case = project / "cases" / "案例"
    write(project / "cases" / "案例.md", "# 案例\n正文\n")
    not_an_image(case / "附件.png")
    make_image(case / "好图.jpg")
    projects, findings = load_all(_settings(site_root))
    for name, (_, words) in BAD_IMAGES.items():
        (f,) = _about(findings, name)
        assert f.is_error and words in f.message, f.format()
    assert _about(findings, "附件.png")[0].is_error
    album = projects[0].albums[0]
    assert [p.path.name for p in album.photos] == ["08-正常照片.jpg"]
    assert [p.path.name for p in projects[0].cases[0].images] == ["好图.jpg"]


@pytest.mark.parametrize(
    ("size", "words"),
    [((120, 120), "太小"), ((900, 300), "离正方形太远"), ((150, 400), "太小")],
)
def test_logo_tiny_or_far_from_square_is_a_warning(site_root, size, words):
    project = make_project(site_root / "projects", "p", logo=False)
    make_image(project / "logo.png", size, fmt="PNG")
    f = next(f for f in _check(site_root) if f.field == "logo")
    assert not f.is_error and words in f.message and f.file.endswith("logo.png")


def test_broken_logo_is_an_error_and_the_placeholder_is_used(site_root):
    project = make_project(site_root / "projects", "p", logo=False)
    truncated(project / "logo.png", "PNG")
    projects, findings = load_all(_settings(site_root))
    (f,) = [f for f in findings if f.field == "logo"]
    assert f.is_error and f.file.endswith("logo.png")
    assert projects[0].logo is None and projects[0].publishable


def test_each_broken_image_is_reported_once_per_build(site_root):
    project = make_project(site_root / "projects", "p", logo=False)
    corrupt_png(project / "logo.png")
    _album_with_bad_images(project)
    result = SiteBuilder(_settings(site_root)).build()
    counts = Counter(f.file for f in result.findings if f.is_error)
    assert counts and max(counts.values()) == 1, counts
    assert len(counts) == len(BAD_IMAGES) + 1
    (album,) = result.published[0].albums
    assert [p.path.name for p in album.photos] == ["08-正常照片.jpg"]
    assert album.photos[0].derived is not None


# --- personal data --------------------------------------------------------------------------


def test_id_card_checksum_and_phone_patterns():
    assert is_id_card(ID_CARD) and not is_id_card(BAD_ID_CARD)
    assert not is_id_card("110105194913310023")  # month 13
    kinds = [k for k, _, _ in find_personal(f"电话 {PHONE}，138-0000-1111，１３９００００２２２２")]
    assert kinds == ["手机号码"] * 3
    assert find_personal(f"编号 {BAD_ID_CARD}，订单 2025031012345678901，电话 12800000000") == []
    (hit,) = find_personal(f"身份证 {ID_CARD}")
    assert hit[0] == "身份证号" and hit[2] == ID_CARD[:6] + "********" + ID_CARD[-4:]


def test_personal_data_in_public_text_is_a_warning_naming_the_place(site_root):
    fields = {"contact": PHONE, **MINIMAL, "summary": f"联系我们：{PHONE}"}
    project = make_project(site_root / "projects", "p", fields)
    write(project / "goals.md", f"目标第一段。\n\n第二段，负责人身份证 {ID_CARD}。\n")
    write(
        project / "cases" / "案例.md", f"---\ntitle: 案例\n---\n正文第一行\n\n请联系 {PHONE} 报名\n"
    )
    album = project / "photos" / "2025-09-10 活动"
    make_image(album / "01.jpg")
    write(album / "album.yml", f"title: 活动\ndescription: 报名电话 {PHONE}\n")
    write(project / "plans" / "计划.md", f"---\nschedule:\n  三月: [联系 {PHONE}]\n---\n正文\n")
    write(project / "cases" / "不算.md", f"---\ntitle: 编号\n---\n编号 {BAD_ID_CARD}\n")
    findings = [f for f in _check(site_root) if "公开的文字里有" in f.message]
    places = {(Path(f.file).name, f.line, f.field) for f in findings}
    assert places == {
        ("project.yml", 5, "summary"),  # contact (line 1, same number) is exempt
        ("goals.md", 3, "goals"),
        ("案例.md", 6, None),
        ("album.yml", 2, None),
        ("计划.md", 3, None),
    }
    assert all(not f.is_error and "个人信息保护法" in f.hint for f in findings)
    assert all(PHONE not in f.format() and ID_CARD not in f.format() for f in findings)


def test_personal_data_in_appendix_files(site_root):
    project = make_project(site_root / "projects", "p")
    write(project / "cases" / "案例.md", "# 案例\n正文\n")
    appendix = project / "cases" / "案例"
    docx_with(appendix / "协议.docx", "甲方：张老师", table=[["身份证号", ID_CARD]])
    xlsx_with(appendix / "名单.xlsx", [["姓名", "电话"], ["张老师", int(PHONE)]])
    pdf_with(appendix / "证书.pdf", f"Tel {PHONE}")
    docx_with(appendix / "干净.docx", "没有个人信息")
    not_an_image(appendix / "坏的.docx")
    write(appendix / "坏的.pdf", b"%PDF-1.4\n\x00\x01 broken")
    xlsx_with(appendix / "炸弹.xlsx", [["x"]])
    findings = _check(site_root)
    assert "第 1 个表格有身份证号" in _about(findings, "协议.docx")[0].message
    assert "B2 单元格有手机号码 138****0000" in _about(findings, "名单.xlsx")[0].message
    assert "第 1 页有手机号码" in _about(findings, "证书.pdf")[0].message
    assert _about(findings, "干净.docx") == []
    for name in ("坏的.docx", "坏的.pdf"):
        (f,) = _about(findings, name)
        assert not f.is_error and "无法读取这个附录文件的内容" in f.message
    assert not any(f.is_error for f in findings)


def test_placeholders_from_the_scaffold_are_warnings(tmp_path):
    from showcase.commands.new import create_project

    create_project(tmp_path / "projects" / "新项目")
    projects, findings = load_all(_settings(tmp_path))
    assert findings and not any(f.is_error for f in findings)
    assert all("示例" in f.message for f in findings), [f.format() for f in findings]
    fields = {f.field for f in findings if f.file.endswith("project.yml")}
    assert fields == {"name", "branch", "summary", "school"}
    assert {Path(f.file).name for f in findings} >= {
        "logo.png",
        "示例案例.md",
        "album.yml",
        "01-示例照片.png",
    }
    # filled in, the warnings go away
    yml = tmp_path / "projects" / "新项目" / "project.yml"
    data = yaml.safe_load(yml.read_text(encoding="utf-8"))
    data.update(MINIMAL)
    yml.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    findings = load_all(_settings(tmp_path))[1]
    assert not [f for f in findings if f.file.endswith("project.yml")]
