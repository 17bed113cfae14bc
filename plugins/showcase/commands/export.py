"""`showcase export registry` and `showcase export form`."""

from __future__ import annotations

from pathlib import Path

from ..build import load_all
from ..checking.rules import publishable
from ..core.budgets import budgets_of
from ..core.model import Project
from ..core.settings import Settings
from ..office import logos
from ..office.form import form_docx
from ..office.registry import registry_csv, registry_docx, registry_json, registry_xlsx
from ..site.links import SITE_URL_NOTICE, SiteLinks
from ..site.pages import registry_rows
from .output import write_output


def _echo(text: str, err: bool = False) -> None:
    import click

    click.echo(text, err=err)


def _rows_for_export(projects: list[Project], settings: Settings) -> list[dict]:
    links = SiteLinks(settings, use_directory_urls=True, site_url=settings.site_url)
    rows = registry_rows(projects, links)
    for row, project in zip(rows, projects, strict=False):
        if not row["logo"] and project.logo is not None:
            # no site build here: name the file inside the project folder (a zip's or a
            # clone's folder sits in the cache, whose path means nothing to the office)
            try:
                inside = project.logo.path.relative_to(project.folder).as_posix()
            except ValueError:
                inside = project.logo.path.name
            row["logo"] = f"{project.folder.name}/{inside}"
    return rows


def run_export_registry(settings: Settings, fmt: str, output: str | Path | None) -> int:
    """`showcase export registry`: Table 1 of every publishable project → xlsx/csv/json/docx."""
    logos.configure(budgets_of(settings))
    projects, _findings = load_all(settings)
    published = publishable(projects)
    left_out = [p for p in projects if p not in published]
    for project in left_out:
        reason = "缺少必填项" if not project.publishable else f"网址名“{project.slug}”重复"
        _echo(f"未导出 {project.folder}：{reason}（运行 showcase check 查看详情）", err=True)
    if not published:
        _echo("没有可导出的项目：请检查项目文件夹（showcase check）。", err=True)
        return 1
    rows = _rows_for_export(published, settings)
    if not settings.site_url:
        _echo(f"提示：{SITE_URL_NOTICE}", err=True)
    notes: list[str] = []
    for project in published:
        for finding in project.findings:
            if finding.is_error and finding.field == "logo" and project.logo is None:
                notes.append(f"{finding.format(settings.base_dir)}，登记表中用占位图代替")
    if fmt == "csv":
        data = registry_csv(rows, settings)
    elif fmt == "json":
        data = registry_json(rows, settings)
    elif fmt == "docx":
        data = registry_docx(rows, published, settings, notes)
    else:
        data = registry_xlsx(rows, published, settings, notes)
    for note in notes:
        _echo(f"提示：{note}", err=True)
    target = Path(output) if output else Path(f"登记表.{fmt}")
    if not write_output(target, data):
        return 1
    _echo(f"已导出登记表（{len(rows)} 个项目）：{target}")
    return 0


def _find_project(projects: list[Project], slug: str) -> Project | None:
    """By URL name, folder name, or the folder's path as typed (`projects/我的学校/`)."""
    wanted = Path(slug)
    for project in projects:
        if slug in (project.slug, project.folder.name):
            return project
    for project in projects:
        if wanted.exists() and wanted.resolve() == project.folder.resolve():
            return project
    name = wanted.name
    return next((p for p in projects if name and name in (p.slug, p.folder.name)), None)


def run_export_form(settings: Settings, slug: str, output: str | Path | None) -> int:
    """`showcase export form <slug>`: one project's filled 申报表 for signature and seal."""
    logos.configure(budgets_of(settings))
    projects, _findings = load_all(settings)
    project = _find_project(projects, slug)
    if project is None:
        names = "、".join(p.slug for p in projects) or "（没有找到任何项目）"
        _echo(f"找不到网址名或文件夹名为“{slug}”的项目。现有项目：{names}", err=True)
        return 1
    for finding in project.findings:
        if finding.is_error:
            _echo(f"提示：{finding.format(settings.base_dir)}", err=True)
    notes: list[str] = []
    data = form_docx(project, settings, notes)
    for note in notes:
        _echo(f"提示：{note}", err=True)
    target = Path(output) if output else Path(f"{project.folder.name}-申报表.docx")
    if not write_output(target, data):
        return 1
    _echo(f"已导出申报表：{target}（含负责人和联系方式，仅供内部使用）")
    return 0
