"""`showcase check`, `showcase new`, `showcase schema` from the command line, and real builds.

The main test builds a tree with one project holding every kind of mistake, one good
project, one missing its required fields and one repeating a slug: `showcase check`
names every problem in one run, a normal build publishes everything that is not
broken, and `--strict` fails.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, build, make_image, make_site, read, write
from hostile import (
    ID_CARD,
    PHONE,
    bomb_png,
    corrupt_png,
    docx_with,
    empty,
    not_an_image,
    truncated,
)
from showcase.commands.cli import main

GOOD = """\
branch: 青禾路小学党支部
school: 青禾路小学
name: 党组织“1+5”建设工程
summary: 以一个支部带动五支队伍，打造师德高尚、业务精良的教师团队。
slug: qinghe
members: 25
leader: 张老师
contact: "13800000000"
homepage: https://www.example.edu.cn/Components/NewsMain.aspx?moduleid=221
tags: [名师工作室, 青年教师]
indicators:
  explicit:
    - {text: 高级职称教师, target: 20, unit: 名, actual: {2024: 12, 2025: 16}}
  implicit: [师德师风持续向好]
opinion: {text: 同意申报。, signed_by: 王书记, date: 2025-03-10}
"""

# line numbers matter: the test below names them
BROKEN = f"""\
branch: 城南小学党支部
name: 城南小学“红烛”工程
summary: {"红烛精神照亮成长之路，" * 20}联系电话 {PHONE}
sumary: 多写的一行
精品项目简价: 又一个笔误
members: 很多
homepage: www.chengnan.edu.cn
goals: 写在这里的目标
logo: ../../etc/passwd
contact: "{PHONE}"
"""


def _good(root: Path) -> Path:
    p = root / "projects" / "好项目"
    write(p / "project.yml", GOOD)
    make_image(p / "logo.png", (512, 512), fmt="PNG")
    write(p / "measures.md", "一、建强支部\n\n1. 每月一次主题党日。\n")
    write(p / "cases" / "名师工作室.md", "---\ntitle: 名师工作室\ndate: 2025-03-01\n---\n正文。\n")
    make_image(p / "cases" / "名师工作室" / "01-揭牌仪式.jpg")
    docx_with(p / "cases" / "名师工作室" / "成员分工.docx", "成员分工表")
    album = p / "photos" / "2025-09-10 教师节表彰"
    make_image(album / "01-颁奖.jpg")
    make_image(album / "02-合影.jpg", (480, 640))
    write(album / "album.yml", "description: 教师节表彰大会。\n")
    write(
        p / "plans" / "年度计划.md",
        "---\ntitle: 2025 年工作计划\nschedule:\n  三月: [开学]\n  九月: [教师节]\n---\n正文\n",
    )
    return p


def _broken(root: Path) -> Path:
    p = root / "projects" / "坏项目"
    write(p / "project.yml", BROKEN)
    write(p / "goals.md", "文件里的目标\n")
    write(p / "measures.md", "一、GBK 编码的举措\n", encoding="gbk")
    write(p / "effects.md", "\ufeff效果".encode("utf-16-le"))
    write(p / "cases" / "坏案例.md", f"---\ntitle: [没闭合\n---\n正文里有身份证号 {ID_CARD}。\n")
    write(p / "cases" / "好案例.md", "---\ntitle: 好案例\n---\n正文。\n")
    docx_with(p / "cases" / "好案例" / "协议.docx", f"联系电话 {PHONE}")
    not_an_image(p / "cases" / "好案例" / "其实是文字.jpg")
    album = p / "photos" / "2025-05-01 运动会"
    empty(album / "01-空的.jpg")
    truncated(album / "02-半张.jpg")
    corrupt_png(album / "03-损坏.png")
    not_an_image(album / "04-文字.jpg")
    bomb_png(album / "05-炸弹.png")
    make_image(album / "06-好照片.jpg")
    write(album / "album.yml", "title: 运动会\ndate: 五月一日\n")
    write(
        p / "plans" / "计划.md", "---\nschedule:\n  三月: [开学]\n  十三月: [不存在]\n---\n正文\n"
    )
    return p


def _tree(root: Path) -> Path:
    _good(root)
    _broken(root)
    write(root / "projects" / "缺项目" / "project.yml", "school: 缺项目小学\n")
    write(
        root / "projects" / "重复" / "project.yml",
        "branch: 重复支部\nname: 重复项目\nsummary: 简介。\nslug: qinghe\n",
    )
    make_image(root / "projects" / "重复" / "logo.png", (400, 400), fmt="PNG")
    return make_site(root)


# (file, line, field, words) of every problem in the tree; line None = the whole file
EXPECTED = [
    ("坏项目/project.yml", 3, "summary", "超出 200 字上限"),
    ("坏项目/project.yml", 3, "summary", "公开的文字里有手机号码 138****0000"),
    ("坏项目/project.yml", 4, None, "不认识的字段“sumary”"),
    ("坏项目/project.yml", 5, None, "不认识的字段“精品项目简价”"),
    ("坏项目/project.yml", 6, "members", "实际是“很多”"),
    ("坏项目/project.yml", 7, "homepage", "格式不正确"),
    ("坏项目/project.yml", 8, "goals", "同时在 project.yml 和 goals.md 中填写了"),
    ("坏项目/project.yml", 9, "logo", "项目文件夹以外"),
    ("坏项目/effects.md", None, "effects", "UTF-16"),
    ("坏项目/cases/坏案例.md", 2, None, "YAML 格式错误"),
    ("坏项目/cases/坏案例.md", 4, None, "身份证号 110105********002X"),
    ("坏项目/cases/好案例/协议.docx", None, None, "附录文件第 1 段有手机号码"),
    ("坏项目/cases/好案例/其实是文字.jpg", None, None, "不是有效的图片"),
    ("坏项目/photos/2025-05-01 运动会/01-空的.jpg", None, None, "空的"),
    ("坏项目/photos/2025-05-01 运动会/02-半张.jpg", None, None, "不完整"),
    ("坏项目/photos/2025-05-01 运动会/03-损坏.png", None, None, "损坏"),
    ("坏项目/photos/2025-05-01 运动会/04-文字.jpg", None, None, "不是有效的图片"),
    ("坏项目/photos/2025-05-01 运动会/05-炸弹.png", None, None, "解压炸弹"),
    ("坏项目/photos/2025-05-01 运动会/album.yml", 2, None, "日期“五月一日”格式不正确"),
    ("坏项目/plans/计划.md", 2, None, "月份“十三月”无法识别"),
    ("缺项目/project.yml", None, "branch", "缺少必填项"),
    ("缺项目/project.yml", None, "name", "缺少必填项"),
    ("缺项目/project.yml", None, "summary", "缺少必填项"),
    (
        "重复/project.yml",
        4,
        "slug",
        "被 2 个项目同时使用：“好项目（来自 projects）”、“重复（来自 projects）”",
    ),
    ("好项目/project.yml", 5, "slug", "被 2 个项目同时使用"),
]
GOOD_SLUG = "qinghe-" + hashlib.sha256("projects\n好项目".encode()).hexdigest()[:6]
"""Two projects claim `qinghe`: both are published, each at slug-<code of its source>."""


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    _tree(root)
    return root


def _run(root: Path, *args: str, monkeypatch=None):
    runner = CliRunner()
    if monkeypatch is not None:
        monkeypatch.chdir(root)
    return runner.invoke(main, list(args), catch_exceptions=True)


def test_check_names_every_problem_in_one_run(tree, monkeypatch):
    result = _run(tree, "check", "--format", "json", monkeypatch=monkeypatch)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    findings = json.loads(result.stdout)
    assert all({"level", "file", "line", "field", "message", "hint"} <= set(f) for f in findings)
    for file, line, field, words in EXPECTED:
        hits = [
            f
            for f in findings
            if f["file"] == f"projects/{file}"
            and f["line"] == line
            and f["field"] == field
            and words in f["message"]
        ]
        assert len(hits) == 1, (file, line, field, words)
    # nothing about the good project but the shared slug, and nothing unexpected either
    assert [f["field"] for f in findings if f["project"] == "好项目"] == ["slug"]
    errors = {f["message"] for f in findings if f["level"] == "error"}
    assert not any("公开的文字" in m or "字上限" in m for m in errors)  # those are warnings
    keys = [(f["file"], f["line"], f["field"], f["message"]) for f in findings]
    assert len(keys) == len(set(keys))


def test_check_text_output_groups_by_project_and_counts(tree, monkeypatch):
    result = _run(tree, "check", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    out = result.stdout
    assert "Traceback" not in out
    groups = re.findall(r"^■ (\S+)（(\d+) 个错误，(\d+) 个警告）", out, re.M)
    assert [g[0] for g in groups] == ["坏项目", "好项目", "缺项目", "重复"]
    lines = [line for line in out.splitlines() if line.startswith("  ")]
    assert len(lines) == len(set(lines))  # each finding printed once
    assert "  错误 projects/坏项目/project.yml:6 党员人数 (members): 应填写不小于 0 的整数" in out
    assert re.search(r"^检查了 4 个项目：共 \d+ 个错误，\d+ 个警告$", out, re.M)


def test_check_html_report_and_paths(tree, monkeypatch, tmp_path):
    report = tmp_path / "out" / "报告.html"
    result = _run(
        tree,
        "check",
        "projects/重复",
        "projects/好项目",
        "--format",
        "html",
        "-o",
        str(report),
        monkeypatch=monkeypatch,
    )
    assert result.exit_code == 1
    html = report.read_text(encoding="utf-8")
    assert html.lower().startswith("<!doctype html>")
    assert not re.search(r"<link[^>]+stylesheet|<script[^>]+src=", html)  # one self-contained file
    assert "重复项目" in html and "网址名“qinghe”" in html
    assert "检查了" not in result.stdout  # the report went to the file, the summary to stderr
    good = _run(tree, "check", "projects/好项目", monkeypatch=monkeypatch)
    assert good.exit_code == 0 and "全部通过" in good.stdout


def test_check_never_shows_a_traceback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a-file.txt", "x")
    for args in (
        ["check", "没有这个文件夹"],
        ["check", "a-file.txt"],
        ["check"],
        ["check", ".", "-o", "a-file.txt/report.txt"],
        ["new", "a-file.txt"],
        ["schema", "-o", "a-file.txt/x.json"],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code != 0, args
        assert isinstance(result.exception, SystemExit), (args, result.exception)
        assert "Traceback" not in result.output
        assert re.search(r"[\u4e00-\u9fff]", result.output), (args, result.output)
    for config in (
        "- 不是\n- 设置\n",
        "plugins:\n  - showcase:\n      sources: 123\n",
        "site_name: [\n",
    ):
        write(tmp_path / "mkdocs.yml", config)
        result = CliRunner().invoke(main, ["check"])
        assert result.exit_code != 0 and isinstance(result.exception, SystemExit), config
        assert "Traceback" not in result.output and re.search(r"[\u4e00-\u9fff]", result.output)


def test_non_strict_build_publishes_what_is_not_broken(tree):
    site = build(tree / "mkdocs.yml")
    # the good project in full
    home = read(site, f"projects/{GOOD_SLUG}/")
    for text in (
        "党组织“1+5”建设工程",
        "高级职称教师",
        "同意申报",
        "建强支部",
        "名师工作室",
        "教师节表彰",
        "2025 年工作计划",
    ):
        assert text in home, text
    assert "13800000000" not in home and "张老师" not in home  # personal data stays off
    case = next((site / "projects" / GOOD_SLUG / "cases").glob("*/index.html")).read_text(
        encoding="utf-8"
    )
    assert case.count('class="sc-photo"') == 1 and "成员分工" in case
    album = next((site / "projects" / GOOD_SLUG / "photos").glob("*/index.html")).read_text(
        encoding="utf-8"
    )
    assert album.count('class="sc-photo"') == 2
    assert (site / "projects" / GOOD_SLUG / "plans").is_dir()
    # the broken project without its broken parts
    broken_dir = next(d for d in (site / "projects").iterdir() if not d.name.startswith("qinghe"))
    broken = (broken_dir / "index.html").read_text(encoding="utf-8")
    assert (
        "城南小学“红烛”工程" in broken and "sc-placeholder" in broken
    )  # logo refused: placeholder
    assert "GBK 编码的举措" in broken and "写在这里的目标" in broken
    assert "很多" not in broken and "www.chengnan.edu.cn" not in broken
    sports = next((broken_dir / "photos").glob("*/index.html")).read_text(encoding="utf-8")
    assert sports.count('class="sc-photo"') == 1 and "好照片" in sports
    assert len(list((broken_dir / "cases").glob("*/index.html"))) == 2
    # the project missing required fields is left out; the repeated slug is published apart
    registry = read(site, "registry/")
    assert "青禾路小学党支部" in registry and "城南小学党支部" in registry
    assert "缺项目" not in registry and "重复支部" in registry
    again = "qinghe-" + hashlib.sha256("projects\n重复".encode()).hexdigest()[:6]
    assert "重复项目" in read(site, f"projects/{again}/")
    assert sorted(d.name for d in (site / "projects").iterdir()) == sorted(
        [GOOD_SLUG, again, broken_dir.name]
    )


def test_strict_build_fails_on_errors(tree):
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort, match="strict"):
        build(tree / "mkdocs.yml", strict=True)


def test_new_project_passes_check_and_a_strict_build(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_site(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["new", "projects/我们的项目"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "projects" / "我们的项目"
    first = (folder / "project.yml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./project.schema.json"
    assert (folder / "project.schema.json").is_file()
    assert (folder / "cases" / "示例案例.md").is_file() and (folder / "cases" / "示例案例").is_dir()
    assert (folder / "photos" / "2025-09-10 示例活动" / "album.yml").is_file()
    # every field of the table is explained, with its form label
    from showcase.core.fields import FIELDS

    text = (folder / "project.yml").read_text(encoding="utf-8")
    for field in FIELDS:
        assert re.search(rf"^#? ?{field.key}:", text, re.M), field.key
        assert (field.form_label or field.label) in text
    check = runner.invoke(main, ["check", "--format", "json"])
    assert check.exit_code == 0, check.output
    findings = json.loads(check.stdout)
    assert findings and all(f["level"] == "warning" and "示例" in f["message"] for f in findings)
    assert runner.invoke(main, ["new", "projects/我们的项目"]).exit_code == 1  # never overwrites
    build(tmp_path / "mkdocs.yml", strict=True)  # placeholders are warnings: strict passes


class _NoDates(yaml.SafeLoader):
    """Reads dates as text, the way editors' YAML (1.2) does."""


_NoDates.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load_yaml(path: Path):
    from showcase.core.textutil import decode_text

    return yaml.load(decode_text(path.read_bytes())[0], Loader=_NoDates)


def test_schema_validates_the_demo_projects_and_names_mistakes(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    result = CliRunner().invoke(main, ["schema"])
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert schema["properties"]["summary"]["title"] == "精品项目简介"
    assert "精品项目简介" in schema["properties"] and "党支部（总支）" in schema["properties"]
    validator = jsonschema.Draft202012Validator(schema)
    demos = sorted((ROOT / "projects").glob("*/project.yml"))
    assert demos
    for path in demos:
        errors = [e.message for e in validator.iter_errors(_load_yaml(path))]
        assert errors == [], (path, errors)
    # each mistake alone makes a valid document invalid (asserted on the outcome, not on
    # jsonschema's English wording, which an editor's YAML extension does not show anyway)
    good = {"name": "x", "branch": "y", "summary": "z"}
    assert validator.is_valid(good)
    for mistake in ({"sumary": "x"}, {"members": "很多"}, {"homepage": "www.x.cn"}):
        assert not validator.is_valid({**good, **mistake}), mistake
    assert not validator.is_valid({"name": "x", "branch": "y"})  # no summary
    out = tmp_path / "project.schema.json"
    assert CliRunner().invoke(main, ["schema", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == schema
    # the scaffold's own project.yml is valid against it
    from showcase.commands.new import project_yml_text

    write(tmp_path / "new.yml", project_yml_text())
    assert list(validator.iter_errors(_load_yaml(tmp_path / "new.yml"))) == []
