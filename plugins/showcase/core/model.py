"""The project model: plain dataclasses, no MkDocs.

`load` turns a folder into these; `pages` and `export` read them. The same model
can serve another engine (ProperDocs) or the command line.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .fields import BY_KEY, FIELDS
from .findings import Finding
from .textutil import mask_phone


@dataclass
class Indicator:
    text: str
    kind: str = "explicit"
    """`explicit` (显性指标) or `implicit` (隐性指标)."""
    target: float | None = None
    unit: str = ""
    actual: dict[int, float] = field(default_factory=dict)

    @property
    def is_numeric(self) -> bool:
        return self.target is not None or bool(self.actual)

    @property
    def latest(self) -> tuple[int, float] | None:
        if not self.actual:
            return None
        year = max(self.actual)
        return year, self.actual[year]

    @property
    def progress(self) -> float | None:
        """The latest actual value as a share of the target (1.0 = reached)."""
        latest = self.latest
        if latest is None or not self.target:
            return None
        return latest[1] / self.target


@dataclass
class Opinion:
    text: str = ""
    signed_by: str = ""
    date: _dt.date | None = None


@dataclass
class Image:
    """A source image (logo, photo, appendix picture); `media` derives what is published."""

    path: Path
    caption: str = ""
    derived: Any = None
    """The media pipeline's result (`media.ImageSet`), set before pages are made."""


@dataclass
class Attachment:
    """A non-image appendix file (pdf, docx, xlsx, pptx …), published as a download."""

    path: Path
    title: str
    size: int
    published: str = ""
    """Site path of the published copy, set when pages are made."""

    @property
    def ext(self) -> str:
        return self.path.suffix.lower().lstrip(".")

    @property
    def type_label(self) -> str:
        return FILE_TYPES.get(self.ext, self.ext.upper() or "文件")


FILE_TYPES = {
    "pdf": "PDF 文档",
    "doc": "Word 文档",
    "docx": "Word 文档",
    "xls": "Excel 表格",
    "xlsx": "Excel 表格",
    "ppt": "PPT 演示文稿",
    "pptx": "PPT 演示文稿",
    "wps": "WPS 文档",
    "txt": "文本文件",
    "zip": "压缩包",
    "mp4": "视频",
}


@dataclass
class Case:
    slug: str
    title: str
    source: Path
    body: str = ""
    date: _dt.date | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    images: list[Image] = field(default_factory=list)
    files: list[Attachment] = field(default_factory=list)


@dataclass
class Album:
    slug: str
    title: str
    source: Path
    date: _dt.date | None = None
    description: str = ""
    photos: list[Image] = field(default_factory=list)
    cover: Image | None = None


@dataclass
class ScheduleMonth:
    month: int
    items: list[str]


@dataclass
class Plan:
    slug: str
    title: str
    source: Path
    body: str = ""
    year: int | None = None
    schedule: list[ScheduleMonth] = field(default_factory=list)
    """In calendar order."""


@dataclass
class Project:
    folder: Path
    slug: str
    values: dict[str, Any] = field(default_factory=dict)
    """Field key → value, as loaded and type-checked (see `fields.FIELDS`)."""
    lines: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    """Field key → (file, line) where it was set, for findings."""
    logo: Image | None = None
    cases: list[Case] = field(default_factory=list)
    albums: list[Album] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    source_label: str = ""
    """Where the folder came from (a folder, a zip, a git URL), for messages."""
    modified: _dt.datetime | None = None
    """Newest change among its files, for the review page."""

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def __getattr__(self, key: str) -> Any:
        # Field values read like attributes in templates: project.name, project.branch
        if key in BY_KEY:
            return self.values.get(key)
        raise AttributeError(key)

    @property
    def title(self) -> str:
        return self.values.get("name") or self.folder.name

    @property
    def indicators(self) -> list[Indicator]:
        return self.values.get("indicators") or []

    def indicators_of(self, kind: str) -> list[Indicator]:
        return [i for i in self.indicators if i.kind == kind]

    @property
    def publishable(self) -> bool:
        """A project missing a required field is left out of the site."""
        return all(self.values.get(f.key) for f in FIELDS if f.required and f.key != "logo")

    def public_values(self, publish_personal: bool = False) -> dict[str, Any]:
        """The values a public page may show; personal data only when the site asks for it."""
        out = {}
        for f in FIELDS:
            value = self.values.get(f.key)
            if value in (None, "", [], {}):
                continue
            if f.personal:
                if not publish_personal:
                    continue
                if f.key == "contact":
                    value = mask_phone(value)
            out[f.key] = value
        return out
