"""Build settings shared by the plugin and the command line (no MkDocs here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Settings:
    sources: list = field(default_factory=lambda: ["projects"])
    url_prefix: str = "projects"
    title: str = "党建精品项目展示专栏"
    summary_max_chars: int = 200
    publish_personal: bool = False
    self_contained: bool = True
    wechat_snippet: str | None = None
    """HTML file put into every page's <head> (relative to mkdocs.yml); exempt from the self_contained check."""
    allow_raw_html: bool = False
    cache_dir: Path = Path(".cache/showcase")
    review_page: bool = False
    nav_projects_max: int = 12
    """Project homepages appear in the global navigation only while there are at most this many."""
    max_zip_mb: int = 200
    """Zip submissions larger than this (the file, or its contents unpacked) are refused."""
    git_timeout: int = 300
    """Seconds a git clone or fetch of a source may take before it is abandoned."""
    search_engine: str = "pagefind"
    """pagefind: chunked index fetched per query; material: Material's one search_index.json."""
    jobs: int | None = None
    """Worker processes for images; None = all cores."""
    base_dir: Path = Path(".")
    """Relative sources and cache_dir are taken from here (the mkdocs.yml folder)."""
    site_url: str = ""
    """The site's `site_url` (command line exports use it for absolute homepage addresses)."""

    def resolve(self, path: str | Path) -> Path:
        path = Path(path)
        return path if path.is_absolute() else (self.base_dir / path)
