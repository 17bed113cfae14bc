"""Loading: every mistake in a hand-typed folder becomes a Chinese finding with its place."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import MINIMAL, make_image, make_project, write
from showcase.core.findings import Finding
from showcase.reading.load import load_project
from showcase.reading.values import suggest


def _yml(
    root: Path, text: str, *, encoding: str = "utf-8", folder: str = "p", logo: bool = True
) -> Path:
    path = root / folder
    write(path / "project.yml", text, encoding=encoding)
    if logo:
        make_image(path / "logo.png", (400, 400), fmt="PNG")
    return path


BASE = """\
branch: 青禾路小学党支部
school: 青禾路小学
name: 党组织“1+5”建设工程
summary: 以一个支部带动五支队伍。
"""


def _one(findings: list[Finding], text: str) -> Finding:
    hits = [f for f in findings if text in f.message or text in (f.hint or "")]
    assert len(hits) == 1, (text, [f.format() for f in findings])
    return hits[0]


def test_good_project_loads_without_findings(tmp_path):
    project = load_project(make_project(tmp_path, "good"))
    assert project.findings == []
    assert project.publishable
    assert project.name == MINIMAL["name"]


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("sumary", "summary"),
        ("精品项目简价", "精品项目简介"),
        ("membres", "members"),
        ("党支布", "党支部"),
        ("简价", "简介"),
        ("联系方法", "联系方式"),
    ],
)
def test_unknown_key_suggests_the_nearest_key_or_label(tmp_path, typo, meant):
    assert suggest(typo) == meant
    folder = _yml(tmp_path, BASE + f"{typo}: 某个值\n")
    f = _one(load_project(folder).findings, f"不认识的字段“{typo}”")
    assert f.is_error and f.line == 5 and f.file.endswith("project.yml")
    assert f"是不是想写 {meant}" in f.hint


def test_chinese_labels_with_stray_spaces_are_accepted(tmp_path):
    folder = _yml(
        tmp_path,
        "党支部（总支）: 某支部\n项目 名称: 某项目\n精品项目简介 : 简介\n党员\u3000人数: 30人\n",
    )
    project = load_project(folder)
    assert [f for f in project.findings if f.is_error] == []
    assert (project.branch, project.name, project.summary, project.members) == (
        "某支部",
        "某项目",
        "简介",
        30,
    )


def test_wrong_type_names_the_line_and_field(tmp_path):
    folder = _yml(tmp_path, BASE + "members: 很多\nyear: 二〇二五\ntags: {a: 1}\n")
    findings = load_project(folder).findings
    members = _one(findings, "实际是“很多”")
    assert (members.line, members.field) == (5, "members")
    assert "不小于 0 的整数" in members.message
    assert _one(findings, "实际是“二〇二五”").field == "year"
    assert _one(findings, "应填写列表").line == 7


def test_bad_homepage_url(tmp_path):
    folder = _yml(tmp_path, BASE + "homepage: www.example.edu.cn/dangjian\n")
    f = _one(load_project(folder).findings, "格式不正确")
    assert (f.field, f.line, f.is_error) == ("homepage", 5, True)
    ok = _yml(
        tmp_path,
        BASE + "homepage: http://www.example.edu.cn/NewsMain.aspx?moduleid=221\n",
        folder="ok",
    )
    assert load_project(ok).homepage == "http://www.example.edu.cn/NewsMain.aspx?moduleid=221"
    js = _yml(tmp_path, BASE + "homepage: javascript:alert(1)\n", folder="js")
    assert load_project(js).homepage is None


def test_field_both_in_project_yml_and_long_text_file(tmp_path):
    folder = _yml(tmp_path, BASE + "goals: 写在 project.yml 里的目标\n")
    write(folder / "goals.md", "写在 goals.md 里的目标\n")
    project = load_project(folder)
    f = _one(project.findings, "同时在 project.yml 和 goals.md 中填写了")
    assert (f.field, f.line) == ("goals", 5)
    assert project.goals == "写在 project.yml 里的目标"
    # an empty `goals:` line is no conflict: the file is used
    empty = _yml(tmp_path, BASE + "goals:\n", folder="empty")
    write(empty / "goals.md", "写在 goals.md 里的目标\n")
    assert load_project(empty).goals == "写在 goals.md 里的目标"


def test_missing_required_fields_make_the_project_unpublishable(tmp_path):
    folder = _yml(tmp_path, "school: 青禾路小学\n")
    project = load_project(folder)
    missing = {f.field for f in project.findings if "缺少必填项" in f.message}
    assert missing == {"branch", "name", "summary"}
    assert not project.publishable


def test_missing_project_yml(tmp_path):
    (tmp_path / "p").mkdir()
    f = _one(load_project(tmp_path / "p").findings, "缺少 project.yml")
    assert f.is_error


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("branch: 某支部\nname: 项目: 名称\n", 2, 9, "冒号"),
        ("branch: 某支部\nname: [一, 二\nsummary: x\n", 2, 7, "方括号"),
        ("branch: 某支部\n\tname: x\n", 2, 1, "Tab"),
        ("branch: 某支部\nname: '没有闭合\n", 2, 7, "引号"),
        ('branch: 某支部\nname: "x" 多余\n', 2, None, "引号后面多了文字"),
    ],
)
def test_broken_yaml_gives_line_and_column_in_chinese(tmp_path, text, line, column, words):
    project = load_project(_yml(tmp_path, text))
    f = next(f for f in project.findings if "YAML 格式错误" in f.message)
    assert f.is_error and words in f.message
    if line:
        assert f.line == line and f"第 {line} 行" in f.message
    if column:
        assert f"第 {column} 列" in f.message


def test_fullwidth_colon_and_missing_space_get_a_hint(tmp_path):
    project = load_project(_yml(tmp_path, "branch: 某支部\nname：某项目\nsummary: x\n"))
    f = next(f for f in project.findings if "YAML" in f.message or "形式" in f.message)
    assert "中文冒号" in f.hint and "第 2 行" in f.hint
    project = load_project(_yml(tmp_path, "name:某项目\n", folder="nospace"))
    f = next(f for f in project.findings if f.is_error and f.hint)
    assert "缺少空格" in f.hint


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_accepted_encodings(tmp_path, encoding):
    project = load_project(_yml(tmp_path, BASE, encoding=encoding))
    assert project.findings == [] and project.name == "党组织“1+5”建设工程"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("\ufeff".encode("utf-16-le") + BASE.encode("utf-16-le"), "UTF-16"),
        (BASE.encode("utf-16-le"), "编码"),
        ("branch: x\nname: y\n".encode("utf-16-le"), "二进制"),
        (bytes(range(256)) * 4, "编码"),
    ],
)
def test_other_encodings_are_errors(tmp_path, data, words):
    folder = tmp_path / "p"
    write(folder / "project.yml", data)
    project = load_project(folder)
    f = _one(project.findings, words)
    assert f.is_error and f.file.endswith("project.yml")
    assert not project.publishable


def test_gbk_long_text_file(tmp_path):
    folder = _yml(tmp_path, BASE)
    write(folder / "measures.md", "一、建强支部\n1. 每月一次主题党日。\n", encoding="gbk")
    assert load_project(folder).measures.startswith("一、建强支部")


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "/etc/passwd", "C:\\Windows\\win.ini", "..\\..\\secret.png"]
)
def test_logo_path_outside_the_folder_is_refused(tmp_path, name):
    folder = _yml(tmp_path, BASE + f"logo: '{name}'\n", logo=False)
    project = load_project(folder)
    f = next(f for f in project.findings if f.field == "logo" and f.is_error)
    assert f.line == 5 and ("绝对路径" in f.message or "项目文件夹以外" in f.message)
    assert project.logo is None


def test_symlinks_out_of_the_folder_are_never_read(tmp_path):
    secret = write(tmp_path / "outside" / "secret.md", "机密内容\n")
    outside_dir = tmp_path / "outside"
    make_image(outside_dir / "photo.jpg")
    folder = _yml(tmp_path, BASE + "logo: mylogo.png\n", logo=False)
    os.symlink(outside_dir / "photo.jpg", folder / "mylogo.png")
    os.symlink(secret, folder / "goals.md")
    (folder / "photos").mkdir()
    os.symlink(outside_dir, folder / "photos" / "2025-01-01 外面")
    write(folder / "cases" / "案例.md", "# 案例\n正文\n")
    os.symlink(outside_dir, folder / "cases" / "案例")
    project = load_project(folder)
    links = [f for f in project.findings if "以外" in f.message]
    assert {Path(f.file).name for f in links} >= {"goals.md", "2025-01-01 外面", "案例"}
    assert any(f.field == "logo" for f in links)
    assert project.logo is None and project.goals is None and project.albums == []
    assert project.cases[0].images == [] and project.cases[0].files == []


def test_case_front_matter_errors(tmp_path):
    folder = _yml(tmp_path, BASE)
    write(
        folder / "cases" / "坏日期.md",
        "---\ntitle: 名师工作室\ndate: 2025-13-45\n作者: 张老师\n---\n正文\n",
    )
    write(folder / "cases" / "坏格式.md", "---\ntitle: [一, 二\n---\n正文\n")
    write(folder / "cases" / "没结束.md", "---\ntitle: 没结束\n正文\n")
    write(folder / "cases" / "错类型.md", "---\ntitle: {a: 1}\ntitel: 笔误\n---\n# 标题来自正文\n")
    project = load_project(folder)
    by_file = {}
    for f in project.findings:
        by_file.setdefault(Path(f.file).name, []).append(f)
    date = by_file["坏日期.md"][0]
    assert "日期“2025-13-45”格式不正确" in date.message and date.line == 3
    assert "YAML 格式错误" in by_file["坏格式.md"][0].message
    assert "没有对应的结束行" in by_file["没结束.md"][0].message
    kinds = {f.message.split("，")[0] for f in by_file["错类型.md"]}
    assert any("title 应填写文字" in k for k in kinds)
    typo = next(f for f in by_file["错类型.md"] if "titel" in f.message)
    assert typo.line == 3 and "title" in typo.hint
    # the cases are still published with what could be read
    titles = {c.title for c in project.cases}
    assert {"名师工作室", "标题来自正文"} <= titles
    assert next(c for c in project.cases if c.title == "名师工作室").authors == ["张老师"]


def test_plan_and_album_errors(tmp_path):
    folder = _yml(tmp_path, BASE)
    write(
        folder / "plans" / "计划.md",
        "---\nyear: 明年\nschedule:\n  三月: [开学]\n  十三月: [不存在]\n---\n正文\n",
    )
    album = tmp_path / "p" / "photos" / "2025-09-10 教师节"
    make_image(album / "01-表彰.jpg")
    write(
        album / "album.yml",
        "title: 教师节\ncaptions: [不是字典]\ncover: 没有这张.jpg\ndate: 昨天\n",
    )
    project = load_project(folder)
    messages = {f.message: f for f in project.findings}
    year = next(f for m, f in messages.items() if "年度“明年”" in m)
    assert year.line == 2
    month = next(f for m, f in messages.items() if "月份“十三月”无法识别" in m)
    assert month.line == 3
    assert project.plans[0].schedule[0].month == 3
    assert any("captions 应写成" in m for m in messages)
    assert any("封面“没有这张.jpg”不在相册里" in m for m in messages)
    assert any("日期“昨天”格式不正确" in m for m in messages)
    assert project.albums[0].photos[0].caption == "表彰"


def test_alias_bomb_and_deep_nesting_are_refused(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    project = load_project(_yml(tmp_path, bomb))
    assert any("过于复杂" in f.message for f in project.findings)
    deep = "name: " + "[" * 5000 + "]" * 5000 + "\n"
    project = load_project(_yml(tmp_path, deep, folder="deep"))
    assert any("嵌套过深" in f.message or "YAML" in f.message for f in project.findings)


def test_odd_values_never_crash(tmp_path):
    text = BASE + (
        "indicators:\n  explicit:\n    - {text: 教师, target: .inf, actual: {2025: .nan}}\n"
        "    - [1, 2]\n  其他: 1\nopinion: {text: 同意, date: 2025-02-30, 印章: 有}\n"
        'members: -3\nslug: 中文网址\nlogo: "a\\0b.png"\n? [复杂, 键]\n: 值\n'
        "year: !!binary aGVsbG8=\ntags: !!python/object:os.system ls\n"
    )
    project = load_project(_yml(tmp_path, text))
    assert project.publishable
    errors = [f for f in project.findings if f.is_error]
    assert len(errors) >= 8
    assert all(f.file and f.file.endswith("project.yml") for f in errors)
    indicator = project.indicators[0]
    assert indicator.target is None and indicator.actual == {}
