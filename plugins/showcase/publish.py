"""Publishing: a site that loads nothing from outside, the embeddable list, sharing tags.

Readers in mainland China wait tens of seconds for Google Fonts or a foreign CDN, and
an intranet or a USB stick has no internet at all. So by default (`self_contained`)
every built page is scanned for resources (scripts, stylesheets, images, frames,
fonts) on another host, and each page that still has one is an error-level finding.
Plain `<a href>` links to other sites are fine: they load nothing until clicked.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from . import textutil
from .findings import Finding, Level
from .settings import Settings

EMBED_PATH = "embed/index.html"
EMBED_SRC = "embed/index.md"
"""The address the page renderer computes relative URLs from (/embed/ or embed/index.html)."""

# Material's offline plugin adds this polyfill from unpkg.com so that search runs from
# file://; a USB stick has no internet, so the same file (MIT) ships with the package.
SHIM_URL_PART = "iframe-worker"
SHIM_PATH = "assets/showcase/iframe-worker.js"
SHIM_SOURCE = Path(__file__).parent / "assets" / "vendor" / "iframe-worker-shim.js"

HINT = "把文件放进项目文件夹或 docs/ 中引用；确需外部资源时，在 mkdocs.yml 的 showcase 插件中设置 self_contained: false"

# <link rel=…> values a browser fetches (canonical, alternate, prev/next are only addresses)
_FETCHED_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "apple-touch-icon-precomposed",
    "mask-icon",
    "manifest",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "prerender",
}
_RESOURCE_ATTRS = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
}
_EXTERNAL = re.compile(r"^\s*(?:(?:https?|ftp):)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)


def is_external(url: str) -> bool:
    """http://, https:// or protocol-relative //host: fetched from another host."""
    return bool(_EXTERNAL.match(url or ""))


class _ResourceParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False
        self.mermaid = False

    def _add(self, tag: str, attr: str, url: str) -> None:
        if is_external(url):
            self.found.append(f'<{tag} {attr}="{url.strip()}">')

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        for attr in _RESOURCE_ATTRS.get(tag, ()):
            value = values.get(attr, "")
            if attr == "srcset":
                for candidate in value.split(","):
                    self._add(tag, attr, candidate.strip().split(" ")[0])
            elif value:
                self._add(tag, attr, value)
        if tag == "link":
            rels = set(values.get("rel", "").lower().split())
            if rels & _FETCHED_RELS:
                self._add(tag, "href", values.get("href", ""))
        if "background" in values:
            self._add(tag, "background", values["background"])
        if "style" in values:
            self._css(tag, values["style"])
        if "mermaid" in values.get("class", "").split():
            self.mermaid = True
        if tag == "style":
            self._in_style = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "style":
            self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._css("style", data)

    def _css(self, tag: str, text: str) -> None:
        for match in _CSS_URL.finditer(text):
            url = match.group(1) or match.group(2)
            if is_external(url):
                self.found.append(f"<{tag}> url({url})")


def external_resources(html: str) -> list[str]:
    """Every resource of `html` a browser would fetch from another host, described briefly."""
    parser = _ResourceParser()
    parser.feed(html)
    parser.close()
    found = list(dict.fromkeys(parser.found))
    if parser.mermaid:
        # Material loads mermaid.js from unpkg.com as soon as a diagram is on the page
        found.append("Mermaid 图表（Material 会从 unpkg.com 加载 mermaid.js）")
    return found


def page_finding(page_path: str, found: list[str], file: str | None = None) -> Finding:
    """One finding per page, naming the page and the first few resources."""
    shown = "，".join(found[:3]) + (f" 等 {len(found)} 处" if len(found) > 3 else "")
    return Finding(
        level=Level.ERROR,
        message=f"页面 {page_path or '/'} 会从站外加载资源：{shown}",
        file=file,
        hint=HINT,
    )


def generated_source(result: Any, links: Any, src_uri: str) -> str | None:
    """The author's file behind a generated page, so a finding points where to fix it."""
    for project in getattr(result, "published", None) or []:
        if links.project_src(project) == src_uri:
            return str(project.folder / "project.yml")
        for part, items in (
            ("cases", project.cases),
            ("photos", project.albums),
            ("plans", project.plans),
        ):
            for item in items:
                if links.project_src(project, part, item.slug) == src_uri:
                    return str(item.source)
    return None


def config_findings(config: Any) -> list[Finding]:
    """What Material fetches from outside without it showing in the HTML."""
    findings: list[Finding] = []
    extra = config.get("extra") or {}
    if hasattr(extra, "get") and extra.get("analytics"):
        findings.append(
            Finding(
                Level.ERROR,
                "extra.analytics 会让每个页面从站外加载统计脚本",
                file=config.get("config_file_path"),
                field="extra.analytics",
                hint="删除 extra.analytics，或设置 self_contained: false",
            )
        )
    repo = config.get("repo_url") or ""
    if re.match(r"https?://(www\.)?(github\.com|gitlab\.com)/", repo):
        findings.append(
            Finding(
                Level.ERROR,
                f"repo_url（{repo}）会让每个页面从 GitHub/GitLab 读取仓库信息",
                file=config.get("config_file_path"),
                field="repo_url",
                hint="删除 repo_url，或设置 self_contained: false",
            )
        )
    return findings


def localize_polyfills(config: Any) -> bool:
    """Point Material's file:// search shim (added by the offline plugin) at our own copy."""
    extra = config.get("extra")
    if extra is None or not hasattr(extra, "get"):  # a MkDocs sub-config, not a dict
        return False
    polyfills = extra.get("polyfills") or []
    changed = [
        SHIM_PATH if SHIM_URL_PART in str(p) and is_external(str(p)) else p for p in polyfills
    ]
    if changed != polyfills:
        extra["polyfills"] = changed
    return SHIM_PATH in [str(p) for p in changed]


def read_snippet(settings: Settings) -> tuple[str, list[Finding]]:
    """The school's own `<head>` snippet (e.g. WeChat JS-SDK sharing), or a finding."""
    name = getattr(settings, "wechat_snippet", None)
    if not name:
        return "", []
    path = settings.resolve(name)
    try:
        text, _encoding = textutil.decode_text(path.read_bytes())
    except OSError as exc:
        reason = "文件不存在" if isinstance(exc, FileNotFoundError) else (exc.strerror or str(exc))
        return "", [
            Finding(
                Level.ERROR,
                f"wechat_snippet 指定的文件无法读取（{reason}）：{name}",
                file=str(path),
                field="wechat_snippet",
            )
        ]
    except textutil.DecodeError as exc:
        return "", [
            Finding(
                Level.ERROR,
                f"wechat_snippet 文件无法读取：{exc}",
                file=str(path),
                field="wechat_snippet",
            )
        ]
    return text.strip(), []


def insert_head(html: str, snippet: str) -> str:
    """Put `snippet` at the end of `<head>` (after everything the theme wrote)."""
    if not snippet:
        return html
    index = html.lower().rfind("</head>")
    if index < 0:
        return html
    return html[:index] + snippet + "\n" + html[index:]


def embed_page(renderer: Any, projects: list) -> str:
    """/embed/: the projects as a standalone HTML list for a CMS column's `<iframe>`."""
    return renderer.render("showcase/embed.html", EMBED_SRC, projects=projects)


# IIS refuses to serve extensions it has no MIME type for (404.3); a <remove> before each
# <mimeMap> avoids "duplicate collection entry" on servers that already know the type.
MIME_TYPES = {
    ".json": "application/json",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".svg": "image/svg+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".csv": "text/csv; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".webmanifest": "application/manifest+json",
    # Pagefind's search index (already compressed; IIS answers 404 for unknown types)
    ".pagefind": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
}


def web_config() -> str:
    """web.config for IIS: MIME types and index.html as the default document."""
    maps = "\n".join(
        f'      <remove fileExtension="{ext}" />\n      <mimeMap fileExtension="{ext}" mimeType="{mime}" />'
        for ext, mime in MIME_TYPES.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- 党建精品项目展示专栏：IIS 配置（由 showcase package 生成） -->\n"
        "<configuration>\n"
        "  <system.webServer>\n"
        "    <staticContent>\n"
        f"{maps}\n"
        "    </staticContent>\n"
        '    <defaultDocument enabled="true">\n'
        "      <files>\n"
        '        <remove value="index.html" />\n'
        '        <add value="index.html" />\n'
        "      </files>\n"
        "    </defaultDocument>\n"
        "  </system.webServer>\n"
        "</configuration>\n"
    )
