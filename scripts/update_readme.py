"""Regenerate what is generated from one source: the README's field and option references,
and the authors' guide that `showcase init` ships (a copy of docs/guide.md)."""

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

# `showcase init` ships the authors' guide as package data: the same text as docs/guide.md
root = readme.parent
guide = root / "docs" / "guide.md"
shipped = root / "plugins" / "showcase" / "site_template" / "docs" / "guide.md"
shipped.write_text(guide.read_text(encoding="utf-8"), encoding="utf-8")
print(f"{shipped.relative_to(root)} updated")
