"""Check: rules over loaded projects → findings.

Loading already reports what makes a file unreadable; these rules judge the
content: limits, duplicates, personal data in public text.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import textutil
from .findings import Finding, Findings, Level
from .model import Project
from .settings import Settings


def check_project(project: Project, settings: Settings) -> list[Finding]:
    findings = Findings()
    file, line = project.lines.get("summary", (None, None))
    summary = project.values.get("summary")
    if summary:
        count = textutil.word_count(summary)
        if count > settings.summary_max_chars:
            findings.warning(
                f"{count} 字，超出 {settings.summary_max_chars} 字上限",
                file=file, line=line, field="summary", project=project.folder.name,
                hint="按 Word 字数统计：汉字和全角标点各算 1 字；网页上仍完整显示",
            )
    return list(findings)


def check_all(projects: Iterable[Project], settings: Settings) -> list[Finding]:
    """Rules across projects (duplicate slugs); adds each project's own rule findings."""
    findings: list[Finding] = []
    seen: dict[str, Project] = {}
    for project in projects:
        project.findings.extend(check_project(project, settings))
        first = seen.get(project.slug)
        if first is None:
            seen[project.slug] = project
            continue
        dup = Finding(
            level=Level.ERROR,
            message=(f"网址名“{project.slug}”与 {first.folder}"
                     f"{'（' + first.source_label + '）' if first.source_label else ''} 重复，只保留先出现的那个"),
            file=str(project.folder / "project.yml"),
            field="slug",
            hint="在 project.yml 中用 slug: 指定一个不同的网址名",
            project=project.folder.name,
        )
        project.findings.append(dup)
        findings.append(dup)
    return findings


def publishable(projects: Iterable[Project]) -> list[Project]:
    """Projects that go on the site: required fields present, first of each slug."""
    out: list[Project] = []
    slugs: set[str] = set()
    for project in projects:
        if not project.publishable or project.slug in slugs:
            continue
        slugs.add(project.slug)
        out.append(project)
    return out
