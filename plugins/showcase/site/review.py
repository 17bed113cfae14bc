"""Review: what each project still lacks, for the district office.

One list feeds two outputs: the site's `/review/` page (left out of navigation
and search unless `review_page: true`) and the standalone file of
`showcase check --format html -o review.html`.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.fields import FIELDS, Field
from ..core.findings import Finding, unique
from ..core.model import Project
from ..core.settings import Settings
from .templates import template_env


@dataclass
class ReviewItem:
    project: Project
    missing_required: list[Field] = field(default_factory=list)
    """Required fields without a value (the logo is reported on its own)."""
    missing_recommended: list[Field] = field(default_factory=list)
    missing_logo: bool = False
    missing_cases: bool = False
    missing_photos: bool = False
    findings: list[Finding] = field(default_factory=list)
    published: bool = True

    @property
    def missing(self) -> list[tuple[str, str, str]]:
        """Everything missing as (key, label, level), level `required` or `recommended`."""
        out = [(f.key, f.label, "required") for f in self.missing_required]
        if self.missing_logo:
            out.append(("logo", "LOGO 标识", "required"))
        out += [(f.key, f.label, "recommended") for f in self.missing_recommended]
        if self.missing_cases:
            out.append(("cases", "案例", "recommended"))
        if self.missing_photos:
            out.append(("photos", "照片", "recommended"))
        return out

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def complete(self) -> bool:
        return not self.missing and not self.findings

    @property
    def modified(self) -> _dt.datetime | None:
        return self.project.modified


def _belongs(finding: Finding, folder: str) -> bool:
    return bool(finding.file) and (
        finding.file == folder or finding.file.startswith(folder + os.sep)
    )


def review_items(
    projects: list[Project], findings: list[Finding] = (), published: list[Project] | None = None
) -> list[ReviewItem]:
    """One entry per loaded project, in source order, with its own findings."""
    items = []
    published_ids = {id(p) for p in published} if published is not None else None
    for project in projects:
        folder = str(project.folder)
        own = list(project.findings) + [f for f in findings if _belongs(f, folder)]
        items.append(
            ReviewItem(
                project=project,
                missing_required=[
                    f for f in FIELDS if f.required and f.key != "logo" and not project.get(f.key)
                ],
                missing_recommended=[f for f in FIELDS if f.recommended and not project.get(f.key)],
                missing_logo=project.logo is None,
                missing_cases=not project.cases,
                missing_photos=not any(a.photos for a in project.albums),
                findings=unique(own),
                published=project.publishable
                if published_ids is None
                else id(project) in published_ids,
            )
        )
    return items


def general_findings(projects: list[Project], findings: list[Finding]) -> list[Finding]:
    """Findings about the sources themselves (a bad zip, a failed clone), not about one project."""
    folders = [str(p.folder) for p in projects]
    return [f for f in findings if not any(_belongs(f, d) for d in folders)]


def display_path(finding: Finding, item: ReviewItem, root: Path | None) -> str:
    """Where the finding is, as a person finds it: inside a zip or a repository, not in our cache."""
    project = item.project
    folder = str(project.folder)
    if finding.file and _belongs(finding, folder) and _is_fetched(project):
        inner = os.path.relpath(finding.file, folder).replace(os.sep, "/")
        place = f"{project.source_label} › {project.folder.name}/{inner}"
        return f"{place}:{finding.line}" if finding.line else place
    return finding.place(root)


def _is_fetched(project: Project) -> bool:
    label = project.source_label.lower()
    return label.endswith(".zip") or "://" in label or "#" in label or "@" in label


def context(items: list[ReviewItem], general: list[Finding], settings: Settings, **extra) -> dict:
    root = settings.base_dir
    return {
        "items": items,
        "general": general,
        "settings": settings,
        "root": root,
        "where": lambda f, item: display_path(f, item, root),
        "cn_datetime": lambda d: f"{d.year}年{d.month}月{d.day}日 {d:%H:%M}" if d else "—",
        "incomplete": sum(1 for i in items if not i.complete),
        "with_errors": sum(1 for i in items if i.errors),
        **extra,
    }


def render_html(
    projects: list[Project],
    findings: list[Finding],
    settings: Settings,
    published: list[Project] | None = None,
) -> str:
    """A standalone HTML review report (one file, inline style, no scripts)."""
    items = review_items(projects, findings, published)
    general = general_findings(projects, findings)
    now = _dt.datetime.now()
    ctx = context(
        items, general, settings, generated=f"{now.year}年{now.month}月{now.day}日 {now:%H:%M}"
    )
    env = template_env(settings.theme_dirs)
    return env.get_template("showcase/review_report.html").render(ctx)
