"""Indicators as the author wrote them (issue 23): one reading of a value against its
target (`targets.assess`) for the project page and the statistics page; bounds are met or
not, never a percentage; a target without values is a list line, not an empty chart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import article, build, make_project, make_site, read
from lxml import html as lxml_html
from showcase.core import targets
from showcase.core.model import Indicator
from showcase.site import charts

# (target as written, value, met, share): every form an author writes, and 0
CASES = [
    ("20", 17, False, 0.85),
    ("20", 20, True, 1.0),
    ("20", 25, True, 1.25),
    ("20", 0, False, 0.0),
    ("10-15名", 12, True, None),
    ("10-15名", 16, True, None),  # more than planned is not a failure
    ("10-15名", 9, False, None),
    ("10-15名", 0, False, None),
    ("不低于10%", 11, True, None),  # not "完成 110%"
    ("不低于10%", 10, True, None),
    ("不低于10%", 9.5, False, None),
    ("不低于10%", 0, False, None),
    ("85%以上", 85, True, None),
    ("85%以上", 84.9, False, None),
    ("至少2次", 2, True, None),
    ("至少2次", 0, False, None),
    ("不超过3起", 3, True, None),
    ("不超过3起", 4, False, None),
    ("不超过3起", 0, True, None),
    ("不超过0起", 0, True, None),
    ("不超过0起", 1, False, None),
    ("0", 0, True, None),  # "零投诉" written as a number
    ("0", 2, False, None),
]


@pytest.mark.parametrize("written, value, met, share", CASES)
def test_one_reading_of_every_target_form(written, value, met, share) -> None:
    target = targets.parse_target(written)
    outcome = targets.assess(target.kind, target.value, value)
    assert outcome.met is met
    assert outcome.share == (None if share is None else pytest.approx(share))
    # the indicator on the page says the same
    ind = Indicator("指标", target=target.value, bound=target.kind, actual={2025: value})
    assert ind.outcome == outcome and ind.reached(value) is met
    lead, strong, state = charts.indicator_status(ind)
    assert state is met
    if share is None:
        assert (lead, strong) == ("2025 年", "达到目标" if met else "未达目标")
    else:
        assert (lead, strong) == ("2025 年完成", f"{round(share * 100)}%")


def test_no_outcome_without_a_target_or_a_value() -> None:
    assert targets.assess(targets.AT_LEAST, None, 3) is None
    assert targets.assess(targets.AT_LEAST, 3, None) is None
    assert Indicator("只有目标", target=3).outcome is None
    assert Indicator("只有数值", actual={2025: 3}).outcome is None


def test_completion_is_capped_and_only_for_plain_numbers() -> None:
    assert targets.Outcome(True, 1.25).completion == 1.0
    assert targets.Outcome(False, 0.85).completion == pytest.approx(0.85)
    assert targets.Outcome(True).completion is None


# --- a site: the project page and the statistics page count the same way ----------

WITH_VALUES = [
    ("区级学科带头人", "20", "人", {2024: 12, 2025: 17}),
    ("区级骨干教师", "10-15", "名", {2025: 12}),
    ("储备库教师占比", "不低于10%", "", {2024: 9, 2025: 11}),
    ("家长满意度", "85%以上", "", {2025: 84}),
    ("示范课", "至少2次", "", {2025: 3}),
    ("安全事故", "不超过3起", "", {2025: 4}),
    ("师德投诉", "不超过0起", "", {2025: 0}),
    ("违规补课", 0, "起", {2025: 0}),
]
TARGET_ONLY = [
    ("省级名师", "至少1名", ""),
    ("课题立项", "3-5", "项"),
    ("党员教师公开课", 12, "节"),
]


def _indicator(text, target, unit, actual=None) -> dict:
    item = {"text": text, "target": target}
    if unit:
        item["unit"] = unit
    if actual:
        item["actual"] = actual
    return item


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("outcomes")
    projects = root / "projects"
    make_project(
        projects,
        "柳塘湾小学",
        {
            "branch": "柳塘湾小学党支部",
            "name": "“一岗双责”工程",
            "summary": "党员教师一岗双责。",
            "district": "西湖区",
            "slug": "liutangwan",
            "indicators": {
                "explicit": [_indicator(*i) for i in WITH_VALUES] + ["师德师风持续向好"],
            },
        },
    )
    make_project(
        projects,
        "凤鸣山中学",
        {
            "branch": "凤鸣山中学党支部",
            "name": "“十项目标”计划",
            "summary": "一份只写了目标的计划。",
            "district": "东山区",
            "slug": "fengmingshan",
            "indicators": {"explicit": [_indicator(*i) for i in TARGET_ONLY]},
        },
    )
    return build(make_site(root))


def test_bounds_say_met_or_not_never_a_percent(site: Path) -> None:
    html = article(read(site, "projects/liutangwan/"))
    assert "110%" not in html and "完成 110" not in html
    page = lxml_html.fromstring(html)
    status = {
        fig.xpath("string(.//span[@class='sc-chart__text'])"): " ".join(
            fig.xpath("string(.//span[contains(@class,'sc-chart__progress')])").split()
        )
        for fig in page.xpath("//figure[@class='sc-chart']")
    }
    assert status == {
        "区级学科带头人": "2025 年完成 85%",
        "区级骨干教师": "2025 年 达到目标",
        "储备库教师占比": "2025 年 达到目标",
        "家长满意度": "2025 年 未达目标",
        "示范课": "2025 年 达到目标",
        "安全事故": "2025 年 未达目标",
        "师德投诉": "2025 年 达到目标",
        "违规补课": "2025 年 达到目标",
    }
    # under the bars of a bound: 达标 / 未达标, never a percentage
    chart = page.xpath("//figure[.//span[.='储备库教师占比']]//*[local-name()='svg']")[0]
    under = chart.xpath(".//*[local-name()='text'][contains(@class,'sc-chart__share')]/text()")
    assert under == ["未达标", "达标"]
    assert "%" not in "".join(under)


def test_targets_without_values_are_a_compact_list(site: Path) -> None:
    html = article(read(site, "projects/fengmingshan/"))
    assert "<svg" not in html.split('id="explicit-indicators"', 1)[1]  # no empty charts
    page = lxml_html.fromstring(html)
    items = page.xpath("//li[contains(@class,'sc-indicator--pending')]")
    rows = [
        (
            i.xpath("string(.//*[@class='sc-indicator__text'])"),
            " ".join(i.xpath("string(.//*[@class='sc-indicator__target'])").split()),
            i.xpath("string(.//*[@class='sc-indicator__status'])"),
        )
        for i in items
    ]
    assert rows == [
        ("省级名师", "目标 至少1名", "尚未填报"),
        ("课题立项", "目标 3-5项", "尚未填报"),
        ("党员教师公开课", "目标 12节", "尚未填报"),
    ]


def _stat_rows(site: Path) -> dict[str, list[str]]:
    page = lxml_html.fromstring(read(site, "statistics/"))
    return {
        tr[0].text_content().strip(): [c.text_content().strip() for c in tr[1:]]
        for tr in page.xpath('//table[@id="sc-stats-district"]//tr[th[@scope="row"]]')
    }


def test_statistics_count_what_the_project_pages_say(site: Path) -> None:
    page = lxml_html.fromstring(article(read(site, "projects/liutangwan/")))
    said = page.xpath("//figure[@class='sc-chart']//span[contains(@class,'sc-chart__progress')]")
    met = [s for s in said if "sc-chart__progress--reached" in s.get("class")]
    assert (len(said), len(met)) == (8, 5)
    rows = _stat_rows(site)
    # 区县: projects, members, measured, reached, average completion of plain numbers
    assert rows["西湖区"][2:] == [str(len(said)), str(len(met)), "85%"]
    assert rows["东山区"][2:] == ["0", "0", "—"]  # targets only: nothing measured yet
    assert rows["合计"][2:] == ["8", "5", "85%"]
    text = " ".join(read(site, "statistics/").split())
    assert re.search(r"<strong>11</strong> 项有量化目标，<strong>8</strong> 项已填报完成值", text)
    bands = {
        r.xpath("string(./th)"): r.xpath("string(./td)")
        for r in lxml_html.fromstring(read(site, "statistics/")).xpath(
            '//table[@id="sc-stats-bands"]/tbody/tr'
        )
    }
    # 85% (a plain number) has a band; a missed bound is only "not met"
    assert bands == {
        "已达标": "5",
        "未达标（上下限、区间）": "2",
        "80%–99%": "1",
        "50%–79%": "0",
        "低于 50%": "0",
    }
