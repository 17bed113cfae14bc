"""The details a reader sees, from real builds (issue 16): tables of contents with the authors'
headings, unknown member counts, the internal review page, findings that name the zip, the
pupil-privacy warning, the stylesheet and scripts a page loads."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from conftest import MINIMAL, build, make_image, make_project, make_site, read, write
from lxml import html as lxml_html
from showcase.build import load_all
from showcase.config import default_settings
from showcase.core.textutil import slugify

CASE = """\
---
title: 结对帮扶
date: 2025-03-01
---
## 一、背景

近年来新教师增多。

## 二、做法

### （一）搭台子

成立工作室。

### （二）结对子

一名党员带两名青年教师。

## 三、成效

效果明显。
"""

PLAN = """\
---
title: 年度计划
schedule:
  三月: [制定计划]
  九月: [教师节表彰]
---
# 总体要求

全年工作。

## 重点任务

三项任务。
"""


def _toc(page: str) -> list[tuple[int, str, str]]:
    """(depth, text, href) of the page's table of contents (Material's secondary sidebar)."""
    tree = lxml_html.fromstring(page)
    nav = tree.xpath('//nav[contains(@class,"md-nav--secondary")]')[0]
    out = []
    for a in nav.xpath('.//a[contains(@class,"md-nav__link")]'):
        depth = len(a.xpath("ancestor::ul")) - len(nav.xpath("ancestor::ul"))
        out.append((depth, " ".join(a.text_content().split()), a.get("href")))
    return out


def test_every_authors_heading_is_in_the_toc_in_order_and_depth(site_root):
    project = make_project(site_root / "projects", "qinghe")
    write(project / "cases" / "结对帮扶.md", CASE)
    make_image(project / "cases" / "结对帮扶" / "01-结对仪式.jpg", (400, 300))
    write(project / "plans" / "年度计划.md", PLAN)
    write(project / "measures.md", "## 一、建强主线\n\n内容。\n\n## 二、五项行动\n\n内容。\n")
    site = build(
        make_site(site_root, extra={"markdown_extensions": [{"toc": {"permalink": True}}]})
    )
    base = "projects/qinghe/"
    case = read(site, base + f"cases/{slugify('结对帮扶')}/")
    assert _toc(case) == [
        (1, "一、背景", "#一背景"),
        (1, "二、做法", "#二做法"),
        (2, "（一）搭台子", "#一搭台子"),
        (2, "（二）结对子", "#二结对子"),
        (1, "三、成效", "#三成效"),
        (1, "重要资料附录", "#重要资料附录"),
    ]
    tree = lxml_html.fromstring(case)
    for _depth, _text, href in _toc(case):
        heading = tree.xpath(f'//*[@id="{href[1:]}"]')
        assert len(heading) == 1 and heading[0].tag in ("h2", "h3")
        assert heading[0].xpath('./a[@class="headerlink"]/@href') == [href]  # a permalink
    plan = read(site, base + f"plans/{slugify('年度计划')}/")
    assert [(d, t) for d, t, _ in _toc(plan)] == [
        (1, "总体要求"),
        (2, "重点任务"),
        (1, "月工作安排"),
    ]
    home = _toc(read(site, base))
    assert (1, "项目实施的主要举措、载体与步骤", "#项目实施的主要举措载体与步骤") in home
    i = home.index((1, "项目实施的主要举措、载体与步骤", "#项目实施的主要举措载体与步骤"))
    assert [t for _, t, _ in home[i + 1 : i + 3]] == ["一、建强主线", "二、五项行动"]
    assert {d for d, _, _ in home[i + 1 : i + 3]} == {2}
    ids = re.findall(r'\sid="([^"]+)"', article_of(case))
    assert len(ids) == len(set(ids))  # unique on the page


def article_of(page: str) -> str:
    start = page.index('<article class="md-content__inner')
    return page[start : page.index("</article>", start)]


def test_same_heading_in_two_texts_gets_two_ids(site_root):
    project = make_project(site_root / "projects", "p")
    write(project / "goals.md", "## 总体目标\n\n甲。\n")
    write(project / "effects.md", "## 总体目标\n\n乙。\n")
    site = build(make_site(site_root))
    page = read(site, "projects/p/")
    assert '"总体目标"' in page and '"总体目标_1"' in page
    assert [h for _, t, h in _toc(page) if t == "总体目标"] == ["#总体目标", "#总体目标_1"]


def test_a_project_without_sub_pages_has_no_lone_chip(site_root):
    make_project(site_root / "projects", "p")
    rich = make_project(site_root / "projects", "q", {**MINIMAL, "name": "第二个项目"})
    make_image(rich / "photos" / "2025-03-05 活动" / "01-合影.jpg", (400, 300))
    site = build(make_site(site_root))
    assert "sc-localnav" not in read(site, "projects/p/")
    album = read(site, f"projects/q/photos/{slugify('2025-03-05 活动')}/")
    nav = lxml_html.fromstring(album).xpath('//nav[@class="sc-localnav"]')[0]
    assert [a.get("aria-current") for a in nav.xpath("./a")] == [None, "page"]


def test_unknown_party_members_are_a_dash_not_zero(site_root):
    projects = site_root / "projects"
    make_project(projects, "a", {**MINIMAL, "district": "青溪区", "members": 30})
    make_project(projects, "b", {**MINIMAL, "name": "二", "district": "云岭县"})  # no 党员人数
    site = build(make_site(site_root))
    tree = lxml_html.fromstring(read(site, "statistics/"))
    rows = {
        r.xpath("./th")[0].text_content(): [td.text_content() for td in r.xpath("./td")]
        for r in tree.xpath('//table[@id="sc-stats-district"]/tbody/tr')
    }
    assert rows["青溪区"][1] == "30"
    assert rows["云岭县"][1] == "—（未填写）"  # "—" on screen, 未填写 for screen readers
    assert tree.xpath('//table[@id="sc-stats-district"]/tfoot//td')[1].text_content() == "30"


def test_review_page_is_internal(site_root):
    from showcase.commands.package import run_package

    make_project(site_root / "projects", "p")
    config = make_site(site_root, extra={"site_url": "https://example.edu.cn/dangjian/"})
    site = build(config)
    assert not (site / "review").exists()
    assert "review/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    out = site_root / "site.zip"
    assert run_package(config, out, offline=False) == 0
    with zipfile.ZipFile(out) as zf:
        assert not [n for n in zf.namelist() if n.startswith("review")]
    # asked for: built, in the navigation, still not in sitemap.xml and marked noindex
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["plugins"][1]["showcase"]["review_page"] = True
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    site = build(config)
    assert (site / "review" / "index.html").is_file()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "review/" not in sitemap and "projects/p/" in sitemap
    assert 'name="robots" content="noindex"' in read(site, "review/")


def test_check_names_the_zip_and_the_path_inside_it(site_root):
    from showcase.commands.cli import main

    text = yaml.safe_dump({**MINIMAL, "school": "文三小学"}, allow_unicode=True, sort_keys=False)
    text += "党员数: 12\n"  # an unknown key, on the last line
    line = text.count("\n")
    inbox = site_root / "submissions"
    inbox.mkdir()
    with zipfile.ZipFile(inbox / "文三教育集团.zip", "w") as zf:
        zf.writestr("文三教育集团/project.yml", text)
    make_site(site_root, {"sources": ["submissions"]})
    cwd = os.getcwd()
    os.chdir(site_root)
    try:
        result = CliRunner().invoke(main, ["check", "-f", "mkdocs.yml"])
        as_json = CliRunner().invoke(main, ["check", "-f", "mkdocs.yml", "--format", "json"])
    finally:
        os.chdir(cwd)
    place = f"submissions/文三教育集团.zip › 文三教育集团/project.yml:{line}"
    assert place in result.output, result.output
    assert ".cache" not in result.output and ".cache" not in as_json.output
    files = {f["file"] for f in json.loads(as_json.output)}
    assert "submissions/文三教育集团.zip › 文三教育集团/project.yml" in files


PUPIL_TEXT = """\
---
title: 爱心接力
---
支部开展爱心接力活动。

三年级二班学生林小雨患有白血病，全校师生为她捐款。

党员教师张老师每周家访，某同学的家长十分感动。
"""


def test_a_pupil_named_with_an_illness_is_a_warning_with_file_and_line(site_root):
    project = make_project(site_root / "projects", "p")
    write(project / "cases" / "爱心接力.md", PUPIL_TEXT)
    write(project / "goals.md", "党员教师带头，帮助困难家庭学生。\n\n严守纪律，杜绝违纪。\n")
    settings = default_settings(
        sources=["projects"], base_dir=site_root, cache_dir=str(site_root / ".cache")
    )
    findings = [f for f in load_all(settings)[1] if "同一句里" in f.message]
    assert len(findings) == 1, [f.format() for f in findings]
    f = findings[0]
    assert Path(f.file).name == "爱心接力.md" and f.line == 6 and not f.is_error
    assert "林小雨" in f.message and "白血病" in f.message and "疾病" in f.message
    assert "某同学" in f.hint


def test_the_stylesheet_is_minified_and_facets_load_only_where_used(site_root):
    make_project(site_root / "projects", "a", {**MINIMAL, "district": "青溪区"})
    make_project(site_root / "projects", "b", {**MINIMAL, "name": "二", "district": "云岭县"})
    site = build(make_site(site_root))
    css = (site / "assets" / "showcase" / "showcase.css").read_text(encoding="utf-8")
    source = Path(__file__).parent.parent / "plugins" / "showcase" / "assets" / "showcase.css"
    assert "/*" not in css and "\n  " not in css
    assert len(css) < 0.85 * len(source.read_text(encoding="utf-8"))
    assert ".sc-card" in css
    for name in ("facets.js", "search.js"):  # our scripts too, without their comments
        script = (site / "assets" / "showcase" / name).read_text(encoding="utf-8")
        source = Path(__file__).parent.parent / "plugins" / "showcase" / "assets" / name
        assert "\n  " not in script and len(script) < 0.8 * len(source.read_text(encoding="utf-8"))
    for url in ("", "registry/"):
        assert read(site, url).count("assets/showcase/facets.js") == 1
    for url in ("projects/a/", "statistics/"):
        page = read(site, url)
        assert "facets.js" not in page
        assert page.count("showcase.css") == 1
    # the lightbox's head files only where something opens in it
    for url in ("", "registry/", "statistics/", "projects/a/"):
        assert "glightbox.min" not in read(site, url), url


def test_lightbox_files_only_on_pages_with_pictures_to_open(site_root):
    project = make_project(site_root / "projects", "p")
    make_image(project / "photos" / "2025-03-05 活动" / "01-合影.jpg", (400, 300))
    write(project / "goals.md", "目标。\n\n![示意图](https://example.org/x.png)\n")
    site = build(make_site(site_root, {"self_contained": False}))
    assert "glightbox.min.js" in read(site, f"projects/p/photos/{slugify('2025-03-05 活动')}/")
    assert "glightbox.min.js" in read(site, "projects/p/")  # an author's picture opens too
    assert "glightbox.min.js" not in read(site, "")
