"""Markdown from project folders → safe HTML.

Folders come from many schools; their Markdown may hold any HTML. It is rendered
on its own and cleaned by nh3 (Ammonia), so no script, event handler,
`javascript:` URL or foreign iframe reaches the site.
"""

from __future__ import annotations

import json
import re

from markupsafe import Markup, escape

from . import mdpool
from .mdbudget import Rendered
from .mdrender import clean  # noqa: F401 - the sanitiser, for callers of this module


def render_text(
    text: str,
    *,
    allow_raw_html: bool = False,
    baselevel: int = 1,
    id_prefix: str = "",
    max_seconds: float | None = None,
) -> Rendered:
    """Render an author's Markdown within its budget (`mdbudget`, `mdpool`).

    Headings start at `baselevel` (under the page's own). When the text is past its
    budget, `ok` is False and `html` is the text as escaped paragraphs. `max_seconds`
    lowers the time limit (what is left of the school's budget)."""
    if not text:
        return Rendered("")
    return mdpool.render(
        text,
        allow_raw_html=allow_raw_html,
        baselevel=baselevel,
        id_prefix=id_prefix,
        max_seconds=max_seconds,
    )


def render_markdown(
    text: str, *, allow_raw_html: bool = False, baselevel: int = 1, id_prefix: str = ""
) -> str:
    """The HTML of `render_text` (the escaped plain text when past the budget)."""
    return render_text(
        text, allow_raw_html=allow_raw_html, baselevel=baselevel, id_prefix=id_prefix
    ).html


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
