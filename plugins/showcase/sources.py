"""Sources: the `sources:` entries → project folders on disk, with findings.

An entry is a folder of project folders, a single project folder, a `.zip`
submission or a folder of them, or a git URL. Whatever cannot be read becomes a
finding; nothing here raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .findings import Finding, Findings
from .settings import Settings


@dataclass(frozen=True)
class ProjectSource:
    folder: Path
    label: str
    """What a person recognises: the folder, the zip or the git URL it came from."""


def is_project_folder(path: Path) -> bool:
    return (path / "project.yml").is_file() or (path / "project.yaml").is_file()


def _folder_projects(folder: Path, label: str, findings: Findings) -> list[ProjectSource]:
    if is_project_folder(folder):
        return [ProjectSource(folder, label)]
    out = []
    try:
        children = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    except OSError as exc:
        findings.error(f"无法读取来源文件夹：{exc.strerror or exc}", file=folder)
        return []
    for child in children:
        if is_project_folder(child):
            out.append(ProjectSource(child, label))
        elif any(child.iterdir()):
            findings.warning("这个文件夹里没有 project.yml，不是项目文件夹，已跳过", file=child)
    return out


def watch_paths(settings: Settings) -> list[Path]:
    """Local paths `mkdocs serve` should watch."""
    out = []
    for entry in settings.sources:
        text = entry if isinstance(entry, str) else str(entry.get("path", "")) if isinstance(entry, dict) else ""
        if text and "://" not in text:
            out.append(settings.resolve(text))
    return out


def resolve_sources(settings: Settings) -> tuple[list[ProjectSource], list[Finding]]:
    findings = Findings()
    projects: list[ProjectSource] = []
    for entry in settings.sources:
        if not isinstance(entry, str):
            findings.error(f"sources 里的“{entry}”应是文件夹路径、zip 文件或 git 地址")
            continue
        path = settings.resolve(entry)
        if not path.exists():
            findings.error(f"找不到来源“{entry}”", file=path)
            continue
        if path.is_dir():
            projects.extend(_folder_projects(path, entry, findings))
        else:
            findings.error(f"来源“{entry}”不是文件夹", file=path)
    return projects, list(findings)
