"""The README's references are generated from the one field table and the one config class."""

import pytest
from conftest import ROOT
from showcase.config import options_table
from showcase.core.fields import markdown_table


@pytest.mark.parametrize("name,table", [("fields", markdown_table), ("options", options_table)])
def test_readme_reference_matches_its_source(name, table) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"<!-- {name}:start -->") + len(f"<!-- {name}:start -->")
    end = text.index(f"<!-- {name}:end -->")
    assert text[start:end].strip() == table().strip(), (
        "run: .venv/bin/python scripts/update_readme.py"
    )
