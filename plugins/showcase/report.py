"""`showcase check`: findings printed for people (text), tools (json) or the office (html)."""

from __future__ import annotations

import json
from itertools import groupby
from pathlib import Path

import click

from .build import load_all
from .findings import Finding, summary_line
from .settings import Settings


def run_check(settings: Settings, *, fmt: str = "text", output: str | None = None,
              links: bool = False, config_file: str = "mkdocs.yml") -> int:
    projects, findings = load_all(settings)
    root = Path.cwd()
    if fmt == "json":
        click.echo(json.dumps([f.to_dict(root) for f in findings], ensure_ascii=False, indent=2))
    else:
        print_text(findings, root, len(projects))
    return 1 if any(f.is_error for f in findings) else 0


def print_text(findings: list[Finding], root: Path, project_count: int) -> None:
    key = lambda f: f.project or ""  # noqa: E731
    for project, items in groupby(sorted(findings, key=key), key=key):
        click.secho(f"■ {project or '（来源）'}", bold=True)
        for f in items:
            color = "red" if f.is_error else "yellow"
            click.echo("  " + click.style(f.level.chinese, fg=color) + " " + f.format(root))
    click.echo(f"检查了 {project_count} 个项目：{summary_line(findings)}")
