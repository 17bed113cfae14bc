"""sitemap.xml without the pages search engines must not be sent to (the district's review page)."""

from __future__ import annotations

import re


def drop_urls(xml: str, site_paths: list[str]) -> str:
    """Remove each `<url>` whose `<loc>` ends with one of `site_paths` (e.g. "review/")."""
    for path in site_paths:
        entry = re.compile(
            r"[ \t]*<url>\s*<loc>[^<]*/" + re.escape(path) + r"</loc>.*?</url>[ \t]*\n?", re.S
        )
        xml = entry.sub("", xml)
    return xml
