"""The data flow of one site build, engine-neutral:

sources → load → check → media → pages → export.

`plugin.py` maps the result onto MkDocs files; the command line uses the same steps.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import check, export, load, officemeta, publish, review, sources, stats
from .charts import placeholder_svg
from .findings import Finding, unique
from .media import MediaProcessor
from .model import Image, Project
from .pages import (
    PLACEHOLDER_DIR,
    GeneratedPage,
    PageRenderer,
    SiteLinks,
    registry_rows,
    template_env,
)
from .settings import Settings

log = logging.getLogger("mkdocs.plugins.showcase")
DISTRICTS_PAGE = "districts.md"


@dataclass
class OutputFile:
    """A file the site publishes beside its pages."""

    site_path: str
    content: bytes | str | None = None
    source: Path | None = None


@dataclass
class SiteResult:
    projects: list[Project] = field(default_factory=list)
    """Every project loaded, published or not."""
    published: list[Project] = field(default_factory=list)
    pages: list[GeneratedPage] = field(default_factory=list)
    files: list[OutputFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    renderer: PageRenderer | None = None
    rows: list[dict] = field(default_factory=list)


def load_all(settings: Settings) -> tuple[list[Project], list[Finding]]:
    """Sources → projects, with every load and check finding (the `showcase check` path)."""
    found, findings = sources.resolve_sources(settings)
    projects = [load.load_project(s.folder, settings, source_label=s.label) for s in found]
    check.check_all(projects, settings)
    for project in projects:
        findings.extend(project.findings)
    return projects, unique(findings)


class SiteBuilder:
    def __init__(
        self,
        settings: Settings,
        *,
        template_dirs: list[str] | None = None,
        use_directory_urls: bool = True,
        site_url: str = "",
        media: MediaProcessor | None = None,
    ) -> None:
        self.settings = settings
        self.env = template_env(template_dirs or [])
        self.env.globals["facet_groups"] = stats.facet_groups  # facets.html counts at build time
        self.links = SiteLinks(settings, use_directory_urls, site_url)
        self.office_cache = settings.resolve(settings.cache_dir) / "files"
        self.media = media or MediaProcessor(
            settings.resolve(settings.cache_dir) / "images", jobs=settings.jobs
        )

    def build(self) -> SiteResult:
        result = SiteResult()
        result.projects, result.findings = load_all(self.settings)
        result.published = check.publishable(result.projects)
        for project in result.projects:
            if project not in result.published and not project.publishable:
                result.findings.append(
                    Finding(
                        level=check.Level.ERROR,
                        message="项目名称、党支部或简介没有读到（缺少或有错），这个项目暂不发布",
                        file=str(project.folder / "project.yml"),
                        project=project.folder.name,
                    )
                )
        self._derive_images(result)
        renderer = PageRenderer(self.env, self.settings, self.links)
        for project in result.published:
            if project.logo is None or project.logo.derived is None:
                path = f"{PLACEHOLDER_DIR}/{project.slug}.svg"
                renderer.placeholders[project.slug] = path
                result.files.append(OutputFile(path, content=placeholder_svg(project)))
            self._publish_attachments(project, result)
        result.renderer = renderer
        result.rows = registry_rows(result.published, self.links)
        for project in result.published:
            result.pages.extend(renderer.project_pages(project))
        result.files.append(OutputFile("registry.json", content=export.registry_json(result.rows, self.settings)))
        result.files.append(OutputFile("registry.csv", content=export.registry_csv(result.rows, self.settings)))
        result.files.append(
            OutputFile("registry.xlsx", content=export.registry_xlsx(result.rows, result.published, self.settings))
        )
        result.files.append(OutputFile(publish.EMBED_PATH, content=publish.embed_page(renderer, result.published)))
        result.findings = unique(result.findings)
        return result

    def home_page(self, result: SiteResult) -> GeneratedPage:
        return result.renderer.home(result.published)

    def registry_page(self, result: SiteResult) -> GeneratedPage:
        downloads = {f.site_path.rsplit(".", 1)[-1] for f in result.files if f.site_path.startswith("registry.")}
        return result.renderer.registry(result.published, result.rows, downloads)

    def statistics_page(self, result: SiteResult) -> GeneratedPage:
        numbers = stats.compute(result.published)
        content = result.renderer.render(
            "showcase/statistics.md", "statistics.md", s=numbers, charts=stats.charts(numbers), percent=stats.percent
        )
        return GeneratedPage("statistics.md", content, "statistics")

    def districts_page(self, result: SiteResult) -> GeneratedPage | None:
        """各区县: the projects grouped by 所属区县; only when some project names its district."""
        if not any(p.get("district") for p in result.published):
            return None
        groups: dict[str, list[Project]] = {}
        for project in result.published:
            groups.setdefault(project.get("district") or "未填写区县", []).append(project)
        ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "未填写区县", -len(kv[1]), kv[0]))
        rows = [(name, ps, sum(p.get("members") or 0 for p in ps)) for name, ps in ordered]
        content = result.renderer.render(
            "showcase/districts.md", DISTRICTS_PAGE, groups=rows, total=len(result.published)
        )
        return GeneratedPage(DISTRICTS_PAGE, content, "districts")

    def review_page(self, result: SiteResult) -> GeneratedPage:
        items = review.review_items(result.projects, result.findings, result.published)
        ctx = review.context(items, review.general_findings(result.projects, result.findings), self.settings)
        ctx.pop("settings")
        content = result.renderer.render("showcase/review.md", "review.md", **ctx)
        return GeneratedPage("review.md", content, "review")

    def _derive_images(self, result: SiteResult) -> None:
        wanted: list[tuple[Path, str]] = []
        for project in result.published:
            if project.logo:
                wanted.append((project.logo.path, "logo"))
            for image in _photos(project):
                wanted.append((image.path, "photo"))
        derived, findings = self.media.process(wanted)
        result.findings.extend(findings)
        by_file = {f.file: f for f in findings}
        for project in result.published:
            project.findings.extend(f for f in findings if f.file and f.file.startswith(str(project.folder)))
            if project.logo:
                project.logo.derived = derived.get(project.logo.path)
            for image in _photos(project):
                image.derived = derived.get(image.path)
            # a broken photo is left out; the rest of the album stays
            for album in project.albums:
                album.photos = [p for p in album.photos if p.derived is not None]
                if album.cover is not None and album.cover.derived is None:
                    album.cover = None
            project.albums = [a for a in project.albums if a.photos]
            for case in project.cases:
                case.images = [p for p in case.images if p.derived is not None]
        del by_file
        seen: set[str] = set()
        for image_set in derived.values():
            for variant in image_set.variants:
                if variant.rel not in seen:
                    seen.add(variant.rel)
                    result.files.append(OutputFile(variant.rel, source=variant.path))

    def _publish_attachments(self, project: Project, result: SiteResult) -> None:
        base = self.links.project_src(project).rsplit("/", 1)[0]
        for case in project.cases:
            taken: set[str] = set()
            for attachment in case.files:
                safe = re.sub(r'[\\/:*?"<>|#%\s]+', "_", attachment.path.name)
                stem, dot, ext = safe.rpartition(".")
                n = 2
                while safe.lower() in taken:  # `a b.pdf` and `a_b.pdf` must not overwrite each other
                    safe = f"{stem}-{n}{dot}{ext}" if dot else f"{ext}-{n}"
                    n += 1
                taken.add(safe.lower())
                attachment.published = f"{base}/files/{case.slug}/{safe}"
                # Office files name their authors: publish a copy without them
                source = officemeta.published_copy(attachment.path, self.office_cache)
                result.files.append(OutputFile(attachment.published, source=source))


def _photos(project: Project) -> list[Image]:
    images: list[Image] = []
    for album in project.albums:
        images.extend(album.photos)
    for case in project.cases:
        images.extend(case.images)
    return images


def log_findings(findings: list[Finding], root: Path | None = None) -> None:
    """Errors at ERROR level (so `--strict` fails); warnings at INFO, so they never fail a build."""
    for finding in findings:
        if finding.is_error:
            log.error("showcase: %s", finding.format(root))
        else:
            log.info("showcase 警告: %s", finding.format(root))
