"""Check: rules over loaded projects → findings.

Loading already reports what makes a file unreadable; these rules judge the
content: limits, duplicates, images that cannot be opened, personal data in
public text, placeholders left from `showcase new`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from ..core import textutil
from ..core.fields import PLACEHOLDER
from ..core.findings import Finding, Findings, Level
from ..core.model import Project
from ..core.settings import Settings
from .images import check_images
from .personal import check_personal_data
from .pupils import check_sensitive
from .texts import locate, public_texts


def check_project(project: Project, settings: Settings) -> list[Finding]:
    """Every content rule for one project; broken images are removed from it."""
    findings = Findings()
    rules = (
        _check_summary,
        _check_placeholders,
        check_images,
        check_personal_data,
        check_sensitive,
    )
    for rule in rules:
        try:
            rule(project, settings, findings)
        except Exception as exc:  # noqa: BLE001 - one failing rule must not hide the others
            findings.warning(
                f"有一项检查未能完成（{type(exc).__name__}）",
                file=project.folder,
                hint="其余检查照常进行；如反复出现，请把这个文件夹发给技术人员",
            )
    label = project.folder.name
    return [f if f.project else _with_project(f, label) for f in findings]


def _with_project(finding: Finding, label: str) -> Finding:
    return Finding(
        finding.level,
        finding.message,
        finding.file,
        finding.line,
        finding.field,
        finding.hint,
        label,
    )


def check_all(projects: Iterable[Project], settings: Settings) -> list[Finding]:
    """Rules across projects (shared slugs); adds each project's own rule findings."""
    projects = list(projects)
    for project in projects:
        project.findings.extend(check_project(project, settings))
    return separate_slugs(projects)


def source_code(project: Project) -> str:
    """Six hex digits that name where a project came from (the `sources:` entry as written,
    and its folder's name): the same on every build, whatever the order of the sources."""
    identity = f"{project.source_label}\n{project.folder.name}"
    return hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:6]


def _where(project: Project) -> str:
    return project.folder.name + (
        f"（来自 {project.source_label}）" if project.source_label else ""
    )


def separate_slugs(projects: list[Project]) -> list[Finding]:
    """No project silently takes another's address: when several claim one slug (a zip
    naming another school's `slug`), every one of them is published at
    `<slug>-<source_code>` and each gets an ERROR naming all of them (docs/guide.md)."""
    claims: dict[str, list[Project]] = {}
    for project in projects:
        claims.setdefault(project.slug, []).append(project)
    taken = {slug for slug, group in claims.items() if len(group) == 1}
    findings: list[Finding] = []
    for slug, group in claims.items():
        if len(group) < 2:
            continue
        new = {}
        for project in group:
            candidate = f"{slug}-{source_code(project)}"
            n = 2
            while candidate in taken:  # the same folder twice in one source, or a real slug
                candidate = f"{slug}-{source_code(project)}-{n}"
                n += 1
            taken.add(candidate)
            new[id(project)] = candidate
        named = "、".join(f"“{_where(p)}”" for p in group)
        moved = "，".join(f"{_where(p)} → {new[id(p)]}" for p in group)
        for project in group:
            file, line = project.lines.get("slug", (str(project.folder / "project.yml"), None))
            finding = Finding(
                level=Level.ERROR,
                message=(
                    f"网址名“{slug}”被 {len(group)} 个项目同时使用：{named}。"
                    f"为了不让一个项目顶替另一个，它们都已发布，但网址各自改为：{moved}"
                ),
                file=file,
                line=line,
                field="slug",
                hint="请确认哪个项目应使用这个网址名，在另一个的 project.yml 中用 slug: 指定不同的网址名",
                project=project.folder.name,
            )
            project.findings.append(finding)
            findings.append(finding)
        for project in group:
            project.slug = new[id(project)]
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


def _check_summary(project: Project, settings: Settings, findings: Findings) -> None:
    file, line = project.lines.get("summary", (None, None))
    summary = project.values.get("summary")
    if summary:
        count = textutil.word_count(summary)
        if count > settings.summary_max_chars:
            findings.warning(
                f"{count} 字，超出 {settings.summary_max_chars} 字上限",
                file=file,
                line=line,
                field="summary",
                hint="按 Word 字数统计：汉字和全角标点各算 1 字；网页上仍完整显示，登记表请删减",
            )


def _check_placeholders(project: Project, settings: Settings, findings: Findings) -> None:
    seen: set[tuple] = set()
    for item in public_texts(project):
        if item.text and PLACEHOLDER in item.text:
            line = locate(item.file, PLACEHOLDER, item.line) if item.field is None else item.line
            key = (item.file, line, item.field)
            if key in seen:
                continue
            seen.add(key)
            findings.warning(
                "还是模板里的示例文字（“请填写…”），请改成本支部的内容",
                file=item.file,
                line=line,
                field=item.field,
            )
