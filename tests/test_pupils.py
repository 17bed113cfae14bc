"""The pupil check (checking/pupils.py) without false alarms (issue 23): words that only
look like names (向经济… from 向经济困难家庭, 后进生) are not reported; a pupil named next to
an illness still is. Inputs are modelled on the real write-ups, not copied from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_project, write
from showcase.build import load_all
from showcase.checking.pupils import find_mentions
from showcase.config import default_settings

NOT_NAMES = [
    # a preposition before a word: 向 is also a surname
    "支部党员向经济困难家庭的学生捐赠学习用品，帮助解决生活困难。",
    "党员教师向困难学生家庭送去慰问金。",
    "同学们向身边的榜样学习，主动帮助单亲家庭的孩子。",
    "党员向党旗宣誓后，走访了三户低保家庭学生。",
    # kinds of pupil that jieba tags as names
    "党员教师对后进生、留守儿童和家庭困难学生开展结对帮扶。",
    "每名党员结对两名学困生，关注离异家庭学生的心理健康。",
    "对特困生和优等生一视同仁，学生们互帮互助。",
    # sensitive words in sentences about pupils, without a person
    "学校为建档立卡贫困家庭学生发放助学金。",
    "学生代表向全校师生发出倡议，拒绝校园欺凌。",
    "党员干部向社会各界募集救助资金，帮助重病学生。",
]

NAMED = [
    ("四年级学生林小禾患白血病，师生为她筹集医药费。", "林小禾", "白血病"),
    ("学生王浩然确诊白血病后，党员教师轮流送教上门。", "王浩然", "白血病"),
    ("五年级学生张子涵父母离异，由奶奶抚养。", "张子涵", "离异"),
    ("初二学生李雨桐因打架受到处分。", "李雨桐", "打架"),
    ("学生向明患有自闭症，党员教师每周家访。", "向明", "自闭症"),  # 向 as a surname
]


@pytest.mark.parametrize("sentence", NOT_NAMES)
def test_words_that_look_like_names_are_no_alarm(sentence: str) -> None:
    assert find_mentions(sentence) == []


@pytest.mark.parametrize("sentence, name, word", NAMED)
def test_a_named_pupil_is_still_caught(sentence: str, name: str, word: str) -> None:
    found = find_mentions(sentence)
    assert [(m.name, m.word) for m in found] == [(name, word)]


# a paragraph shaped like the real experience write-up: the brand's four parts, a donation
# to poor families, and one pupil named with her illness
WRITE_UP = """\
---
title: “三心”党建品牌经验材料
---
“一心”即爱心帮扶，对后进生、留守儿童和家庭困难学生开展“一对一”结对，党员教师每周谈心一次。

支部党员向经济困难家庭师生捐赠，帮助他们解决生活困难。

得知学生林小禾患白血病急需医药费时，支部发起爱心捐款，党员带领师生捐款五万余元。
"""


def test_one_warning_for_the_one_pupil_named(site_root: Path) -> None:
    project = make_project(site_root / "projects", "柳塘湾小学")
    write(project / "cases" / "经验材料.md", WRITE_UP)
    settings = default_settings(
        sources=["projects"], base_dir=site_root, cache_dir=str(site_root / ".cache")
    )
    found = [f for f in load_all(settings)[1] if "同一句里" in f.message]
    assert [(f.line, "林小禾" in f.message, "白血病" in f.message) for f in found] == [
        (8, True, True)
    ]
