"""The plugin's options in mkdocs.yml, each documented (mirrors `settings.Settings`)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class ShowcaseConfig(Config):
    sources = c.ListOfItems(c.Type((str, dict)), default=["projects"])
    """Folders of project folders, single project folders, .zip submissions, or git URLs."""
    url_prefix = c.Type(str, default="projects")
    """Project pages live under /<url_prefix>/<slug>/."""
    title = c.Type(str, default="党建精品项目展示专栏")
    """Title of the generated home page."""
    summary_max_chars = c.Type(int, default=200)
    """Word-counted limit of the brief (精品项目简介)."""
    publish_personal = c.Type(bool, default=False)
    """Publish the project lead and a masked phone number."""
    self_contained = c.Type(bool, default=True)
    """No Google Fonts, no CDN: every asset local."""
    wechat_snippet = c.Optional(c.Type(str))
    """An HTML file (e.g. the school's WeChat JS-SDK sharing code) put into every page's <head>."""
    allow_raw_html = c.Type(bool, default=False)
    """Trust the folders' HTML (a single school's own site): skip the sanitiser."""
    cache_dir = c.Type(str, default=".cache/showcase")
    """Derived images and fetched sources, kept between builds."""
    review_page = c.Type(bool, default=False)
    """Put the office's review page (/review/) in navigation and search."""
    nav_projects_max = c.Type(int, default=12)
    """Project homepages are listed in the global navigation only up to this many."""
    max_zip_mb = c.Type(int, default=200)
    """Zip submissions larger than this are refused."""
    git_timeout = c.Type(int, default=300)
    """Seconds a git clone or fetch of a source may take before it is abandoned."""
    search_engine = c.Choice(("pagefind", "material"), default="pagefind")
    """Reader search of the served site: Pagefind's chunked index, or Material's own."""
    jobs = c.Optional(c.Type(int))
    """Image worker processes; default: all cores."""
