"""The project model: plain dataclasses, no MkDocs.

`load` turns a folder into these; `pages` and `export` read them. The same model
can serve another engine (ProperDocs) or the command line.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import targets
from .fields import BY_KEY, FIELDS
from .findings import Finding
from .pii import mask_contact


@dataclass
class Indicator:
    text: str
    kind: str = "explicit"
    """`explicit` (显性指标) or `implicit` (隐性指标)."""
    target: float | None = None
    """The target; for a bound the bound, for a range its lower end (see `targets`)."""
    unit: str = ""
    actual: dict[int, float] = field(default_factory=dict)
    bound: str = targets.EXACT
    """`targets.EXACT` (reach the number), AT_LEAST, AT_MOST or RANGE."""
    target_high: float | None = None
    """A range's upper end (`10-15名` → 15)."""
    target_text: str = ""
    """The target as the author wrote it (`不低于10%`), when it says more than a number."""

    @property
    def is_numeric(self) -> bool:
        return self.target is not None or bool(self.actual)

    @property
    def target_label(self) -> str:
        """The target as readers see it: as written, else the number and its unit."""
        if self.target is None:
            return ""
        return self.target_text or f"{targets.fmt_number(self.target)}{self.unit}"

    @property
    def latest(self) -> tuple[int, float] | None:
        if not self.actual:
            return None
        year = max(self.actual)
        return year, self.actual[year]

    def reached(self, value: float) -> bool | None:
        """Whether `value` meets the target; None without a target."""
        outcome = targets.assess(self.bound, self.target, value)
        return None if outcome is None else outcome.met

    def share(self, value: float) -> float | None:
        """`value` as a share of a plain number target (1.0 = reached); None for a bound,
        a range or a zero target, which are met or not (see `targets.assess`)."""
        outcome = targets.assess(self.bound, self.target, value)
        return None if outcome is None else outcome.share

    @property
    def outcome(self) -> targets.Outcome | None:
        """The latest value against the target: what the project page and the statistics
        both report; None without a target or a value."""
        latest = self.latest
        return targets.assess(self.bound, self.target, latest[1] if latest else None)


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
    appendix: list[AppendixItem] = field(default_factory=list)
    """重要资料附录 in the author's order: the same images and files, grouped and numbered."""


@dataclass
class AppendixItem:
    """One entry of a case's 重要资料附录: one or more files under one description."""

    title: str
    number: str = ""
    """The author's number (`01-…` → `1`, or the place in the `appendix:` list); '' if none."""
    type_label: str = ""
    """As the author wrote it (`图片、文本`), else made from the files (`图片、Word 文档`)."""
    images: list[Image] = field(default_factory=list)
    files: list[Attachment] = field(default_factory=list)
    description: str = ""
    """A sentence about the material, shown under its title (`description:` beside `title:`)."""


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
class ScheduleEntry:
    """A `schedule:` key that is not a month: work that recurs (每周, 每学期末) or falls on
    a named day (七一前, 教师节)."""

    label: str
    """As written: 每学期末, 七一前."""
    items: list[str]
    recurring: bool = False
    month: int | None = None
    """The month a named day falls in (教师节 → 9, 七一前 → 6); None when it moves (春节)."""


@dataclass
class Plan:
    slug: str
    title: str
    source: Path
    body: str = ""
    year: int | None = None
    schedule: list[ScheduleMonth] = field(default_factory=list)
    """In calendar order."""
    timed: list[ScheduleEntry] = field(default_factory=list)
    """Recurring work and named days, in the author's order."""
    date: _dt.date | None = None
    """When the plan was issued (印发日期)."""
    scope: str = ""
    """Whom it covers (适用范围): 本支部, 集团各成员校, 全区中小学党组织."""
    issuer: str = ""
    """Who issued it (制定单位), when not the branch itself (区教育局党委)."""


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
                    value = mask_contact(value)
            out[f.key] = value
        return out
