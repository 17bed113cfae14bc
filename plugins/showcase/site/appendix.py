"""A case's 重要资料附录 on its page: the heading the author already wrote is used, not
repeated."""

from __future__ import annotations

import re

_NUMBERING = r"(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|\d{1,2}\s*[、.．])?"
_NAMES = r"(?:重要资料附录|重要资料|资料附录|附录材料|相关附件|附件材料|附录|附件|附\s*[：:]?\s*重要资料)"
_SUBJECT = r"(?:[一二三四五六七八九十]{1,3}\s*[、.．]|\d{1,2}\s*[、.．])\s*[^\n。！？!?]{1,60}?的"
"""`五、“争做名师”主题活动的` before 重要资料附录: only after a section number, so a sentence
such as 详见本案例的附件 is never taken for the heading."""
_HEADING = re.compile(
    rf"^[ \t]*(?:#{{1,6}}[ \t]*)?(?P<star>\*\*|__)?[ \t]*(?P<text>(?:{_SUBJECT}|{_NUMBERING})\s*{_NAMES}\s*(?:清单|目录|列表)?)"
    rf"[ \t]*(?P=star)?[ \t]*[：:。.]?[ \t]*(?P=star)?[ \t]*#*[ \t]*$",
    re.M,
)


_NAMED_HEADING = re.compile(
    rf"^[ \t]*#{{1,6}}[ \t]+(?P<text>[^\n]{{0,80}}?{_NAMES})[ \t]*[。.：:]?[ \t]*#*[ \t]*$", re.M
)
"""A Markdown heading that ends with the appendix's name: `## 五、“…”主题活动的重要资料附录。`."""


def split_appendix(body: str) -> tuple[str, str, str]:
    """(text before, the author's appendix heading, text after it); the heading is ''
    when the author wrote none, and the page then titles the section 重要资料附录."""
    matches = list(_HEADING.finditer(body or "")) + list(_NAMED_HEADING.finditer(body or ""))
    matches.sort(key=lambda m: m.start())
    if not matches:
        return body or "", "", ""
    m = matches[-1]  # the appendix closes a case: its last such line
    heading = re.sub(r"\s+", " ", m.group("text")).strip()
    return body[: m.start()].rstrip() + "\n", heading, body[m.end() :].strip("\n")
