"""`sizes` attributes that match the width an image is drawn at, and what is in the first screen.

The widths follow showcase.css and Material's layout (measured in Chromium, checked by
tests/test_firstscreen.py):

- Material's root font size is 20 px, 22 px from 100em (1600 px) and 24 px from 125em;
  showcase.css sizes logos in rem, so their width steps with it;
- the content column is the viewport less 32 px below 60em (960 px, no sidebars), the
  viewport less 274 px from 60em (navigation sidebar), and a fixed 688 px from 76.25em
  (both sidebars; 757 px from 100em, 826 px from 125em);
- galleries have 2 columns below 30em and 3 above, album cards 2 below 60em and 3 above,
  with a 0.6rem (12 px) gap.

`sizes` lengths cannot use rem (they would be 16 px there), so the steps are written out.
"""

from __future__ import annotations

ROOT_PX = ((125, 24), (100, 22), (0, 20))
"""(min-width in em, root font size in px) of Material, widest first."""


def rem_sizes(rem: float, wide: float | None = None, wide_at: str = "45em") -> str:
    """`sizes` for an image `rem` wide (or `wide` rem from `wide_at` on)."""
    parts = []
    for at, px in ROOT_PX[:-1]:
        parts.append(f"(min-width: {at}em) {round((wide or rem) * px)}px")
    if wide is not None:
        parts.append(f"(min-width: {wide_at}) {round(wide * ROOT_PX[-1][1])}px")
    parts.append(f"{round(rem * ROOT_PX[-1][1])}px")
    return ", ".join(parts)


def _columns(
    columns_narrow: int, columns_wide: int, wide_at: int, border: int = 0, indent: float = 0
) -> str:
    """A grid of the content column: `columns_narrow` below `wide_at` em, `columns_wide` above;
    from 45em on, `indent` rem narrower (a case's appendix entries line up under their titles)."""
    gap = 12

    def cell(content: str, cols: int, less: int = 0) -> str:
        less = f" - {less}px" if less else ""
        return f"calc(({content}{less} - {gap * (cols - 1) + border * cols}px) / {cols})"

    def fixed(content: int, cols: int, gap_px: int = gap, root: int = 20) -> str:
        content -= round(indent * root)
        return f"{int((content - gap_px * (cols - 1)) / cols) - border}px"

    less = round(indent * 20)
    parts = [
        f"(min-width: 125em) {fixed(826, columns_wide, 14, 24)}",
        f"(min-width: 100em) {fixed(757, columns_wide, 13, 22)}",
        f"(min-width: 76.25em) {fixed(688, columns_wide)}",
        f"(min-width: 60em) {cell('100vw - 274px', columns_wide, less)}",
    ]
    if indent:
        parts.append(f"(min-width: 45em) {cell('100vw - 32px', columns_wide, less)}")
    if wide_at < 60:
        parts.append(f"(min-width: {wide_at}em) {cell('100vw - 32px', columns_wide)}")
        parts.append(cell("100vw - 32px", columns_narrow))
    else:
        parts.append(cell("100vw - 32px", columns_narrow))
    return ", ".join(parts)


GALLERY = _columns(2, 3, 30)
"""A photo of an album's gallery."""
APPENDIX_GALLERY = _columns(2, 3, 30, indent=2.4)
"""A picture of a case's appendix entry (indented under the entry's title from 45em)."""
ALBUM_CARD = _columns(2, 3, 60, border=2)
"""An album's cover on the project page."""
HERO_LOGO = rem_sizes(9, wide=10)
CARD_LOGO = rem_sizes(4.5)
FLOAT_LOGO = rem_sizes(6)

# --- the first screen ---------------------------------------------------------------------
# A phone (390 × 844) shows the header, title and project chips, then up to three rows of a
# two-column gallery; 1280 × 900 shows up to three rows of three. Photos up to this index
# load at once, the first with fetchpriority=high (it is the largest thing painted first);
# the rest load lazily as the reader scrolls. The project page's logos and the first cards
# of the home and districts pages, the first rows of the registry and the embed list are eager too.
GALLERY_EAGER = 9
CARDS_EAGER = 6
