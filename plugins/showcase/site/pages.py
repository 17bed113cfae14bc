"""Pages: the model → generated MkDocs pages (Markdown with HTML), from Jinja templates.

Templates live in `templates/showcase/` and are looked up through the theme's
environment, so a site's `custom_dir` can override any of them. This module
knows URLs but not MkDocs: it returns (src_uri, markdown) pairs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..core import textutil
from ..core.budgets import Budgets, budgets_of
from ..core.fields import FORM_FIELDS, FieldType, registry_headers
from ..core.findings import Finding, Level
from ..core.model import Image, Project
from ..core.settings import Settings
from . import appendix, charts, imagesizes, markdown, pagepii, review, stats, timeline
from .links import (
    DISTRICTS_SRC,
    EMBED_SRC,
    HOME_SRC,
    REGISTRY_SRC,
    REVIEW_SRC,
    STATISTICS_SRC,
    GeneratedPage,
    SiteLinks,
    relative_url,
)
from .mdbudget import failed

SHORT_TYPES = {FieldType.TEXT, FieldType.INTEGER, FieldType.FILE, FieldType.URL}


@dataclass
class PageRenderer:
    env: jinja2.Environment
    settings: Settings
    links: SiteLinks
    placeholders: dict[str, str] = field(default_factory=dict)
    """Project slug → site path of its generated logo placeholder."""
    findings: list[Finding] = field(default_factory=list)
    """Texts past their rendering budget, shown as plain text (one finding each)."""
    _spent: dict[int, list] = field(default_factory=dict)
    """Per project: [bytes, seconds] of Markdown rendered so far (the school's budget)."""

    @property
    def _budgets(self) -> Budgets:
        return budgets_of(self.settings)

    # --- helpers given to templates ---

    def _context(self, src_uri: str, **extra: Any) -> dict[str, Any]:
        here = self.links.url(src_uri)

        def url(target: str) -> str:
            if target.endswith(".md"):
                target = self.links.url(target)
            return relative_url(target, here)

        return {
            "settings": self.settings,
            "links": self.links,
            "url": url,
            "picture": lambda img, **kw: self.picture(img, url, **kw),
            "logo": lambda p, **kw: self.logo(p, url, **kw),
            "md": lambda text, level=3: self.markdown(text, level, extra),
            "cn_date": textutil.chinese_date,
            "human_size": textutil.human_size,
            "cn_month": lambda m: textutil.CHINESE_MONTHS[m - 1],
            "form_blocks": self.form_blocks,
            "word_count": textutil.word_count,
            "number": _number,
            "indicator_chart": lambda ind, uid=None: Markup(charts.indicator_chart(ind, uid)),
            "split_indicators": charts.split_indicators,
            "indicator_runs": charts.indicator_runs,
            "indicator_pending": charts.pending,
            "indicator_status": charts.indicator_status,
            "plan_months": charts.plan_months,
            "plan_recurring": timeline.plan_recurring,
            "plan_unplaced": timeline.plan_unplaced,
            "own_numbers": timeline.own_numbers,
            "split_appendix": appendix.split_appendix,
            "activity_years": charts.activity_years,
            "sizes": imagesizes,  # `sizes` of each kind of picture, and the first-screen rules
            **extra,
        }

    def markdown(self, text: str, level: int, page: dict[str, Any]) -> Markup:
        """An author's text as HTML; past its budget, as escaped paragraphs and a finding.

        A school's texts share a budget too (`school_markdown_kb`, `school_markdown_seconds`):
        past it, its remaining texts are shown as plain text, each with a finding."""
        project = page.get("project")
        spent = self._spent.setdefault(id(project), [0, 0.0]) if project is not None else None
        size = len(text.encode("utf-8", "surrogatepass")) if text else 0
        budgets = self._budgets
        max_seconds = None
        rendered = None
        if spent is not None and text:
            left = budgets.school_markdown_seconds - spent[1]
            if spent[0] + size > budgets.school_markdown_kb * 1024:
                reason = f"本项目的文字总量超出上限（{budgets.school_markdown_kb:.0f} KB）"
            elif left <= 0:
                reason = (
                    f"本项目的文字排版总用时超出上限（{budgets.school_markdown_seconds:.3g} 秒）"
                )
            else:
                reason = None
                max_seconds = left
            if reason is not None:
                rendered = failed(
                    text,
                    "school",
                    f"{reason}，这段按纯文本显示",
                    "请精简各篇案例和相册说明，或把大量重复的符号删去",
                )
        if rendered is None:
            rendered = markdown.render_text(
                text,
                allow_raw_html=self.settings.allow_raw_html,
                baselevel=level,
                max_seconds=max_seconds,
            )
            if spent is not None:
                spent[0] += size
                spent[1] += rendered.seconds
        if not rendered.ok:
            file, line, key = _source_of(text, page)
            self.findings.append(
                Finding(
                    Level.WARNING,
                    f"这段内容无法排版：{rendered.reason}",
                    file=str(file) if file else None,
                    line=line,
                    field=key,
                    hint=rendered.hint,
                    project=page["project"].folder.name if page.get("project") else None,
                )
            )
        return Markup(rendered.html)

    def render(self, template: str, src_uri: str, **extra: Any) -> str:
        return self.env.get_template(template).render(self._context(src_uri, **extra))

    def picture(
        self,
        image: Image | None,
        url,
        *,
        sizes: str = "100vw",
        width: int = 800,
        alt: str | None = None,
        eager: bool = False,
        css: str = "",
        priority: bool = False,
    ) -> Markup:
        """`<picture>` with WebP sources and a JPEG/PNG fallback, width/height set."""
        if image is None or image.derived is None:
            return Markup("")
        s = image.derived
        alt = image.caption if alt is None else alt
        svg = s.svg
        fallback = s.pick(s.fallback_format, width)
        webp = s.of("webp")
        lazy = "eager" if eager else "lazy"
        # the largest image of the first screen is fetched before the rest
        hint = ' fetchpriority="high"' if priority else ""
        parts = ["<picture>"]
        if webp and not svg:
            srcset = ", ".join(f"{url(v.rel)} {v.width}w" for v in webp)
            parts.append(f'<source type="image/webp" srcset="{srcset}" sizes="{sizes}">')
        if svg:
            src, srcset_attr = url(svg.rel), ""
        else:
            fb = s.of(s.fallback_format)
            src = url(fallback.rel)
            srcset_attr = (
                f' srcset="{", ".join(f"{url(v.rel)} {v.width}w" for v in fb)}" sizes="{sizes}"'
            )
        parts.append(
            f'<img src="{src}"{srcset_attr} width="{fallback.width}" height="{fallback.height}" '
            f'alt="{escape(alt)}" loading="{lazy}"{hint} decoding="async" class="off-glb {css}">'
        )
        parts.append("</picture>")
        return Markup("".join(parts))

    def logo(
        self, project: Project, url, *, width: int = 256, eager: bool = False, sizes: str = ""
    ) -> Markup:
        alt = f"{project.title} 标识"
        if project.logo is not None and project.logo.derived is not None:
            return self.picture(
                project.logo,
                url,
                sizes=sizes or f"{width}px",
                width=width,
                alt=alt,
                eager=eager,
                css="sc-logo-img",
            )
        placeholder = self.placeholders.get(project.slug)
        if placeholder:
            return Markup(
                f'<img src="{url(placeholder)}" width="{width}" height="{width}" alt="{escape(alt)}" '
                f'class="off-glb sc-logo-img sc-placeholder" loading="{"eager" if eager else "lazy"}">'
            )
        return Markup("")

    def form_blocks(self, project: Project) -> list[tuple[str, Any]]:
        """Table 2 in the form's order: runs of short fields as one table, long fields as sections."""
        values = project.public_values(self.settings.publish_personal)
        blocks: list[tuple[str, Any]] = []
        for f in FORM_FIELDS:
            if f.key == "logo":
                if project.logo is not None or project.slug in self.placeholders:
                    row = (f, None)
                else:
                    continue
            elif f.key not in values:
                continue
            else:
                row = (f, values[f.key])
            if f.type in SHORT_TYPES:
                if blocks and blocks[-1][0] == "table":
                    blocks[-1][1].append(row)
                else:
                    blocks.append(("table", [row]))
            else:
                blocks.append(("section", row))
        return blocks

    # --- pages ---

    def project_pages(self, project: Project) -> list[GeneratedPage]:
        """The project's homepage, then its cases, albums and plans."""
        links = self.links
        home = links.project_src(project)
        pages = [
            GeneratedPage(
                home,
                self.render("showcase/project.md", home, project=project),
                "project",
                project,
                source=project.folder / "project.yml",
            )
        ]
        parts = (
            ("cases", "case", project.cases),
            ("photos", "album", project.albums),
            ("plans", "plan", project.plans),
        )
        for folder, kind, items in parts:
            for item in items:
                src = links.project_src(project, folder, item.slug)
                content = self.render(f"showcase/{kind}.md", src, project=project, **{kind: item})
                pages.append(GeneratedPage(src, content, kind, project, source=item.source))
        return pages

    def cards(self, projects: list[Project], src_uri: str) -> str:
        return self.render("showcase/cards.html", src_uri, projects=projects)

    def home(self, projects: list[Project]) -> GeneratedPage:
        cards = Markup(self.cards(projects, HOME_SRC))
        content = self.render("showcase/home.md", HOME_SRC, projects=projects, cards=cards)
        return GeneratedPage(HOME_SRC, content, "home", yields=True)

    def registry(
        self, projects: list[Project], rows: list[dict], downloads: set[str]
    ) -> GeneratedPage:
        content = self.render(
            "showcase/registry.md",
            REGISTRY_SRC,
            projects=projects,
            rows=rows,
            headers=registry_headers(self.settings.summary_max_chars),
            downloads=downloads,
        )
        return GeneratedPage(REGISTRY_SRC, content, "registry")

    def statistics(self, projects: list[Project]) -> GeneratedPage:
        numbers = stats.compute(projects)
        content = self.render(
            "showcase/statistics.md",
            STATISTICS_SRC,
            s=numbers,
            charts=stats.charts(numbers),
            percent=stats.percent,
        )
        return GeneratedPage(STATISTICS_SRC, content, "statistics", yields=True)

    def districts(self, projects: list[Project]) -> GeneratedPage | None:
        """各区县: the projects grouped by 所属区县; only when some project names its district."""
        if not any(p.get("district") for p in projects):
            return None
        groups: dict[str, list[Project]] = {}
        for project in projects:
            groups.setdefault(project.get("district") or "未填写区县", []).append(project)
        ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "未填写区县", -len(kv[1]), kv[0]))
        rows = [(name, ps, sum(p.get("members") or 0 for p in ps)) for name, ps in ordered]
        content = self.render(
            "showcase/districts.md", DISTRICTS_SRC, groups=rows, total=len(projects)
        )
        return GeneratedPage(DISTRICTS_SRC, content, "districts", yields=True)

    def review(
        self, projects: list[Project], findings: list[Finding], published: list[Project]
    ) -> GeneratedPage:
        """/review/: what each project lacks (built only with `review_page: true`)."""
        items = review.review_items(projects, findings, published)
        ctx = review.context(items, review.general_findings(projects, findings), self.settings)
        ctx.pop("settings")
        content = self.render("showcase/review.md", REVIEW_SRC, **ctx)
        return GeneratedPage(REVIEW_SRC, content, "review", yields=True)

    def embed(self, projects: list[Project]) -> str:
        """/embed/: the projects as a standalone HTML list for a CMS column's `<iframe>`."""
        return self.render("showcase/embed.html", EMBED_SRC, projects=projects)


def _source_of(text: str, page: dict[str, Any]) -> tuple[Path | str | None, int | None, str | None]:
    """(file, line, field) an author's text came from, for its finding."""
    for part in ("case", "plan", "album"):
        item = page.get(part)
        if item is not None and text in (
            getattr(item, "body", None),
            getattr(item, "summary", None),
            getattr(item, "description", None),
        ):
            return item.source, None, None
    project = page.get("project")
    if project is not None:
        for key, value in project.values.items():
            if value == text:
                file, line = project.lines.get(key, (None, None))
                return file or project.folder / "project.yml", line, key
        return project.folder / "project.yml", None, None
    return None, None, None


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def registry_rows(projects: Iterable[Project], links: SiteLinks) -> list[dict]:
    """Table 1, one dict per project, keys in the form's column order."""
    rows = []
    for p in projects:
        logo_rel = ""
        if p.logo is not None and p.logo.derived is not None:
            d = p.logo.derived
            logo_rel = (d.svg or d.pick(d.fallback_format, 256)).rel
        rows.append(
            {
                "slug": p.slug,
                "branch": p.get("branch") or "",
                "logo": logo_rel,
                "homepage": links.homepage(p),
                "name": p.get("name") or "",
                "summary": p.get("summary") or "",
                "page": links.project_src(p),
                "district": p.get("district") or "",
                "category": p.get("category") or "",
                "year": p.get("year") or "",
                "tags": p.get("tags") or [],
            }
        )
    for row in rows:  # published files too: numbers masked as on the pages (`pagepii`)
        for key in ("branch", "name", "summary", "district", "category"):
            if isinstance(row[key], str):
                row[key] = pagepii.mask_text(row[key])[0]
        row["tags"] = [pagepii.mask_text(t)[0] if isinstance(t, str) else t for t in row["tags"]]
    return rows
