"""Whether a generated page needs the lightbox at all.

mkdocs-glightbox puts its stylesheet and a parser-blocking script into the <head> of every
page. A generated page whose pictures are all marked `off-glb` (logos, cards, album covers)
and that has no gallery does not need them: it gets `glightbox: false`, which the plugin
honours, and loads two files fewer before it can paint.
"""

from __future__ import annotations

import re

_IMG = re.compile(r"<img\b[^>]*>", re.I)
_OFF = re.compile(r'\bclass="[^"]*\boff-glb\b', re.I)


def needs_lightbox(html: str) -> bool:
    """A gallery link, or an image glightbox would wrap (one without `off-glb`)."""
    if 'class="glightbox"' in html:
        return True
    return any(not _OFF.search(tag) for tag in _IMG.findall(html))
