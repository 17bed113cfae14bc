"""The form, made from the one field table (`fields.FIELDS`), and the brief's live counter.

Nothing here lists a field: widgets follow each field's type, labels and help its
table entry, so a field added to the table appears in the editor by itself.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass

from ...core import textutil
from ...core.fields import FIELDS, Field, FieldType

WIDGETS = {
    FieldType.TEXT: "text",
    FieldType.INTEGER: "integer",
    FieldType.URL: "url",
    FieldType.FILE: "logo",
    FieldType.MARKDOWN: "markdown",
    FieldType.INDICATORS: "indicators",
    FieldType.OPINION: "opinion",
    FieldType.LIST: "list",
    FieldType.SLUG: "slug",
}
COUNTED = "summary"
"""The field counted in Word's 字数 against `summary_max_chars` (the registry's limit)."""


@dataclass(frozen=True)
class FormField:
    field: Field
    widget: str
    section: str

    @property
    def key(self) -> str:
        return self.field.key

    @property
    def label(self) -> str:
        return self.field.heading

    @property
    def other_labels(self) -> list[str]:
        return [n for n in self.field.labels if n != self.label]

    @property
    def counted(self) -> bool:
        return self.key == COUNTED


def form_fields() -> list[FormField]:
    """Every field in the table's order: the 申报表's own first, then the registry's and the site's."""
    out = []
    for f in FIELDS:
        widget = "textarea" if f.key == COUNTED else WIDGETS[f.type]
        out.append(FormField(f, widget, "form" if f.form_label else "site"))
    return out


SECTIONS = {
    "form": "申报表",
    "site": "登记表与网站",
}


@functools.lru_cache(maxsize=1)
def _python_whitespace() -> str:
    """Every character Python's `\\s` matches in a str pattern (JavaScript's `\\s` differs)."""
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


def _js_class(chars: str) -> str:
    """A Python character-class body as a JavaScript (`u` flag) one: each character escaped."""
    return "".join("-" if c == "-" else f"\\u{{{ord(c):x}}}" for c in chars)


def word_count_patterns() -> tuple[str, str]:
    """textutil's token pattern and Python's white space, for JavaScript's RegExp(…, 'u').

    `word_count` drops tokens that are white space (U+3000 is in the CJK block); the
    browser does the same with the second pattern.
    """
    asian = _js_class(textutil.ASIAN_CHARS)
    space = "".join(f"\\u{{{ord(c):x}}}" for c in _python_whitespace())
    return f"[{asian}]|[^{space}{asian}]+", f"^[{space}]+$"
