"""Where every generated page lives: source paths, URLs and relative links (no MkDocs)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from ..core.model import Project
from ..core.settings import Settings

PLACEHOLDER_DIR = "assets/showcase/placeholder"
"""Generated logo placeholders (a project without a usable logo)."""
HOME_SRC = "index.md"
REGISTRY_SRC = "registry.md"
STATISTICS_SRC = "statistics.md"
DISTRICTS_SRC = "districts.md"
REVIEW_SRC = "review.md"
SITE_URL_NOTICE = (  # said by the build and the exports when site_url is missing
    "mkdocs.yml 里没有填写 site_url（栏目在学校网站上的地址）：网站照常生成，"
    "但登记表里的“展示专栏首页地址”只能写成本站内的路径（如 /projects/xxx/），不是完整网址，"
    "区里无法直接点开；分享图片和嵌入代码也没有完整地址。"
    "发布前请在 mkdocs.yml 中加一行，例如 site_url: https://www.学校网址.edu.cn/dangjian/"
)
EMBED_PATH = "embed/index.html"
"""/embed/: a standalone HTML list for a CMS column's `<iframe>` (not a MkDocs page)."""
EMBED_SRC = "embed/index.md"
"""The address the page renderer computes relative URLs from (/embed/ or embed/index.html)."""


def page_url(src_uri: str, use_directory_urls: bool) -> str:
    """The site path MkDocs gives a Markdown source (same rule as mkdocs.structure.files)."""
    stem = src_uri[: -len(".md")] if src_uri.endswith(".md") else src_uri
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative_url(target: str, from_url: str) -> str:
    """`target` (a site path) as seen from the page at `from_url`."""
    base = (
        from_url
        if (from_url.endswith("/") or from_url == "")
        else posixpath.dirname(from_url) + "/"
    )
    rel = posixpath.relpath("/" + target, "/" + base)
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    if rel == "./":
        rel = "./"
    return rel


@dataclass
class GeneratedPage:
    src_uri: str
    content: str
    kind: str = "page"
    project: Project | None = None
    source: Path | None = None
    """The author's file behind the page (project.yml, a case's .md …), for findings."""
    yields: bool = False
    """A hand-written page at the same path wins (home, statistics, districts, review)."""


@dataclass
class SiteLinks:
    """Where every generated page lives."""

    settings: Settings
    use_directory_urls: bool = True
    site_url: str = ""

    def project_src(self, project: Project, part: str = "", slug: str = "") -> str:
        base = f"{self.settings.url_prefix.strip('/')}/{project.slug}".lstrip("/")
        return f"{base}/{part}/{slug}.md" if part else f"{base}/index.md"

    def url(self, src_uri: str) -> str:
        return page_url(src_uri, self.use_directory_urls)

    def absolute(self, src_uri: str) -> str:
        """Full address when site_url is set, else the site path."""
        path = self.url(src_uri)
        return (self.site_url.rstrip("/") + "/" + path) if self.site_url else "/" + path

    def homepage(self, project: Project) -> str:
        return project.get("homepage") or self.absolute(self.project_src(project))
