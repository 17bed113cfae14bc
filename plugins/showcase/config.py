"""The plugin's options in mkdocs.yml: declared here once, each documented.

The plugin validates them through MkDocs; the command line loads mkdocs.yml through
MkDocs too (`showcase.commands.site_config`), so both accept and refuse the same.
The library receives them as a `Settings` made by `make_settings`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from .core.budgets import BUDGET_NAMES
from .core.settings import Settings

GUIDE = "guide.md"
"""The authors' guide in docs_dir, where `showcase init` puts it (see `publish_guide`)."""


class ShowcaseConfig(Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off (e.g. for a quick preview of hand-written pages only)."""
    sources = c.ListOfItems(c.Type((str, dict)), default=["projects"])
    """Folders of project folders, single project folders, .zip submissions, or git URLs
    (`{git: URL, ref: main}`)."""
    url_prefix = c.Type(str, default="projects")
    """Project pages live under `/<url_prefix>/<slug>/`."""
    title = c.Type(str, default="党建精品项目展示专栏")
    """Title of the generated home page."""
    summary_max_chars = c.Type(int, default=200)
    """Word-counted limit of the brief (精品项目简介)."""
    publish_personal = c.Type(bool, default=False)
    """Publish the project lead and a masked phone number."""
    strict_privacy = c.Type(bool, default=False)
    """Refuse to publish appendix files whose hidden data cannot be removed (.doc, .xls,
    .ppt, .wps, videos, archives); without it they are published with a warning."""
    self_contained = c.Type(bool, default=True)
    """No Google Fonts, no CDN: every asset local; a page that would fetch from another
    host is an error."""
    wechat_snippet = c.Optional(c.Type(str))
    """An HTML file (e.g. the school's WeChat JS-SDK sharing code) put into every page's
    `<head>`; relative to mkdocs.yml; exempt from the self_contained check."""
    allow_raw_html = c.Type(bool, default=False)
    """Trust the folders' HTML (a single school's own site): skip the sanitiser."""
    cache_dir = c.Type(str, default=".cache/showcase")
    """Derived images, cleaned appendix files and fetched sources, kept between builds."""
    publish_guide = c.Type(bool, default=False)
    """Publish the authors' guide (`docs/guide.md`, which `showcase init` writes) as a page
    of the site, in navigation, sitemap and search. Off: the site is the column only and the
    guide stays with the authors, as the file and as 作者指南 in `showcase edit`."""
    review_page = c.Type(bool, default=False)
    """Put the office's review page (/review/) in navigation and search."""
    nav_projects_max = c.Type(int, default=12)
    """Project homepages are listed in the global navigation only up to this many."""
    max_zip_mb = c.Type(int, default=200)
    """Zip submissions larger than this (the file, or its contents unpacked) are refused."""
    git_timeout = c.Type(int, default=300)
    """Seconds a git clone or fetch of a source may take before it is abandoned."""
    search_engine = c.Choice(("pagefind", "material"), default="pagefind")
    """Reader search of the served site: Pagefind's chunked index, or Material's own."""
    search_engine = c.Choice(("pagefind", "material"), default="pagefind")
    """Reader search of the served site: Pagefind's chunked index (a few kilobytes per
    query), or Material's own (one index of the whole site); the offline zip always
    uses Material's."""
    jobs = c.Optional(c.Type(int))
    """Image worker processes; default: all cores."""
    budgets = c.DictOfItems(c.Type((int, float)), default={})
    """What one school's folder may cost a build (time per image job, decoded megapixels,
    Markdown bytes and seconds per school); see `core/budgets.py` for the names and defaults.
    Past a budget the school's remaining items become findings; the other schools build."""

    def validate(self):
        failed, warnings = super().validate()
        unknown = sorted(str(k) for k in (self.get("budgets") or {}) if k not in BUDGET_NAMES)
        if unknown:
            failed.append(
                (
                    "budgets",
                    c.ValidationError(
                        f"unknown budgets: {', '.join(unknown)} (known: {', '.join(BUDGET_NAMES)})"
                    ),
                )
            )
        return failed, warnings


def make_settings(
    config: ShowcaseConfig | dict[str, Any],
    *,
    config_file: str | Path | None = None,
    site_url: str = "",
    theme_dirs: Iterable[str] = (),
) -> Settings:
    """The library's view of validated options; paths are taken from mkdocs.yml's folder."""
    base = Path(config_file).resolve().parent if config_file else Path.cwd()
    return Settings(
        dict(config), base_dir=base, site_url=site_url or "", theme_dirs=tuple(theme_dirs)
    )


def validate_options(options: dict[str, Any]) -> tuple[ShowcaseConfig, list[str]]:
    """Options as written in mkdocs.yml → the validated config and its errors (MkDocs' words)."""
    config = ShowcaseConfig()
    config.load_dict(dict(options))
    errors, _warnings = config.validate()
    return config, [f"{name}: {error}" for name, error in errors]


def default_settings(**options: Any) -> Settings:
    """Settings without a mkdocs.yml: the declared defaults, with `options` changed.

    `base_dir` and `site_url` may be given too. Raises ValueError on an invalid option.
    """
    place = {k: options.pop(k) for k in ("base_dir", "site_url") if k in options}
    config, errors = validate_options(options)
    if errors:
        raise ValueError("; ".join(errors))
    return Settings(
        dict(config), base_dir=place.get("base_dir", Path.cwd()), site_url=place.get("site_url", "")
    )


def options_table() -> str:
    """The README's option reference, made from the docstrings above (a test keeps them equal)."""
    import ast
    import inspect
    import json

    tree = ast.parse(inspect.getsource(ShowcaseConfig))
    body = tree.body[0].body
    rows = ["| option | default | what it does |", "|---|---|---|"]
    for node, after in zip(body, [*body[1:], None], strict=True):
        if not isinstance(node, ast.Assign) or not isinstance(after, ast.Expr):
            continue
        name = node.targets[0].id
        default = ShowcaseConfig._schema[[n for n, _ in ShowcaseConfig._schema].index(name)][
            1
        ].default
        shown = "—" if default is None else json.dumps(default, ensure_ascii=False)
        text = " ".join(str(after.value.value).split())
        rows.append(f"| `{name}` | `{shown}` | {text} |")
    return "\n".join(rows)
