"""MkDocs plugin: wires MkDocs events to the engine-neutral build in `build.py`. Nothing else."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .build import SiteBuilder, SiteResult
from .config import GUIDE, ShowcaseConfig, make_settings
from .core.budgets import budgets_of
from .core.findings import Finding
from .core.safetext import strip_from_page
from .core.settings import Settings
from .media.processor import MediaProcessor
from .office import logos
from .reading.places import as_given
from .reading.sources import watch_paths
from .site import (
    head,
    headings,
    lightbox,
    mdpool,
    minify,
    searchindex,
    selfcontained,
    sitemap,
)
from .site.links import (
    DISTRICTS_SRC,
    HOME_SRC,
    REGISTRY_SRC,
    REVIEW_SRC,
    SITE_URL_NOTICE,
    STATISTICS_SRC,
    page_url,
)
from .site.pagepii import PageMasker
from .site.searchindex import SiteSearch
from .site.templates import TEMPLATE_DIR

log = get_plugin_logger(__name__)
PACKAGE_DIR = Path(__file__).parent
CSS = "assets/showcase/showcase.css"
FACETS_JS = "assets/showcase/facets.js"
THEME_DIR = PACKAGE_DIR / "theme"
CARDS_MARKER = "<!-- showcase:cards -->"
TOP_ORDER = {HOME_SRC: 0, REGISTRY_SRC: 2, STATISTICS_SRC: 3, DISTRICTS_SRC: 4, REVIEW_SRC: 5}
"""Global navigation: home first, hand-written pages next, then the generated overviews."""


def log_findings(findings: list[Finding], root: Path | None = None) -> None:
    """Errors at ERROR level (so `--strict` fails); warnings at INFO, so they never fail a build."""
    for finding in findings:
        if finding.is_error:
            log.error(finding.format(root))
        else:
            log.info("警告 %s", finding.format(root))


class ShowcasePlugin(BasePlugin[ShowcaseConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.media: MediaProcessor | None = None
        self.result: SiteResult | None = None
        self.builder: SiteBuilder | None = None
        self.settings: Settings | None = None
        self.head_snippet = ""
        self._told_site_url = False
        self.search = SiteSearch()  # kept across `mkdocs serve` rebuilds, like the image cache
        self.masker = PageMasker()

    # Defining on_startup keeps this instance (and its caches) across `mkdocs serve` rebuilds.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._told_site_url = False

    @event_priority(100)  # before search reads the theme language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        self.settings = settings = make_settings(
            self.config,
            config_file=config.config_file_path,
            site_url=config.site_url or "",
            theme_dirs=list(config.theme.dirs),
        )
        config.theme.dirs.append(str(TEMPLATE_DIR))
        # our Chinese 404 page goes before Material's and after any custom_dir
        material = next(
            (
                i
                for i, d in enumerate(config.theme.dirs)
                if Path(d).parts[-2:] == ("material", "templates")
            ),
            None,
        )
        if material is not None and str(THEME_DIR) not in config.theme.dirs:
            config.theme.dirs.insert(material, str(THEME_DIR))
        if config.theme.get("language", "en") == "en":
            config.theme["language"] = "zh"
        if settings.self_contained:
            config.theme["font"] = False
        if CSS not in config.extra_css:
            config.extra_css.append(CSS)
        # issue 16: facets.js is loaded by the pages with filters (facets.html), not by every page
        toc = config.mdx_configs.setdefault("toc", {})
        toc.setdefault("permalink_title", "本节链接")  # Python-Markdown's default is English
        if "slugify" not in toc:
            from pymdownx.slugs import slugify

            toc["slugify"] = slugify(case="lower")  # readable Chinese anchors
        cache, jobs = settings.images_cache.absolute(), settings.jobs
        if (
            self.media is None
            or self.media.cache_dir != cache
            or (jobs and self.media.jobs != jobs)
        ):
            self.media = MediaProcessor(cache, jobs=jobs)  # kept across `mkdocs serve` rebuilds
        self.media.budgets = budgets_of(settings)
        if not self._told_site_url and not _declares_site_url(config):
            self._told_site_url = True  # once per command, not on every `serve` rebuild
            log.info("提示 %s", SITE_URL_NOTICE)
        self.head_snippet, found = head.read_snippet(settings)
        found += self.search.configure(config, settings.search_engine, settings.cache_root)
        if settings.self_contained:
            found += selfcontained.config_findings(config)
        log_findings(found, settings.base_dir)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        self.builder = SiteBuilder(
            self.settings, use_directory_urls=config.use_directory_urls, media=self.media
        )
        result = self.result = self.builder.build()
        self.masker = PageMasker(result.findings)  # numbers the source scan already named
        for stray in [
            f for f in files if f.abs_src_path and Path(f.abs_src_path).is_relative_to(TEMPLATE_DIR)
        ]:
            files.remove(
                stray
            )  # our template folder is a theme dir: its .yml partials are no site files
        guide = files.get_file_from_path(GUIDE)
        if guide is not None and not self.config["publish_guide"]:
            files.remove(guide)  # the authors' guide is for authors: not a page of the column
        # a finding in a zip or clone names it and the path inside it, not the cache copy
        log_findings(
            as_given(result.findings, result.projects, self.settings), self.settings.base_dir
        )
        self._add(files, config, CSS, content=minify.minified("showcase.css"))
        if head.localize_polyfills(config):  # the offline build's file:// search shim, kept local
            self._add(files, config, head.SHIM_PATH, abs_src_path=str(head.SHIM_SOURCE))
        self._add(files, config, FACETS_JS, content=minify.minified("facets.js"))
        if self.search.active:
            self._add(files, config, searchindex.JS, content=minify.minified("search.js"))
        for out in result.files:
            if out.source is not None:
                self._add(files, config, out.site_path, abs_src_path=str(out.source))
            else:
                self._add(files, config, out.site_path, content=out.content)
        for page in result.pages:
            if page.yields and files.get_file_from_path(page.src_uri) is not None:
                continue  # a hand-written page wins
            self._add(files, config, page.src_uri, content=page.content)
        self.search.pages(result.pages, {f.dest_uri for f in files.documentation_pages()})
        return files

    @staticmethod
    def _add(files: Files, config: MkDocsConfig, src_uri: str, **source) -> None:
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, src_uri, **source))

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        """Global navigation: top-level pages only, so a page's size does not grow with the district."""
        if not self.config.enabled or config.nav or self.result is None:
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
        top.sort(key=lambda i: TOP_ORDER.get(getattr(getattr(i, "file", None), "src_uri", ""), 1))
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

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if CARDS_MARKER in markdown and self.result and self.result.renderer:
            cards = self.result.renderer.cards(self.result.published, page.file.src_uri)
            markdown = markdown.replace(CARDS_MARKER, "\n" + cards + "\n")
        return markdown

    @event_priority(50)  # before glightbox and search read the page
    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Numbers masked as a reader sees them, before search reads the page; the
        authors' headings (rendered apart, as HTML) into the page's TOC; the lightbox's
        files only where something opens in it."""
        if not self.config.enabled:
            return html
        html = self.masker.mask(html, self._source(page))
        if isinstance(page.meta.get("title"), str):
            page.meta["title"] = self.masker.mask(page.meta["title"], self._source(page))
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

    @event_priority(-100)  # last: after glightbox and any other plugin changed the page
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return output
        output = self.masker.mask(output, self._source(page))  # titles, alt texts, nav too
        output = strip_from_page(output)  # no control or direction character reaches a reader
        if self.settings.self_contained:
            self._scan(output, page.url, self._source(page))
        self.search.collect(output, page)
        return head.insert_head(output, self.head_snippet)  # after the scan: the school chose it

    def _source(self, page: Page) -> str | None:
        source = page.file.abs_src_path
        if source is None and self.result is not None:
            found = self.result.source_of(page.file.src_uri)
            source = str(found) if found else None
        return source

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.config.enabled:
            log_findings(self.masker.finish(), self.settings.base_dir)
            log_findings(self.search.finish(Path(config.site_dir)), self.settings.base_dir)

    @event_priority(-100)
    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        if template_name == "sitemap.xml":  # never points search engines to /review/
            return sitemap.drop_urls(
                output_content, [page_url(REVIEW_SRC, config.use_directory_urls)]
            )
        if not self.config.enabled or not template_name.endswith(".html"):
            return output_content
        if self.settings.self_contained:
            self._scan(output_content, template_name, None)
        return head.insert_head(output_content, self.head_snippet)

    def _scan(self, html: str, page_path: str, source: str | None) -> None:
        found = selfcontained.external_resources(html)
        if found:
            log_findings(
                [selfcontained.page_finding(page_path, found, source)], self.settings.base_dir
            )

    def on_shutdown(self) -> None:
        mdpool.shutdown()  # the markdown workers live until the build (or `serve`) ends
        logos.close_workers()

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder
    ) -> LiveReloadServer | None:
        if self.config.enabled:
            for path in watch_paths(self.settings):
                if path.exists():
                    server.watch(os.fspath(path))
        return server


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


def _declares_site_url(config: MkDocsConfig) -> bool:
    """Whether mkdocs.yml gives the column's address. `mkdocs serve` puts its own address into
    site_url before any event, so only then is mkdocs.yml read again to tell."""
    url = config.site_url or ""
    host, port = config.dev_addr
    if not url.startswith(f"http://{host}:{port}/") or not config.config_file_path:
        return bool(url)
    from mkdocs.utils import yaml_load

    try:
        with open(config.config_file_path, encoding="utf-8") as fh:
            return bool((yaml_load(fh) or {}).get("site_url"))
    except Exception:  # noqa: BLE001 - MkDocs read this file already; unsure means don't nag
        return True
