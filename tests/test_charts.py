"""Charts, timelines and the logo placeholder: the SVG is parsed and measured, and a
real site is built to see them where readers see them."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import build, make_image, make_project, make_site, read, write
from PIL import Image
from showcase.core.model import Indicator, Plan, Project, ScheduleMonth
from showcase.core.textutil import parse_month, slugify
from showcase.reading import load
from showcase.site import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars(root: ET.Element) -> dict[int, ET.Element]:
    return {
        int(g.get("data-year")): g.find(f"{SVG}rect")
        for g in root.iter(f"{SVG}g")
        if "sc-chart__year" in (g.get("class") or "")
    }


def baseline(root: ET.Element) -> float:
    axis = next(e for e in root.iter(f"{SVG}line") if e.get("class") == "sc-chart__axis")
    return float(axis.get("y1"))


def texts(root: ET.Element, cls: str) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text") if t.get("class") == cls]


# --- indicator charts --------------------------------------------------------------


def test_bar_heights_labels_and_target_line_match_the_data():
    ind = Indicator(
        text="区级学科带头人", target=50, unit="人", actual={2023: 32, 2024: 45, 2025: 52}
    )
    root = parse(charts.indicator_chart(ind))
    b = bars(root)
    assert list(b) == [2023, 2024, 2025]
    heights = {y: float(r.get("height")) for y, r in b.items()}
    # heights are proportional to values
    assert heights[2023] / heights[2025] == pytest.approx(32 / 52, rel=1e-3)
    assert heights[2024] / heights[2025] == pytest.approx(45 / 52, rel=1e-3)
    # every bar stands on the axis
    base = baseline(root)
    for r in b.values():
        assert float(r.get("y")) + float(r.get("height")) == pytest.approx(base, abs=0.02)
    # the target line sits where a bar of the target's value would end
    target = next(e for e in root.iter(f"{SVG}line") if e.get("class") == "sc-chart__target")
    per_unit = heights[2025] / 52
    assert base - float(target.get("y1")) == pytest.approx(50 * per_unit, abs=0.05)
    assert target.get("y1") == target.get("y2")
    # labels: values with unit, years, share of the target
    assert texts(root, "sc-chart__value") == ["32人", "45人", "52人"]
    assert texts(root, "sc-chart__label") == ["2023年", "2024年", "2025年"]
    assert texts(root, "sc-chart__share") == ["64%", "90%", "104%"]
    # bars are left to right in year order
    xs = [float(b[y].get("x")) for y in (2023, 2024, 2025)]
    assert xs == sorted(xs)


def test_chart_is_accessible_and_does_not_rely_on_colour():
    ind = Indicator(text="高级职称教师", target=20, unit="名", actual={2024: 12, 2025: 21})
    svg = charts.indicator_chart(ind)
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("viewBox") == f"0 0 {charts.W} {charts.H}"
    assert root.get("width") == "100%"
    assert root.find(f"{SVG}title").text == "高级职称教师"
    label = root.get("aria-label")
    assert label == root.find(f"{SVG}desc").text
    assert (
        "目标20名" in label and "2024年12名，完成60%" in label and "2025年21名，完成105%" in label
    )
    # a missed year is hatched (a pattern, visible in grey print), a reached one solid red
    b = bars(root)
    assert b[2024].get("fill").startswith("url(#") and b[2024].get("fill").endswith("-hatch)")
    assert b[2025].get("fill") == charts.RED
    legend = [
        t.text for g in root.iter(f"{SVG}g") if g.get("class") == "sc-chart__legend" for t in g
    ]
    assert "目标 20名" in legend and "达到目标" in legend and "未达目标" in legend
    assert "<script" not in svg and "onload" not in svg


def test_hostile_indicator_text_is_escaped():
    nasty = '省级名师 <script>alert("x")</script> & “特级”\x0b'
    ind = Indicator(text=nasty, target=1, unit='名"<', actual={2025: 1})
    svg = charts.indicator_chart(ind)
    root = parse(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == nasty.replace("\x0b", "")
    assert "<script>" not in svg
    assert texts(root, "sc-chart__value") == ['1名"<']


def test_chart_without_target_and_with_zero_target():
    plain = parse(
        charts.indicator_chart(
            Indicator(text="志愿服务时长", unit="小时", actual={2024: 300, 2025: 450})
        )
    )
    assert not [e for e in plain.iter(f"{SVG}line") if e.get("class") == "sc-chart__target"]
    assert texts(plain, "sc-chart__share") == []
    assert all(r.get("fill") == charts.RED for r in bars(plain).values())

    zero = Indicator(text="师德投诉", target=0, unit="起", actual={2024: 1, 2025: 0})
    root = parse(charts.indicator_chart(zero))
    b = bars(root)
    assert float(b[2025].get("height")) == 0
    target = next(e for e in root.iter(f"{SVG}line") if e.get("class") == "sc-chart__target")
    assert float(target.get("y1")) == pytest.approx(baseline(root))
    assert "2024年1起，未达到目标" in root.get("aria-label")
    assert "2025年0起，达到目标" in root.get("aria-label")


def test_many_years_stay_inside_the_picture():
    ind = Indicator(
        text="党员示范岗",
        target=1000,
        unit="人次",
        actual={y: 100 * (y - 2014) for y in range(2015, 2027)},
    )
    root = parse(charts.indicator_chart(ind))
    b = bars(root)
    assert len(b) == 12
    for r in b.values():
        x, w = float(r.get("x")), float(r.get("width"))
        assert x >= 0 and x + w <= charts.W
    for t in root.iter(f"{SVG}text"):
        assert float(t.get("font-size") or 13) >= 8
    assert texts(root, "sc-chart__label")[0] == "2015"  # no room for 年 at this width
    assert texts(root, "sc-chart__value")[-1] == "1200"  # nor for the unit
    assert "2026年1200人次" in root.get("aria-label")


def test_values_make_a_chart_targets_and_sentences_stay_a_list():
    items = [
        Indicator(text="有数据", target=10, actual={2025: 8}),
        Indicator(text="只有目标", target=5),
        Indicator(text="一句话指标"),
    ]
    charted, listed = charts.split_indicators(items)
    assert [i.text for i in charted] == ["有数据"]
    assert [i.text for i in listed] == ["只有目标", "一句话指标"]
    assert charts.indicator_chart(Indicator(text="一句话指标")) == ""


# --- months ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, month",
    [
        (3, 3),
        ("4月", 4),
        ("五月", 5),
        ("March", 3),
        ("十二月", 12),
        ("11", 11),
        ("3 月", 3),
        ("三月份", 3),
        ("Sept.", 9),
        ("十月", 10),
        ("０９", 9),
        ("十三月", None),
        (0, None),
        ("月", None),
    ],
)
def test_parse_month(value, month):
    assert parse_month(value) == month


def test_plan_months_calendar_order_and_current_month():
    plan = Plan(
        slug="p",
        title="计划",
        source=Path("p.md"),
        year=2025,
        schedule=[
            ScheduleMonth(9, ["教师节"]),
            ScheduleMonth(3, ["开学"]),
            ScheduleMonth(12, ["总结"]),
        ],
    )
    months = charts.plan_months(plan, today=dt.date(2025, 9, 15))
    assert [m.month for m in months] == [3, 9, 12]
    assert [m.label for m in months] == ["三月", "九月", "十二月"]
    assert [m.current for m in months] == [False, True, False]
    # another year: nothing is "this month"
    assert not any(m.current for m in charts.plan_months(plan, today=dt.date(2026, 9, 15)))
    plan.year = None
    assert not any(m.current for m in charts.plan_months(plan, today=dt.date(2025, 9, 15)))


# --- a real site -------------------------------------------------------------------

TODAY = dt.date.today()
QINGHE = slugify("青禾路小学")  # the URL rule is tested in test_site.py


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("charts")
    projects = root / "projects"
    folder = make_project(
        projects,
        "青禾路小学",
        {
            "branch": "青禾路小学党支部",
            "school": "青禾路小学",
            "name": "党组织“1+5”建设工程",
            "summary": "以一个支部带动五支队伍。",
            "indicators": {
                "explicit": [
                    {
                        "text": "区级学科带头人",
                        "target": 50,
                        "unit": "人",
                        "actual": {2023: 32, 2024: 45, 2025: 52},
                    },
                    {"text": "省级名师 <b>&</b>", "target": 1, "unit": "名"},
                    "师德投诉零发生",
                ],
                "implicit": ["形成比学赶超的氛围"],
            },
        },
    )
    write(
        folder / "plans" / "mixed.md",
        """
        ---
        title: 混合月份写法
        year: 2020
        schedule:
          "11": 党员示范课
          十二月: 年度总结
          March: 师德专题学习
          3: 开学部署
          五月: 劳动实践
          "4月": 清明祭扫
        ---
        正文。
        """,
    )
    this_year = "\n".join(f"  {m}: 第{m}月的工作" for m in range(1, 13))
    write(
        folder / "plans" / "this-year.md",
        f"---\ntitle: 本年度计划\nyear: {TODAY.year}\nschedule:\n{this_year}\n---\n正文。\n",
    )
    write(
        folder / "plans" / "last-year.md",
        f"---\ntitle: 上年度计划\nyear: {TODAY.year - 1}\nschedule:\n{this_year}\n---\n正文。\n",
    )
    write(
        folder / "cases" / "later.md", "---\ntitle: 微党课进课堂\ndate: 2025-04-12\n---\n正文。\n"
    )
    write(
        folder / "cases" / "earlier.md", "---\ntitle: 名师工作室\ndate: 2024-11-20\n---\n正文。\n"
    )
    write(folder / "cases" / "undated.md", "---\ntitle: 没有日期的案例\n---\n正文。\n")
    make_image(folder / "photos" / "2025-03-05 学雷锋" / "01-清洁.jpg", (320, 240))
    make_image(folder / "photos" / "2024-09-10 教师节表彰" / "01-合影.jpg", (320, 240))
    make_project(
        projects,
        "mingde",
        {
            "branch": "中共明德教育集团党总支",
            "name": "“2345”党建品牌",
            "summary": "双岗三比四创五帮。",
        },
        logo=False,
    )
    return build(make_site(root))


def project_page(site: Path) -> str:
    return read(site, f"projects/{QINGHE}/")


def test_project_page_has_parsable_charts_and_text_indicators_stay_a_list(site):
    html = project_page(site)
    svgs = re.findall(r'<svg\b[^>]*class="sc-chart__svg".*?</svg>', html, re.S)
    assert len(svgs) == 1  # the target without values is listed, not drawn empty
    root = parse(svgs[0])
    assert texts(root, "sc-chart__value") == ["32人", "45人", "52人"]
    assert 'class="sc-charts"' in html and 'class="sc-chart"' in html
    assert "2025 年完成 <strong>104%</strong>" in html
    assert "目标 <strong>1名</strong>" in html and "省级名师 &lt;b&gt;&amp;&lt;/b&gt;" in html
    lists = re.findall(r'<ul class="sc-indicator-list">(.*?)</ul>', html, re.S)
    assert "师德投诉零发生" in lists[0] and "省级名师" in lists[0]
    assert "形成比学赶超的氛围" in lists[1]
    assert "<b>&</b>" not in html


def test_plan_months_sort_right_for_mixed_inputs(site):
    html = read(site, f"projects/{QINGHE}/plans/mixed/")
    months = re.findall(
        r'<li class="sc-timeline__month[^"]*" id="plan-month-(\d+)" data-month="\d+"', html
    )
    assert months == ["3", "4", "5", "11", "12"]
    labels = re.findall(r'<span class="sc-timeline__label">(\S+?)[\s<]', html)
    assert labels == ["三月", "四月", "五月", "十一月", "十二月"]
    march = re.search(r'id="plan-month-3".*?</ul>', html, re.S).group()
    assert "师德专题学习" in march and "开学部署" in march
    # the twelve-month strip: busy months link to their entry
    assert len(re.findall(r'class="sc-monthbar__cell', html)) == 12
    assert html.count("sc-monthbar__cell--busy") == 5
    assert "本月" not in html  # a 2020 plan has no current month


def test_current_month_marked_only_in_the_plans_year(site):
    html = read(site, f"projects/{QINGHE}/plans/this-year/")
    current = re.findall(
        r'<li class="sc-timeline__month sc-timeline__month--current" id="plan-month-(\d+)"[^>]*aria-current="date"',
        html,
    )
    assert current == [str(TODAY.month)]
    assert html.count('aria-current="date"') == 2  # the timeline entry and the strip cell
    assert '<span class="sc-timeline__badge">本月</span>' in html
    old = read(site, f"projects/{QINGHE}/plans/last-year/")
    assert "sc-timeline__month--current" not in old and 'aria-current="date"' not in old


def test_activity_axis_orders_dated_cases_and_albums(site):
    html = project_page(site)
    axis = re.search(r'<ol class="sc-activity".*?</div>', html, re.S).group()
    dates = re.findall(r'<time datetime="([\d-]+)">', axis)
    assert dates == ["2024-09-10", "2024-11-20", "2025-03-05", "2025-04-12"]
    assert "没有日期的案例" not in axis
    assert re.findall(r'sc-activity__yearlabel">(\d{4})', axis) == ["2024", "2025"]
    page_dir = site / "projects" / QINGHE
    for href in re.findall(r'<a href="([^"]+)">\s*<time', axis):
        assert (page_dir / href / "index.html").is_file(), href


def test_placeholder_on_home_grid_and_registry(site):
    svg_path = site / "assets" / "showcase" / "placeholder" / "mingde.svg"
    root = parse(svg_path.read_text(encoding="utf-8"))
    assert root.find(f"{SVG}text").text == "明德"
    assert root.find(f"{SVG}rect").get("fill") == charts.RED
    home = read(site, "")
    assert re.search(r'<img src="assets/showcase/placeholder/mingde\.svg"[^>]*sc-placeholder', home)
    registry = read(site, "registry/")
    assert re.search(r'<img src="\.\./assets/showcase/placeholder/mingde\.svg"', registry)
    # the project with a logo keeps its own
    assert f"placeholder/{QINGHE}.svg" not in home


def test_missing_logo_is_a_warning(tmp_path):
    folder = make_project(tmp_path, "mingde", logo=False)
    project = load.load_project(folder)
    logo = [f for f in project.findings if f.field == "logo"]
    assert logo and not logo[0].is_error and "占位图" in logo[0].message


@pytest.mark.parametrize(
    "branch, text",
    [
        ("青禾路小学党支部", "青禾"),
        ("中共明德教育集团党总支", "明德"),
        ("云岭职业技术学校党支部", "云岭"),
        ("东湖中学第一党支部", "东湖"),
        ("北京市海淀区青禾路小学党支部", "青禾"),
        ("中国共产党星光幼儿园支部委员会", "星光"),
        ("党支部", "党建"),
        ("Sunrise School", "SS"),
    ],
)
def test_placeholder_text_drops_party_affixes(branch, text):
    assert (
        charts.placeholder_text(Project(folder=Path("x"), slug="x", values={"branch": branch}))
        == text
    )


def test_placeholder_png_for_office_exports():
    project = Project(folder=Path("x"), slug="x", values={"branch": "青禾路小学党支部"})
    data = charts.placeholder_png(project, 128)
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG" and img.size == (128, 128)
    rgb = img.convert("RGB")
    assert rgb.getpixel((64, 4)) == (0xC8, 0x10, 0x2E)  # Party red ground
    centre = [rgb.getpixel((x, 70)) for x in range(30, 98)]
    assert any(p[0] > 240 and p[1] > 240 for p in centre)  # white characters drawn
