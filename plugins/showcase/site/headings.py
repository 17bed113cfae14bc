"""The table of contents of a generated page, from its finished HTML.

An author's texts (case bodies, plans, long form fields) are rendered and sanitised on their
own and reach the page as HTML blocks, which MkDocs' `toc` extension does not look into: their
headings had ids but were missing from 目录 and had no permalink. Here every heading of the
page's HTML is collected in document order, ids are made unique across the page, permalinks
are added like the site's `toc` settings add them, and the page's TOC is rebuilt.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from typing import Any

from markdown.extensions.toc import nest_toc_tokens

_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1\s*>", re.S | re.I)
_ID = re.compile(r'\sid="([^"]*)"')
_ANY_ID = re.compile(r'\sid="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
_HEADERLINK = re.compile(r'<a\b[^>]*class="[^"]*\bheaderlink\b[^"]*"[^>]*>.*?</a>', re.S)


def _depth(value: Any) -> tuple[int, int]:
    """`toc_depth` as (top, bottom): 6, "2-6" or "3"."""
    if isinstance(value, str) and "-" in value:
        top, bottom = value.split("-", 1)
        return int(top), int(bottom)
    return 1, int(value or 6)


def complete_toc(
    html: str,
    *,
    slugify: Callable[[str, str], str],
    permalink: bool | str = False,
    permalink_title: str = "本节链接",
    permalink_class: str = "headerlink",
    toc_depth: Any = 6,
) -> tuple[str, list[dict]]:
    """Every heading of `html` gets a unique id (and a permalink when `permalink` is set).

    Returns the new HTML and nested TOC tokens ({level, id, name, children}) as
    Python-Markdown's `toc` extension makes them, for `mkdocs.structure.toc.get_toc`.
    """
    headings = list(_HEADING.finditer(html))
    own_ids = {m.start(): _ID.search(m.group(2)) for m in headings}
    # ids of everything that is not a heading are taken
    taken = {m.group(1) for m in _ANY_ID.finditer(html)}
    for found in own_ids.values():
        if found:
            taken.discard(found.group(1))
    top, bottom = _depth(toc_depth)
    symbol = "&para;" if permalink is True else str(permalink or "")
    tokens: list[dict] = []
    out: list[str] = []
    last = 0
    for m in headings:
        level, attrs, inner = int(m.group(1)), m.group(2), m.group(3)
        text = _TAG.sub("", _HEADERLINK.sub("", inner)).strip()
        found = own_ids[m.start()]
        wanted = found.group(1) if found else slugify(html_lib.unescape(text), "-") or "section"
        anchor, n = wanted, 0
        while anchor in taken:
            n += 1
            anchor = f"{wanted}_{n}"
        taken.add(anchor)
        if found:
            attrs = attrs[: found.start()] + f' id="{anchor}"' + attrs[found.end() :]
        else:
            attrs = f' id="{anchor}"' + attrs
        if permalink and not _HEADERLINK.search(inner):
            inner += (
                f'<a class="{permalink_class}" href="#{html_lib.escape(anchor)}" '
                f'title="{html_lib.escape(permalink_title)}">{symbol}</a>'
            )
        out.append(html[last : m.start()])
        out.append(f"<h{level}{attrs}>{inner}</h{level}>")
        last = m.end()
        if top <= level <= bottom and text:
            tokens.append({"level": level, "id": anchor, "name": text})
    out.append(html[last:])
    return "".join(out), nest_toc_tokens(tokens)


def page_toc(html: str, mdx_toc: dict) -> tuple[str, list[dict]]:
    """`complete_toc` with the site's `markdown_extensions: toc` settings."""
    slugify = mdx_toc.get("slugify")
    if slugify is None:
        from markdown.extensions.toc import slugify as default_slugify

        slugify = default_slugify
    return complete_toc(
        html,
        slugify=slugify,
        permalink=mdx_toc.get("permalink", False),
        permalink_title=mdx_toc.get("permalink_title", "本节链接"),
        permalink_class=mdx_toc.get("permalink_class", "headerlink"),
        toc_depth=mdx_toc.get("toc_depth", 6),
    )
