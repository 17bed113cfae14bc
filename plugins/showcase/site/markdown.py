"""Markdown from project folders → safe HTML.

Folders come from many schools; their Markdown may hold any HTML. It is rendered
on its own and cleaned by nh3 (Ammonia), so no script, event handler,
`javascript:` URL or foreign iframe reaches the site.
"""

from __future__ import annotations

import functools
import json
import re

import markdown
import nh3
from markupsafe import Markup, escape

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


@functools.lru_cache(maxsize=4)
def _slugify():
    from pymdownx.slugs import slugify

    return slugify(case="lower")


@functools.lru_cache(maxsize=8)
def _converter_for(baselevel: int) -> markdown.Markdown:
    return markdown.Markdown(
        extensions=EXTENSIONS,
        extension_configs={
            "toc": {
                "baselevel": baselevel,
                "slugify": _slugify(),
                "permalink": False,
                "toc_depth": "2-6",
            },
            "footnotes": {"UNIQUE_IDS": True},
        },
        output_format="html",
    )


def _converter(baselevel: int) -> markdown.Markdown:
    """A reset converter: building one per text was a visible share of a large build."""
    return _converter_for(baselevel).reset()


_ATX = re.compile(r"^(#{1,6})[ \t]+\S", re.M)


def render_markdown(
    text: str, *, allow_raw_html: bool = False, baselevel: int = 1, id_prefix: str = ""
) -> str:
    """Render an author's Markdown. Headings start at `baselevel` (under the page's own)."""
    if not text:
        return ""
    # Authors start their own headings at any level; the topmost one goes to `baselevel`.
    levels = [len(m.group(1)) for m in _ATX.finditer(text)]
    if levels:
        baselevel = max(1, baselevel - (min(levels) - 1))
    md = _converter(baselevel)
    html = md.convert(text)
    if id_prefix:
        html = html.replace(' id="', f' id="{id_prefix}')
    return html if allow_raw_html else clean(html)


# --- plain text from folders inside generated pages ------------------------------------
# Jinja autoescaping covers HTML contexts; these filters cover the three others a
# generated page has: its YAML front matter (MkDocs and Material print `title` and
# `description` into <title>/<meta> without escaping), Markdown headings, and
# attributes that GLightbox later inserts as HTML.

_MD_ESCAPE = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def _plain_line(value: object) -> str:
    text = re.sub(r"\s+", " ", "" if value is None else str(value)).strip()
    # YAML refuses control characters and lone surrogates; nothing visible is lost
    return "".join(ch for ch in text if ch.isprintable())


def meta_value(value: object, limit: int | None = None) -> Markup:
    """A front-matter value: one line, HTML-escaped, as a JSON string (valid YAML, emoji kept)."""
    text = _plain_line(value)
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return Markup(json.dumps(str(escape(text)), ensure_ascii=False))


def meta_title(value: object) -> Markup:
    """A page title for front matter. Material prints titles raw only as element text and
    escapes them itself inside attributes, so quotes stay quotes (no `&#34;` read aloud)."""
    text = _plain_line(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(json.dumps(text, ensure_ascii=False))


def md_heading(value: object) -> Markup:
    """Text for a Markdown heading line: one line, Markdown syntax and HTML escaped."""
    return Markup(escape(_MD_ESCAPE.sub(r"\\\1", _plain_line(value))))


def lightbox_text(value: object) -> Markup:
    """An attribute GLightbox copies into innerHTML: escaped twice, so it stays text."""
    return Markup(escape(str(escape(_plain_line(value)))))


TEMPLATE_FILTERS = {
    "meta": meta_value,
    "meta_title": meta_title,
    "heading": md_heading,
    "lightbox": lightbox_text,
}
