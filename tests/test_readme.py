"""The README's field reference is generated from the one field table."""

from conftest import ROOT
from showcase.core.fields import markdown_table


def test_readme_field_table_matches_fields() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("<!-- fields:start -->") + len("<!-- fields:start -->")
    end = text.index("<!-- fields:end -->")
    assert text[start:end].strip() == markdown_table().strip()
