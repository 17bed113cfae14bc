"""Numbers, lists, appendices and plans as authors write them (issue 14): targets as
ranges and bounds, charts for targets without values, the author's order, their own
numbering, numbered appendices, recurring work and named days in plans."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import article, build, make_image, make_project, make_site, read, write
from docx import Document
from showcase.core import targets
from showcase.core.model import Indicator
from showcase.core.textutil import slugify
from showcase.reading.load import load_project
from showcase.site import charts

SVG = "{http://www.w3.org/2000/svg}"


# --- targets as written ------------------------------------------------------------


@pytest.mark.parametrize(
    "written, kind, low, high, unit",
    [
        (20, targets.EXACT, 20, None, ""),
        ("20人", targets.EXACT, 20, None, "人"),
        ("10-15名", targets.RANGE, 10, 15, "名"),
        ("10～15人", targets.RANGE, 10, 15, "人"),
        ("10%至15%", targets.RANGE, 10, 15, "%"),
        ("不低于10%", targets.AT_LEAST, 10, None, "%"),
        ("85%以上", targets.AT_LEAST, 85, None, "%"),
        ("至少2次", targets.AT_LEAST, 2, None, "次"),
        ("每季度不少于2次", targets.AT_LEAST, 2, None, "次"),
        ("≥90%", targets.AT_LEAST, 90, None, "%"),
        ("不超过3起", targets.AT_MOST, 3, None, "起"),
        ("控制在5%以内", targets.AT_MOST, 5, None, "%"),
        ("２０名以上", targets.AT_LEAST, 20, None, "名"),
    ],
)
def test_targets_keep_their_meaning(written, kind, low, high, unit) -> None:
    target = targets.parse_target(written)
    assert (target.kind, target.value, target.high, target.unit) == (kind, low, high, unit)
    # shown as written whenever it says more than a number
    assert target.text == ("" if kind == targets.EXACT else written)


@pytest.mark.parametrize("written", ["零投诉", "第一名", "", "abc", True, None, float("nan")])
def test_targets_without_a_number(written) -> None:
    assert targets.parse_target(written) is None


def test_unit_written_apart_joins_the_text() -> None:
    assert targets.with_unit_text("不低于10", "%") == "不低于10%"
    assert targets.with_unit_text("10-15", "名") == "10-15名"
    assert targets.with_unit_text("85以上", "%") == "85%以上"
    assert targets.with_unit_text("85%以上", "%") == "85%以上"


def test_reached_and_share_by_kind() -> None:
    at_most = Indicator("投诉", target=3, bound=targets.AT_MOST, unit="起")
    assert Indicator("骨干", target=10, target_high=15, bound=targets.RANGE).share(12) is None
    assert at_most.reached(2) and not at_most.reached(4)
    assert at_most.share(2) is None  # a share of a ceiling means nothing
    ranged = Indicator("骨干", target=10, target_high=15, bound=targets.RANGE, actual={2025: 12})
    assert ranged.reached(12) and ranged.reached(16) and not ranged.reached(9)
    assert ranged.outcome == targets.Outcome(True)  # met, and no percentage
    at_most.actual = {2025: 6}
    assert at_most.outcome == targets.Outcome(False)


# --- charts ------------------------------------------------------------------------


def _svg(indicator: Indicator) -> ET.Element:
    return ET.fromstring(charts.indicator_chart(indicator, "t"))


def _scale(root: ET.Element) -> tuple[float, float]:
    """(baseline y, pixels per unit) from the bars that carry a value."""
    base = float(
        next(e for e in root.iter(f"{SVG}line") if e.get("class") == "sc-chart__axis").get("y1")
    )
    bar = max(
        (r for r in root.iter(f"{SVG}rect") if r.get("data-value")),
        key=lambda r: float(r.get("data-value")),
    )
    return base, float(bar.get("height")) / float(bar.get("data-value"))


def _texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_range_is_a_band_between_two_lines() -> None:
    ind = Indicator(
        "区级骨干教师",
        target=10,
        target_high=15,
        bound=targets.RANGE,
        unit="名",
        target_text="10-15名",
        actual={2024: 8, 2025: 12},
    )
    root = _svg(ind)
    assert root.get("data-bound") == "range" and root.get("data-target-high") == "15"
    base, per = _scale(root)
    band = next(r for r in root.iter(f"{SVG}rect") if r.get("class") == "sc-chart__target-band")
    assert float(band.get("y")) == pytest.approx(base - 15 * per, abs=0.05)
    assert float(band.get("y")) + float(band.get("height")) == pytest.approx(
        base - 10 * per, abs=0.05
    )
    lines = {
        e.get("data-value"): float(e.get("y1"))
        for e in root.iter(f"{SVG}line")
        if "sc-chart__target" in (e.get("class") or "")
    }
    assert lines == {
        "10": pytest.approx(base - 10 * per, abs=0.05),
        "15": pytest.approx(base - 15 * per, abs=0.05),
    }
    assert "目标 10-15名" in _texts(root)
    states = [g.get("class") for g in root.iter(f"{SVG}g") if g.get("data-year")]
    assert states == [
        "sc-chart__year sc-chart__year--missed",
        "sc-chart__year sc-chart__year--reached",
    ]
    assert "目标10-15名" in root.get("aria-label")


def test_bounds_open_towards_their_side() -> None:
    at_least = Indicator(
        "储备库占比",
        target=10,
        bound=targets.AT_LEAST,
        unit="%",
        target_text="不低于10%",
        actual={2025: 12},
    )
    root = _svg(at_least)
    base, per = _scale(root)
    band = next(r for r in root.iter(f"{SVG}rect") if r.get("class") == "sc-chart__target-band")
    assert band.get("data-bound") == "min"
    # from the line up to the top of the plot
    assert float(band.get("y")) + float(band.get("height")) == pytest.approx(
        base - 10 * per, abs=0.05
    )
    assert float(band.get("y")) < base - 12 * per
    assert "目标 不低于10%" in _texts(root)

    at_most = Indicator(
        "师德投诉",
        target=3,
        bound=targets.AT_MOST,
        unit="起",
        target_text="不超过3起",
        actual={2024: 5, 2025: 1},
    )
    root = _svg(at_most)
    base, per = _scale(root)
    band = next(r for r in root.iter(f"{SVG}rect") if r.get("class") == "sc-chart__target-band")
    assert band.get("data-bound") == "max"
    assert float(band.get("y")) + float(band.get("height")) == pytest.approx(base, abs=0.05)
    assert float(band.get("y")) == pytest.approx(base - 3 * per, abs=0.05)
    # a bound says met or not under each bar, never a percentage
    shares = [t.text for t in root.iter(f"{SVG}text") if "sc-chart__share" in t.get("class", "")]
    assert shares == ["未达标", "达标"]
    assert "2024年5起，未达到目标" in root.get("aria-label")
    assert "2025年1起，达到目标" in root.get("aria-label")


def test_a_target_without_values_draws_nothing() -> None:
    # no hollow "尚未填报" chart: the page lists the target instead (test_indicator_outcomes)
    ind = Indicator("省级名师", target=1, unit="名")
    assert charts.indicator_chart(ind, "t") == ""
    assert not charts.chartable(ind) and charts.pending(ind)
    assert charts.indicator_status(ind) == ("", "尚未填报", None)


# --- a real site -------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("authors")
    projects = root / "projects"
    folder = make_project(
        projects,
        "云岭中学",
        {
            "branch": "云岭中学党支部",
            "name": "“红烛领航”工程",
            "summary": "以红烛精神引领党员教师。",
            "homepage": "https://www.yunling.example.cn/Components/NewsMain.aspx?moduleid=221",
            "indicators": {
                "显形指标": [
                    "师德师风持续向好",
                    {
                        "text": "区级骨干教师",
                        "target": "10-15",
                        "unit": "名",
                        "actual": {2024: 8, 2025: 12},
                    },
                    {"text": "储备库教师占比", "target": "不低于10%"},
                    "1、每学期开展示范课",
                    {"text": "师德投诉", "target": "不超过0起", "actual": {2025: 0}},
                ],
                "隐形指标": ["党员先锋形象更加鲜明"],
            },
            "slug": "yunling",
        },
    )
    write(
        folder / "plans" / "学期计划.md",
        """
        ---
        title: 云岭中学党支部2025—2026学年第一学期工作计划
        year: 2025
        date: 2025-08-28
        scope: 本支部全体党员
        schedule:
          九月:
            - 1、做好开学工作
            - 2、召开支部委员会
          每月: [第一周周五主题党日]
          每周: [周一升旗仪式党员护旗]
          每学期末: [党员民主评议]
          教师节: [表彰优秀党员教师]
          七一前: [评选“红烛先锋”]
          春节: [走访慰问老党员]
          十二月: [（一）年度总结, （二）述职评议]
        ---
        正文。
        """,
    )
    write(
        folder / "plans" / "全区计划.md",
        """
        ---
        title: 青溪区教育系统“红烛领航”三年行动计划
        issuer: 青溪区教育局党委
        范围: 全区中小学党组织
        印发日期: 2025年2月20日
        schedule:
          每季度: [各校报送工作进展]
        ---
        正文。
        """,
    )
    case = folder / "cases" / "红烛讲堂.md"
    write(
        case,
        """
        ---
        title: 红烛讲堂
        date: 2025-05-20
        ---
        ## 一、背景

        正文。

        ## 五、重要资料附录

        以下材料按编号排列。
        """,
    )
    appendix = folder / "cases" / "红烛讲堂"
    make_image(appendix / "10-期末展示.jpg", (320, 240))
    make_image(appendix / "02-讲堂现场.jpg", (320, 240))
    make_image(appendix / "01-启动仪式.jpg", (320, 240))
    make_image(appendix / "03-师徒结对签约.jpg", (320, 240))
    Document().save(str(appendix / "03-师徒结对协议书.docx"))
    Document().save(str(appendix / "讲堂安排表.docx"))
    listed = folder / "cases" / "名师工作室.md"
    write(
        listed,
        """
        ---
        title: 名师工作室
        appendix:
          - 揭牌.jpg: 名师工作室揭牌仪式
          - title: 师徒结对协议
            files: [签约.jpg, 协议书.docx]
            type: 图片、文本
          - 成员表.docx
          - 不存在的文件.pdf
        ---
        正文。
        """,
    )
    listed_dir = folder / "cases" / "名师工作室"
    make_image(listed_dir / "签约.jpg", (320, 240))
    make_image(listed_dir / "揭牌.jpg", (320, 240))
    Document().save(str(listed_dir / "协议书.docx"))
    Document().save(str(listed_dir / "成员表.docx"))
    Document().save(str(listed_dir / "附加说明.docx"))
    return build(make_site(root))


def test_indicators_keep_the_authors_order_and_draw_what_has_values(site: Path) -> None:
    html = article(read(site, "projects/yunling/"))
    explicit = html[html.index('id="explicit-indicators"') : html.index('id="implicit-indicators"')]
    order = [
        explicit.index(text)
        for text in (
            "师德师风持续向好",
            "区级骨干教师",
            "储备库教师占比",
            "1、每学期开展示范课",
            "师德投诉",
        )
    ]
    assert order == sorted(order)
    svgs = re.findall(r'<svg\b[^>]*class="sc-chart__svg".*?</svg>', explicit, re.S)
    assert len(svgs) == 2  # the target without values is a list line, not an empty chart
    kinds = [ET.fromstring(s).get("data-bound") for s in svgs]
    assert kinds == ["range", "max"]
    assert "sc-chart__bar--empty" not in explicit
    assert (
        "目标 10-15名" in explicit
        and "目标 <strong>不低于10%</strong>" in explicit
        and "目标 不超过0起" in explicit
    )
    assert '<span class="sc-indicator__status">尚未填报</span>' in explicit
    # a range and an upper bound say reached or not; a share of them would mislead
    assert explicit.count("2025 年 <strong>达到目标</strong>") == 2
    assert "年完成" not in explicit and "完成1" not in explicit
    # 隐形指标 is the implicit group
    assert "党员先锋形象更加鲜明" in html[html.index('id="implicit-indicators"') :]


def test_homepage_shown_on_the_project_page(site: Path) -> None:
    html = article(read(site, "projects/yunling/"))
    assert (
        '展示专栏首页：<a href="https://www.yunling.example.cn/Components/NewsMain.aspx?moduleid=221"'
        in html
    )


def test_plan_with_recurring_work_named_days_date_and_scope(site: Path) -> None:
    html = article(read(site, f"projects/yunling/plans/{slugify('学期计划')}/"))
    recurring = re.search(
        r'<div class="sc-recurring" role="group" aria-label="常规工作">.*?</dl>', html, re.S
    ).group()
    assert re.findall(r'<dt class="sc-recurring__when">(.*?)</dt>', recurring) == [
        "每周",
        "每月",
        "每学期末",
    ]
    assert "周一升旗仪式党员护旗" in recurring and "党员民主评议" in recurring
    months = re.findall(r'id="plan-month-(\d+)"', html)
    assert months == ["6", "9", "12"]  # 七一前 falls in June, 教师节 in September
    june = re.search(r'id="plan-month-6".*?</li>\s*</ul>', html, re.S).group()
    assert '<span class="sc-when">七一前</span>' in june and "评选“红烛先锋”" in june
    september = re.search(
        r'id="plan-month-9".*?</li>\s*(?=<li class="sc-timeline__month|</ol>)', html, re.S
    ).group()
    assert '<span class="sc-when">教师节</span>' in september
    # items that carry their own numbers are not numbered (or bulleted) again
    assert (
        '<ul class="sc-timeline__items sc-own-numbers">\n<li>1、做好开学工作</li><li>2、召开支部委员会</li>'
        in september
    )
    assert "<li>（一）年度总结</li>" in html
    assert html.count("sc-monthbar__cell--busy") == 3
    others = re.search(r"其他时间节点.*?</dl>", html, re.S).group()
    assert "春节" in others and "走访慰问老党员" in others
    assert '<span class="sc-chip">印发：2025年8月28日</span>' in html
    assert '<span class="sc-chip">适用范围：本支部全体党员</span>' in html
    assert "<h2" in html and "工作安排</h2>" in html


def test_district_plan_has_issuer_and_scope_instead_of_a_branch(site: Path) -> None:
    html = article(read(site, f"projects/yunling/plans/{slugify('全区计划')}/"))
    assert '<span class="sc-chip">制定：青溪区教育局党委</span>' in html
    assert '<span class="sc-chip">适用范围：全区中小学党组织</span>' in html
    assert '<span class="sc-chip">印发：2025年2月20日</span>' in html
    home = article(read(site, "projects/yunling/"))
    assert "制定：青溪区教育局党委 · 范围：全区中小学党组织" in home


def _appendix(html: str) -> list[tuple[str, str, str]]:
    items = re.findall(
        r'<li class="sc-appendix__item"(?: id="appendix-\d+" data-number="(\d+)")?>\s*'
        r'<p class="sc-appendix__head">(?:<span class="sc-appendix__no">\d+</span>)?'
        r'<span class="sc-appendix__label"><span class="sc-appendix__title">(.*?)</span>(?: <span class="sc-appendix__type">(.*?)</span>)?',
        html,
    )
    return items


def test_appendix_from_numbered_file_names(site: Path) -> None:
    html = article(read(site, f"projects/yunling/cases/{slugify('红烛讲堂')}/"))
    assert _appendix(html) == [
        ("1", "启动仪式", "图片"),
        ("2", "讲堂现场", "图片"),
        ("3", "师徒结对协议书、师徒结对签约", "图片、Word 文档"),
        ("10", "期末展示", "图片"),
        ("", "讲堂安排表", "Word 文档"),
    ]
    # the author's heading is the section's heading, not repeated
    assert re.findall(r"<h[1-6][^>]*>([^<]*附录[^<]*)<", html) == ["五、重要资料附录"]
    assert html.index("以下材料按编号排列") > html.index("五、重要资料附录")
    # entry 3 holds its picture and its Word file; all pictures are one lightbox gallery
    three = html[html.index('id="appendix-3"') : html.index('id="appendix-10"')]
    assert three.count('class="glightbox"') == 1 and three.count("download") == 1
    assert len(set(re.findall(r'data-gallery="([^"]+)"', html))) == 1


def test_appendix_from_the_front_matter_list(site: Path, caplog) -> None:
    html = article(read(site, f"projects/yunling/cases/{slugify('名师工作室')}/"))
    assert _appendix(html) == [
        ("1", "名师工作室揭牌仪式", "图片"),
        ("2", "师徒结对协议", "图片、文本"),
        ("3", "成员表", "Word 文档"),
        ("", "附加说明", "Word 文档"),
    ]
    assert re.findall(r"<h[1-6][^>]*>([^<]*附录[^<]*)<", html) == ["重要资料附录"]
    project = load_project(site.parent / "projects" / "云岭中学")
    messages = [f.message for f in project.findings]
    assert "附录清单里的“不存在的文件.pdf”在附录文件夹里找不到" in messages
    assert "附录文件“附加说明.docx”没有列入 appendix 清单，已排在附录最后" in messages
    assert not [f for f in project.findings if f.is_error]
    home = article(read(site, "projects/yunling/"))
    assert "附录 4 项" in home and "附录 5 项" in home


def test_wrong_targets_and_month_like_keys_are_still_errors(tmp_path: Path) -> None:
    folder = make_project(
        tmp_path,
        "x",
        {
            "branch": "x党支部",
            "name": "x",
            "summary": "x",
            "indicators": {"explicit": [{"text": "a", "target": "逐年提高"}]},
        },
    )
    write(
        folder / "plans" / "p.md",
        "---\nschedule:\n  十三月: [a]\n  13: [b]\n  期中考试后: [c]\n---\n",
    )
    project = load_project(folder)
    errors = [f.message for f in project.findings if f.is_error]
    assert "指标“a”的目标值“逐年提高”看不出数字" in errors
    assert "月份“十三月”无法识别" in errors and "月份“13”无法识别" in errors
    assert [t.label for t in project.plans[0].timed] == ["期中考试后"]
    assert project.plans[0].timed[0].month is None
