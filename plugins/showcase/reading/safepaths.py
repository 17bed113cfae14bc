"""Project folders are real folders inside their source: a link is never followed.

A git repository can hold a symbolic link `stolen -> /some/other/project`; cloned, it
is a folder with a project.yml to anyone who follows links, and the district site
published whatever it pointed at. A zip's links were already refused; a folder source
can hold them too (`ln -s`, a Windows junction or directory symlink). The rule for
every kind of source: a candidate project folder, and every folder between the
source's root and it, must be a real directory, and it must resolve inside the root.
`tree.list_children` applies it to every source kind (folders, unpacked zips, git
clones); git clones are made with `core.symlinks=false` besides, so they hold no links.

"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["is_linked_folder", "linked_folder_message"]


def _is_link(path: Path) -> bool:
    try:
        if path.is_symlink():
            return True
        is_junction = getattr(path, "is_junction", None)  # Python 3.12+, Windows junctions
        if is_junction is not None and is_junction():
            return True
        isjunction = getattr(os.path, "isjunction", None)
        return bool(isjunction is not None and isjunction(path))
    except (OSError, ValueError):
        return True  # a path we cannot even inspect is not followed either


def is_linked_folder(path: Path, root: Path) -> bool:
    """True when `path` must not be read as a project folder of the source at `root`:
    it, or a folder between `root` and it, is a link (symlink or junction), or it
    resolves outside `root`. `root` itself may be a link (the site's own config chose it).
    """
    path = Path(path)
    root = Path(root)
    try:
        relative = path.relative_to(root)
    except ValueError:
        try:
            relative = Path(os.path.abspath(path)).relative_to(os.path.abspath(root))
        except ValueError:
            return True  # not under the root at all
    current = root
    for part in relative.parts:
        current = current / part
        if _is_link(current):
            return True
    try:
        real = Path(os.path.realpath(path))
        real_root = Path(os.path.realpath(root))
    except (OSError, ValueError):
        return True
    return not (real == real_root or real_root in real.parents)


def linked_folder_message(path: Path) -> str:
    """The finding for a skipped link, in Chinese, naming where it pointed when known."""
    try:
        target = os.readlink(path)
    except (OSError, ValueError, AttributeError):
        target = ""
    where = f"（指向“{target}”）" if target else ""
    return f"“{Path(path).name}”是一个链接{where}，不是真正的文件夹；出于安全不会读取"
