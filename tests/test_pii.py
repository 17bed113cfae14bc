"""pii: every written form of a phone or ID number is found, and masked for publishing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hostile import id_number
from hypothesis import given, settings
from hypothesis import strategies as st
from showcase.core.pii import (
    find_personal,
    is_id_card,
    line_of,
    mask_contact,
    mask_personal,
    mask_phones,
    txt_texts,
)

MOBILE_FORMS = [
    "13800000000",
    "138-0000-0000",
    "138 0000 0000",
    "138 - 0000 - 0000",
    "138.0000.0000",
    "138·0000·0000",
    "138–0000–0000",
    "１３８００００００００",
    "１３８－００００－００００",
    "+86 138 0000 0000",
    "+86-13800000000",
    "(+86)13800000000",
    "（＋86）138 0000 0000",
    "0086 13800000000",
    "8613800000000",
    "138\u200b0000\u200b0000",
    "1\u200b3\u200b8\u200d00000000",
    "138\u00a00000\u00a00000",
    "138\u30000000\u30000000",
    "138\u202f0000\u202f0000",
    "\u2066138 0000 0000\u2069",
    "一三八〇〇〇〇〇〇〇〇",
    "幺三八零零零零零零零零",
    "𝟏𝟑𝟖𝟎𝟎𝟎𝟎𝟎𝟎𝟎𝟎",
]


@pytest.mark.parametrize("form", MOBILE_FORMS)
def test_every_form_of_a_mobile_number(form):
    text = f"联系人：张老师，{form}。"
    [match] = find_personal(text)
    assert match.kind == "mobile" and match.digits == "13800000000"
    assert match.masked == "138****0000"
    assert match.raw == text[match.start : match.end] and form.strip("\u2066\u2069") in match.raw
    assert mask_phones(text) == f"联系人：张老师，{match.masked}。" or "138****0000" in mask_phones(
        text
    )
    assert "0000 0000" not in mask_phones(text) and "00000000" not in mask_phones(text)


@pytest.mark.parametrize(
    "form, masked",
    [
        ("010-88880000", "010-****0000"),
        ("010 8888 0000", "010-****0000"),
        ("(010)88880000", "010-****0000"),
        ("（0571）8888-0000", "0571-****0000"),
        ("0571-8888000", "0571-***8000"),
        ("+86 10 8888 0000", "010-****0000"),
        ("0571-88880000 转 123", "0571-****0000-123"),
        ("0571-88880000-123", "0571-****0000-123"),
        ("电话：8888 0000", "****0000"),
        ("Tel: 88880000", "****0000"),
    ],
)
def test_landlines_with_area_code_or_after_a_label(form, masked):
    [match] = find_personal(f"办公室 {form}")
    assert match.kind == "landline" and match.masked == masked


ID = id_number("11010519491231002")  # 11010519491231002X
ID2 = id_number("44030419800515123")
_CN = dict(zip("0123456789X", "〇一二三四五六七八九X", strict=True))


@pytest.mark.parametrize(
    "form",
    [
        ID,
        ID.lower(),
        f"{ID[:6]} {ID[6:14]} {ID[14:]}",
        " ".join(ID[i : i + 4] for i in range(0, 18, 4)),
        f"{ID[:6]}-{ID[6:14]}-{ID[14:]}",
        "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else "Ｘ" for c in ID),
        "".join(_CN[c] for c in ID),
    ],
)
def test_id_card_numbers_written_any_way(form):
    [match] = find_personal(f"身份证号 {form} 。")
    assert match.kind == "id_card" and match.digits == ID
    assert match.masked == f"{ID[:6]}********{ID[-4:]}"


def test_id_checks():
    assert is_id_card(ID) and is_id_card(ID2)
    assert not is_id_card(ID[:-1] + "0")
    assert not is_id_card("110105" + "20991231" + "0019")  # born in the future


@pytest.mark.parametrize(
    "text",
    [
        "2025年3月10日 13:30 召开会议",
        "2025-03-10",
        "2025.03.10",
        "经费 1,380,000,000 元",
        "第 13800000 号文件",
        "订单号 1380000000012345",
        "银行卡 6222 0213 8000 0000 123",
        "138000000001",  # twelve digits
        "3.1415926535897",
        "比例 13.8% 与 0.0000",
        "一二三四五六七八九十",
        "“1+5”建设工程、“2345”党建品牌",
        "邮编 310000，学号 20250001",
        id_number("11010519491231002")[:-1] + "5",  # wrong check digit
    ],
)
def test_numbers_that_are_no_phone_or_id(text):
    assert find_personal(text) == []


def test_several_numbers_positions_and_lines():
    text = "第一行\n张老师 138 0000 0001，李老师 (010)8888-0002\n身份证 " + ID
    found = find_personal(text)
    assert [m.kind for m in found] == ["mobile", "landline", "id_card"]
    assert [line_of(text, m.start) for m in found] == [2, 2, 3]
    assert mask_personal(text) == (
        "第一行\n张老师 138****0001，李老师 010-****0002\n身份证 " + f"{ID[:6]}********{ID[-4:]}"
    )
    assert mask_phones(text).endswith(ID)  # IDs are left to mask_personal
    assert [m.as_tuple()[0] for m in found] == ["手机号码", "固定电话", "身份证号"]


def test_contact_field_masks_what_it_does_not_recognise():
    assert mask_contact("张老师 13800000000") == "张老师 138****0000"
    assert mask_contact("QQ 123456789") == "QQ *****6789"
    assert mask_contact("zhang.laoshi@school.edu.cn") == "z***@school.edu.cn"
    assert mask_contact("办公室 2025 年") == "办公室 2025 年"


def test_txt_appendix_lines(tmp_path: Path):
    path = tmp_path / "名单.txt"
    path.write_bytes("名单\n\n张老师 电话：13800000000\n".encode("gbk"))
    texts = list(txt_texts(path))
    assert texts == [("第 1 行", "名单"), ("第 3 行", "张老师 电话：13800000000")]
    assert find_personal(texts[1][1])[0].masked == "138****0000"


def test_a_megabyte_of_text_is_scanned_quickly():
    text = "2025 年 3 月 10 日，共有 120 名教师参加了第 3 期培训。" * 30_000
    started = time.perf_counter()
    assert find_personal(text + "联系 13800000000") != []
    assert time.perf_counter() - started < 2.0


FORMS = st.sampled_from(MOBILE_FORMS + ["010-88880000", f"{ID[:6]} {ID[6:14]} {ID[14:]}"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=12), FORMS), max_size=6).map("、".join))
def test_masked_text_holds_no_number_any_more(text):
    masked = mask_personal(text)
    assert find_personal(masked) == []
    assert "0000 0000" not in masked
