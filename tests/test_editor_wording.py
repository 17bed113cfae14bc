"""The form speaks of its boxes, not of YAML (issue 20).

A project with every kind of mistake a hand-edited folder can hold is opened in the
editor's server (the real Flask app, in-process); every help text, tip, placeholder and
label the form shows, and every finding it shows (on the page, while typing and after
saving), must be free of YAML keys, `{`, `project.yml` and `.md` file names.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from conftest import make_image, write
from showcase.commands.editor import server, wording
from showcase.commands.editor import state as formstate
from showcase.config import default_settings

KEY_WORD = re.compile(r"(?<![A-Za-z0-9_.\-/])([a-z][a-z_]*)(?![A-Za-z0-9_\-])")
MD_FILE = re.compile(r"\.(md|markdown|ya?ml)\b", re.I)

BAD_PROJECT = """\
name: 明理“四有”工程
branch:
  - 不是文字
members: 很多
homepage: www.example.cn 学校
tags: {a: 1}
slug: 中文网址
colour: 红色
indicators:
  explicit:
    - text: 市级优秀教师
      target: 很多
      extra: 1
    - {target: 3}
  others: [x]
opinion:
  text: 同意
  seal: 有
  date: 三月
"""
BAD_CASE = """\
---
title: 一个案例
appendix: 不是列表
colour: 红色
date: 昨天
---

正文。
"""
BAD_CASE_2 = """\
---
title: 另一个案例
appendix:
  - title: 成立仪式
    files: [没有这个文件.jpg]
    kind: 图片
  - 12
---

正文。
"""
BAD_PLAN = """\
---
title: 计划
year: 二〇二五
schedule:
  13月: [不存在的月份]
  三月: {a: 1}
issuer: [甲, 乙]
---
"""
BAD_ALBUM = """\
captions: [不是对照表]
cover: 没有这张.jpg
"""


def _project(root: Path) -> Path:
    folder = root / "明理中学"
    write(folder / "project.yml", BAD_PROJECT)
    write(folder / "goals.md", "目标写在文件里。")
    write(folder / "cases" / "一个案例.md", BAD_CASE)
    write(folder / "cases" / "另一个案例.md", BAD_CASE_2)
    make_image(folder / "cases" / "另一个案例" / "多出来的照片.jpg", (300, 200))
    write(folder / "plans" / "计划.md", BAD_PLAN)
    album = folder / "photos" / "2025-03-05 学雷锋"
    write(album / "album.yml", BAD_ALBUM)
    make_image(album / "01-清洁.jpg", (300, 200))
    return folder


class _Shown(HTMLParser):
    """The words a teacher reads on the form: text, placeholders, titles and labels
    (not the values in the boxes, which are the teacher's own)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "textarea", "option"):
            self._skip += 1
        for name, value in attrs:
            if name in ("placeholder", "title", "aria-label", "alt") and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea", "option"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def _speaks_yaml(text: str) -> list[str]:
    found = [w for w in KEY_WORD.findall(text) if w in wording.YAML_KEYS]
    if "{" in text or "}" in text:
        found.append("{")
    if "project.yml" in text or "project.yaml" in text:
        found.append("project.yml")
    found += [m.group() for m in MD_FILE.finditer(text)]
    return found


def _finding_texts(findings: list[dict]) -> list[str]:
    return [" ".join((f["message"], f["hint"], f["place"])) for f in findings]


def test_no_help_or_finding_in_the_form_speaks_yaml(tmp_path):
    folder = _project(tmp_path / "projects")
    settings = default_settings(base_dir=tmp_path)
    app = server.create_app(folder.parent, None, settings, "tok", tmp_path / "work")
    app.config["PORT"] = 5999  # the address the guard expects; nothing listens there
    client = app.test_client()
    headers = {
        "X-Showcase-Token": "tok",
        "Origin": "http://127.0.0.1:5999",
        "Host": "127.0.0.1:5999",
    }
    base = "http://127.0.0.1:5999/p/%E6%98%8E%E7%90%86%E4%B8%AD%E5%AD%A6"

    page = client.get(base + "/", headers=headers)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    shown = _Shown()
    shown.feed(html)
    findings = json.loads(re.search(r'id="findings">(.*?)</script>', html, re.S).group(1))
    # the checker found plenty: the test is only worth something if it did
    assert len(findings) >= 15, findings
    assert {f["field"] for f in findings} >= {"branch", "members", "tags", "indicators", "slug"}
    assert any(f["place"].startswith("案例") for f in findings)
    assert any(f["place"].startswith("工作计划") for f in findings)
    assert any(f["place"].startswith("相册") for f in findings)

    # while typing: the live check, with the brief left out (a missing required field)
    state = formstate.read_state(folder)
    state["fields"]["summary"] = ""
    live = client.post(base + "/check", headers=headers, json=state).get_json()["findings"]
    assert any("还没有填写" in f["message"] for f in live)

    texts = shown.texts + _finding_texts(findings) + _finding_texts(live)
    offenders = {t: _speaks_yaml(t) for t in texts if _speaks_yaml(t)}
    assert offenders == {}
    # and each still sits beside its box, saying what is wrong
    by_field = {f["field"]: f for f in findings if f["field"]}
    assert by_field["tags"]["target"] == "field:tags" and "列表" in by_field["tags"]["message"]
    assert "看不出数字" in " ".join(f["message"] for f in findings if f["field"] == "indicators")


def test_the_field_table_carries_both_wordings():
    from showcase.core.fields import FIELDS

    for f in FIELDS:
        shown = f.form_help or f.description
        assert _speaks_yaml(shown) == [], (f.key, shown)
    # `showcase check` keeps the YAML author's wording
    assert "goals.md" in next(f for f in FIELDS if f.key == "goals").description


def test_the_check_command_keeps_its_own_wording(tmp_path):
    """`showcase check` still names keys and files (its readers write YAML)."""
    folder = _project(tmp_path / "projects")
    items = server.check_folder(folder, default_settings(base_dir=tmp_path))
    assert any("project.yml" in (f.hint or "") or f.field for f in items)
    assert any(f.field == "tags" and "[" in (f.hint or "") for f in items)


def test_a_save_conflict_names_the_part_of_the_form_not_the_file():
    for rel in (
        "project.yml",
        "goals.md",
        "measures.md",
        "logo.png",
        "cases/名师工作室.md",
        "cases/名师工作室/01-揭牌.jpg",
        "plans/2026年计划.md",
        "photos/2025-03-05 学雷锋/album.yml",
    ):
        said = wording.describe(rel)
        assert _speaks_yaml(said) == [] and "logo" not in said, (rel, said)
