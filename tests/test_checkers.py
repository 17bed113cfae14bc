"""Every kind of generated page under axe-core (WCAG 2.1 AA) and the Nu HTML Checker.

The demo is built once per session (conftest.demo_site) and served from 127.0.0.1 under
/dangjian/; each kind of page is checked at 1280 px and 390 px. A violation fails the test
unless it is listed in MATERIAL_AXE or MATERIAL_VNU below: problems of Material for MkDocs
itself, which a plain Material site with the same theme (built here, without this plugin)
shows too — a test checks that each listed exception really occurs there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CHROMIUM, ROOT, build, write
from pagecheck import (
    axe,
    axe_missing,
    format_axe,
    serving,
    vnu,
    vnu_errors,
    vnu_missing,
    vnu_path,
)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="没有 /usr/bin/chromium，跳过检查器测试（Debian: apt-get install -y chromium）",
)
sync_api = pytest.importorskip("playwright.sync_api", reason="没有安装 playwright")

WIDTHS = (1280, 390)
QINGHE = "projects/qinghe-lu-xiaoxue/"
PAGES = {
    "home": "",
    "registry": "registry/",
    "project": QINGHE,
    "project-svg-logo": "projects/donghu-middle/",
    "project-targets-only": "projects/xiaoxingxing-youeryuan/",
    "project-bounds": "projects/mingde-jiaoyu-jituan/",
    "case": QINGHE + "cases/mingshi-gongzuoshi-yinling-qingnianjiaoshi-chengzhang/",
    "album": QINGHE + "photos/2025-07-01-qiyi-zhuti-dangri-huodong/",
    "plan": QINGHE + "plans/2026-nian-dangzhibu-gongzuo-jihua/",
    "statistics": "statistics/",
    "districts": "districts/",
    "embed": "embed/",
}
"""One page of every kind the plugin generates, from the demo."""

# Material's own: (rule, selector) pairs that the plain Material page below has as well.
MATERIAL_AXE: set[tuple[str, str]] = set()

# Material's own vnu errors, (message pattern, extract pattern), that the plain Material page
# has as well: base.html's drawer and search toggles are checkboxes with autocomplete="off".
MATERIAL_VNU: tuple[tuple[str, str], ...] = (
    (
        r"^Attribute “autocomplete” is only allowed when the input type is",
        r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox"',
    ),
)


def _plain_material_site(root: Path) -> Path:
    """A plain Material site with the demo's theme settings and no showcase plugin."""
    import yaml

    demo = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config = {
        "site_name": demo["site_name"],
        "site_url": demo["site_url"],
        "theme": demo["theme"],
        "plugins": [{"search": {"lang": "zh"}}],
        "markdown_extensions": demo["markdown_extensions"],
        "extra": demo.get("extra", {}),
    }
    write(root / "mkdocs.yml", yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    write(
        root / "docs" / "index.md",
        """
        # 首页

        这是一个普通的 Material 页面，有[一个链接](other.md)和**加粗的字**。

        ## 第一节

        | 列一 | 列二 |
        |---|---|
        | 甲 | 乙 |

        - 一项
        - 两项

        ### 小节

        !!! note "提示"
            一段提示。
        """,
    )
    write(root / "docs" / "other.md", "# 另一页\n\n## 一节\n\n正文。\n")
    return build(root / "mkdocs.yml", strict=True)


def axe_site(browser, site: Path, paths: dict[str, str]) -> dict[tuple[str, int], list[dict]]:
    """axe on each page at each width: {(name, width): violations}."""
    found = {}
    with serving(site) as base:
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
            page = context.new_page()
            for name, path in paths.items():
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                found[name, width] = axe(page)
            context.close()
    return found


@pytest.fixture(scope="module")
def material_site(tmp_path_factory) -> Path:
    return _plain_material_site(tmp_path_factory.mktemp("material"))


@pytest.fixture(scope="module")
def material_axe(browser, material_site):
    found = axe_site(browser, material_site, {"index": "", "other": "other/"})
    return {(v["rule"], v["target"]) for vs in found.values() for v in vs}


def test_axe_every_kind_of_page(axe_ready, browser, demo_site, material_axe):
    found = axe_site(browser, demo_site, PAGES)
    ours = {
        key: [v for v in vs if (v["rule"], v["target"]) not in MATERIAL_AXE]
        for key, vs in found.items()
    }
    report = "\n".join(
        f"{name} @ {width}px:\n{format_axe(vs)}" for (name, width), vs in ours.items() if vs
    )
    assert not report, "axe-core (WCAG 2.1 AA):\n" + report


def test_axe_exceptions_are_materials_own(axe_ready, material_axe):
    """Each listed exception occurs on a plain Material page too, so none hides our own fault."""
    assert material_axe >= MATERIAL_AXE, MATERIAL_AXE - material_axe


@pytest.fixture(scope="session")
def axe_ready():
    reason = axe_missing()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def vnu_ready():
    reason = vnu_missing()
    if reason:
        pytest.skip(reason)


def _materials(message: dict, pattern: str, extract: str) -> bool:
    return bool(
        re.search(pattern, message["message"])
        and re.search(extract, " ".join(message.get("extract", "").split()))
    )


def _ours(messages: list[dict]) -> list[dict]:
    return [m for m in vnu_errors(messages) if not any(_materials(m, *e) for e in MATERIAL_VNU)]


def test_vnu_every_generated_page(vnu_ready, demo_site, material_site):
    """The Nu HTML Checker over every page of the demo and the plain Material page, in one run."""
    files = sorted(demo_site.rglob("*.html")) + [material_site / "index.html"]
    messages = vnu(files)
    material_messages = [m for m in messages if vnu_path(m).is_relative_to(material_site)]
    for exception in MATERIAL_VNU:  # every exception is really Material's
        assert any(_materials(m, *exception) for m in material_messages), exception
    errors = _ours([m for m in messages if m not in material_messages])
    report = "\n".join(
        f"  {vnu_path(m).relative_to(demo_site)}:{m.get('lastLine')} {m['message']} «{m.get('extract', '')}»"
        for m in errors
    )
    assert not errors, "Nu HTML Checker:\n" + report
