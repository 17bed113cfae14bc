"""Regenerate the README's field reference from plugins/showcase/fields.py."""

from pathlib import Path

from showcase.core.fields import markdown_table

readme = Path(__file__).resolve().parent.parent / "README.md"
text = readme.read_text(encoding="utf-8")
start = text.index("<!-- fields:start -->") + len("<!-- fields:start -->")
end = text.index("<!-- fields:end -->")
readme.write_text(text[:start] + "\n" + markdown_table() + "\n" + text[end:], encoding="utf-8")
print("README.md updated")
