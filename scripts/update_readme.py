"""Regenerate the README's generated references: the fields (core/fields.py) and the
plugin's options (config.py)."""

from pathlib import Path

from showcase.config import options_table
from showcase.core.fields import markdown_table

readme = Path(__file__).resolve().parent.parent / "README.md"
text = readme.read_text(encoding="utf-8")
for name, table in (("fields", markdown_table()), ("options", options_table())):
    start = text.index(f"<!-- {name}:start -->") + len(f"<!-- {name}:start -->")
    end = text.index(f"<!-- {name}:end -->")
    text = text[:start] + "\n" + table + "\n" + text[end:]
readme.write_text(text, encoding="utf-8")
print("README.md updated")
