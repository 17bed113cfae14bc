"""What one school's folder may cost a build: every limit in one place.

Each text, each image and each attachment already has its own limit (`mdbudget`,
`imaging.MAX_DECODED_PIXELS`, the zip and YAML size limits). Limits per item add up:
80 texts of 93 KB each stayed under every text's limit and took 330 s together; 40
images at exactly the pixel limit took 43 s and 906 MB. So a school also has a total,
and past it the school's remaining items become findings (texts are shown as plain
text, images are left out) while the other schools build as usual.

| budget | default | a normal school (the demo's largest) | counted |
|---|---|---|---|
| `image_seconds` | 20 s | 0.3 s per photo | one image job: decoding and deriving a photo or logo, rasterising an SVG, stripping the images of one Office/PDF file; past it the worker is killed |
| `image_memory_mb` | 1536 MB | ≈ 150 MB | address space one image worker may add (Linux) |
| `attachment_seconds` | 60 s | < 1 s | making the published copy of one Office/PDF attachment |
| `school_image_mpx` | 1000 Mpx | 81 Mpx | decoded megapixels of a school's logo, photos and appendix images (a phone JPEG is decoded at half size, ≈ 3 Mpx: 330 phone photos, 80 full-size HEIC or PNG photos, or 15 images at the 64 Mpx limit) |
| `school_markdown_kb` | 2048 KB | 12 KB | bytes of a school's Markdown texts (cases, albums, plans …) |
| `school_markdown_seconds` | 20 s | 0.1 s | time spent rendering a school's Markdown texts; each text's own limit is cut to what is left |

A site changes any of them in mkdocs.yml (`budgets: {school_image_mpx: 3000}`); the
defaults bound one school at a few times a normal one's cost plus the fixed limits,
whatever its folder holds.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Budgets:
    """The limits of the table in the module doc."""

    image_seconds: float = 20.0
    image_memory_mb: int = 1536
    attachment_seconds: float = 60.0
    school_image_mpx: float = 1000.0
    school_markdown_kb: float = 2048.0
    school_markdown_seconds: float = 20.0

    @classmethod
    def from_options(cls, options: Any) -> Budgets:
        """The defaults with a site's `budgets:` option applied (unknown keys ignored:
        the config class refuses them before this runs)."""
        if not isinstance(options, dict):
            return cls()
        known = {f.name: f.type for f in fields(cls)}
        given = {}
        for key, value in options.items():
            if key in known and isinstance(value, (int, float)) and not isinstance(value, bool):
                given[key] = value
        return cls(**given)


BUDGET_NAMES = tuple(f.name for f in fields(Budgets))


def budgets_of(settings: Any) -> Budgets:
    """The budgets of a site's settings (the defaults when it sets none)."""
    return Budgets.from_options(getattr(settings, "budgets", None))
