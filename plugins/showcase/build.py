"""The data flow of one site build, engine-neutral:

sources → load → check → media → pages → export.

`plugin.py` maps the result onto MkDocs files; the command line uses `load_all`.
Nothing here imports MkDocs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .checking.privacy import unstrippable_finding
from .checking.rules import check_all, publishable
from .core.budgets import budgets_of
from .core.findings import Finding, Level, unique
from .core.model import Image, Project
from .core.safetext import clean_name
from .core.settings import Settings
from .core.workers import WorkerPool
from .media.processor import MediaProcessor
from .office import logos, metadata
from .office.registry import registry_csv, registry_json, registry_xlsx
from .reading.load import load_project
from .reading.sources import resolve_sources
from .site import stats
from .site.charts import placeholder_svg
from .site.links import EMBED_PATH, PLACEHOLDER_DIR, GeneratedPage, SiteLinks
from .site.pages import PageRenderer, registry_rows
from .site.templates import template_env

UNPUBLISHED = "项目名称、党支部或简介没有读到（缺少或有错），这个项目暂不发布"


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
    """Every generated page: each project's pages, then home, registry, statistics,
    districts and review."""
    files: list[OutputFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    renderer: PageRenderer | None = None
    rows: list[dict] = field(default_factory=list)

    def source_of(self, src_uri: str) -> Path | None:
        """The author's file behind a generated page, so a finding points where to fix it."""
        return next((p.source for p in self.pages if p.src_uri == src_uri), None)


def load_all(settings: Settings) -> tuple[list[Project], list[Finding]]:
    """Sources → projects, with every load and check finding (the `showcase check` path)."""
    found, findings = resolve_sources(settings)
    projects = [load_project(s.folder, source_label=s.label) for s in found]
    check_all(projects, settings)
    for project in projects:
        findings.extend(project.findings)
    return projects, unique(findings)


class SiteBuilder:
    def __init__(
        self,
        settings: Settings,
        *,
        use_directory_urls: bool = True,
        media: MediaProcessor | None = None,
    ) -> None:
        self.settings = settings
        self.env = template_env(settings.theme_dirs)
        self.env.globals["facet_groups"] = stats.facet_groups  # facets.html counts at build time
        self.links = SiteLinks(settings, use_directory_urls, settings.site_url)
        self.budgets = budgets_of(settings)
        self._files: WorkerPool | None = None
        logos.configure(self.budgets)  # the registry.xlsx's logos
        self.media = media or MediaProcessor(
            settings.images_cache, jobs=settings.jobs, budgets=budgets_of(settings)
        )

    def build(self) -> SiteResult:
        result = SiteResult()
        result.projects, result.findings = load_all(self.settings)
        result.published = publishable(result.projects)
        for project in result.projects:
            if project not in result.published and not project.publishable:
                result.findings.append(
                    Finding(
                        level=Level.ERROR,
                        message=UNPUBLISHED,
                        file=str(project.folder / "project.yml"),
                        project=project.folder.name,
                    )
                )
        try:
            return self._build(result)
        finally:
            if self._files is not None:
                self._files.close()
                self._files = None

    def _build(self, result: SiteResult) -> SiteResult:
        self._derive_images(result)
        renderer = result.renderer = PageRenderer(self.env, self.settings, self.links)
        published = result.published
        for project in published:
            if project.logo is None or project.logo.derived is None:
                path = f"{PLACEHOLDER_DIR}/{project.slug}.svg"
                renderer.placeholders[project.slug] = path
                result.files.append(OutputFile(path, content=placeholder_svg(project)))
            self._publish_attachments(project, result)
        rows = result.rows = registry_rows(published, self.links)
        for project in published:
            result.pages.extend(renderer.project_pages(project))
        settings = self.settings
        result.files += [
            OutputFile("registry.json", content=registry_json(rows, settings)),
            OutputFile("registry.csv", content=registry_csv(rows, settings)),
            OutputFile("registry.xlsx", content=registry_xlsx(rows, published, settings)),
            OutputFile(EMBED_PATH, content=renderer.embed(published)),
        ]
        result.findings += renderer.findings  # texts shown as plain text, past their budget
        downloads = {
            f.site_path.rsplit(".", 1)[-1]
            for f in result.files
            if f.site_path.startswith("registry.")
        }
        top = [
            renderer.home(published),
            renderer.registry(published, rows, downloads),
            renderer.statistics(published),
            renderer.districts(published),
            # each school's missing items: internal, built only when asked for
            renderer.review(result.projects, result.findings, published)
            if self.settings.review_page
            else None,
        ]
        result.pages += [page for page in top if page is not None]
        result.findings = unique(result.findings)
        return result

    def _derive_images(self, result: SiteResult) -> None:
        wanted: list[tuple[Path, str]] = []
        for project in result.published:
            if project.logo:
                wanted.append((project.logo.path, "logo"))
            for image in _photos(project):
                wanted.append((image.path, "photo"))
        derived, findings = self.media.process(wanted)
        result.findings.extend(findings)
        for project in result.published:
            project.findings.extend(
                f for f in findings if f.file and f.file.startswith(str(project.folder))
            )
            if project.logo:
                project.logo.derived = derived.get(project.logo.path)
                if project.logo.derived is None:  # refused: no later step may open it again
                    project.logo = None
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
        seen: set[str] = set()
        for image_set in derived.values():
            for variant in image_set.variants:
                if variant.rel not in seen:
                    seen.add(variant.rel)
                    result.files.append(OutputFile(variant.rel, source=variant.path))

    def _publish_attachments(self, project: Project, result: SiteResult) -> None:
        base = self.links.project_src(project).rsplit("/", 1)[0]
        for case in project.cases:
            if self.settings.strict_privacy:  # files whose hidden data stays are not published
                case.files = [a for a in case.files if unstrippable_finding(a.path) is None]
            taken: set[str] = set()
            kept = []
            for attachment in case.files:
                # Office files and PDFs name their authors, hide comments, scripts, GPS:
                # publish a cleaned copy (made in a worker within attachment_seconds)
                copy = self._publish_copy(attachment.path, project, result)
                if copy is None or not self._attachment_findings(
                    project, attachment.path, copy, result
                ):
                    continue
                kept.append(attachment)
                safe = re.sub(r'[\\/:*?"<>|#%\s]+', "_", clean_name(attachment.path.name))
                stem, dot, ext = safe.rpartition(".")
                n = 2
                while (
                    safe.lower() in taken
                ):  # `a b.pdf` and `a_b.pdf` must not overwrite each other
                    safe = f"{stem}-{n}{dot}{ext}" if dot else f"{ext}-{n}"
                    n += 1
                taken.add(safe.lower())
                attachment.published = f"{base}/files/{case.slug}/{safe}"
                result.files.append(OutputFile(attachment.published, source=copy.path))
            case.files = kept

    @staticmethod
    def _attachment_findings(
        project: Project, path: Path, copy: metadata.Published, result: SiteResult
    ) -> bool:
        """Findings for what the published copy lost, or why there is none; True when
        the file is published."""
        if copy.path is None:
            finding = Finding(
                Level.ERROR,
                f"附录文件不会发布：{copy.refused}",
                file=str(path),
                hint="请去掉密码或重新导出 PDF（“另存为 PDF”）后再放入",
                project=project.folder.name,
            )
        elif copy.removed:
            finding = Finding(
                Level.WARNING,
                "附录文件里有读者看不到但能提取的内容，发布的副本已删除："
                + "、".join(copy.removed),
                file=str(path),
                hint="原文件没有改动；如需保留这些内容，请只在校内传阅原文件",
                project=project.folder.name,
            )
        else:
            return True
        result.findings.append(finding)
        project.findings.append(finding)
        return copy.path is not None

    def _publish_copy(
        self, path: Path, project: Project, result: SiteResult
    ) -> metadata.Published | None:
        """`metadata.publish` in a worker within `attachment_seconds` (it re-encodes the
        file's images and rewrites PDFs); past the limit the file is a finding, unpublished."""
        if path.suffix.lower() not in metadata.OFFICE_SUFFIXES and path.suffix.lower() != ".pdf":
            return metadata.publish(path, self.settings.files_cache)  # published as it is
        if self._files is None:
            self._files = WorkerPool(
                1, memory_mb=self.budgets.image_memory_mb, name="showcase-files"
            )
        seconds = self.budgets.attachment_seconds
        args = (path, self.settings.files_cache)
        reply = self._files.call(metadata.publish, args, seconds)
        if reply[0] == "ok":
            return reply[1]
        if reply[0] == "unavailable":
            return metadata.publish(*args)
        why = {
            "timeout": f"去除作者信息和照片位置信息超过 {seconds:.3g} 秒仍未完成，已停止",
            "crashed": "去除作者信息和照片位置信息时处理程序意外退出",
        }.get(reply[0], f"去除作者信息和照片位置信息时出错（{reply[1]}）")
        finding = Finding(
            level=Level.ERROR,
            message=f"{why}，这个附件不会发布",
            file=str(path),
            hint="请用 Office 或 WPS 打开后另存一份（可先压缩图片），再放入",
            project=project.folder.name,
        )
        project.findings.append(finding)
        result.findings.append(finding)
        return None


def _photos(project: Project) -> list[Image]:
    images: list[Image] = []
    for album in project.albums:
        images.extend(album.photos)
    for case in project.cases:
        images.extend(case.images)
    return images
