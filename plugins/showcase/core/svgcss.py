"""CSS inside SVG logos, read with a real tokenizer (tinycss2): nothing that loads survives.

Patterns over CSS text missed escapes: `fill:u\\72l(http://…)` is `url(…)` to a browser
and chromium fetched it. tinycss2 tokenizes as the CSS Syntax spec says (escapes
decoded, comments and strings understood), and we keep only what cannot load a
resource: every at-rule goes (`@import`, `@font-face`, `@namespace` …: a logo needs
none), and a declaration goes when any of its tokens, at any depth, is a `url()` not
pointing inside the document (`#id`), a resource function (`image-set()`, `image()`,
`cross-fade()`, `element()`, `src()`, `expression()`), or when its property is an
old binding (`behavior`, `-moz-binding`). What is kept is written back by tinycss2's
serializer, so the output is what was parsed, not the author's spelling.
"""

from __future__ import annotations

from collections.abc import Iterable

import tinycss2

__all__ = ["clean_declarations", "clean_stylesheet", "clean_value", "has_filter"]

_LOADING_FUNCTIONS = frozenset(
    {
        "url",
        "src",
        "image",
        "image-set",
        "-webkit-image-set",
        "cross-fade",
        "-webkit-cross-fade",
        "element",
        "-moz-element",
        "expression",
    }
)
_BAD_PROPERTIES = frozenset({"behavior", "-moz-binding", "binding"})


def _local_url(value: str) -> bool:
    return value.strip().startswith("#")


def _safe_tokens(tokens: Iterable) -> bool:
    """No token, at any depth, can load something outside the document."""
    for token in tokens:
        kind = token.type
        if kind == "url":
            if not _local_url(token.value):
                return False
        elif kind == "function":
            if token.lower_name in _LOADING_FUNCTIONS:
                args = [t for t in token.arguments if t.type not in ("whitespace", "comment")]
                local = (
                    token.lower_name == "url"
                    and len(args) == 1
                    and args[0].type == "string"
                    and _local_url(args[0].value)
                )
                if not local:
                    return False
            elif not _safe_tokens(token.arguments):
                return False
        elif kind in ("() block", "[] block", "{} block"):
            if not _safe_tokens(token.content):
                return False
        elif kind == "error" or (
            kind == "ident" and token.lower_value.startswith(("javascript", "expression"))
        ):
            return False
    return True


def _declarations(nodes: Iterable) -> list[str]:
    kept = []
    for node in nodes:
        if node.type != "declaration":
            continue  # at-rules and parse errors inside a block go
        if node.lower_name in _BAD_PROPERTIES or not _safe_tokens(node.value):
            continue
        value = tinycss2.serialize(node.value).strip()
        kept.append(f"{node.name}:{value}{' !important' if node.important else ''}")
    return kept


def clean_declarations(text: str) -> str:
    """A `style="…"` attribute: the declarations that load nothing."""
    nodes = tinycss2.parse_blocks_contents(text, skip_comments=True, skip_whitespace=True)
    return ";".join(_declarations(nodes))


def clean_stylesheet(text: str) -> str:
    """A `<style>` element: its plain rules with their safe declarations; no at-rules."""
    out = []
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule" or not _safe_tokens(rule.prelude):
            continue
        body = _declarations(
            tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
        )
        if body:
            out.append(f"{tinycss2.serialize(rule.prelude).strip()}{{{';'.join(body)}}}")
    return "\n".join(out)


def clean_value(text: str) -> str | None:
    """A presentation attribute's value (`fill="url(#g)"`): kept when it loads nothing."""
    tokens = tinycss2.parse_component_value_list(text, skip_comments=True)
    return text if _safe_tokens(tokens) else None


def has_filter(text: str, *, stylesheet: bool) -> bool:
    """A `filter` declaration in a style attribute or sheet (for the cost bounds in `svgcost`)."""
    if "filter" not in text.lower():
        return False
    if stylesheet:
        rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
        nodes = [
            n
            for r in rules
            if r.type == "qualified-rule"
            for n in tinycss2.parse_blocks_contents(r.content, skip_whitespace=True)
        ]
    else:
        nodes = tinycss2.parse_blocks_contents(text, skip_comments=True, skip_whitespace=True)
    return any(n.type == "declaration" and n.lower_name == "filter" for n in nodes)
