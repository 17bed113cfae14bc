"""The Jinja environment for pages and reports rendered outside MkDocs' own templates.

Its loader looks in the theme's folders first (a site's `custom_dir`), then in the
package's `templates/`: the site build and the command line's reports use the same
chain, so a school's override reaches both.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import jinja2

from . import markdown

TEMPLATE_DIR = Path(__file__).parent.parent / "templates"


def template_env(extra_dirs: Iterable[str | Path] = ()) -> jinja2.Environment:
    """`extra_dirs` (the theme's folders, custom_dir first) before our own templates."""
    dirs = [str(d) for d in extra_dirs if Path(d).resolve() != TEMPLATE_DIR.resolve()]
    loader = jinja2.FileSystemLoader([*dirs, str(TEMPLATE_DIR)])
    env = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "md"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # |meta for front matter, |heading for "# …" lines, |lightbox for data-description
    env.filters.update(markdown.TEMPLATE_FILTERS)
    return env
