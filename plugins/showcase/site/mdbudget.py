"""What rendering one author text may cost, checked before the parser sees it.

Python-Markdown is recursive and, for some inputs, quadratic: 1,000 nested list items
(1 MB) spent 10 s and 600 MB before a `RecursionError` that aborted the whole district
build; 16 KB of definition lists without blank lines recursed too; 8,000 headings
without blank lines, 4,000 abbreviations, footnotes or definition lists with
continuation lines and 8,000 unclosed `[` each took 5–15 s. So every text gets a budget:

1. **Prechecks** (`precheck`), linear and in this process (a refused text never reaches
   the parser): size (`max_bytes`, 512 KB: a 170,000-character case study; the demo's
   longest text is 5 KB), nesting of lists, block quotes, definitions and admonitions
   (`max_depth` 16 levels; Python-Markdown recursed at ~300 and real texts use ≤ 5),
   lines in one block without a blank line (`max_block_lines` 2,000: the block
   processors re-split the rest of a block per element, so cost grows with its square),
   and unclosed `[` within one paragraph (`max_brackets` 32: the link patterns rescan to
   the end for each). Each bound is far above what a person writes and far below where
   the parser's cost takes off.
2. **A time limit** in a worker process that is killed when it runs over (`mdpool`).

A failed text comes back as `Rendered(ok=False, reason=…, html=plain_html(text))`:
escaped paragraphs, nothing lost, nothing interpreted. The caller makes the finding.
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    """What rendering one text may cost. The module's docstring gives the reasons."""

    max_bytes: int = 512 * 1024
    max_depth: int = 16
    max_block_lines: int = 2_000
    max_brackets: int = 32
    seconds: float | None = 3.0
    """Base time limit per text; None renders in-process without a time limit."""
    seconds_per_mb: float = 8.0
    memory_mb: int | None = 1024
    """Address space a worker may add to what it has at start (Linux); None: no cap."""

    def time_limit(self, size: int) -> float | None:
        if self.seconds is None:
            return None
        return self.seconds + self.seconds_per_mb * size / (1024 * 1024)


DEFAULT_BUDGET = Budget()


@dataclass(frozen=True)
class Rendered:
    """The HTML of one text. When `ok` is False, `html` is the escaped plain text and
    `reason` (Chinese) says why, for the caller's finding; `kind` names the limit."""

    html: str
    ok: bool = True
    reason: str | None = None
    hint: str | None = None
    kind: str | None = None
    """"size", "depth", "block", "brackets", "timeout", "error", "crashed"."""
    seconds: float = 0.0


_CONTAINER = re.compile(r"(?:[-*+]|\d{1,9}[.)]|:|!!!|\?\?\?\+?)(?:[ \t]|$)")


_QUOTES = re.compile(r"[ \t]{0,3}>")


HINT = "请把这段内容分成几段、减少嵌套层数（列表、引用不超过几层），或去掉大量重复的符号"


def _indent(line: str) -> int:
    columns = 0
    for ch in line:
        if ch == " ":
            columns += 1
        elif ch == "\t":
            columns += 4 - columns % 4
        else:
            break
    return columns


def _depth_of(line: str) -> int:
    """Container levels a line opens: block-quote markers plus indentation in steps of 4
    (Python-Markdown's tab length), counted only when the line starts a container."""
    quotes = 0
    rest = line
    while True:
        m = _QUOTES.match(rest)
        if m is None:
            break
        quotes += 1
        rest = rest[m.end() :]
    indent = _indent(rest)
    if _CONTAINER.match(rest, indent) is None:
        return quotes
    return quotes + indent // 4 + 1


def precheck(text: str, budget: Budget = DEFAULT_BUDGET) -> Rendered | None:
    """A failed `Rendered` when `text` is past a static limit, else None. Linear time."""
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    if size > budget.max_bytes:
        return failed(
            text,
            "size",
            f"内容过长（{size // 1024} KB，超过 {budget.max_bytes // 1024} KB 上限），按纯文本显示",
            "请把过长的内容拆成几篇案例或几个文件",
        )
    block_lines = 0
    brackets = 0
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            block_lines = 0
            brackets = 0
            continue
        block_lines += 1
        if block_lines > budget.max_block_lines:
            return failed(
                text,
                "block",
                f"第 {number} 行：连续 {budget.max_block_lines} 多行没有空行，无法排版，按纯文本显示",
                "请在段落、标题、列表之间加空行",
            )
        if "[" in line:
            for ch in line:
                if ch == "[":
                    brackets += 1
                    if brackets > budget.max_brackets:
                        return failed(
                            text,
                            "brackets",
                            f"第 {number} 行：一段里有超过 {budget.max_brackets} 个没有配对的“[”，无法排版，按纯文本显示",
                            "方括号“[ ]”要成对使用；单独的“[”可改成全角“【”",
                        )
                elif ch == "]" and brackets:
                    brackets -= 1
        elif "]" in line and brackets:
            brackets = max(0, brackets - line.count("]"))
        if line[:1] in " \t>" or _CONTAINER.match(line):
            depth = _depth_of(line)
            if depth > budget.max_depth:
                return failed(
                    text,
                    "depth",
                    f"第 {number} 行：列表或引用嵌套超过 {budget.max_depth} 层，无法排版，按纯文本显示",
                    HINT,
                )
    return None


def plain_html(text: str) -> str:
    """Text as escaped paragraphs (blank lines split them, line breaks kept): the fallback."""
    paragraphs = re.split(r"\n(?:[ \t]*\n)+", text.strip("\n"))
    return "\n".join(
        "<p>" + "<br>\n".join(_html.escape(line, quote=False) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p.strip()
    )


def failed(
    text: str, kind: str, reason: str, hint: str | None = None, seconds: float = 0.0
) -> Rendered:
    return Rendered(
        plain_html(text), ok=False, reason=reason, hint=hint, kind=kind, seconds=seconds
    )


def error_reason(name: str) -> str:
    if name == "RecursionError":
        return "内容嵌套过深（如大量连续的“*”或层层缩进），无法排版，按纯文本显示"
    if name == "MemoryError":
        return "排版需要的内存过多，已停止，按纯文本显示"
    return f"排版时出错（{name}），按纯文本显示"
