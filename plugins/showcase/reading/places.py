"""Findings name what the user gave: the zip or repository and the path inside it.

A district's zip submissions and git sources are read from copies under `cache_dir`
(`.cache/showcase/sources/zip-<hash>/…`); a finding about one of their files named that
copy, which nobody at the office can find. Here such a place becomes
`submissions/文三教育集团.zip › 文三教育集团/project.yml`, like the review page shows it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from pathlib import Path

from ..core.findings import Finding
from ..core.model import Project
from ..core.settings import Settings

SEPARATOR = " › "


def _archive_root(path: Path, cache: Path) -> Path | None:
    """The unpacked zip (`zip-<hash>`) or clone (`git-<key>/<repo>`) that `path` is in."""
    try:
        parts = path.relative_to(cache).parts
    except ValueError:
        return None
    if len(parts) >= 2 and parts[0].startswith("zip-"):
        return cache / parts[0]
    if len(parts) >= 3 and parts[0].startswith("git-"):
        return cache / parts[0] / parts[1]
    return None


def as_given(
    findings: Iterable[Finding], projects: Iterable[Project], settings: Settings
) -> list[Finding]:
    """The findings, each file inside a fetched source written as `label › path inside it`."""
    cache = settings.sources_cache.absolute()
    labels: dict[Path, str] = {}
    for project in projects:
        root = _archive_root(Path(project.folder).absolute(), cache)
        if root is not None and project.source_label:
            labels.setdefault(root, project.source_label)
    if not labels:
        return list(findings)
    out = []
    for finding in findings:
        root = _archive_root(Path(finding.file).absolute(), cache) if finding.file else None
        if root is not None and root in labels:
            inner = os.path.relpath(Path(finding.file).absolute(), root).replace(os.sep, "/")
            finding = dataclasses.replace(finding, file=f"{labels[root]}{SEPARATOR}{inner}")
        out.append(finding)
    return out
