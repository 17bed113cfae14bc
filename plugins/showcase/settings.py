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
    allow_raw_html: bool = False
    cache_dir: Path = Path(".cache/showcase")
    review_page: bool = False
    nav_projects_max: int = 12
    """Project homepages appear in the global navigation only while there are at most this many."""
    max_zip_mb: int = 200
    jobs: int | None = None
    """Worker processes for images; None = all cores."""
    base_dir: Path = Path(".")
    """Relative sources and cache_dir are taken from here (the mkdocs.yml folder)."""

    def resolve(self, path: str | Path) -> Path:
        path = Path(path)
        return path if path.is_absolute() else (self.base_dir / path)
