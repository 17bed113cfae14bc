"""Markdown from project folders → safe HTML.

Folders come from many schools; their Markdown may hold any HTML. It is rendered
on its own and cleaned by nh3 (Ammonia), so no script, event handler,
`javascript:` URL or foreign iframe reaches the site.
"""

from __future__ import annotations

import functools

import markdown
import nh3

EXTENSIONS = [
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

_TAGS = nh3.ALLOWED_TAGS | {
    "figure", "figcaption", "mark", "ins", "del", "sub", "sup", "u", "s", "small",
    "details", "summary", "section", "div", "span", "img", "table", "thead", "tbody",
    "tfoot", "tr", "th", "td", "caption", "colgroup", "col", "hr", "br", "abbr", "dl", "dt", "dd",
}
_COMMON = {"class", "id", "title", "lang", "dir"}
_ATTRS = {
    "*": _COMMON,
    "a": _COMMON | {"href", "name"},
    "img": _COMMON | {"src", "alt", "width", "height", "loading"},
    "td": _COMMON | {"colspan", "rowspan", "align"},
    "th": _COMMON | {"colspan", "rowspan", "align", "scope"},
    "col": _COMMON | {"span"},
    "ol": _COMMON | {"start", "type", "reversed"},
    "li": _COMMON | {"value"},
    "details": _COMMON | {"open"},
    "abbr": _COMMON,
}


def clean(html: str) -> str:
    """Remove scripts, handlers, dangerous URLs and unknown tags; keep formatting."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRS,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@functools.lru_cache(maxsize=4)
def _slugify():
    from pymdownx.slugs import slugify

    return slugify(case="lower")


def render_markdown(text: str, *, allow_raw_html: bool = False, baselevel: int = 1, id_prefix: str = "") -> str:
    """Render an author's Markdown. Headings start at `baselevel` (under the page's own)."""
    if not text:
        return ""
    md = markdown.Markdown(
        extensions=EXTENSIONS,
        extension_configs={
            "toc": {"baselevel": baselevel, "slugify": _slugify(), "permalink": False,
                    "toc_depth": "2-6"},
            "footnotes": {"UNIQUE_IDS": True},
        },
        output_format="html",
    )
    html = md.convert(text)
    if id_prefix:
        html = html.replace(' id="', f' id="{id_prefix}')
    return html if allow_raw_html else clean(html)
