"""A site that loads nothing from outside.

Readers in mainland China wait tens of seconds for Google Fonts or a foreign CDN, and
an intranet or a USB stick has no internet at all. So by default (`self_contained`)
every built page is scanned for resources (scripts, stylesheets, images, frames,
fonts) on another host, and each page that still has one is an error-level finding.
Plain `<a href>` links to other sites are fine: they load nothing until clicked.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from ..core.findings import Finding, Level

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
