"""`showcase import-docx`: filled forms → project folders, with a report of each; or, with
`--into`, a case, plan or write-up written in Word → that project's Markdown."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from ..core.fields import FIELDS
from ..office.formreader import FormData, ImportProblem
from ..office.importform import as_docx, read_forms, write_project
from ..office.importreport import MISSING, field_report, field_status
from ..reading.load import load_project


def run_import(forms: list[Path], output: Path) -> int:
    """`showcase import-docx`: each form → a project folder (one per branch its 表一
    lists); exit code 1 if any form failed."""
    failed = 0
    for form in forms:
        with tempfile.TemporaryDirectory(prefix="showcase-import-") as work:
            try:
                docx_path = as_docx(form, Path(work))
                branches = read_forms(docx_path)
            except ImportProblem as exc:
                click.echo(f"✗ {form}：{exc}", err=True)
                failed += 1
                continue
            except Exception as exc:  # one bad form must not stop the others
                click.echo(f"✗ {form}：导入时出错（{type(exc).__name__}: {exc}），未导入", err=True)
                failed += 1
                continue
        if len(branches) > 1:
            click.echo(f"《{form.name}》的登记表里有 {len(branches)} 个支部，各建一个项目文件夹")
        for data in branches:
            data.source = form
            try:
                target = write_project(data, output)
            except ImportProblem as exc:
                click.echo(f"✗ {form}：{exc}", err=True)
                failed += 1
                continue
            _report(form, data, target)
    if len(forms) > 1:
        click.echo(f"共 {len(forms)} 份申报表：导入 {len(forms) - failed} 份，失败 {failed} 份")
    return 1 if failed else 0


def _report(form: Path, data: FormData, target: Path) -> None:
    """Where each field came from, what to check, and what loading the folder still finds."""
    click.echo(f"✓ {form} → {target}")
    click.echo("  每一项的来源：")
    for line in field_report(data):
        click.echo(f"  · {line}")
    if data.notes or data.findings:
        click.echo("  请核对：")
    for line in data.notes:
        click.echo(f"  · {line}")
    for finding in data.findings:
        click.echo(f"  · {finding.level.chinese}：{finding.format()}")
    # what loading the new folder still finds (a required field told above is not repeated)
    told = {f.key for f in FIELDS if f.required and field_status(data, f)[0] == MISSING}
    project = load_project(target)
    for finding in project.findings:
        if finding.is_error and finding.field not in told:
            click.echo(f"  · 检查：{finding.format()}")


def run_import_text(files: list[Path], project: Path, kind: str | None = None) -> int:
    """`showcase import-docx FILE --into PROJECT [--as case|plan]`: each Word file → a case
    or plan of the project; exit code 1 if any failed."""
    from ..office.docimport import PLAN, import_text, write_text_doc

    if not project.is_dir():
        click.echo(f"✗ 找不到项目文件夹 {project}：请先用 showcase new 新建，或检查路径", err=True)
        return 1
    failed = 0
    for source in files:
        with tempfile.TemporaryDirectory(prefix="showcase-import-") as work:
            try:
                doc = import_text(as_docx(source, Path(work)), kind)
                doc.source = source
                target = write_text_doc(doc, project)
            except ImportProblem as exc:
                click.echo(f"✗ {source}：{exc}", err=True)
                failed += 1
                continue
            except Exception as exc:  # one bad file must not stop the others
                click.echo(
                    f"✗ {source}：导入时出错（{type(exc).__name__}: {exc}），未导入", err=True
                )
                failed += 1
                continue
        what = "计划" if doc.kind == PLAN else "案例"
        click.echo(f"✓ {source} → {target}（{what}“{doc.title}”）")
        if doc.headings:
            click.echo(f"  标题 {len(doc.headings)} 个：" + "｜".join(doc.headings[:8]))
        appendix = doc.meta.get("appendix") or []
        if appendix:
            click.echo(
                f"  重要资料附录 {len(appendix)} 项，图片 {len(doc.pictures)} 张（已去除拍摄信息）"
            )
        schedule = doc.meta.get("schedule") or {}
        if schedule:
            click.echo(f"  工作安排：{'、'.join(schedule)}")
        for line in doc.notes:
            click.echo(f"  · {line}")
        for finding in doc.findings:
            click.echo(f"  · {finding.level.chinese}：{finding.format()}")
    return 1 if failed else 0
