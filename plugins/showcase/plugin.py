"""MkDocs plugin: wires MkDocs events to the build steps in `build.py`. Nothing else."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section

from . import sources
from .build import SiteBuilder, SiteResult, log_findings
from .config import ShowcaseConfig
from .media import MediaProcessor
from .pages import TEMPLATE_DIR
from .settings import Settings

log = logging.getLogger("mkdocs.plugins.showcase")
CSS = "assets/showcase/showcase.css"
CARDS_MARKER = "<!-- showcase:cards -->"


class ShowcasePlugin(BasePlugin[ShowcaseConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.media: MediaProcessor | None = None
        self.result: SiteResult | None = None
        self.builder: SiteBuilder | None = None
        self.command = "build"

    # Defining on_startup keeps this instance (and its caches) across `mkdocs serve` rebuilds.
    def on_startup(self, *, command, dirty) -> None:
        self.command = command

    @event_priority(100)  # before search reads the theme language
    def on_config(self, config):
        base = Path(config.config_file_path or ".").resolve().parent
        opts = dict(self.config)
        self.settings = Settings(**{k: v for k, v in opts.items() if k in Settings.__dataclass_fields__})
        self.settings.base_dir = base
        self.settings.cache_dir = Path(self.config.cache_dir)
        config.theme.dirs.append(str(TEMPLATE_DIR))
        if config.theme.get("language", "en") == "en":
            config.theme["language"] = "zh"
        if self.settings.self_contained:
            config.theme["font"] = False
        if CSS not in config.extra_css:
            config.extra_css.append(CSS)
        toc = config.mdx_configs.setdefault("toc", {})
        if "slugify" not in toc:
            from pymdownx.slugs import slugify

            toc["slugify"] = slugify(case="lower")  # readable Chinese anchors
        cache = self.settings.resolve(self.settings.cache_dir) / "images"
        if self.media is None or self.media.cache_dir != cache:
            self.media = MediaProcessor(cache)
        return config

    def on_files(self, files: Files, *, config) -> Files:
        theme_dirs = [d for d in config.theme.dirs if d != str(TEMPLATE_DIR)]
        self.builder = SiteBuilder(
            self.settings,
            template_dirs=theme_dirs,
            use_directory_urls=config.use_directory_urls,
            site_url=config.site_url or "",
            media=self.media,
        )
        result = self.result = self.builder.build()
        log_findings(result.findings, self.settings.base_dir)
        self._add(files, config, CSS, abs_src_path=str(Path(__file__).parent / "assets" / "showcase.css"))
        for out in result.files:
            if out.source is not None:
                self._add(files, config, out.site_path, abs_src_path=str(out.source))
            else:
                self._add(files, config, out.site_path, content=out.content)
        for page in result.pages:
            self._add(files, config, page.src_uri, content=page.content)
        if files.get_file_from_path("index.md") is None:
            home = self.builder.home_page(result)
            self._add(files, config, home.src_uri, content=home.content)
        registry = self.builder.registry_page(result)
        self._add(files, config, registry.src_uri, content=registry.content)
        return files

    @staticmethod
    def _add(files: Files, config, src_uri: str, **source) -> None:
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, src_uri, **source))

    def on_nav(self, nav: Navigation, *, config, files: Files) -> Navigation:
        """Global navigation: top-level pages only, so a page's size does not grow with the district."""
        if config.nav or self.result is None:
            return nav
        prefix = self.settings.url_prefix.strip("/") + "/"
        top = [item for item in nav.items if not _is_under(item, prefix)]
        published = self.result.published
        if len(published) <= self.settings.nav_projects_max:
            homes = [files.get_file_from_path(self.builder.links.project_src(p)) for p in published]
            pages = [f.page for f in homes if f is not None and f.page is not None]
            if pages:
                section = Section("各支部项目", pages)
                for page in pages:
                    page.parent = section
                top.append(section)
        order = {"index.md": 0, "registry.md": 2, "statistics.md": 3}
        top.sort(key=lambda i: order.get(getattr(getattr(i, "file", None), "src_uri", ""), 1))
        nav.items = top
        return nav

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        if CARDS_MARKER in markdown and self.result and self.result.renderer:
            cards = self.result.renderer.cards(self.result.published, page.file.src_uri)
            markdown = markdown.replace(CARDS_MARKER, "\n" + cards + "\n")
        return markdown

    def on_serve(self, server, *, config, builder):
        for path in sources.watch_paths(self.settings):
            if path.exists():
                server.watch(os.fspath(path))
        return server


def _is_under(item, prefix: str) -> bool:
    file = getattr(item, "file", None)
    if file is not None:
        return file.src_uri.startswith(prefix)
    children = getattr(item, "children", None)
    if children:
        return all(_is_under(c, prefix) for c in children)
    return False
