"""The conversion itself: an author's Markdown → HTML, with our extensions, cleaned by nh3.

Runs in a markdown worker (`mdpool`) or in-process. Footnote ids carry a per-converter
counter (`fn:3-1`) that Python-Markdown increments on each reset; the counter is kept
in the parent, per heading level, and sent with each text, so ids never collide
between workers.
"""

from __future__ import annotations

import re
from typing import Any

import nh3

_TAGS = nh3.ALLOWED_TAGS | {
    "figure",
    "figcaption",
    "mark",
    "ins",
    "del",
    "sub",
    "sup",
    "u",
    "s",
    "small",
    "details",
    "summary",
    "section",
    "div",
    "span",
    "img",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "colgroup",
    "col",
    "hr",
    "br",
    "abbr",
    "dl",
    "dt",
    "dd",
}
_COMMON = {"class", "id", "title", "lang", "dir"}
_ATTRS = {
    "*": _COMMON,
    "a": _COMMON | {"href", "name"},
    "img": _COMMON | {"src", "alt", "width", "height", "loading"},
    "td": _COMMON | {"colspan", "rowspan", "align", "style"},
    "th": _COMMON | {"colspan", "rowspan", "align", "scope", "style"},
    "col": _COMMON | {"span"},
    "ol": _COMMON | {"start", "type", "reversed"},
    "li": _COMMON | {"value"},
    "details": _COMMON | {"open"},
    "abbr": _COMMON,
    "span": _COMMON | {"style"},
    "p": _COMMON | {"style"},
    "div": _COMMON | {"style"},
}
# Colour and alignment from Word pastes are harmless; layout properties
# (position, display, url(...) backgrounds) are what overlays and tracking need.
_STYLES = {
    "color",
    "background-color",
    "text-align",
    "font-weight",
    "font-style",
    "text-decoration",
}


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    # Material finds its own elements by ids starting with "__" (__config, __search …):
    # an author's element with such an id would take their place.
    if attr == "id" and value.startswith("__"):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    attributes=_ATTRS,
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel="noopener noreferrer",
    strip_comments=True,
    filter_style_properties=_STYLES,
    attribute_filter=_attribute_filter,
)


def clean(html: str) -> str:
    """Remove scripts, handlers, dangerous URLs, iframes and unknown tags; keep formatting."""
    return _CLEANER.clean(html)


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
"""Python-Markdown extensions of every author text."""


def extension_configs(baselevel: int) -> dict[str, dict[str, Any]]:
    """Their configuration at one heading level."""
    from pymdownx.slugs import slugify

    return {
        "toc": {
            "baselevel": baselevel,
            "slugify": slugify(case="lower"),
            "permalink": False,
            "toc_depth": "2-6",
        },
        "footnotes": {"UNIQUE_IDS": True},
    }


_ATX = re.compile(r"^(#{1,6})[ \t]+\S", re.M)


def heading_baselevel(text: str, baselevel: int) -> int:
    """Authors start their own headings at any level; the topmost one goes to `baselevel`
    (the rule of `sanitize.render_markdown`)."""
    levels = [len(m.group(1)) for m in _ATX.finditer(text)]
    if levels:
        return max(1, baselevel - (min(levels) - 1))
    return baselevel


_converters: dict[int, Any] = {}


_initial_prefix: dict[int, int] = {}


def converter(baselevel: int) -> Any:
    md = _converters.get(baselevel)
    if md is None:
        import markdown

        md = markdown.Markdown(
            extensions=EXTENSIONS,
            extension_configs=extension_configs(baselevel),
            output_format="html",
        )
        _converters[baselevel] = md
        _initial_prefix[baselevel] = _footnotes(md).unique_prefix
    return md


def _footnotes(md: Any) -> Any:
    return next(e for e in md.registeredExtensions if type(e).__name__ == "FootnoteExtension")


def render_here(text: str, allow_raw_html: bool, baselevel: int, id_prefix: str, nth: int) -> str:
    """The conversion itself; `nth` is how many texts this heading level rendered before."""
    md = converter(baselevel)
    md.reset()
    # what the nth reset of one long-lived converter would have made (see module doc)
    _footnotes(md).unique_prefix = _initial_prefix[baselevel] + nth + 1
    try:
        out = md.convert(text)
    except BaseException:
        _converters.pop(baselevel, None)  # a converter interrupted mid-way is not reused
        raise
    if id_prefix:
        out = out.replace(' id="', f' id="{id_prefix}')
    if allow_raw_html:
        return out
    return clean(out)
