"""Pages: the model → generated MkDocs pages (Markdown with HTML), from Jinja templates.

Templates live in `templates/showcase/` and are looked up through the theme's
environment, so a site's `custom_dir` can override any of them. This module
knows URLs but not MkDocs: it returns (src_uri, markdown) pairs.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from . import charts, imagesizes, sanitize, textutil
from .fields import FIELDS, FORM_FIELDS, REGISTRY_FIELDS, FieldType, registry_header
from .model import Image, Project
from .settings import Settings

TEMPLATE_DIR = Path(__file__).parent / "templates"
SHORT_TYPES = {FieldType.TEXT, FieldType.INTEGER, FieldType.FILE, FieldType.URL}
PLACEHOLDER_DIR = "assets/showcase/placeholder"


def page_url(src_uri: str, use_directory_urls: bool) -> str:
    """The site path MkDocs gives a Markdown source (same rule as mkdocs.structure.files)."""
    stem = src_uri[: -len(".md")] if src_uri.endswith(".md") else src_uri
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative_url(target: str, from_url: str) -> str:
    """`target` (a site path) as seen from the page at `from_url`."""
    base = from_url if (from_url.endswith("/") or from_url == "") else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath("/" + target, "/" + base)
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    if rel == "./":
        rel = "./"
    return rel


@dataclass
class GeneratedPage:
    src_uri: str
    content: str
    kind: str = "page"
    project: Project | None = None


@dataclass
class SiteLinks:
    """Where every generated page lives."""

    settings: Settings
    use_directory_urls: bool = True
    site_url: str = ""

    def project_src(self, project: Project, part: str = "", slug: str = "") -> str:
        base = f"{self.settings.url_prefix.strip('/')}/{project.slug}".lstrip("/")
        return f"{base}/{part}/{slug}.md" if part else f"{base}/index.md"

    def url(self, src_uri: str) -> str:
        return page_url(src_uri, self.use_directory_urls)

    def absolute(self, src_uri: str) -> str:
        """Full address when site_url is set, else the site path."""
        path = self.url(src_uri)
        return (self.site_url.rstrip("/") + "/" + path) if self.site_url else "/" + path

    def homepage(self, project: Project) -> str:
        return project.get("homepage") or self.absolute(self.project_src(project))


@dataclass
class PageRenderer:
    env: jinja2.Environment
    settings: Settings
    links: SiteLinks
    placeholders: dict[str, str] = field(default_factory=dict)
    """Project slug → site path of its generated logo placeholder."""

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
            "md": lambda text, level=3: Markup(
                sanitize.render_markdown(text, allow_raw_html=self.settings.allow_raw_html, baselevel=level)
            ),
            "cn_date": textutil.chinese_date,
            "human_size": textutil.human_size,
            "cn_month": lambda m: textutil.CHINESE_MONTHS[m - 1],
            "form_blocks": self.form_blocks,
            "word_count": textutil.word_count,
            "number": _number,
            "indicator_chart": lambda ind, uid=None: Markup(charts.indicator_chart(ind, uid)),
            "split_indicators": charts.split_indicators,
            "plan_months": charts.plan_months,
            "activity_years": charts.activity_years,
            "sizes": imagesizes,  # issue 16: `sizes` and first-screen rules
            **extra,
        }

    def render(self, template: str, src_uri: str, **extra: Any) -> str:
        return self.env.get_template(template).render(self._context(src_uri, **extra))

    def picture(
        self, image: Image | None, url, *, sizes: str = "100vw", width: int = 800,
        alt: str | None = None, eager: bool = False, css: str = "", priority: bool = False,
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
            srcset_attr = f' srcset="{", ".join(f"{url(v.rel)} {v.width}w" for v in fb)}" sizes="{sizes}"'
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
            return self.picture(project.logo, url, sizes=sizes or f"{width}px", width=width, alt=alt,
                                eager=eager, css="sc-logo-img")
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
        links = self.links
        pages = []
        home = links.project_src(project)
        pages.append(GeneratedPage(home, self.render("showcase/project.md", home, project=project), "project", project))
        for case in project.cases:
            src = links.project_src(project, "cases", case.slug)
            pages.append(GeneratedPage(src, self.render("showcase/case.md", src, project=project, case=case), "case", project))
        for album in project.albums:
            src = links.project_src(project, "photos", album.slug)
            pages.append(GeneratedPage(src, self.render("showcase/album.md", src, project=project, album=album), "album", project))
        for plan in project.plans:
            src = links.project_src(project, "plans", plan.slug)
            pages.append(GeneratedPage(src, self.render("showcase/plan.md", src, project=project, plan=plan), "plan", project))
        return pages

    def cards(self, projects: list[Project], src_uri: str) -> str:
        return self.render("showcase/cards.html", src_uri, projects=projects)

    def home(self, projects: list[Project]) -> GeneratedPage:
        cards = Markup(self.cards(projects, "index.md"))
        content = self.render("showcase/home.md", "index.md", projects=projects, cards=cards)
        return GeneratedPage("index.md", content, "home")

    def registry(self, projects: list[Project], rows: list[dict], downloads: set[str]) -> GeneratedPage:
        headers = [registry_header(f, self.settings.summary_max_chars) for f in REGISTRY_FIELDS]
        content = self.render(
            "showcase/registry.md", "registry.md",
            projects=projects, rows=rows, headers=headers, downloads=downloads,
        )
        return GeneratedPage("registry.md", content, "registry")


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def template_env(extra_dirs: Iterable[str | Path] = ()) -> jinja2.Environment:
    """A Jinja environment for use outside MkDocs (the command line, tests)."""
    loader = jinja2.FileSystemLoader([*map(str, extra_dirs), str(TEMPLATE_DIR)])
    env = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "md"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # |meta for front matter, |heading for "# …" lines, |lightbox for data-description
    env.filters.update(sanitize.TEMPLATE_FILTERS)
    return env


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
    return rows


__all__ = ["FIELDS", "GeneratedPage", "PageRenderer", "SiteLinks", "page_url", "registry_rows", "relative_url", "template_env"]
