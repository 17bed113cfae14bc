"""The form's cases, plans and photos saved without a browser: what the site reads back."""

from __future__ import annotations

import json

from conftest import MINIMAL, build, make_image, make_project, make_site, read, write
from PIL import Image
from showcase.commands.editor import saving, server
from showcase.commands.editor import state as formstate
from showcase.reading.load import load_project

CASE = """\
---
title: 名师工作室案例
# 附录清单：作者的顺序
附录:
  - 01-揭牌.jpg: 揭牌仪式
  - 标题: 结对签字仪式及协议书
    文件: [02-签字.jpg, 协议书.docx]
    类型: 图片、文本
  - description: 只有说明的一项，说明就是标题
    files: [成员表.docx]
---

正文。
"""


def _case_folder(tmp_path):
    folder = make_project(tmp_path, "星光小学")
    write(folder / "cases" / "名师工作室.md", CASE)
    adir = folder / "cases" / "名师工作室"
    make_image(adir / "01-揭牌.jpg", (300, 200))
    make_image(adir / "02-签字.jpg", (300, 200))
    write(adir / "协议书.docx", b"PK\x03\x04 not really")
    write(adir / "成员表.docx", b"PK\x03\x04 not really")
    return folder


def _save(folder, state):
    plan = saving.plan_save(folder, json.loads(json.dumps(state)), {})
    assert saving.conflicts(plan) == []
    saving.execute(plan, lambda p: p.unlink())
    return plan


def test_appendix_items_read_as_the_site_reads_them_and_unchanged_means_unwritten(tmp_path):
    folder = _case_folder(tmp_path)
    state = formstate.read_state(folder)
    items = state["cases"][0]["appendix"]
    assert [(i["title"], i["type"], [f["name"] for f in i["files"]]) for i in items] == [
        ("揭牌仪式", "", ["01-揭牌.jpg"]),
        ("结对签字仪式及协议书", "图片、文本", ["02-签字.jpg", "协议书.docx"]),
        ("只有说明的一项，说明就是标题", "", ["成员表.docx"]),
    ]
    before = (folder / "cases" / "名师工作室.md").read_bytes()
    plan = saving.plan_save(folder, json.loads(json.dumps(state)), {})
    assert plan.ops == []
    assert (folder / "cases" / "名师工作室.md").read_bytes() == before


def test_appendix_reordered_retitled_and_described_in_the_form(tmp_path):
    folder = _case_folder(tmp_path)
    state = formstate.read_state(folder)
    items = state["cases"][0]["appendix"]
    items[0], items[2] = items[2], items[0]
    items[0]["title"] = "成员及分工一览表"
    items[1]["description"] = "签字仪式的照片和协议书范本。"
    items[2]["type"] = "图片"
    _save(folder, state)
    text = (folder / "cases" / "名师工作室.md").read_text("utf-8")
    assert "# 附录清单：作者的顺序" in text  # the author's comment stays
    (case,) = load_project(folder).cases
    assert [(i.number, i.title, i.type_label, i.description) for i in case.appendix] == [
        ("1", "成员及分工一览表", "Word 文档", ""),
        ("2", "结对签字仪式及协议书", "图片、文本", "签字仪式的照片和协议书范本。"),
        ("3", "揭牌仪式", "图片", ""),
    ]
    # opened and saved again: nothing changes
    again = formstate.read_state(folder)
    assert saving.plan_save(folder, json.loads(json.dumps(again)), {}).ops == []


def test_county_plan_with_rows_round_trips(tmp_path):
    folder = make_project(tmp_path, "星光小学")
    state = formstate.read_state(folder)
    state["plans"].append(
        {
            "file": None,
            "title": "某区“双培双树”实施方案",
            "year": "2025",
            "date": "2025-03-01",
            "issuer": "某区教育局党委",
            "scope": "全区中小学党组织",
            "schedule": {"3": "印发方案", "9": "评选先锋"},
            "timed": [
                {"when": "每学期末", "items": "推荐入库"},
                {"when": "七一前", "items": "表彰先锋"},
                {"when": "", "items": "没有时间的一行不写"},
            ],
            "body": "正文",
        }
    )
    _save(folder, state)
    (plan,) = load_project(folder).plans
    assert (plan.issuer, plan.scope, str(plan.date)) == (
        "某区教育局党委",
        "全区中小学党组织",
        "2025-03-01",
    )
    assert [(t.label, t.items) for t in plan.timed] == [
        ("每学期末", ["推荐入库"]),
        ("七一前", ["表彰先锋"]),
    ]
    assert [m.month for m in plan.schedule] == [3, 9]
    again = formstate.read_state(folder)
    assert saving.plan_save(folder, json.loads(json.dumps(again)), {}).ops == []
    # a row renamed and one removed: the file follows
    again["plans"][0]["timed"] = [{"when": "每月", "items": "主题党日"}]
    _save(folder, again)
    (plan,) = load_project(folder).plans
    assert [(t.label, t.items) for t in plan.timed] == [("每月", ["主题党日"])]


def test_a_photo_turned_and_described_in_the_form(tmp_path):
    folder = make_project(tmp_path / "projects", "星光小学", {**MINIMAL, "slug": "xingguang"})
    album = folder / "photos" / "2025-03-05 学雷锋"
    make_image(album / "01-清洁.jpg", (400, 300))
    state = formstate.read_state(folder)
    state["albums"][0]["photos"][0]["rotate"] = 270
    state["albums"][0]["photos"][0]["caption"] = "党员教师带领学生清扫校园周边"
    _save(folder, state)
    with Image.open(album / "01-清洁.jpg") as img:
        assert img.size == (300, 400)  # saved turned: every viewer and the build agree
    assert saving.plan_save(folder, formstate.read_state(folder), {}).ops == []
    # the description is the picture's alt text on the site
    out = build(make_site(tmp_path))
    (project,) = [load_project(folder)]
    page = read(out, f"projects/xingguang/photos/{project.albums[0].slug}/")
    assert 'alt="党员教师带领学生清扫校园周边"' in page


def test_the_same_folder_gets_the_same_port(tmp_path):
    a, b = tmp_path / "甲", tmp_path / "乙"
    assert server.stable_port(a) == server.stable_port(a)
    assert 20000 <= server.stable_port(b) < 30000


def test_a_draft_whose_uploads_are_gone_is_restored_without_them(tmp_path):
    """After a restart the editor no longer holds the draft's uploads: the form comes back
    without them, and the teacher is told which files to choose again."""
    folder = make_project(tmp_path, "星光小学")
    app = server.create_app(
        folder.parent, None, server.settings_for(folder.parent), "t", tmp_path / "w"
    )
    app.config["PORT"] = 5998
    client = app.test_client()
    headers = {"X-Showcase-Token": "t", "Origin": "http://127.0.0.1:5998"}
    draft = formstate.read_state(folder)
    draft["fields"]["members"] = "33"
    draft["albums"] = [
        {
            "folder": None,
            "title": "升旗仪式",
            "date": "",
            "description": "",
            "photos": [{"upload": {"id": "gone", "name": "升旗.jpg"}, "caption": "升旗"}],
        }
    ]
    got = client.post(
        "http://127.0.0.1:5998/p/%E6%98%9F%E5%85%89%E5%B0%8F%E5%AD%A6/draft",
        headers=headers,
        json=draft,
    ).get_json()
    assert "升旗.jpg" in got["missing"]
    assert 'value="33"' in got["html"] and 'value="升旗仪式"' in got["html"]
    assert "/api/staged/gone" not in got["html"]
