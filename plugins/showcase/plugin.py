"""MkDocs plugin: wires MkDocs events to the build steps in `build.py`. Nothing else."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.toc import get_toc

from . import headings, lightbox, places, publish, sitemap, sources, stylesheet
from .build import SiteBuilder, SiteResult, log_findings
from .config import ShowcaseConfig
from .media import MediaProcessor
from .pages import TEMPLATE_DIR, page_url
from .settings import Settings

log = logging.getLogger("mkdocs.plugins.showcase")
CSS = "assets/showcase/showcase.css"
THEME_DIR = Path(__file__).parent / "theme"
FACETS_JS = "assets/showcase/facets.js"
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
        # our Chinese 404 page goes before Material's and after any custom_dir
        material = next((i for i, d in enumerate(config.theme.dirs) if Path(d).parts[-2:] == ("material", "templates")), None)
        if material is not None and str(THEME_DIR) not in config.theme.dirs:
            config.theme.dirs.insert(material, str(THEME_DIR))
        if config.theme.get("language", "en") == "en":
            config.theme["language"] = "zh"
        if self.settings.self_contained:
            config.theme["font"] = False
        if CSS not in config.extra_css:
            config.extra_css.append(CSS)
        # issue 16: facets.js is loaded by the pages with filters (facets.html), not by every page
        toc = config.mdx_configs.setdefault("toc", {})
        toc.setdefault("permalink_title", "本节链接")  # Python-Markdown's default is English
        if "slugify" not in toc:
            from pymdownx.slugs import slugify

            toc["slugify"] = slugify(case="lower")  # readable Chinese anchors
        cache = self.settings.resolve(self.settings.cache_dir) / "images"
        jobs = self.settings.jobs
        if self.media is None or self.media.cache_dir != cache.absolute() or (jobs and self.media.jobs != jobs):
            self.media = MediaProcessor(cache, jobs=jobs)  # kept across `mkdocs serve` rebuilds
        self.head_snippet, found = publish.read_snippet(self.settings)
        log_findings(found + (publish.config_findings(config) if self.settings.self_contained else []), base)
        return config

    def on_files(self, files: Files, *, config) -> Files:
        theme_dirs = [d for d in config.theme.dirs if d not in (str(TEMPLATE_DIR), str(THEME_DIR))]
        self.builder = SiteBuilder(
            self.settings,
            template_dirs=theme_dirs,
            use_directory_urls=config.use_directory_urls,
            site_url=config.site_url or "",
            media=self.media,
        )
        result = self.result = self.builder.build()
        for stray in [f for f in files if f.abs_src_path and Path(f.abs_src_path).is_relative_to(TEMPLATE_DIR)]:
            files.remove(stray)  # our template folder is a theme dir: its .yml partials are no site files
        # issue 16: a finding in a zip or clone names it, not the cache copy
        log_findings(places.as_given(result.findings, result.projects, self.settings), self.settings.base_dir)
        self._add(files, config, CSS, content=stylesheet.showcase_css())  # issue 16: minified
        if publish.localize_polyfills(config):  # the offline build's file:// search shim, kept local
            self._add(files, config, publish.SHIM_PATH, abs_src_path=str(publish.SHIM_SOURCE))
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
        self._add(files, config, FACETS_JS, abs_src_path=str(Path(__file__).parent / "assets" / "facets.js"))
        pages = (self.builder.statistics_page(result), self.builder.districts_page(result),
                 # issue 16: the review page lists each school's missing items: internal unless asked for
                 self.builder.review_page(result) if self.settings.review_page else None)
        for page in filter(None, pages):
            if files.get_file_from_path(page.src_uri) is None:  # a hand-written page wins
                self._add(files, config, page.src_uri, content=page.content)
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
        if not self.settings.review_page:  # the office's review page is reached by its address only
            top = [i for i in top if getattr(getattr(i, "file", None), "src_uri", "") != "review.md"]
            _unlink(nav, files.get_file_from_path("review.md"))
        published = self.result.published
        if len(published) <= self.settings.nav_projects_max:
            homes = [files.get_file_from_path(self.builder.links.project_src(p)) for p in published]
            pages = [f.page for f in homes if f is not None and f.page is not None]
            if pages:
                section = Section("各支部项目", pages)
                for page in pages:
                    page.parent = section
                top.append(section)
        order = {"index.md": 0, "registry.md": 2, "statistics.md": 3, "districts.md": 4, "review.md": 5}
        top.sort(key=lambda i: order.get(getattr(getattr(i, "file", None), "src_uri", ""), 1))
        nav.items = top
        self._link_neighbours(nav, files)
        return nav

    def _link_neighbours(self, nav: Navigation, files: Files) -> None:
        """Previous/next: along the global navigation, and within each project for its pages."""
        for page in nav.pages:
            page.previous_page = page.next_page = None
        chains = []
        for project in self.result.published:
            srcs = [page.src_uri for page in self.result.pages if page.project is project]
            chains.append([f.page for f in map(files.get_file_from_path, srcs) if f and f.page])
        chains.append(_flatten(nav.items))
        for chain in chains:
            for before, after in zip(chain, chain[1:], strict=False):
                if after.previous_page is None and before.next_page is None:
                    before.next_page, after.previous_page = after, before

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        if CARDS_MARKER in markdown and self.result and self.result.renderer:
            cards = self.result.renderer.cards(self.result.published, page.file.src_uri)
            markdown = markdown.replace(CARDS_MARKER, "\n" + cards + "\n")
        return markdown

    # --- issue 16: the authors' headings (rendered apart, as HTML) in the page's TOC; lightbox only where used ---
    @event_priority(50)  # before glightbox and search read the page
    def on_page_content(self, html: str, *, page, config, files) -> str:
        if not page.meta.get("showcase"):
            return html  # hand-written pages: MkDocs' own TOC is complete
        html, tokens = headings.page_toc(html, config.mdx_configs.get("toc", {}))
        page.toc = get_toc(tokens)
        # no render-blocking lightbox files where nothing opens (instant navigation keeps the
        # first page's head, so there every page keeps them)
        instant = "navigation.instant" in (config.theme.get("features") or [])
        if not instant and "glightbox" not in page.meta and not lightbox.needs_lightbox(html):
            page.meta["glightbox"] = False
        return html

    # --- end issue 16 ---

    @event_priority(-100)  # last: after glightbox and any other plugin changed the page
    def on_post_page(self, output: str, *, page, config) -> str:
        if self.settings.self_contained:
            source = page.file.abs_src_path
            if source is None and self.result is not None:
                source = publish.generated_source(self.result, self.builder.links, page.file.src_uri)
            self._scan(output, page.url, source)
        return publish.insert_head(output, self.head_snippet)  # after the scan: the school chose it

    @event_priority(-100)
    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        if not template_name.endswith(".html"):  # sitemap.xml: never points search engines to /review/
            if template_name == "sitemap.xml":
                return sitemap.drop_urls(output_content, [page_url("review.md", config.use_directory_urls)])
            return output_content
        if self.settings.self_contained:
            self._scan(output_content, template_name, None)
        return publish.insert_head(output_content, self.head_snippet)

    def _scan(self, html: str, page_path: str, source: str | None) -> None:
        found = publish.external_resources(html)
        if found:
            log_findings([publish.page_finding(page_path, found, source)], self.settings.base_dir)

    def on_serve(self, server, *, config, builder):
        for path in sources.watch_paths(self.settings):
            if path.exists():
                server.watch(os.fspath(path))
        return server


def _unlink(nav: Navigation, file: File | None) -> None:
    """Take a page out of the previous/next chain, so no footer links to it."""
    page = file.page if file is not None else None
    if page is None or page not in nav.pages:
        return
    before, after = page.previous_page, page.next_page
    if before is not None:
        before.next_page = after
    if after is not None:
        after.previous_page = before
    page.previous_page = page.next_page = None
    nav.pages.remove(page)


def _flatten(items) -> list:
    pages = []
    for item in items:
        if getattr(item, "children", None):
            pages.extend(_flatten(item.children))
        elif getattr(item, "is_page", False):
            pages.append(item)
    return pages


def _is_under(item, prefix: str) -> bool:
    file = getattr(item, "file", None)
    if file is not None:
        return file.src_uri.startswith(prefix)
    children = getattr(item, "children", None)
    if children:
        return all(_is_under(c, prefix) for c in children)
    return False
