"""Findings: every error or warning about a project, in Chinese, with its place.

The plugin's log, `showcase check` and the tests all use this one type.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path

from . import safetext
from .fields import BY_KEY


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def chinese(self) -> str:
        return "错误" if self is Level.ERROR else "警告"


@dataclass(frozen=True)
class Finding:
    level: Level
    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    hint: str | None = None
    project: str | None = None
    """The project folder's name, to group findings by project."""

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR

    def place(self, root: Path | None = None) -> str:
        if not self.file:
            return ""
        path = self.file
        if root is not None:
            with contextlib.suppress(ValueError):
                path = os.path.relpath(self.file, root)
        path = path.replace(os.sep, "/")
        return f"{path}:{self.line}" if self.line else path

    def field_name(self) -> str:
        if not self.field:
            return ""
        known = BY_KEY.get(self.field)
        return known.display() if known else self.field

    def format(self, root: Path | None = None) -> str:
        """`projects/x/project.yml:7 精品项目简介 (summary): 220 字，超出 200 字上限`"""
        head = " ".join(p for p in (self.place(root), self.field_name()) if p)
        text = f"{head}: {self.message}" if head else self.message
        if self.hint:
            text += f"（{self.hint}）"
        # a file name may hold ESC or a direction override: never into a terminal or a page
        return text if safetext.is_clean(text) else safetext.clean_name(text)

    def to_dict(self, root: Path | None = None) -> dict:
        """For `showcase check --format json`: level, file, line, field (+ its label), message, hint."""
        data = asdict(self)
        data["level"] = self.level.value
        data["file"] = self.place(root).rsplit(":", 1)[0] if self.line else self.place(root)
        known = BY_KEY.get(self.field or "")
        data["field_label"] = known.label if known else None
        return data


@dataclass
class Findings:
    """A list of findings that knows its defaults (file, project) while loading."""

    items: list[Finding] = field(default_factory=list)

    def add(
        self,
        level: Level,
        message: str,
        *,
        file: Path | str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
        project: str | None = None,
    ) -> Finding:
        finding = Finding(
            level, message, str(file) if file is not None else None, line, field, hint, project
        )
        self.items.append(finding)
        return finding

    def error(self, message: str, **kw) -> Finding:
        return self.add(Level.ERROR, message, **kw)

    def warning(self, message: str, **kw) -> Finding:
        return self.add(Level.WARNING, message, **kw)

    def extend(self, other: Iterable[Finding]) -> None:
        self.items.extend(other)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.items if not f.is_error]


def unique(findings: Iterable[Finding]) -> list[Finding]:
    """Each finding once, in first-seen order (a build logs each finding once)."""
    return list(dict.fromkeys(findings))


def summary_line(findings: Iterable[Finding]) -> str:
    items = list(findings)
    errors = sum(1 for f in items if f.is_error)
    return f"共 {errors} 个错误，{len(items) - errors} 个警告"
