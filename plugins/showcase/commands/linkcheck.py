"""`showcase check --links`: every internal link and anchor of the built site.

Works on the finished HTML (site/), so it checks what readers get, theme and all,
under whatever sub-path the site is published. Links to other sites are listed,
never fetched: the check runs offline and fast.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import click

from ..core.findings import Finding, Level

GROUP = "网站链接"
"""Findings of the link check are grouped under this name in `showcase check`."""

_LINK_ATTRS = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
}
_SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:", "sms:", "weixin:")
_BASE = "http://site.invalid/"


@dataclass
class Link:
    tag: str
    attr: str
    url: str
    line: int


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[Link] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        line = self.getpos()[0]
        for attr in _LINK_ATTRS.get(tag, ()):
            value = values.get(attr)
            if not value:
                continue
            if attr == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.links.append(Link(tag, attr, url, line))
            else:
                self.links.append(Link(tag, attr, value.strip(), line))

    handle_startendtag = handle_starttag


def _parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


@dataclass
class LinkReport:
    findings: list[Finding] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=dict)
    """Address on another site → the pages that link to it (not fetched)."""
    pages: int = 0
    links: int = 0
    """Internal links checked."""


def _html_files(site_dir: Path) -> Iterator[Path]:
    for path in sorted(site_dir.rglob("*.html")):
        if path.is_file():
            yield path


def scan_site(site_dir: Path, site_url: str = "") -> LinkReport:
    """Check every internal link and anchor of the site in `site_dir`.

    `site_url` (as in mkdocs.yml) tells which absolute addresses are the site's own:
    with `https://example.edu.cn/dangjian/`, both that address and `/dangjian/…`
    are checked against the files here (the 404 page links like that).
    """
    site_dir = Path(site_dir)
    report = LinkReport()
    if not site_dir.is_dir():
        report.findings.append(
            Finding(
                Level.ERROR,
                f"还没有生成网站（找不到 {site_dir}）",
                file=str(site_dir),
                hint="先运行 mkdocs build",
                project=GROUP,
            )
        )
        return report
    own = site_url.rstrip("/") + "/" if site_url else ""
    prefix = urlsplit(own).path if own else "/"
    ids: dict[Path, set[str]] = {}
    broken: dict[tuple[str, str], list[tuple[Path, Link]]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            ids[path] = _parse(path).ids
        return ids[path]

    for page in _html_files(site_dir):
        report.pages += 1
        rel = page.relative_to(site_dir).as_posix()
        parsed = _parse(page)
        ids.setdefault(page, parsed.ids)
        for link in parsed.links:
            url = link.url
            if url.lower().startswith(_SKIP_SCHEMES) or url == "#":
                continue
            if own and url.startswith(own):
                url = prefix + url[len(own) :]
            elif url.startswith("//") or "://" in url.split("?", 1)[0].split("#", 1)[0]:
                if link.tag in ("a", "area") or link.attr == "href" and link.tag == "link":
                    report.external.setdefault(url, [])
                    if rel not in report.external[url]:
                        report.external[url].append(rel)
                continue
            report.links += 1
            problem = _resolve(site_dir, rel, url, prefix, ids_of)
            if problem:
                broken.setdefault(problem, []).append((page, link))

    for (message, _target), places in broken.items():
        page, link = places[0]
        others = len({p for p, _ in places}) - 1
        where = f"（另有 {others} 个页面相同）" if others else ""
        report.findings.append(
            Finding(
                Level.ERROR,
                f'{message}：<{link.tag} {link.attr}="{link.url}">{where}',
                file=str(page),
                line=link.line,
                project=GROUP,
            )
        )
    return report


def _resolve(site_dir: Path, rel: str, url: str, prefix: str, ids_of) -> tuple[str, str] | None:
    """None when the link works, else (message, target) — the target groups repeats."""
    absolute = urljoin(_BASE + rel, url)
    parts = urlsplit(absolute)
    path = unquote(parts.path)
    fragment = unquote(parts.fragment)
    if url.startswith("/"):
        if not path.startswith(prefix):
            return (f"绝对路径不在网站地址 {prefix} 之下", path)
        path = "/" + path[len(prefix) :]
    target_rel = posixpath.normpath(path.lstrip("/")) if path.strip("/") else ""
    if target_rel in (".", ""):
        target_rel = ""
    target = site_dir / target_rel if target_rel else site_dir
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return ("链接的页面或文件不存在", target_rel or "/")
    if fragment and target.suffix == ".html" and fragment not in ids_of(target):
        shown = target.relative_to(site_dir).as_posix()
        return (f"锚点 #{fragment} 在 {shown} 中不存在", f"{shown}#{fragment}")
    return None


def check_links(site_dir: Path, site_url: str = "") -> list[Finding]:
    """Broken internal links and anchors of a built site, one finding per broken target."""
    return scan_site(site_dir, site_url).findings


def run_links(site_dir: Path, site_url: str = "", fmt: str = "text") -> list[Finding]:
    """For `showcase check --links`: findings to report; the external list printed in text mode."""
    report = scan_site(site_dir, site_url)
    if fmt == "text" and site_dir.is_dir():
        if report.external:
            click.secho(f"■ 站外链接（只列出，未访问）：{len(report.external)} 个", bold=True)
            for url, pages in sorted(report.external.items()):
                more = f" 等 {len(pages)} 个页面" if len(pages) > 1 else ""
                click.echo(f"  {url}  ← {pages[0]}{more}")
        click.echo(f"检查了网站 {site_dir} 中 {report.pages} 个页面的 {report.links} 个站内链接")
    return report.findings
