"""What every kind of source yields: project folders found in a folder tree."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.findings import Findings
from .folders import name_finding
from .safepaths import is_linked_folder, linked_folder_message

SKIPPED_DIRS = frozenset({"__macosx", ".git", ".svn"})


@dataclass(frozen=True)
class ProjectSource:
    folder: Path
    label: str
    """What a person recognises: the folder, the zip or the git URL it came from."""


def is_project_folder(path: Path) -> bool:
    return (path / "project.yml").is_file() or (path / "project.yaml").is_file()


@dataclass(frozen=True)
class SourceEntry:
    kind: str
    """`path` or `git`"""
    text: str
    ref: str = ""


def list_children(folder: Path, findings: Findings) -> list[Path] | None:
    try:
        children = sorted(
            p
            for p in folder.iterdir()
            if not p.name.startswith((".", "_")) and p.name.lower() not in SKIPPED_DIRS
        )
    except OSError as exc:
        findings.error(f"无法读取来源文件夹：{exc.strerror or exc}", file=folder)
        return None
    out = []
    for child in children:
        if is_linked_folder(child, folder):  # a link is never followed, in any kind of source
            findings.warning(linked_folder_message(child), file=child)
            continue
        try:
            child.name.encode("utf-8")
        except UnicodeEncodeError:  # a name in an unknown encoding cannot go into pages or JSON
            shown = os.fsencode(child.name).decode("utf-8", "replace")
            findings.error(
                f"“{shown}”的名称编码无法识别，已跳过（请改成正常的中文或英文名）", file=folder
            )
            continue
        name_finding(child, findings)
        out.append(child)
    return out


def non_empty(folder: Path) -> bool:
    try:
        return any(folder.iterdir())
    except OSError:
        return False


def find_in_tree(root: Path, label: str, findings: Findings, depth: int = 0) -> list[ProjectSource]:
    """Projects in an extracted archive or a clone: the root, its child folders, or under one wrapper folder."""
    if is_project_folder(root):
        return [ProjectSource(root, label)]
    children = [c for c in (list_children(root, findings) or []) if c.is_dir()]
    found = [ProjectSource(c, label) for c in children if is_project_folder(c)]
    if not found and len(children) == 1 and depth < 3:
        return find_in_tree(children[0], label, findings, depth + 1)
    if found:
        for c in children:
            if not is_project_folder(c):
                findings.warning(f"“{label}”里的文件夹“{c.name}”没有 project.yml，已跳过", file=c)
    return found


def safe_folder_name(text: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .")
    return name or "project"
