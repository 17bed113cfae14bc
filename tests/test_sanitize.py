"""Sanitising: HTML from project folders cannot run script on the site; formatting stays."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml
from conftest import MINIMAL, build, make_image, make_project, make_site, read, write
from showcase.site.markdown import lightbox_text, md_heading, meta_value, render_markdown

ATTACKS = """\
<script>alert(1)</script>

<img src="x" onerror="alert(2)"> <b onclick="alert(3)" onmouseover="alert(4)">粗</b>

[点我](javascript:alert(5)) <a href="JaVaScRiPt:alert(6)">大写</a> <a href="java&#x09;script:alert(7)">编码</a>

<iframe src="https://evil.example/"></iframe> <object data="x.swf"></object> <embed src="x">

<svg onload="alert(8)"></svg> <form action="https://evil.example/"><input name="p"></form>

<style>body{display:none}</style> <a href="data:text/html,<script>alert(9)</script>">数据</a>

<div id="__config" style="position:fixed;top:0">覆盖</div> 文字 {: onclick="alert(10)" }
"""

FORMATTING = """\
**加粗** *倾斜* <strong>强调</strong> <em>斜体</em> <span style="color:red">红字</span>
<mark>标记</mark> H<sub>2</sub>O m<sup>2</sup> <u>下划线</u> <del>删除</del>

| 指标 | 目标 |
|------|------|
| 名师 | 1 名 |

<table><tr><td colspan="2">合并单元格</td></tr></table>

1. 第一
2. 第二

- 甲
- 乙

[学校网站](https://www.example.edu.cn/)
"""


class _Scan(HTMLParser):
    """What a browser would run or load: tags, event attributes, script URLs (not text)."""

    def __init__(self, page: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.page = page
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        # a whole Material page has its own <style>, <svg> icons, search <form> and "__" ids
        own = ("svg", "style", "form") if self.page else ()
        if tag in ("iframe", "object", "embed", "svg", "form", "style", "base") and tag not in own:
            self.bad.append(tag)
        self._in_script = tag == "script"
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.bad.append(f"{tag} {name}")
            if name in ("href", "src", "action") and value.startswith(("javascript:", "data:")):
                self.bad.append(f"{tag} {name}={value}")
            if name == "id" and value.startswith("__") and not self.page:
                self.bad.append(f"{tag} id={value}")
            if name == "style" and "position" in value:
                self.bad.append(f"{tag} style={value}")

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.bad.append("script alert")

    def handle_endtag(self, tag):
        self._in_script = False


def _dangerous(html: str, *, page: bool = False) -> list[str]:
    scan = _Scan(page)
    scan.feed(html)
    return scan.bad


def test_attacks_are_removed():
    html = render_markdown(ATTACKS)
    assert _dangerous(html) == []
    assert "粗" in html and "覆盖" in html  # the text itself stays


def test_harmless_formatting_stays():
    html = render_markdown(FORMATTING)
    for tag in (
        "<strong>加粗</strong>",
        "<em>倾斜</em>",
        '<span style="color:red">红字</span>',
        "<mark>标记</mark>",
        "<sub>2</sub>",
        "<sup>2</sup>",
        "<u>下划线</u>",
        "<del>删除</del>",
        "<table>",
        "<td>名师</td>",
        'colspan="2"',
        "<ol>",
        "<ul>",
        "<li>甲</li>",
    ):
        assert tag in html, tag
    assert 'href="https://www.example.edu.cn/"' in html and 'rel="noopener noreferrer"' in html


def test_allow_raw_html_turns_the_sanitiser_off():
    html = render_markdown(
        '<iframe src="https://video.example.edu.cn/1"></iframe>', allow_raw_html=True
    )
    assert "<iframe" in html


@pytest.mark.parametrize(
    "title",
    [
        '引号"和：冒号',
        "---\n换行\n---",
        "</title><script>alert(1)</script>",
        "[链接](javascript:alert(1))",
        "标题 {: onclick=alert(1) }",
        "# 井号 *星号* `代码`",
        "表情😀与\u2028分隔\x00控制",
    ],
)
def test_front_matter_and_heading_filters(title):
    meta = yaml.safe_load(f"title: {meta_value(title)}\n")["title"]
    assert "\n" not in meta and "<" not in meta and '"' not in meta
    meta.encode("utf-8")  # no lone surrogates (an emoji must survive YAML)
    heading = str(md_heading(title))
    assert "\n" not in heading and "<" not in heading
    assert "<" not in str(lightbox_text(title)).replace("&amp;lt;", "")


def test_titles_and_captions_cannot_inject_html_in_a_real_build(site_root):
    evil = '"><script>alert(1)</script> --- 😀'
    project = make_project(
        site_root / "projects",
        "p",
        {
            **MINIMAL,
            "name": f"项目{evil}",
            "branch": f"支部 {evil}",
            "summary": '简介"><img src=x onerror=alert(2)> [x](javascript:alert(3))',
            "goals": ATTACKS + "\n\n" + FORMATTING,
        },
    )
    write(
        project / "cases" / "案例.md",
        f"---\ntitle: '案例: [点我](javascript:alert(4)) </title><script>alert(5)</script> 😀'\n"
        f"summary: '\"><script>alert(6)</script>'\n---\n{ATTACKS}\n",
    )
    album = project / "photos" / "2025-09-10 相册"
    make_image(album / "01-<img src=x onerror=alert(7)>.jpg")
    write(
        album / "album.yml",
        "title: '相册 [x](javascript:alert(8)) {: onclick=alert(9) }'\n"
        "description: '<script>alert(10)</script>'\n",
    )
    write(
        project / "plans" / "计划.md",
        '---\ntitle: "计划\\n---\\n<script>alert(11)</script>"\n---\n正文\n',
    )
    site = build(make_site(site_root))
    pages = [p.read_text(encoding="utf-8") for p in (site / "projects").rglob("*.html")]
    pages += [read(site, ""), read(site, "registry/")]
    assert len(pages) >= 6
    for html in pages:
        assert _dangerous(html, page=True) == []
        # every <title> and <meta> is well-formed: no quote or tag escapes the attribute
        for tag in re.findall(r"<meta [^>]*>", html):
            assert re.fullmatch(r'<meta( [\w:-]+="[^"<>]*")+\s*/?>', tag), tag
    (case_page,) = (site / "projects" / "p" / "cases").glob("*/index.html")
    case = case_page.read_text(encoding="utf-8")
    assert "😀" in re.search(r"<title>(.*?)</title>", case, re.S).group(1)
    assert "[点我](javascript:alert(4))" in re.search(r"<h1[^>]*>(.*?)</h1>", case, re.S).group(1)
    (album_page,) = (site / "projects" / "p" / "photos").glob("*/index.html")
    gallery = album_page.read_text(encoding="utf-8")
    description = re.search(r'data-description="([^"]*)"', gallery).group(1)
    assert "&amp;lt;img" in description  # GLightbox puts it in innerHTML: it stays text
    home = read(site, "projects/p/")
    assert "<mark>标记</mark>" in home and "<td>名师</td>" in home


def test_allow_raw_html_build(site_root):
    make_project(
        site_root / "projects",
        "p",
        {**MINIMAL, "goals": '<iframe src="https://video.example.edu.cn/1"></iframe>'},
    )
    site = build(make_site(site_root, {"allow_raw_html": True}))
    assert '<iframe src="https://video.example.edu.cn/1">' in read(site, "projects/p/")
