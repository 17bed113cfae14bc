"""safeyaml: limits per kind of file, checked while composing; the same data and messages."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from showcase.core.textutil import decode_text
from showcase.reading import safeyaml
from showcase.reading.safeyaml import LIMITS, parse_mapping


def demo_yaml() -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "projects").rglob("*")):
        text = None
        if path.name in ("project.yml", "album.yml"):
            text = decode_text(path.read_bytes())[0]
            kind = "project" if path.name == "project.yml" else "album"
        elif path.suffix == ".md":
            body = decode_text(path.read_bytes())[0]
            if body.startswith("---\n"):
                text, kind = body.split("---\n", 2)[1], "front_matter"
        if text is not None:
            out.append((kind, text.replace("\r\n", "\n")))
    return out


@pytest.fixture(params=["c", "python"])
def loader(request, monkeypatch):
    if request.param == "python":
        monkeypatch.setattr(safeyaml, "_CLoader", None)
    elif safeyaml._CLoader is None:
        pytest.skip("PyYAML without libyaml")
    return request.param


def test_demo_files_read_as_safe_load_reads_them(loader):
    files = demo_yaml()
    assert len(files) >= 10
    for kind, text in files:
        doc = parse_mapping(text, kind)
        assert doc.problems == [], (kind, doc.problems)
        assert doc.data == yaml.safe_load(text)
        for key, line in doc.lines.items():
            assert text.split("\n")[line - 1].lstrip().startswith(key)


def test_line_offset_moves_every_line():
    doc = parse_mapping("title: 案例\ndate: 2025-13-45\n", "front_matter", line_offset=1)
    assert doc.lines == {"title": 2, "date": 3}
    assert doc.data["date"] == "2025-13-45"  # not a date: kept as text for the date check


@pytest.fixture
def no_parser(monkeypatch):
    """Asserts no YAML parser is started: "at once" means before any parsing, which no
    machine's load or PyYAML version can change (a stopwatch could). Recorded, not raised:
    parse_mapping turns any exception into a problem."""
    started = []
    real = safeyaml._loader
    monkeypatch.setattr(safeyaml, "_loader", lambda *a, **kw: started.append(a) or real(*a, **kw))
    yield
    assert started == [], "the parser was started"


@pytest.mark.parametrize("kind", list(LIMITS))
def test_each_kind_refuses_its_size_at_once(kind, no_parser):
    limit = LIMITS[kind].max_bytes
    text = "tags: [" + ", ".join(["x"] * (limit // 3 + 10)) + "]\n"
    doc = parse_mapping(text, kind)
    assert doc.data is None and "上限" in doc.problems[0].message
    assert doc.problems[0].hint


def test_a_text_just_under_the_limit_is_parsed(loader):
    limit = LIMITS["front_matter"].max_bytes
    text = "tags: [" + ", ".join(["x"] * 100) + "]\n"
    text += "summary: " + "x" * (limit - len(text.encode()) - len("summary: \n")) + "\n"
    assert len(text.encode()) == limit
    doc = parse_mapping(text, "front_matter")
    assert doc.problems == [] and len(doc.data["tags"]) == 100


def test_a_two_megabyte_flow_list_is_refused_unparsed(no_parser):
    text = "name: 项目\ntags: [" + ", ".join(["x"] * 650_000) + "]\n"
    doc = parse_mapping(text, "project")
    assert doc.data is None and "上限" in doc.problems[0].message


def test_node_limit_stops_composing_where_it_is_reached(loader):
    limit = LIMITS["project"].max_nodes
    ok = parse_mapping("tags: [" + ", ".join(["x"] * (limit - 10)) + "]\n", "project")
    assert ok.problems == [] and len(ok.data["tags"]) == limit - 10
    text = "name: 项目\ntags:\n" + "".join("  - x\n" for _ in range(limit + 10))
    refused = parse_mapping(text, "project")
    assert refused.data is None
    problem = refused.problems[0]
    assert "内容项过多" in problem.message and limit - 10 < problem.line <= limit + 2


def test_aliases_bombs_and_self_references_are_refused(loader):
    many = "a: &a x\nb: [" + ", ".join(["*a"] * 101) + "]\n"
    assert "引用" in parse_mapping(many, "project").problems[0].message
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
    )
    constructed = []  # refused while composing: no value is ever built, let alone expanded
    build = safeyaml._PyLoader.construct_object
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            safeyaml._PyLoader,
            "construct_object",
            lambda self, node, deep=False: constructed.append(node) or build(self, node, deep),
        )
        doc = parse_mapping(bomb, "front_matter")
        assert constructed == []
        assert parse_mapping("a: [x]\n", "front_matter").data == {"a": ["x"]}
        assert constructed  # the spy does see construction
    assert doc.data is None and "展开后" in doc.problems[0].message
    loop = parse_mapping("a: &a [x, *a]\n", "project")
    assert loop.data is None and "引用了它自己" in loop.problems[0].message
    shared = parse_mapping("a: &a [x, y]\nb: *a\nc: *a\n", "project")
    assert shared.problems == [] and shared.data["c"] == ["x", "y"]


def test_deep_nesting_is_refused_before_recursion(loader):
    deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    doc = parse_mapping(deep, "project")
    assert doc.data is None and "嵌套过深" in doc.problems[0].message
    limit = LIMITS["project"].max_depth
    ok = "a: " + "[" * (limit - 2) + "x" + "]" * (limit - 2) + "\n"
    assert parse_mapping(ok, "project").problems == []


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("name: 项目\nbranch：支部\nsummary: 简介\n", 3, "第 2 行用了中文冒号"),
        ("name: 项目\nsummary:\n\t- 简介\n", 3, "Tab"),
        ('name: "项目\nsummary: 简介\n', 1, "未闭合的引号"),
        ("name: 项目\ntags: [a, b\nsummary: 简介\n", 2, "方括号"),
        ("name: 项目\n  branch: 支部\n", 2, "冒号"),
    ],
)
def test_syntax_errors_keep_their_chinese_explanations(text, line, words, loader):
    doc = parse_mapping(text, "project", line_offset=0)
    assert doc.data is None
    problem = doc.problems[0]
    assert problem.line == line, problem
    assert words in problem.message + (problem.hint or ""), problem
    assert problem.message.startswith("YAML 格式错误：")


def test_one_bad_value_is_one_problem_and_a_repeated_key_a_warning():
    doc = parse_mapping("name: 项目\nlogo: !!binary 不是base64\nname: 又一个\n", "project")
    assert doc.data == {"name": "又一个"}
    levels = sorted(p.level for p in doc.problems)
    assert levels == ["error", "warning"]


def test_a_document_that_is_no_mapping():
    doc = parse_mapping("- 一\n- 二\n", "album")
    assert doc.data is None and "字段名: 内容" in doc.problems[0].message


def test_lone_surrogates_from_escapes_are_data_and_raw_ones_a_problem():
    doc = parse_mapping('name: "项目\\ud800"\n', "project")
    assert doc.data == {"name": "项目\ud800"}  # cleaning it is safetext's job
    raw = parse_mapping("name: 项目\ud800\n", "project")  # not from a file: files decode strictly
    assert raw.data is None and raw.problems


def test_empty_documents_are_empty_mappings():
    assert parse_mapping("", "project").data == {}
    assert parse_mapping("# 只有注释\n", "album").data == {}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_data_or_problems_never_an_exception(text):
    doc = parse_mapping(text, "front_matter")
    assert doc.data is None or isinstance(doc.data, dict)
    assert doc.data is not None or doc.problems
    assert all(p.message for p in doc.problems)
