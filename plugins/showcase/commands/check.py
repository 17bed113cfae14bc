"""`showcase check`: findings printed for people (text), tools (json) or the office (html)."""

from __future__ import annotations

import json
from itertools import groupby
from pathlib import Path

import click

from ..build import load_all
from ..core.findings import Finding, Level, summary_line, unique
from ..reading.places import as_given
from ..site.review import render_html
from .linkcheck import run_links
from .output import write_output
from .siteconfig import SiteConfig

SOURCE_GROUP = "（来源设置）"
"""Group name of findings that belong to no project (a missing source folder …)."""


def run_check(
    site: SiteConfig,
    *,
    fmt: str = "text",
    output: str | None = None,
    links: bool = False,
) -> int:
    """Check every project of the site's sources; 1 when there is an error, else 0.

    Never raises: an unexpected failure is a Chinese message and exit code 2.
    """
    settings = site.settings
    try:
        projects, findings = load_all(settings)
        findings = unique(findings)
        if fmt != "html":  # issue 16: name the zip and the path inside it, not our cache
            findings = as_given(findings, projects, settings)
        if not projects and not any(f.is_error for f in findings):
            where = "、".join(str(s) for s in settings.sources) or "（未设置）"
            findings.append(
                Finding(
                    Level.ERROR,
                    f"在 {where} 中没有找到任何项目文件夹（含 project.yml 的文件夹）",
                    hint="可运行 showcase new <文件夹> 新建一个项目",
                )
            )
        if links:  # the built site's internal links and anchors (external ones only listed)
            shown = "text" if fmt == "text" and not output else "quiet"
            findings = findings + run_links(site.site_dir, settings.site_url, shown)
        root = Path.cwd()
        if fmt == "json":
            text = (
                json.dumps([f.to_dict(root) for f in findings], ensure_ascii=False, indent=2) + "\n"
            )
        elif fmt == "html":  # the office's review list: the same as the site's /review/ page
            text = render_html(projects, findings, settings)
        else:
            text = None
        if text is None:
            lines = text_report(findings, root, len(projects), color=output is None)
            if output:
                if not write_output(Path(output), "\n".join(map(click.unstyle, lines)) + "\n"):
                    return 2
            else:
                for line in lines:
                    click.echo(line)
        elif output:
            if not write_output(Path(output), text):
                return 2
        else:
            click.echo(text, nl=False)
        if output:
            click.echo(
                f"已写入 {output}（{len(projects)} 个项目：{summary_line(findings)}）", err=True
            )
        return 1 if any(f.is_error for f in findings) else 0
    except Exception as exc:  # noqa: BLE001 - no traceback reaches the user
        click.echo(
            f"检查未能完成：发生意外错误（{type(exc).__name__}: {exc}）。"
            "请把这条信息和项目文件夹发给技术人员。",
            err=True,
        )
        return 2


def _group_key(finding: Finding) -> str:
    return finding.project or ""


def grouped(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings by project (source-level ones first), each project's in the order found."""
    ordered = sorted(findings, key=_group_key)
    return [(name or SOURCE_GROUP, list(items)) for name, items in groupby(ordered, key=_group_key)]


def text_report(
    findings: list[Finding], root: Path, project_count: int, *, color: bool = True
) -> list[str]:
    lines: list[str] = []
    for project, items in grouped(findings):
        errors = sum(1 for f in items if f.is_error)
        head = f"■ {project}（{errors} 个错误，{len(items) - errors} 个警告）"
        lines.append(click.style(head, bold=True) if color else head)
        for f in items:
            level = f.level.chinese
            if color:
                level = click.style(level, fg="red" if f.is_error else "yellow")
            lines.append(f"  {level} {f.format(root)}")
    ok = "，全部通过" if not findings else ""
    lines.append(f"检查了 {project_count} 个项目：{summary_line(findings)}{ok}")
    return lines
