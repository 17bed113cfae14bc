"""safetext: any parsed value comes out encodable, and says where it changed."""

from __future__ import annotations

import datetime as dt
import json

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from showcase.core.safetext import clean_text, clean_value, is_clean, message

ANY_CHARACTER = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())


def test_lone_surrogates_controls_and_noncharacters_go():
    text, kinds, removed = clean_text("项目\ud800名\x1b称\ufffe\U0010ffff\x85")
    assert text == "项目名称"
    assert kinds == {"surrogate", "control", "noncharacter"}
    assert removed == 5


def test_tabs_newlines_and_ordinary_text_stay():
    for text in ("第一行\n\t第二行", "党组织“1+5”建设工程", "emoji 😀", "\u200b零宽", "\ue000私用"):
        assert clean_text(text) == (text, frozenset(), 0)
        assert is_clean(text)


def test_line_ends_are_normalised_without_a_finding():
    assert clean_text("a\r\nb\rc") == ("a\nb\nc", frozenset(), 0)


def test_a_surrogate_pair_from_escapes_becomes_its_character():
    # JSON writes 😀 as "\ud83d\ude00"; YAML reads that as two code points
    value = yaml.safe_load('name: "笑脸\\ud83d\\ude00"')["name"]
    assert clean_text(value) == ("笑脸😀", frozenset(), 0)


def test_clean_value_walks_lists_mappings_keys_and_sets():
    data = yaml.safe_load(
        """
        name: "项目\\ud800"
        tags: [名师, "青年\\x07教师"]
        indicators: {explicit: [{text: "指标\\ufdd0", target: 20}]}
        "键\\udfff": 值
        year: 2025
        date: 2025-03-10
        items: !!set {"a\\ud800": null, b: null}
        """
    )
    cleaned, changes = clean_value(data)
    assert cleaned is data  # cleaned in place
    assert cleaned["name"] == "项目"
    assert cleaned["tags"] == ["名师", "青年教师"]
    assert cleaned["indicators"]["explicit"][0]["text"] == "指标"
    assert "键" in cleaned and cleaned["year"] == 2025 and cleaned["date"] == dt.date(2025, 3, 10)
    assert cleaned["items"] == {"a", "b"}
    paths = {c.path for c in changes}
    assert {
        ("name",),
        ("tags", 1),
        ("indicators", "explicit", 0, "text"),
        ("键",),
        ("items", "a"),
    } == paths
    assert {c.field for c in changes} == {"name", "tags", "indicators", "键", "items"}
    json.dumps(cleaned, ensure_ascii=False, default=str).encode("utf-8")


def test_shared_and_self_containing_values_are_visited_once():
    data = yaml.safe_load('a: &x ["甲\\ud800"]\nb: *x\nc: &c [*c, "乙\\ud800"]\n')
    cleaned, changes = clean_value(data)
    assert cleaned["a"] == ["甲"] and cleaned["b"] is cleaned["a"]
    assert cleaned["c"][1] == "乙" and cleaned["c"][0] is cleaned["c"]
    assert len(changes) == 2


def test_deep_nesting_needs_no_recursion():
    data: list = []
    inner = data
    for _ in range(50_000):
        inner.append([])
        inner = inner[0]
    inner.append("深\ud800")
    _, changes = clean_value(data)
    assert len(changes) == 1 and len(changes[0].path) == 50_001


def test_message_counts_and_names_kinds():
    _, changes = clean_value({"name": "a\ud800\ud800b\x07"})
    assert (
        message(changes)
        == "含有 3 个无法显示或无法保存的字符（无法编码的代理字符、控制字符），已删除"
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ANY_CHARACTER, max_size=60))
def test_any_text_comes_out_encodable_and_clean(text):
    cleaned, kinds, removed = clean_text(text)
    cleaned.encode("utf-8")
    assert is_clean(cleaned.replace("\r", ""))
    assert clean_text(cleaned) == (cleaned, frozenset(), 0)
    assert bool(kinds) == bool(removed)
    if is_clean(text):
        assert cleaned == text
