"""`showcase check`: findings printed for people (text), tools (json) or the office (html)."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from itertools import groupby
from pathlib import Path

import click

from . import places
from .build import load_all
from .findings import Finding, Level, summary_line, unique
from .settings import Settings

SOURCE_GROUP = "（来源设置）"
"""Group name of findings that belong to no project (a missing source folder …)."""


def run_check(
    settings: Settings,
    *,
    fmt: str = "text",
    output: str | None = None,
    links: bool = False,
    config_file: str = "mkdocs.yml",
) -> int:
    """Check every project of `settings.sources`; 1 when there is an error, else 0.

    Never raises: an unexpected failure is a Chinese message and exit code 2.
    """
    try:
        projects, findings = load_all(settings)
        findings = unique(findings)
        if fmt != "html":  # issue 16: name the zip and the path inside it, not our cache
            findings = places.as_given(findings, projects, settings)
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
            from .linkcheck import run_links

            findings = findings + run_links(
                config_file, "text" if fmt == "text" and not output else "quiet"
            )
        root = Path.cwd()
        if fmt == "json":
            text = (
                json.dumps([f.to_dict(root) for f in findings], ensure_ascii=False, indent=2) + "\n"
            )
        elif fmt == "html":  # the office's review list: the same as the site's /review/ page
            from .review import render_html

            text = render_html(projects, findings, settings)
        else:
            text = None
        if text is None:
            lines = text_report(findings, root, len(projects), color=output is None)
            if output:
                write_atomic(Path(output), "\n".join(click.unstyle(line) for line in lines) + "\n")
            else:
                for line in lines:
                    click.echo(line)
        elif output:
            write_atomic(Path(output), text)
        else:
            click.echo(text, nl=False)
        if output:
            click.echo(
                f"已写入 {output}（{len(projects)} 个项目：{summary_line(findings)}）", err=True
            )
        return 1 if any(f.is_error for f in findings) else 0
    except WriteError as exc:
        click.echo(str(exc), err=True)
        return 2
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


def print_text(findings: list[Finding], root: Path, project_count: int) -> None:
    for line in text_report(findings, root, project_count):
        click.echo(line)


class WriteError(Exception):
    pass


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file and rename, so a reader never sees half a report."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    except OSError as exc:
        raise WriteError(f"无法写入 {path}：{exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes files private; a report is meant to be passed on
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WriteError(f"无法写入 {path}：{exc.strerror or exc}") from exc
