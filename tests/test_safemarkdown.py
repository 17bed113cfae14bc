"""Markdown within a budget (mdbudget, mdpool): the old renderer's output for normal texts, a budget for every other one."""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
import time

import pytest
import yaml
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from showcase.core.textutil import decode_text
from showcase.site import mdpool, mdrender
from showcase.site.mdbudget import DEFAULT_BUDGET, Budget, error_reason, plain_html, precheck
from showcase.site.mdpool import MarkdownPool

sys.path.insert(0, str(ROOT / "scripts"))
import bench_hostile as inputs  # noqa: E402


def demo_texts() -> list[tuple[str, int]]:
    """Every author text of the demo with the heading level its page renders it at."""
    texts = []
    for path in sorted((ROOT / "projects").rglob("*")):
        if path.suffix == ".md":
            text = decode_text(path.read_bytes())[0].replace("\r\n", "\n")
            if text.startswith("---\n"):
                _, front, text = text.split("---\n", 2)
                summary = (yaml.safe_load(front) or {}).get("summary")
                if isinstance(summary, str):
                    texts.append((summary, 3))
            texts.append((text, 2 if path.parent.name in ("cases", "plans") else 3))
        elif path.name in ("project.yml", "album.yml"):
            data = yaml.safe_load(decode_text(path.read_bytes())[0]) or {}
            texts.extend((v, 3) for v in data.values() if isinstance(v, str) and len(v) > 10)
    return texts


@pytest.fixture
def pool():
    pool = MarkdownPool(size=2)
    yield pool
    pool.close()


# The renderer as it was before the budget (issue 12), frozen here, so these comparisons
# stay meaningful now that every text goes through the budget and the workers.
_REFERENCE: dict[int, object] = {}
_ATX = re.compile(r"^(#{1,6})[ \t]+\S", re.M)


def fresh_sanitize() -> None:
    _REFERENCE.clear()  # its footnote counters start again, like a new pool's


def reference_render(
    text: str, *, allow_raw_html: bool = False, baselevel: int = 1, id_prefix: str = ""
) -> str:
    import markdown
    from pymdownx.slugs import slugify

    if not text:
        return ""
    levels = [len(m.group(1)) for m in _ATX.finditer(text)]
    if levels:
        baselevel = max(1, baselevel - (min(levels) - 1))
    md = _REFERENCE.get(baselevel)
    if md is None:
        md = _REFERENCE[baselevel] = markdown.Markdown(
            extensions=REFERENCE_EXTENSIONS,
            extension_configs={
                "toc": {
                    "baselevel": baselevel,
                    "slugify": slugify(case="lower"),
                    "permalink": False,
                    "toc_depth": "2-6",
                },
                "footnotes": {"UNIQUE_IDS": True},
            },
            output_format="html",
        )
    html = md.reset().convert(text)
    if id_prefix:
        html = html.replace(' id="', f' id="{id_prefix}')
    return html if allow_raw_html else mdrender.clean(html)


REFERENCE_EXTENSIONS = [
    "tables",
    "sane_lists",
    "nl2br",
    "footnotes",
    "def_list",
    "abbr",
    "attr_list",
    "admonition",
    "pymdownx.tilde",
    "pymdownx.caret",
    "pymdownx.mark",
    "toc",
]


def test_same_extensions_as_the_renderer_it_replaces():
    assert mdrender.EXTENSIONS == REFERENCE_EXTENSIONS


def test_demo_texts_render_byte_identically(pool):
    texts = demo_texts()
    assert len(texts) >= 30
    fresh_sanitize()
    old = [reference_render(t, baselevel=b) for t, b in texts]
    new = [pool.render(t, baselevel=b) for t, b in texts]
    assert all(r.ok for r in new)
    assert [r.html for r in new] == old


def test_footnote_ids_follow_the_old_counter_and_never_collide(pool):
    text = "正文[^1]\n\n[^1]: 脚注"
    fresh_sanitize()
    old = [reference_render(text, baselevel=b) for b in (2, 2, 3, 2)]
    new = [r.html for r in pool.render_many([(text, {"baselevel": b}) for b in (2, 2, 3, 2)])]
    assert new == old
    assert 'id="fnref:3-1"' in new[0] and 'id="fnref:4-1"' in new[1]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "# 标题",
                "## 小节",
                "正文，**加粗**",
                "- 一\n- 二",
                "1. 第一\n2. 第二",
                "> 引用",
                "| a | b |\n|---|---|\n| 1 | 2 |",
                "术语\n:   释义",
                "*[HTML]: 超文本",
                "HTML 页面",
                "脚注[^1]\n\n[^1]: 说明",
                '!!! note "提示"\n    内容',
                "==标记== ~~删除~~ ^^上^^",
                "<script>alert(1)</script>",
                "[链接](javascript:alert(1))",
                "{: #id .c }",
                "行一\n行二",
            ]
        ),
        max_size=8,
    ).map("\n\n".join),
    st.integers(1, 4),
)
def test_generated_markdown_renders_byte_identically(text, level):
    fresh_sanitize()
    pool = _shared_pool()
    pool._counts.clear()
    assert pool.render(text, baselevel=level).html == reference_render(text, baselevel=level)


_POOL: list[MarkdownPool] = []


def _shared_pool() -> MarkdownPool:
    if not _POOL:
        _POOL.append(MarkdownPool(size=1))
    return _POOL[0]


def test_raw_html_and_id_prefix_options_match(pool):
    text = "## 小节\n\n<span style='color:red' onclick='x()'>红</span>"
    fresh_sanitize()
    for options in ({"allow_raw_html": True}, {"id_prefix": "p-"}, {}):
        assert pool.render(text, **options).html == reference_render(text, **options)


@pytest.mark.parametrize(
    "name, text, kind",
    [
        ("nested list ×1000 (1 MB)", inputs.nested_list(1000), "size"),
        ("nested list ×40, 4 spaces", "".join("    " * i + "- 项\n" for i in range(40)), "depth"),
        ("block quotes ×40", "".join("> " * i + "- 项\n" for i in range(40)), "depth"),
        ("headings ×8000", inputs.headings(8000), "block"),
        ("definition lists ×4000", inputs.definition_lists(4000), "block"),
        ("abbreviations ×4000", inputs.abbreviations(4000), "block"),
        ("footnotes ×4000", inputs.footnotes(4000), "block"),
        ("unclosed [ ×8000", inputs.brackets(8000), "brackets"),
        ("unclosed ![ ×3000", "![" * 3000, "brackets"),
    ],
)
def test_prechecks_refuse_known_patterns_at_once(name, text, kind):
    started = time.perf_counter()
    result = precheck(text)
    assert time.perf_counter() - started < 0.5, name
    assert result is not None and not result.ok and result.kind == kind, name
    assert result.reason and result.hint and "<li>" not in result.html


def test_prechecks_leave_real_texts_alone():
    for text, _ in demo_texts():
        assert precheck(text) is None
    normal = "".join("    " * (i % 6) + f"- 第 {i} 项 [注{i}]\n" for i in range(1500))
    assert precheck(normal) is None


def test_plain_html_escapes_and_keeps_paragraphs():
    html = plain_html("<script>alert(1)</script>\n第二行\n\n\n第二段 & 更多")
    assert (
        html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>\n第二行</p>\n<p>第二段 &amp; 更多</p>"
    )


def _rule_extension(marker: str, action) -> object:
    """A Markdown extension whose inline rule calls `action()` on `marker`: a parser that
    recurses or stalls on purpose, whatever Python-Markdown's version does with real texts.
    Made inside the test, so `markdown` is imported there, not at collection."""
    import markdown
    from markdown.inlinepatterns import InlineProcessor

    class Rule(InlineProcessor):
        def handleMatch(self, m, data):  # noqa: N802 - Python-Markdown's name
            return str(action()), m.start(0), m.end(0)

    class Extension(markdown.Extension):
        def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
            md.inlinePatterns.register(Rule(marker, md), "test-rule", 200)

    return Extension()


def _recurse(depth: int = 0) -> int:
    return _recurse(depth + 1) + 1


def _stall() -> int:
    time.sleep(30)
    return 0


@pytest.fixture
def with_rule(monkeypatch):
    """Adds a rule to every converter made from now on, here and in workers forked from here."""

    def add(marker: str, action) -> None:
        extension = _rule_extension(marker, action)
        monkeypatch.setattr(mdrender, "EXTENSIONS", [*mdrender.EXTENSIONS, extension])
        monkeypatch.setattr(mdrender, "_converters", {})
        monkeypatch.setattr(mdrender, "_initial_prefix", {})
        # fork, so a worker inherits the patched extensions (forkserver would import afresh)
        monkeypatch.setattr(mdpool, "_mp_context", lambda: multiprocessing.get_context("fork"))

    return add


@pytest.fixture
def recursing_renderer(with_rule):
    with_rule("〔递归〕", _recurse)


def test_a_recursion_in_the_parser_is_one_texts_failure(recursing_renderer):
    pool = MarkdownPool(size=1)
    try:
        for text in ("前文〔递归〕后文", "# 标题\n\n**加粗**〔递归〕"):
            result = pool.render(text)
            assert not result.ok and result.kind == "error", result
            assert result.reason == error_reason("RecursionError")
            assert result.html == plain_html(text)  # the text is still there, escaped
        assert pool.render("**正文**").html == "<p><strong>正文</strong></p>"
        assert pool.starts == 1  # the worker survived both
    finally:
        pool.close()


@pytest.mark.parametrize(
    "text",
    [inputs.definition_lists_flat(1000), "*" * 3000 + "正文" + "*" * 3000],
    ids=["deflist-flat-1000", "emphasis-3000"],
)
def test_texts_that_once_recursed_are_shown_either_way(pool, text):
    """Older Python-Markdown recursed on these, newer renders them: either is fine, as long as
    the text is on the page, within the budget, and a failure says so."""
    result = pool.render(text)
    limit = DEFAULT_BUDGET.time_limit(len(text.encode()))
    assert result.seconds < limit
    if result.ok:
        assert "正文" in result.html or "释义" in result.html
    else:
        assert result.reason and result.html == plain_html(text)


def test_a_slow_text_is_stopped_and_the_next_one_renders(with_rule):
    with_rule("〔停住〕", _stall)  # a parser that stalls, however fast real texts render
    pool = MarkdownPool(size=1, budget=Budget(seconds=0.3, seconds_per_mb=0))
    try:
        assert pool.render("预热").ok  # the worker's start-up is not part of any text's limit
        started = time.perf_counter()
        result = pool.render("开头〔停住〕结尾")
        assert time.perf_counter() - started < 1.5
        assert not result.ok and result.kind == "timeout" and "0.3 秒" in result.reason
        assert "开头〔停住〕结尾" in result.html
        assert pool.render("# 好\n\n正文").ok  # a new worker, whose start-up is not counted
        assert pool.starts == 2
    finally:
        pool.close()


def test_one_worker_serves_many_texts_and_a_dead_one_is_replaced(pool):
    for i in range(50):
        assert pool.render(f"第 {i} 段").ok
    assert pool.starts == 1
    worker = pool._idle[0]
    worker.process.kill()
    worker.process.join(5)
    assert pool.render("之后").ok
    assert pool.starts == 2


def test_render_many_keeps_order_and_uses_the_pool(pool):
    items = [(f"## 第 {i} 节\n\n正文[^1]\n\n[^1]: 注 {i}", {"baselevel": 2}) for i in range(40)]
    other = MarkdownPool(size=1)
    try:
        sequential = [other.render(t, **kw).html for t, kw in items]
    finally:
        other.close()
    assert [r.html for r in pool.render_many(items)] == sequential
    assert 1 <= pool.starts <= 2


def test_in_process_mode_without_workers(monkeypatch):
    monkeypatch.setenv("SHOWCASE_MARKDOWN_WORKERS", "0")
    pool = MarkdownPool()
    assert pool.render("# 标题").ok
    assert pool.starts == 0


def test_in_process_mode_keeps_a_recursion_to_one_text(monkeypatch, recursing_renderer):
    monkeypatch.setenv("SHOWCASE_MARKDOWN_WORKERS", "0")
    pool = MarkdownPool()
    result = pool.render("〔递归〕")
    assert not result.ok and result.kind == "error" and "〔递归〕" in result.html
    assert pool.render("# 标题").ok
    assert pool.starts == 0


def test_empty_text_and_module_level_render():
    assert mdpool.render("").html == ""
    assert mdpool.render("**好**").html == "<p><strong>好</strong></p>"
    mdpool.shutdown()


def test_per_text_overhead_is_small(pool):
    texts = demo_texts()
    pool.warm_up()
    for text, level in texts:  # warm both converters
        pool.render(text, baselevel=level)
        reference_render(text, baselevel=level)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for text, level in texts:
            reference_render(text, baselevel=level)
        t1 = time.perf_counter()
        for text, level in texts:
            pool.render(text, baselevel=level)
        t2 = time.perf_counter()
        best = min(best, ((t2 - t1) - (t1 - t0)) / len(texts))
    print(f"overhead per text: {best * 1000:.2f} ms over {len(texts)} demo texts")
    assert best < (0.005 if not os.environ.get("CI") else 0.02)
