#!/usr/bin/env python3
"""(Re)generate every binary file of the demo projects under ``projects/``.

The demo folders hold text written by hand (project.yml, *.md, album.yml) and
binary files that this script draws: logos, photo-like pictures, appendix
office files (.docx, .xlsx, .pdf).  Everything is procedural and seeded from
the file's path, so two runs write byte-identical files and nothing needs a
network, a camera or a real photograph.

The demo deliberately contains the awkward cases the pipeline has to handle:

* photos with EXIF camera model and GPS coordinates (must be stripped);
* a photo stored landscape with EXIF Orientation=6 (must display portrait);
* an upper-case ``.JPG``, a PNG photo and an iPhone-style HEIC photo;
* Chinese file names with a full-width space and full-width punctuation;
* logos as PNG, JPG (named by the ``logo`` field) and SVG (written as text);
* one project.yml kept in GBK and one in UTF-8 with BOM (re-encoded here if an
  editor has turned them into plain UTF-8).

Usage::

    .venv/bin/python scripts/make_demo_media.py            # write everything
    .venv/bin/python scripts/make_demo_media.py --only 青禾路  # paths containing
    .venv/bin/python scripts/make_demo_media.py --list     # list, write nothing

Every file is written to a hidden temporary name in its folder and then
renamed, so a running ``mkdocs serve`` never sees half a file.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import math
import os
import random
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps
from PIL.TiffImagePlugin import IFDRational

ROOT = Path(__file__).resolve().parents[1]
PROJECTS = ROOT / "projects"

RED = (200, 16, 46)  # #C8102E, Party red
GOLD = (242, 193, 78)  # #F2C14E
DARK_RED = (150, 10, 30)
CREAM = (255, 248, 235)
WHITE = (255, 255, 255)

# A fixed timestamp for office-file metadata and zip entries (reproducible output).
FIXED_TIME = datetime(2025, 3, 1, 9, 0, 0)


# --------------------------------------------------------------------------
# small utilities
# --------------------------------------------------------------------------


def rng_for(key: str) -> random.Random:
    """A random generator seeded from a text key (stable across runs and machines)."""
    seed = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    return random.Random(seed)


def atomic_write(path: Path, writer: Callable[[Path], None]) -> int:
    """Call ``writer(tmp)`` for a hidden temp file next to ``path``, then rename it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        writer(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path.stat().st_size


def _fc_font(pattern: str) -> str | None:
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out or None


def find_cjk_font() -> tuple[str, int] | None:
    """A (file, face index) of a font that covers Simplified Chinese, bold sans preferred."""
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh-cn", "file", "family", "style", "index"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    best = None
    for line in sorted(out.splitlines()):
        m = re.match(r"(.+?):\s*(.*?):style=(.*?):index=(\d+)", line.strip())
        if not m:
            continue
        file, family, style, index = m.group(1), m.group(2), m.group(3), int(m.group(4))
        score = (
            any(k in family for k in ("SC", "CN", "GB", "Hei", "Song")) * 4
            + ("Bold" in style) * 2
            + ("Sans" in family)
            - ("Mono" in family) * 3
        )
        if best is None or score > best[0]:
            best = (score, file, index)
    return (best[1], best[2]) if best else None


_FONT_CACHE: dict[tuple[str, int], ImageFont.ImageFont] = {}


def digit_font(size: int) -> ImageFont.ImageFont:
    """A bold Latin font for the number brands ("1+5", "2345"); Pillow's default as fallback."""
    key = ("digits", size)
    if key not in _FONT_CACHE:
        path = _fc_font("DejaVu Sans:bold") or _fc_font("sans-serif:bold")
        try:
            _FONT_CACHE[key] = (
                ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)
            )
        except OSError:
            _FONT_CACHE[key] = ImageFont.load_default(size=size)
    return _FONT_CACHE[key]


CJK_FONT = find_cjk_font()


def cjk_font(size: int) -> ImageFont.ImageFont | None:
    if not CJK_FONT:
        return None
    key = ("cjk", size)
    if key not in _FONT_CACHE:
        try:
            _FONT_CACHE[key] = ImageFont.truetype(CJK_FONT[0], size, index=CJK_FONT[1])
        except OSError:
            return None
    return _FONT_CACHE[key]


def bbox(cx: float, cy: float, rx: float, ry: float | None = None) -> list[float]:
    ry = rx if ry is None else ry
    return [cx - rx, cy - ry, cx + rx, cy + ry]


def star_points(cx, cy, r_out, r_in=None, n=5, rot=-90.0):
    r_in = r_out * 0.382 if r_in is None else r_in
    pts = []
    for i in range(2 * n):
        r = r_out if i % 2 == 0 else r_in
        a = math.radians(rot + i * 180.0 / n)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def ellipse_points(cx, cy, rx, ry, angle_deg=0.0, n=40):
    a = math.radians(angle_deg)
    ca, sa = math.cos(a), math.sin(a)
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        x, y = rx * math.cos(t), ry * math.sin(t)
        pts.append((cx + x * ca - y * sa, cy + x * sa + y * ca))
    return pts


def flame_points(cx, base_y, width, height, lean=0.0, n=120):
    """A tear-drop flame, pointed at the top, round at the bottom."""
    raw = []
    for i in range(n):
        t = 2 * math.pi * i / n
        raw.append((math.sin(t) * math.sin(t / 2) ** 1.3, math.cos(t)))
    mx = max(abs(x) for x, _ in raw) or 1
    pts = []
    for x, y in raw:
        up = (y + 1) / 2  # 0 at the bottom, 1 at the tip
        px = cx + x / mx * width / 2 + lean * width * up**2
        py = base_y - up * height
        pts.append((px, py))
    return pts


def gear_points(cx, cy, r_out, r_in, teeth):
    pts = []
    step = 2 * math.pi / teeth
    for i in range(teeth):
        a0 = i * step - math.pi / 2
        for frac, r in ((0.0, r_in), (0.12, r_out), (0.48, r_out), (0.6, r_in)):
            a = a0 + frac * step
            pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def draw_book(d: ImageDraw.ImageDraw, cx, top, w, h, fill, line, line_w):
    """An open book seen from the front: two slanted pages meeting at the spine."""
    dip = h * 0.14
    left = [(cx, top + dip), (cx - w / 2, top), (cx - w / 2, top + h), (cx, top + h + dip)]
    right = [(cx, top + dip), (cx + w / 2, top), (cx + w / 2, top + h), (cx, top + h + dip)]
    d.polygon(left, fill=fill)
    d.polygon(right, fill=fill)
    d.line([(cx, top + dip), (cx, top + h + dip)], fill=line, width=line_w)
    for k in range(1, 4):
        f = k / 4.2
        for sign in (-1, 1):
            x0 = cx + sign * w * 0.08
            x1 = cx + sign * w * 0.42
            y0 = top + dip + f * h * 0.9 - dip * 0.15
            y1 = top + f * h * 0.9
            d.line([(x0, y0), (x1, y1)], fill=line, width=max(1, line_w // 2))


def draw_wheat(d: ImageDraw.ImageDraw, cx, cy, radius, a_from, a_to, grain, color):
    """An ear of grain (禾) following a circular arc, grains alternating on both sides."""
    n = 9
    stem = []
    for i in range(n + 1):
        a = math.radians(a_from + (a_to - a_from) * i / n)
        stem.append((cx + radius * math.cos(a), cy + radius * math.sin(a)))
    d.line(stem, fill=color, width=max(2, int(grain * 0.25)), joint="curve")
    for i in range(1, n + 1):
        a = math.radians(a_from + (a_to - a_from) * i / n)
        px, py = cx + radius * math.cos(a), cy + radius * math.sin(a)
        tangent = math.degrees(a) + (90 if a_to > a_from else -90)
        size = grain * (1.0 - 0.45 * i / n)
        for side in (-1, 1):
            off = math.radians(math.degrees(a))
            ox, oy = side * size * 0.55 * math.cos(off), side * size * 0.55 * math.sin(off)
            d.polygon(
                ellipse_points(px + ox, py + oy, size, size * 0.42, tangent + side * 30),
                fill=color,
            )


# --------------------------------------------------------------------------
# logos (600 x 600, drawn 4x larger and scaled down for smooth edges)
# --------------------------------------------------------------------------

LOGO_SIZE = 600
SS = 4  # supersampling factor


def _logo_canvas(bg=(0, 0, 0, 0)):
    S = LOGO_SIZE * SS
    im = Image.new("RGBA", (S, S), bg)
    return im, ImageDraw.Draw(im), S


def _finish_logo(im: Image.Image) -> Image.Image:
    return im.resize((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS)


def _ribbon_text(im, d, S, text, cy, color_bg, color_fg):
    """Draw the project's Chinese short name on a ribbon, when a CJK font exists."""
    f = cjk_font(int(S * 0.07))
    if f is None:
        return
    w = S * 0.5
    d.rounded_rectangle(
        [S / 2 - w / 2, cy - S * 0.052, S / 2 + w / 2, cy + S * 0.052],
        radius=int(S * 0.052),
        fill=color_bg,
    )
    d.text((S / 2, cy), text, font=f, fill=color_fg, anchor="mm")


def logo_qinghe() -> Image.Image:
    """青禾路小学 党组织“1+5”建设工程: one big star and five small ones, 1+5, book, grain."""
    im, d, S = _logo_canvas()
    c = S / 2
    d.ellipse(bbox(c, c, S * 0.49), fill=GOLD)
    d.ellipse(bbox(c, c, S * 0.465), fill=RED)
    d.ellipse(bbox(c, c, S * 0.425), outline=GOLD, width=int(S * 0.008))
    # grain ears on both sides (the 禾 of 青禾)
    draw_wheat(d, c, c, S * 0.365, 205, 122, S * 0.034, GOLD)
    draw_wheat(d, c, c, S * 0.365, -25, 58, S * 0.034, GOLD)
    # five small stars on an arc, one big star in the middle
    for k in range(5):
        a = math.radians(-150 + 30 * k)
        d.polygon(
            star_points(c + S * 0.33 * math.cos(a), c + S * 0.33 * math.sin(a), S * 0.036),
            fill=GOLD,
        )
    d.polygon(star_points(c, c - S * 0.185, S * 0.085), fill=GOLD)
    # the number brand
    d.text((c, c + S * 0.02), "1+5", font=digit_font(int(S * 0.2)), fill=GOLD, anchor="mm")
    # an open book at the bottom
    draw_book(d, c, c + S * 0.15, S * 0.36, S * 0.1, WHITE, GOLD, int(S * 0.007))
    _ribbon_text(im, d, S, "青禾路小学", c + S * 0.335, GOLD, RED)
    return _finish_logo(im)


def logo_mingde() -> Image.Image:
    """明德教育集团 “双培双树”工程: two trees before a rising sun, a star, a book (JPG, no alpha)."""
    im, d, S = _logo_canvas(CREAM + (255,))
    c = S / 2
    d.ellipse(bbox(c, c, S * 0.47), fill=RED)
    d.ellipse(bbox(c, c, S * 0.42), fill=CREAM)
    d.ellipse(bbox(c, c, S * 0.40), outline=GOLD, width=int(S * 0.01))
    horizon = c + S * 0.13
    # rising sun with rays, cut at the horizon
    sun = Image.new("L", (S, S), 0)
    sd = ImageDraw.Draw(sun)
    sd.ellipse(bbox(c, horizon, S * 0.25), fill=255)
    for k in range(11):
        a = math.radians(-180 + 18 * k)
        x0, y0 = c + S * 0.28 * math.cos(a), horizon + S * 0.28 * math.sin(a)
        x1, y1 = c + S * 0.35 * math.cos(a), horizon + S * 0.35 * math.sin(a)
        sd.line([(x0, y0), (x1, y1)], fill=255, width=int(S * 0.018))
    sd.rectangle([0, horizon, S, S], fill=0)
    im.paste(GOLD + (255,), (0, 0), sun)
    # two trees (双树): the right one taller
    for tx, scale in ((c - S * 0.11, 0.85), (c + S * 0.1, 1.0)):
        trunk_w, trunk_h = S * 0.03 * scale, S * 0.16 * scale
        d.rectangle([tx - trunk_w / 2, horizon - trunk_h, tx + trunk_w / 2, horizon], fill=DARK_RED)
        for dx, dy, r in (
            (0, -0.23, 0.085),
            (-0.06, -0.17, 0.07),
            (0.06, -0.17, 0.07),
            (0, -0.13, 0.07),
        ):
            d.ellipse(bbox(tx + dx * S * scale, horizon + dy * S * scale, r * S * scale), fill=RED)
    # star above the trees
    d.polygon(star_points(c, c - S * 0.3, S * 0.06), fill=RED)
    # ground as an open book
    draw_book(d, c, horizon + S * 0.02, S * 0.46, S * 0.12, RED, CREAM, int(S * 0.008))
    _ribbon_text(im, d, S, "双培双树", c + S * 0.335, RED, GOLD)
    return _finish_logo(im).convert("RGB")


def logo_kindergarten() -> Image.Image:
    """小星星幼儿园 “星光育苗”: a star shining over a sprout that grows out of a heart."""
    im, d, S = _logo_canvas()
    c = S / 2
    d.ellipse(bbox(c, c, S * 0.49), fill=RED)
    d.ellipse(bbox(c, c, S * 0.44), fill=CREAM)
    # rays and star
    sy = c - S * 0.2
    for k in range(12):
        a = math.radians(k * 30 + 15)
        d.line(
            [
                (c + S * 0.125 * math.cos(a), sy + S * 0.125 * math.sin(a)),
                (c + S * 0.165 * math.cos(a), sy + S * 0.165 * math.sin(a)),
            ],
            fill=GOLD,
            width=int(S * 0.014),
        )
    d.polygon(star_points(c, sy, S * 0.11), fill=GOLD)
    d.polygon(star_points(c, sy, S * 0.05), fill=(255, 225, 140))
    # sprout
    green, leaf = (64, 150, 80), (96, 180, 96)
    base = c + S * 0.12
    d.line([(c, base), (c, c - S * 0.02)], fill=green, width=int(S * 0.02))
    d.polygon(ellipse_points(c - S * 0.07, c - S * 0.01, S * 0.075, S * 0.034, -25), fill=leaf)
    d.polygon(ellipse_points(c + S * 0.07, c - S * 0.04, S * 0.075, S * 0.034, 25), fill=leaf)
    # the sprout grows out of a red heart (爱心育苗)
    unit = S * 0.0068
    hy = base + S * 0.03
    heart = []
    for i in range(120):
        t = 2 * math.pi * i / 120
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        heart.append((c + x * unit, hy - y * unit))
    d.polygon(heart, fill=RED)
    d.polygon(
        ellipse_points(c - 8 * unit, hy - 6 * unit, 3 * unit, 1.8 * unit, -35), fill=(235, 90, 100)
    )
    _ribbon_text(im, d, S, "星光育苗", c + S * 0.345, RED, GOLD)
    return _finish_logo(im)


def logo_yunling() -> Image.Image:
    """云岭职业技术学校 “三融三促”: a gear (craft) around a flame, three linked rings, three stars."""
    im, d, S = _logo_canvas()
    c = S / 2
    d.polygon(gear_points(c, c, S * 0.49, S * 0.435, 20), fill=GOLD)
    d.ellipse(bbox(c, c, S * 0.40), fill=RED)
    d.ellipse(bbox(c, c, S * 0.365), outline=GOLD, width=int(S * 0.007))
    fb = c + S * 0.1
    d.polygon(flame_points(c - S * 0.06, fb, S * 0.14, S * 0.22, lean=-0.35), fill=GOLD)
    d.polygon(flame_points(c + S * 0.06, fb, S * 0.14, S * 0.25, lean=0.4), fill=GOLD)
    d.polygon(flame_points(c, fb, S * 0.24, S * 0.36, lean=0.22), fill=GOLD)
    d.polygon(
        flame_points(c + S * 0.005, fb - S * 0.015, S * 0.12, S * 0.22, lean=0.25), fill=WHITE
    )
    # three linked rings (三融)
    ry = c + S * 0.19
    for k in (-1, 0, 1):
        d.ellipse(bbox(c + k * S * 0.085, ry, S * 0.07), outline=GOLD, width=int(S * 0.016))
    # three stars (三促)
    for k in (-1, 0, 1):
        a = math.radians(-90 + k * 32)
        d.polygon(
            star_points(c + S * 0.31 * math.cos(a), c + S * 0.31 * math.sin(a), S * 0.038),
            fill=GOLD,
        )
    return _finish_logo(im)


SVG_DONGHU = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 600" width="600" height="600">
  <title>东湖实验中学党支部“2345”党建品牌标识</title>
  <defs>
    <path id="ring" d="M 300,300 m -228,0 a 228,228 0 1,1 456,0 a 228,228 0 1,1 -456,0"/>
  </defs>
  <circle cx="300" cy="300" r="292" fill="#F2C14E"/>
  <circle cx="300" cy="300" r="278" fill="#C8102E"/>
  <circle cx="300" cy="300" r="212" fill="none" stroke="#F2C14E" stroke-width="5"/>
  <text font-family="'Noto Sans SC','Microsoft YaHei','PingFang SC',sans-serif" font-size="34"
        font-weight="bold" fill="#F2C14E" letter-spacing="4">
    <textPath href="#ring" startOffset="8%">东湖实验中学党支部 · 党建品牌</textPath>
  </text>
  <!-- four stars for 两岗、三比、四创、五帮 -->
  <g fill="#F2C14E">
    <polygon points="300,98 306,116 325,116 310,127 316,145 300,134 284,145 290,127 275,116 294,116"/>
    <polygon points="232,120 236,132 249,132 239,139 243,152 232,144 221,152 225,139 215,132 228,132"/>
    <polygon points="368,120 372,132 385,132 375,139 379,152 368,144 357,152 361,139 351,132 364,132"/>
  </g>
  <!-- torch: flame, cup, handle -->
  <path d="M300,160 C338,204 352,232 340,262 C332,284 314,296 300,298 C282,296 262,282 258,258
           C254,236 270,222 280,200 C284,218 292,226 298,226 C294,204 292,184 300,160 Z" fill="#F2C14E"/>
  <path d="M300,214 C318,238 324,254 316,272 C310,284 304,288 300,288 C290,286 282,276 282,264
           C282,250 292,242 300,214 Z" fill="#FFFFFF"/>
  <path d="M248,302 L352,302 L338,332 L262,332 Z" fill="#F2C14E"/>
  <path d="M284,336 L316,336 L306,392 L294,392 Z" fill="#F2C14E"/>
  <text x="300" y="462" text-anchor="middle" font-family="'DejaVu Sans',Arial,Helvetica,sans-serif"
        font-size="86" font-weight="bold" fill="#F2C14E" letter-spacing="2">2345</text>
</svg>
"""


# --------------------------------------------------------------------------
# photo-like pictures
# --------------------------------------------------------------------------

SKIN = [(236, 200, 170), (226, 186, 152), (242, 212, 186), (214, 172, 138)]
HAIR = [(24, 20, 20), (38, 30, 26), (58, 44, 34), (16, 16, 20)]
SHIRTS = [
    (245, 245, 240),
    (230, 232, 236),
    (40, 48, 70),
    (60, 60, 66),
    (190, 40, 50),
    (70, 110, 170),
    (235, 225, 200),
    (120, 130, 150),
]
PANTS = [(30, 32, 40), (45, 50, 62), (60, 60, 66), (80, 70, 60)]
UNIFORM_BLUE = (52, 92, 160)


class Scene:
    """A drawing surface for one picture with helpers for walls, people, banners."""

    def __init__(self, w: int, h: int, rng: random.Random):
        self.w, self.h, self.rng = w, h, rng
        self.s = min(w, h) / 1200
        self.img = Image.new("RGBA", (w, h), (128, 128, 128, 255))

    # layers ---------------------------------------------------------------
    def layer(self):
        lay = Image.new("RGBA", (self.w, self.h), (0, 0, 0, 0))
        return lay, ImageDraw.Draw(lay)

    def put(self, lay: Image.Image, blur: float = 0.0):
        if blur > 0:
            lay = (
                lay.convert("RGBa").filter(ImageFilter.GaussianBlur(blur * self.s)).convert("RGBA")
            )
        self.img = Image.alpha_composite(self.img, lay)

    def band(self, y0, y1, top, bottom, x0=0, x1=None):
        x1 = self.w if x1 is None else x1
        y0, y1, x0, x1 = int(y0), int(y1), int(x0), int(x1)
        if y1 <= y0 or x1 <= x0:
            return
        g = Image.linear_gradient("L").resize((x1 - x0, y1 - y0), Image.Resampling.BILINEAR)
        self.img.paste(ImageOps.colorize(g, top, bottom).convert("RGBA"), (x0, y0))

    def jitter(self, color, amount=12):
        r = self.rng
        return tuple(max(0, min(255, v + r.randint(-amount, amount))) for v in color)

    # pseudo text: stroke clusters that read as Chinese characters from afar --
    def glyph(self, d, x, y, size, color, weight=0.11):
        r = self.rng
        w = max(1, int(size * weight))
        for _ in range(r.randint(3, 6)):
            k = r.random()
            if k < 0.45:
                yy = y + size * r.uniform(0.08, 0.92)
                d.line(
                    [(x + size * r.uniform(0, 0.35), yy), (x + size * r.uniform(0.6, 1), yy)],
                    fill=color,
                    width=w,
                )
            elif k < 0.8:
                xx = x + size * r.uniform(0.1, 0.9)
                d.line(
                    [(xx, y + size * r.uniform(0, 0.3)), (xx, y + size * r.uniform(0.65, 1))],
                    fill=color,
                    width=w,
                )
            else:
                x0 = x + size * r.uniform(0.3, 0.7)
                d.line(
                    [(x0, y + size * 0.1), (x + size * r.choice((0.05, 0.95)), y + size * 0.95)],
                    fill=color,
                    width=w,
                )

    def text_line(self, d, x, y, size, n, color, gap=0.25, weight=0.11):
        for i in range(n):
            self.glyph(d, x + i * size * (1 + gap), y, size, color, weight)

    def banner(self, d, x0, y0, x1, y1, n_chars=None, bg=RED, fg=GOLD):
        d.rectangle([x0, y0, x1, y1], fill=bg)
        hgt = y1 - y0
        size = hgt * 0.58
        n = n_chars or max(4, int((x1 - x0) / (size * 1.3)) - 2)
        total = n * size * 1.25 - size * 0.25
        self.text_line(d, (x0 + x1) / 2 - total / 2, y0 + hgt * 0.21, size, n, fg, gap=0.25)

    # people ----------------------------------------------------------------
    def person(
        self,
        d,
        cx,
        feet,
        H,
        *,
        back=False,
        top=None,
        bottom=None,
        scarf=False,
        hold=None,
        fist=False,
        child=False,
    ):
        r = self.rng
        top = top or self.jitter(r.choice(SHIRTS), 8)
        bottom = bottom or self.jitter(r.choice(PANTS), 6)
        skin = self.jitter(r.choice(SKIN), 6)
        hair = r.choice(HAIR)
        head_r = H * (0.095 if child else 0.072)
        head_cy = feet - H + head_r
        sh_w = H * (0.25 if child else 0.27)
        t_top = head_cy + head_r * 0.95
        t_bot = feet - H * (0.42 if child else 0.47)
        leg_w = sh_w * 0.36
        # legs and shoes
        for sign in (-1, 1):
            lx = cx + sign * sh_w * 0.2
            d.rounded_rectangle(
                [lx - leg_w / 2, t_bot - H * 0.03, lx + leg_w / 2, feet],
                radius=int(leg_w * 0.3),
                fill=bottom,
            )
            d.ellipse(
                [lx - leg_w * 0.6, feet - H * 0.025, lx + leg_w * 0.7, feet + H * 0.012],
                fill=(25, 22, 22),
            )
        # arms
        arm_w = sh_w * 0.2
        for sign in (-1, 1):
            ax = cx + sign * (sh_w / 2 + arm_w * 0.2)
            if fist and sign == 1:
                d.rounded_rectangle(
                    [ax - arm_w / 2, t_top - H * 0.16, ax + arm_w / 2, t_top + H * 0.1],
                    radius=int(arm_w * 0.45),
                    fill=top,
                )
                d.ellipse(bbox(ax, t_top - H * 0.17, arm_w * 0.6), fill=skin)
            else:
                d.rounded_rectangle(
                    [ax - arm_w / 2, t_top + H * 0.02, ax + arm_w / 2, t_bot + H * 0.02],
                    radius=int(arm_w * 0.45),
                    fill=self.jitter(top, 6),
                )
                if not back:
                    d.ellipse(bbox(ax, t_bot + H * 0.03, arm_w * 0.5), fill=skin)
        # torso
        d.rounded_rectangle(
            [cx - sh_w / 2, t_top, cx + sh_w / 2, t_bot], radius=int(sh_w * 0.22), fill=top
        )
        if scarf:
            d.polygon(
                [
                    (cx - sh_w * 0.28, t_top + H * 0.01),
                    (cx + sh_w * 0.28, t_top + H * 0.01),
                    (cx, t_top + H * 0.12),
                ],
                fill=RED,
            )
        if hold == "cert" and not back:
            d.rectangle(
                [cx - sh_w * 0.4, t_top + H * 0.06, cx + sh_w * 0.4, t_top + H * 0.19], fill=RED
            )
            d.rectangle(
                [cx - sh_w * 0.25, t_top + H * 0.1, cx + sh_w * 0.25, t_top + H * 0.13], fill=GOLD
            )
        elif hold == "flowers" and not back:
            for _ in range(9):
                fx = cx + r.uniform(-sh_w * 0.3, sh_w * 0.3)
                fy = t_top + r.uniform(H * 0.02, H * 0.14)
                d.ellipse(
                    bbox(fx, fy, H * 0.028),
                    fill=r.choice([(230, 60, 90), (250, 200, 60), (250, 240, 240), (240, 120, 40)]),
                )
        elif hold == "book" and not back:
            d.rectangle(
                [cx - sh_w * 0.3, t_top + H * 0.1, cx + sh_w * 0.3, t_top + H * 0.2],
                fill=self.jitter((240, 236, 224), 8),
            )
        # head
        if back:
            d.ellipse(bbox(cx, head_cy, head_r * 1.02, head_r * 1.08), fill=hair)
        else:
            d.ellipse(bbox(cx, head_cy - head_r * 0.08, head_r * 1.06, head_r * 1.1), fill=hair)
            d.ellipse(bbox(cx, head_cy + head_r * 0.1, head_r * 0.92, head_r * 0.98), fill=skin)
            d.chord(
                bbox(cx, head_cy - head_r * 0.1, head_r * 0.98, head_r * 0.9), 180, 360, fill=hair
            )

    def crowd_row(self, feet, H, n, x0=None, x1=None, blur=0.0, **kw):
        lay, d = self.layer()
        x0 = self.w * 0.05 if x0 is None else x0
        x1 = self.w * 0.95 if x1 is None else x1
        step = (x1 - x0) / max(1, n - 1) if n > 1 else 0
        for i in range(n):
            cx = (
                x0 + i * step + self.rng.uniform(-step * 0.12, step * 0.12)
                if n > 1
                else (x0 + x1) / 2
            )
            hh = H * self.rng.uniform(0.93, 1.05)
            self.person(d, cx, feet + self.rng.uniform(-H * 0.01, H * 0.01), hh, **kw)
        self.put(lay, blur)

    def audience_back(self, y_from, rows=3, per_row=9, H0=None, blur_front=3.0, **kw):
        """Seated people seen from behind, bottom rows larger and more blurred."""
        H0 = H0 or self.h * 0.3
        for k in range(rows):
            f = k / max(1, rows - 1)
            H = H0 * (0.55 + 0.9 * f)
            feet = y_from + (self.h - y_from) * (0.25 + 0.75 * f) + H * 0.55
            n = max(3, int(per_row * (1.3 - 0.5 * f)))
            self.crowd_row(
                feet,
                H,
                n,
                -self.w * 0.02,
                self.w * 1.02,
                blur=blur_front * f + 0.6,
                back=True,
                **kw,
            )

    # finishing -------------------------------------------------------------
    def finish(self, *, soft=0.8, vignette=0.2, blotch=5, grain=3, tint=(0, 0, 0)) -> Image.Image:
        w, h, r = self.w, self.h, self.rng
        img = self.img.convert("RGB").filter(ImageFilter.GaussianBlur(soft * self.s))
        if any(tint):
            img = ImageChops.add(
                img, Image.new("RGB", (w, h), tuple(128 + t for t in tint)), 1.0, -128
            )
        if vignette:
            rg = Image.radial_gradient("L").resize((w, h), Image.Resampling.BILINEAR)
            mask = rg.point(lambda v: 255 - int(min(255, v) * vignette * 0.9))
            img = ImageChops.multiply(img, Image.merge("RGB", (mask, mask, mask)))
        if blotch:
            cw, ch = max(2, w // 6), max(2, h // 6)
            coarse = Image.frombytes("RGB", (cw, ch), r.randbytes(cw * ch * 3))
            coarse = coarse.resize((w, h), Image.Resampling.BICUBIC)
            coarse = coarse.point(lambda v: 128 + (v - 128) * blotch // 128)
            img = ImageChops.add(img, coarse, 1.0, -128)
        if grain:
            fine = Image.frombytes("L", (w, h), r.randbytes(w * h))
            fine = fine.point(lambda v: 128 + (v - 128) * grain // 128)
            img = ImageChops.add(img, Image.merge("RGB", (fine, fine, fine)), 1.0, -128)
        return img


# scenes --------------------------------------------------------------------


def scene_stage(
    sc: Scene,
    *,
    people=6,
    hold=None,
    backdrop="red",
    audience=True,
    podium=False,
    rows=1,
    fist=False,
    kids=False,
):
    """An auditorium: wall, red backdrop with a banner, stage, people, audience from behind."""
    w, h, r = sc.w, sc.h, sc.rng
    horizon = h * (0.6 if audience else 0.72)
    sc.band(0, horizon, sc.jitter((214, 204, 188)), sc.jitter((186, 172, 150)))
    sc.band(horizon, h, (120, 60, 50), (80, 40, 36))
    lay, d = sc.layer()
    bx0, bx1 = w * r.uniform(0.06, 0.12), w * r.uniform(0.88, 0.94)
    by0, by1 = h * 0.05, horizon - h * 0.06
    if backdrop == "screen":
        d.rectangle([bx0, by0, bx1, by1], fill=(30, 40, 90))
        d.rectangle([bx0, by0, bx1, by1], outline=(20, 20, 24), width=int(10 * sc.s))
        sc.banner(
            d,
            bx0 + (bx1 - bx0) * 0.08,
            by0 + (by1 - by0) * 0.18,
            bx1 - (bx1 - bx0) * 0.08,
            by0 + (by1 - by0) * 0.36,
            bg=RED,
            fg=(255, 240, 200),
        )
        sc.text_line(
            d,
            bx0 + (bx1 - bx0) * 0.3,
            by0 + (by1 - by0) * 0.55,
            (by1 - by0) * 0.08,
            8,
            (235, 235, 240),
        )
    elif backdrop == "flag":
        d.rectangle([bx0, by0, bx1, by1], fill=(226, 218, 204))
        fx0, fx1 = w * 0.3, w * 0.7
        fy0, fy1 = by0 + h * 0.03, by1 - h * 0.06
        d.rectangle([fx0, fy0, fx1, fy1], fill=RED)
        ecx, ecy = fx0 + (fx1 - fx0) * 0.2, fy0 + (fy1 - fy0) * 0.3
        d.ellipse(bbox(ecx, ecy, (fy1 - fy0) * 0.16), outline=GOLD, width=int(8 * sc.s))
        d.polygon(star_points(ecx, ecy, (fy1 - fy0) * 0.1), fill=GOLD)
    else:
        # red backdrop with soft folds
        for i in range(int(bx0), int(bx1), max(4, int(24 * sc.s))):
            shade = int(20 * math.sin(i / (60 * sc.s)))
            d.rectangle([i, by0, i + 24 * sc.s, by1], fill=(178 + shade, 22, 36))
        sc.banner(
            d,
            bx0 + (bx1 - bx0) * 0.1,
            by0 + (by1 - by0) * 0.12,
            bx1 - (bx1 - bx0) * 0.1,
            by0 + (by1 - by0) * 0.3,
            bg=(170, 15, 30),
            fg=GOLD,
        )
        sc.text_line(
            d,
            bx0 + (bx1 - bx0) * 0.32,
            by0 + (by1 - by0) * 0.42,
            (by1 - by0) * 0.07,
            7,
            (255, 236, 190),
        )
    # stage front
    d.rectangle([0, horizon - h * 0.02, w, horizon + h * 0.05], fill=(110, 20, 30))
    d.rectangle([0, horizon + h * 0.05, w, horizon + h * 0.07], fill=(70, 30, 30))
    sc.put(lay, 1.2)
    # ceiling lights
    lay, d = sc.layer()
    for k in range(5):
        lx = w * (0.1 + 0.2 * k)
        d.ellipse(bbox(lx, h * 0.02, w * 0.05, h * 0.03), fill=(255, 250, 230, 150))
    sc.put(lay, 14)
    if podium:
        lay, d = sc.layer()
        px = w * r.uniform(0.62, 0.75)
        d.polygon(
            [
                (px - w * 0.06, horizon - h * 0.2),
                (px + w * 0.06, horizon - h * 0.2),
                (px + w * 0.05, horizon),
                (px - w * 0.05, horizon),
            ],
            fill=(120, 70, 40),
        )
        sc.banner(
            d, px - w * 0.04, horizon - h * 0.16, px + w * 0.04, horizon - h * 0.12, n_chars=3
        )
        sc.put(lay, 1.0)
        sc.crowd_row(horizon - h * 0.005, h * 0.33, 1, px, px, blur=0.8)
    for k in range(rows):
        H = h * (0.34 - 0.03 * k) * (0.7 if kids else 1.0)
        feet = horizon - h * 0.02 * (rows - 1 - k) * 3 + h * 0.01
        sc.crowd_row(
            feet,
            H,
            people + k,
            w * 0.18 + k * w * 0.02,
            w * 0.82 - k * w * 0.02,
            blur=1.0,
            hold=hold,
            fist=fist,
            scarf=kids,
            child=kids,
        )
    if audience:
        sc.audience_back(horizon + h * 0.05, rows=3, per_row=8, H0=h * 0.34)


def scene_classroom(sc: Scene, *, teacher=True, pupils=True, kids_scarf=True, adults=False):
    w, h, r = sc.w, sc.h, sc.rng
    horizon = h * 0.62
    sc.band(0, horizon, sc.jitter((222, 230, 214)), sc.jitter((196, 206, 190)))
    sc.band(horizon, h, (176, 150, 120), (130, 108, 88))
    lay, d = sc.layer()
    # window light on one side
    side = r.choice((0, 1))
    wx = w * 0.02 if side == 0 else w * 0.84
    for k in range(2):
        d.rectangle([wx, h * (0.1 + 0.0 * k), wx + w * 0.13, h * 0.5], fill=(240, 246, 252))
        d.line(
            [(wx + w * 0.065, h * 0.1), (wx + w * 0.065, h * 0.5)],
            fill=(190, 196, 200),
            width=int(8 * sc.s),
        )
    # blackboard with chalk text
    bx0, bx1 = w * 0.22, w * 0.78
    d.rectangle([bx0 - 8 * sc.s, h * 0.17, bx1 + 8 * sc.s, h * 0.5], fill=(120, 100, 80))
    d.rectangle([bx0, h * 0.18, bx1, h * 0.49], fill=(38, 70, 56))
    for k in range(4):
        sc.text_line(
            d,
            bx0 + w * 0.04,
            h * (0.22 + 0.06 * k),
            h * 0.035,
            r.randint(5, 11),
            (230, 232, 225),
            weight=0.09,
        )
    # red slogan above the board
    sc.banner(d, w * 0.28, h * 0.06, w * 0.72, h * 0.13)
    sc.put(lay, 1.2)
    if teacher:
        tx = w * r.uniform(0.35, 0.65)
        sc.crowd_row(horizon + h * 0.02, h * 0.4, 1, tx, tx, blur=1.0)
    if pupils:
        for k in range(3):
            f = k / 2
            lay, d = sc.layer()
            y = horizon + h * (0.08 + 0.14 * k)
            d.rectangle([0, y, w, y + h * (0.03 + 0.03 * f)], fill=(150, 110, 70))
            sc.put(lay, 1.0 + 2.5 * f)
        sc.audience_back(
            horizon + h * 0.02,
            rows=3,
            per_row=7,
            H0=h * (0.36 if adults else 0.3),
            scarf=kids_scarf and not adults,
            top=None if adults else UNIFORM_BLUE,
        )


def scene_outdoor(
    sc: Scene,
    *,
    people=8,
    banner=True,
    flag=True,
    kids=False,
    balloons=False,
    building=True,
    track=True,
    trees=True,
):
    w, h, r = sc.w, sc.h, sc.rng
    horizon = h * r.uniform(0.46, 0.52)
    sc.band(0, horizon, sc.jitter((110, 160, 220), 10), sc.jitter((214, 228, 242), 6))
    ground_top, ground_bot = (
        ((170, 76, 64), (150, 64, 56)) if track else ((170, 170, 166), (140, 140, 136))
    )
    sc.band(horizon, h, ground_top, ground_bot)
    lay, d = sc.layer()
    for _ in range(r.randint(2, 4)):  # clouds
        cx, cy = w * r.random(), horizon * r.uniform(0.1, 0.45)
        for _ in range(6):
            d.ellipse(
                bbox(
                    cx + r.uniform(-90, 90) * sc.s,
                    cy + r.uniform(-20, 20) * sc.s,
                    r.uniform(50, 110) * sc.s,
                    r.uniform(25, 45) * sc.s,
                ),
                fill=(250, 250, 252, 200),
            )
    sc.put(lay, 16)
    if building:
        lay, d = sc.layer()
        x0, x1 = w * r.uniform(0.05, 0.2), w * r.uniform(0.6, 0.95)
        y0 = horizon - h * r.uniform(0.2, 0.3)
        d.rectangle([x0, y0, x1, horizon], fill=sc.jitter((226, 220, 210)))
        d.rectangle([x0, y0, x1, y0 + h * 0.02], fill=(170, 60, 60))
        for yy in range(int(y0 + h * 0.04), int(horizon - h * 0.03), int(h * 0.055)):
            for xx in range(int(x0 + w * 0.015), int(x1 - w * 0.03), int(w * 0.045)):
                d.rectangle([xx, yy, xx + w * 0.028, yy + h * 0.03], fill=(120, 150, 175))
        sc.put(lay, 2.0)
    if trees:
        lay, d = sc.layer()
        for _ in range(r.randint(14, 22)):
            tx = w * r.random()
            ty = horizon - h * r.uniform(0.0, 0.08)
            d.ellipse(
                bbox(tx, ty, w * r.uniform(0.03, 0.07), h * r.uniform(0.05, 0.1)),
                fill=sc.jitter((70, 120, 70), 18),
            )
        sc.put(lay, 3.5)
    if track:
        lay, d = sc.layer()
        for k in range(1, 6):
            y = horizon + (h - horizon) * (k / 6) ** 1.6
            d.line([(0, y), (w, y)], fill=(235, 235, 230, 180), width=max(2, int(6 * sc.s * k / 3)))
        sc.put(lay, 1.5)
    if flag:
        lay, d = sc.layer()
        fx = w * r.choice((0.12, 0.86))
        d.line(
            [(fx, horizon - h * 0.02), (fx, h * 0.08)], fill=(210, 210, 215), width=int(8 * sc.s)
        )
        d.polygon(
            [(fx, h * 0.08), (fx + w * 0.1, h * 0.1), (fx + w * 0.095, h * 0.18), (fx, h * 0.16)],
            fill=(220, 20, 30),
        )
        sc.put(lay, 1.0)
    if balloons:
        lay, d = sc.layer()
        for _ in range(14):
            bx, by = w * r.random(), h * r.uniform(0.12, 0.45)
            d.line(
                [(bx, by), (bx + r.uniform(-20, 20), by + h * 0.15)], fill=(240, 240, 240), width=2
            )
            d.ellipse(
                bbox(bx, by, w * 0.022, h * 0.036),
                fill=r.choice([RED, GOLD, (240, 120, 160), (90, 170, 230), (250, 250, 250)]),
            )
        sc.put(lay, 1.2)
    # people in two depths, a banner held in front of the front row
    H = h * (0.22 if kids else 0.34)
    sc.crowd_row(
        horizon + h * 0.12, H * 0.8, people + 2, w * 0.1, w * 0.9, blur=1.8, child=kids, scarf=kids
    )
    sc.crowd_row(
        horizon + h * 0.22,
        H,
        people,
        w * 0.14,
        w * 0.86,
        blur=1.0,
        hold="flowers" if kids else None,
    )
    if kids:
        sc.crowd_row(horizon + h * 0.3, H * 1.55, max(2, people // 3), w * 0.2, w * 0.8, blur=1.2)
    if banner:
        lay, d = sc.layer()
        y0 = horizon + h * 0.22 - H * 0.5
        sc.banner(d, w * 0.2, y0, w * 0.8, y0 + H * 0.17)
        sc.put(lay, 1.0)


def scene_meeting(sc: Scene, *, screen=True, people=10):
    w, h, r = sc.w, sc.h, sc.rng
    horizon = h * 0.55
    sc.band(0, horizon, sc.jitter((226, 222, 214)), sc.jitter((200, 194, 184)))
    sc.band(horizon, h, (150, 120, 100), (110, 88, 72))
    lay, d = sc.layer()
    if screen:
        d.rectangle([w * 0.24, h * 0.06, w * 0.76, h * 0.4], fill=(28, 36, 80))
        sc.banner(d, w * 0.28, h * 0.11, w * 0.72, h * 0.18, bg=RED, fg=(255, 240, 200))
        for k in range(3):
            sc.text_line(
                d,
                w * 0.3,
                h * (0.23 + 0.05 * k),
                h * 0.028,
                r.randint(8, 14),
                (230, 232, 240),
                weight=0.09,
            )
    else:
        # a slogan and framed pictures on the wall, a bookcase on one side
        sc.banner(d, w * 0.25, h * 0.07, w * 0.75, h * 0.14)
        for k in range(3):
            fx = w * (0.3 + 0.16 * k)
            d.rectangle([fx, h * 0.2, fx + w * 0.11, h * 0.34], fill=(110, 80, 50))
            d.rectangle(
                [fx + w * 0.008, h * 0.21, fx + w * 0.102, h * 0.33],
                fill=sc.jitter((200, 190, 170), 30),
            )
        bx = w * r.choice((0.02, 0.82))
        d.rectangle([bx, h * 0.12, bx + w * 0.16, horizon + h * 0.05], fill=(120, 86, 56))
        for k in range(4):
            yy = h * 0.15 + k * h * 0.11
            x = bx + w * 0.01
            while x < bx + w * 0.145:
                bw = w * r.uniform(0.008, 0.016)
                d.rectangle(
                    [x, yy + h * r.uniform(0.0, 0.02), x + bw, yy + h * 0.09],
                    fill=r.choice(
                        [
                            (180, 40, 40),
                            (40, 80, 140),
                            (220, 200, 150),
                            (60, 120, 80),
                            (240, 240, 230),
                        ]
                    ),
                )
                x += bw + w * 0.002
    sc.put(lay, 1.2)
    # seated people along the far side of the table
    sc.crowd_row(horizon + h * 0.18, h * 0.3, people // 2, w * 0.12, w * 0.88, blur=1.4)
    lay, d = sc.layer()
    # table in perspective, white cloth with a green baize strip
    d.polygon(
        [
            (w * 0.08, horizon + h * 0.1),
            (w * 0.92, horizon + h * 0.1),
            (w * 1.05, h * 0.78),
            (-w * 0.05, h * 0.78),
        ],
        fill=(236, 236, 232),
    )
    d.polygon(
        [
            (w * 0.08, horizon + h * 0.1),
            (w * 0.92, horizon + h * 0.1),
            (w * 0.94, horizon + h * 0.13),
            (w * 0.06, horizon + h * 0.13),
        ],
        fill=(40, 110, 70),
    )
    for k in range(people // 2):
        x = w * (0.15 + 0.7 * k / max(1, people // 2 - 1))
        d.rectangle([x - w * 0.03, horizon + h * 0.14, x + w * 0.03, horizon + h * 0.17], fill=RED)
        d.rectangle(
            [x + w * 0.035, horizon + h * 0.11, x + w * 0.045, horizon + h * 0.16],
            fill=(200, 220, 235),
        )
        d.rectangle(
            [x - w * 0.06, horizon + h * 0.2, x - w * 0.01, horizon + h * 0.24],
            fill=(250, 250, 246),
        )
    sc.put(lay, 1.0)
    sc.crowd_row(h * 1.25, h * 0.75, max(3, people // 3), -w * 0.05, w * 1.05, blur=5.0, back=True)


def scene_workshop(sc: Scene, *, people=5, banner=True):
    w, h, r = sc.w, sc.h, sc.rng
    horizon = h * 0.58
    sc.band(0, horizon, sc.jitter((200, 208, 216)), sc.jitter((168, 178, 188)))
    sc.band(horizon, h, (150, 156, 150), (118, 124, 118))
    lay, d = sc.layer()
    for k in range(4):  # strip lights
        y = h * (0.03 + 0.04 * k)
        d.rectangle(
            [w * (0.2 - 0.04 * k), y, w * (0.8 + 0.04 * k), y + h * 0.01], fill=(255, 255, 250)
        )
    if banner:
        sc.banner(d, w * 0.2, h * 0.2, w * 0.8, h * 0.27)
    # yellow safety lines
    d.polygon(
        [(w * 0.3, horizon), (w * 0.32, horizon), (w * 0.12, h), (w * 0.06, h)], fill=(240, 200, 40)
    )
    d.polygon(
        [(w * 0.68, horizon), (w * 0.7, horizon), (w * 0.94, h), (w * 0.88, h)], fill=(240, 200, 40)
    )
    sc.put(lay, 1.4)
    lay, d = sc.layer()
    for k in range(3):  # machine tools
        x0 = w * (0.05 + 0.32 * k) + r.uniform(-20, 20) * sc.s
        x1 = x0 + w * 0.24
        y0 = horizon - h * r.uniform(0.16, 0.24)
        d.rounded_rectangle(
            [x0, y0, x1, horizon + h * 0.08],
            radius=int(14 * sc.s),
            fill=sc.jitter((210, 214, 218), 6),
        )
        d.rectangle([x0 + w * 0.02, y0 + h * 0.04, x0 + w * 0.12, y0 + h * 0.14], fill=(40, 60, 80))
        d.rectangle(
            [x0 + w * 0.14, y0 + h * 0.04, x1 - w * 0.02, y0 + h * 0.1], fill=(70, 120, 170)
        )
        d.rectangle([x0, horizon + h * 0.06, x1, horizon + h * 0.08], fill=(60, 90, 140))
    sc.put(lay, 1.6)
    sc.crowd_row(
        horizon + h * 0.22,
        h * 0.36,
        people,
        w * 0.15,
        w * 0.85,
        blur=1.0,
        top=UNIFORM_BLUE,
        bottom=(40, 60, 100),
    )


def scene_certificate(sc: Scene, *, scan=False):
    """A certificate: photographed on a desk, or as a flat scan."""
    w, h, r = sc.w, sc.h, sc.rng
    if scan:
        sc.band(0, 0 + h, (250, 248, 242), (246, 243, 236))
        x0, y0, x1, y1 = w * 0.04, h * 0.05, w * 0.96, h * 0.95
    else:
        sc.band(0, h, (150, 106, 70), (116, 80, 52))
        x0, y0, x1, y1 = w * 0.12, h * 0.1, w * 0.88, h * 0.9
    paper = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(paper)
    d.rectangle([x0, y0, x1, y1], fill=(252, 246, 230))
    m = min(w, h) * 0.025
    d.rectangle([x0 + m, y0 + m, x1 - m, y1 - m], outline=RED, width=int(8 * sc.s))
    d.rectangle(
        [x0 + m * 1.6, y0 + m * 1.6, x1 - m * 1.6, y1 - m * 1.6], outline=GOLD, width=int(4 * sc.s)
    )
    cx = (x0 + x1) / 2
    ey = y0 + (y1 - y0) * 0.17
    d.ellipse(bbox(cx, ey, (y1 - y0) * 0.07), fill=RED)
    d.polygon(star_points(cx, ey, (y1 - y0) * 0.05), fill=GOLD)
    title = (y1 - y0) * 0.1
    sc.text_line(
        d, cx - title * 1.3 * 1.5, y0 + (y1 - y0) * 0.28, title, 3, RED, gap=0.3, weight=0.13
    )
    body = (y1 - y0) * 0.04
    per_line = int((x1 - x0) * 0.68 / (body * 1.3))
    for k in range(4):
        n = per_line - (2 if k == 0 else 0) if k < 3 else per_line // 2
        sc.text_line(
            d,
            x0 + (x1 - x0) * 0.16 + (body * 2.5 if k == 0 else 0),
            y0 + (y1 - y0) * (0.5 + 0.08 * k),
            body,
            n,
            (50, 40, 40),
            gap=0.3,
            weight=0.1,
        )
    sx, sy = x0 + (x1 - x0) * 0.72, y0 + (y1 - y0) * 0.8
    sc.text_line(d, sx - body * 4, sy + body * 0.3, body, 6, (50, 40, 40), gap=0.3, weight=0.1)
    d.ellipse(bbox(sx, sy, (y1 - y0) * 0.09), outline=(210, 40, 50, 210), width=int(7 * sc.s))
    d.polygon(star_points(sx, sy, (y1 - y0) * 0.035), fill=(210, 40, 50, 210))
    if not scan:
        shadow = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        ImageDraw.Draw(shadow).rectangle(
            [x0 + 14 * sc.s, y0 + 18 * sc.s, x1 + 14 * sc.s, y1 + 18 * sc.s], fill=(0, 0, 0, 110)
        )
        sc.put(shadow, 12)
        paper = paper.rotate(
            r.uniform(-3, 3), resample=Image.Resampling.BICUBIC, center=(cx, (y0 + y1) / 2)
        )
    sc.put(paper, 0.6)


SCENES = {
    "stage": scene_stage,
    "classroom": scene_classroom,
    "outdoor": scene_outdoor,
    "meeting": scene_meeting,
    "workshop": scene_workshop,
    "certificate": scene_certificate,
}


def render_scene(key: str, size: tuple[int, int], scene: str, opts: dict) -> Image.Image:
    rng = rng_for(key)
    sc = Scene(size[0], size[1], rng)
    finish = opts.pop("finish", {})
    SCENES[scene](sc, **opts)
    if scene != "certificate":
        finish.setdefault("tint", (rng.randint(-4, 8), rng.randint(-3, 4), rng.randint(-8, 3)))
    return sc.finish(**finish)


def make_exif(
    make: str,
    model: str,
    taken: str,
    gps: tuple[float, float, float] | None = None,
    orientation: int | None = None,
) -> Image.Exif:
    """EXIF with camera, time and optionally GPS: exactly what the site must strip."""

    def dms(value: float):
        deg = int(value)
        minutes_f = (value - deg) * 60
        minutes = int(minutes_f)
        seconds = round((minutes_f - minutes) * 60 * 100)
        return (IFDRational(deg, 1), IFDRational(minutes, 1), IFDRational(seconds, 100))

    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    exif[0x0131] = "demo-camera 1.0"
    exif[0x0132] = taken
    if orientation:
        exif[0x0112] = orientation
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = taken  # DateTimeOriginal
    sub[0x9004] = taken  # DateTimeDigitized
    if gps:
        lat, lon, alt = gps
        g = exif.get_ifd(0x8825)
        g[0] = b"\x02\x02\x00\x00"
        g[1] = "N" if lat >= 0 else "S"
        g[2] = dms(abs(lat))
        g[3] = "E" if lon >= 0 else "W"
        g[4] = dms(abs(lon))
        g[5] = b"\x00"
        g[6] = IFDRational(round(alt * 10), 10)
    return exif


# --------------------------------------------------------------------------
# office files
# --------------------------------------------------------------------------


def normalize_zip(path: Path) -> None:
    """Rewrite an OOXML zip with fixed timestamps so the file is reproducible."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as zin:
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\g<2>", text
                )
                data = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)
    path.write_bytes(buf.getvalue())


def _docx_base():
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    for name in ("Title", "Heading 1", "Heading 2"):
        st = doc.styles[name]
        st.font.name = "黑体"
        rpr = st.element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")
    cp = doc.core_properties
    cp.author = "示例作者"
    cp.last_modified_by = "示例作者"
    cp.created = FIXED_TIME
    cp.modified = FIXED_TIME
    cp.revision = 1
    return doc


def docx_agreement(tmp: Path) -> None:
    """师徒结对协议书（范本） for the 名师工作室 case."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = _docx_base()
    doc.core_properties.title = "青禾路小学名师工作室师徒结对协议书"
    t = doc.add_heading("青禾路小学名师工作室师徒结对协议书", level=0)
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(
        "为发挥党员名师的示范引领作用，帮助青年教师尽快站稳讲台、站好讲台，"
        "经双方自愿、工作室同意，结成师徒对子，订立本协议。"
    )
    doc.add_paragraph("导师（甲方）：________　　　　徒弟（乙方）：________　　　　学科：________")
    doc.add_heading("一、结对期限", level=1)
    doc.add_paragraph("自2024年9月1日起至2026年7月31日止，共两个学年。")
    doc.add_heading("二、导师职责", level=1)
    for line in (
        "每学期听徒弟的课不少于8节，当天反馈、留有记录；",
        "每学期为徒弟上示范课不少于2节，指导徒弟完成1节校级以上公开课；",
        "指导徒弟制订个人三年成长规划，每月至少面谈一次；",
        "以身作则，在师德修养、班级管理、家校沟通等方面言传身教。",
    ):
        doc.add_paragraph(line, style="List Number")
    doc.add_heading("三、徒弟职责", level=1)
    for line in (
        "虚心求教，每学期听导师的课不少于16节，写好听课反思；",
        "每学期完成一份完整的单元教学设计，主动请导师把关；",
        "按时参加工作室集体备课和读书活动，每学期撰写一篇教学随笔。",
    ):
        doc.add_paragraph(line, style="List Number 2")
    doc.add_heading("四、考核与激励", level=1)
    doc.add_paragraph(
        "结对期满，由工作室组织考核：徒弟汇报课、成长档案、学生和家长反馈三项综合评定。"
        "考核优秀的师徒，由学校党支部予以表彰，并作为评优评先的参考。"
    )
    table = doc.add_table(rows=2, cols=3)
    table.style = "Table Grid"
    for i, label in enumerate(("导师签名", "徒弟签名", "工作室（盖章）")):
        table.cell(0, i).text = label
        table.cell(1, i).text = "\n\n　　年　　月　　日"
    doc.save(str(tmp))
    normalize_zip(tmp)


def docx_lesson_design(tmp: Path) -> None:
    """课程思政教学设计 for the vocational school case."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = _docx_base()
    doc.core_properties.title = "《阶梯轴的数控车削加工》课程思政教学设计"
    t = doc.add_heading("《阶梯轴的数控车削加工》课程思政教学设计", level=0)
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    cells = [
        ("授课专业", "数控技术应用", "授课年级", "二年级"),
        ("授课教师", "王海峰（党员）", "课时", "4课时"),
        ("教学场所", "数控实训中心", "思政主题", "精益求精的工匠精神"),
        ("融入方式", "案例导入、岗位示范、作品互评", "评价方式", "过程评价与作品评价相结合"),
    ]
    for i, row in enumerate(cells):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    doc.add_heading("一、教学目标", level=1)
    for line in (
        "知识与技能：能读懂阶梯轴零件图，正确编写加工程序并完成车削；",
        "过程与方法：在“编程—仿真—加工—检测”的流程中养成规范操作的习惯；",
        "情感态度：体会“差之毫厘，谬以千里”，树立质量意识和安全意识。",
    ):
        doc.add_paragraph(line, style="List Number")
    doc.add_heading("二、教学过程", level=1)
    steps = [
        (
            "情境导入（15分钟）",
            "播放本校毕业生在企业技术比武中夺冠的短视频，请学生说说“冠军的手稳在哪里”。",
        ),
        (
            "任务实施（120分钟）",
            "学生分组完成编程和仿真，党员教师在关键工位示范对刀和测量，强调每一步的安全规范。",
        ),
        ("检测互评（30分钟）", "对照评分表互测尺寸，找出超差原因，讨论“如果这是交给客户的产品”。"),
        (
            "总结升华（15分钟）",
            "学生写下一句“我的工匠格言”，贴在实训工位旁，作为下一次实训的提醒。",
        ),
    ]
    for title, text in steps:
        p = doc.add_paragraph()
        p.add_run(title + "：").bold = True
        p.add_run(text)
    doc.add_heading("三、教学反思", level=1)
    doc.add_paragraph(
        "思政元素要“长”在技能训练里，而不是“贴”在课堂开头。下一步将把企业真实订单引入实训，"
        "让学生在完成合格产品的过程中体会责任与担当。"
    )
    doc.save(str(tmp))
    normalize_zip(tmp)


def _xlsx_style_sheet(ws, title: str, header: list[str], rows: list[list], widths: list[int]):
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.cell(1, 1, title).font = Font(name="黑体", size=14, bold=True, color="C8102E")
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    for j, text in enumerate(header, 1):
        c = ws.cell(2, j, text)
        c.font = Font(name="宋体", bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", fgColor="C8102E")
        c.alignment = Alignment(horizontal="center", vertical="center")
        c.border = border
    for i, row in enumerate(rows, 3):
        for j, value in enumerate(row, 1):
            c = ws.cell(i, j, value)
            c.font = Font(name="宋体")
            c.alignment = Alignment(vertical="center", wrap_text=True)
            c.border = border
            if i % 2 == 0:
                c.fill = PatternFill("solid", fgColor="FDF3DC")
    for j, width in enumerate(widths, 1):
        ws.column_dimensions[chr(64 + j)].width = width
    ws.freeze_panes = "A3"


def _xlsx_save(wb, tmp: Path) -> None:
    wb.properties.creator = "示例作者"
    wb.properties.lastModifiedBy = "示例作者"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(str(tmp))
    normalize_zip(tmp)


def xlsx_studio_members(tmp: Path) -> None:
    """名师工作室成员及分工表 (members and duties, two sheets)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "成员及分工"
    header = ["序号", "姓名", "学科", "职称", "政治面貌", "工作室职务", "主要分工", "结对对象"]
    rows = [
        [
            1,
            "李明华",
            "语文",
            "高级教师",
            "中共党员",
            "主持人",
            "统筹规划、示范课、课题研究",
            "陈晓燕、刘思雨",
        ],
        [2, "周建国", "数学", "高级教师", "中共党员", "顾问", "师德引领、考核评价", "—"],
        [
            3,
            "陈晓燕",
            "语文",
            "一级教师",
            "中共党员",
            "秘书长",
            "活动组织、资料整理、宣传报道",
            "王小禾",
        ],
        [4, "吴静怡", "英语", "一级教师", "中共党员", "导师", "英语学科指导、读书活动", "赵一帆"],
        [5, "郑志远", "科学", "一级教师", "中共党员", "导师", "科学实验教学指导", "孙可欣"],
        [6, "刘思雨", "语文", "二级教师", "共青团员", "学员", "课例打磨、成长档案", "—"],
        [7, "王小禾", "语文", "二级教师", "入党积极分子", "学员", "读书分享、随笔撰写", "—"],
        [8, "赵一帆", "英语", "二级教师", "共青团员", "学员", "绘本阅读课例", "—"],
        [9, "孙可欣", "科学", "未定级", "共青团员", "学员", "实验课资源整理", "—"],
    ]
    _xlsx_style_sheet(
        ws, "青禾路小学李明华名师工作室成员及分工表", header, rows, [6, 10, 8, 11, 13, 12, 30, 16]
    )
    duty = wb.create_sheet("2025年春季活动值班")
    header2 = ["周次", "日期", "活动内容", "负责人", "记录人", "地点"]
    rows2 = [
        ["第2周", "2025-02-24", "学期计划研讨、师徒见面会", "李明华", "陈晓燕", "工作室"],
        ["第4周", "2025-03-10", "“一课三研”第一轮：说课", "吴静怡", "赵一帆", "三楼会议室"],
        ["第6周", "2025-03-24", "徒弟汇报课（语文）", "李明华", "王小禾", "四（2）班"],
        ["第8周", "2025-04-07", "读书分享：《给教师的建议》", "陈晓燕", "刘思雨", "图书馆"],
        ["第10周", "2025-04-21", "“一课三研”第二轮：磨课", "郑志远", "孙可欣", "科学实验室"],
        ["第12周", "2025-05-05", "党员示范课开放日", "周建国", "陈晓燕", "报告厅"],
        ["第14周", "2025-05-19", "成长档案中期检查", "李明华", "刘思雨", "工作室"],
        ["第17周", "2025-06-09", "学期总结与表彰", "周建国", "陈晓燕", "报告厅"],
    ]
    _xlsx_style_sheet(
        duty, "工作室2025年春季活动安排及值班表", header2, rows2, [8, 12, 32, 10, 10, 14]
    )
    _xlsx_save(wb, tmp)


def xlsx_double_training(tmp: Path) -> None:
    """双培对象培养台账 for 明德教育集团."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "培养台账"
    header = [
        "序号",
        "姓名",
        "所在学校",
        "学科",
        "培养类型",
        "培养联系人",
        "培养起始",
        "当前阶段",
        "备注",
    ]
    rows = [
        [
            1,
            "韩雪梅",
            "明德实验小学",
            "语文",
            "骨干培养成党员",
            "孙立群",
            "2024-03",
            "入党积极分子",
            "已完成党课学习",
        ],
        [
            2,
            "许志明",
            "明德南山小学",
            "数学",
            "骨干培养成党员",
            "钱文静",
            "2024-03",
            "发展对象",
            "",
        ],
        [
            3,
            "冯晓东",
            "明德初级中学",
            "物理",
            "党员培养成骨干",
            "孙立群",
            "2024-09",
            "区级骨干教师",
            "承担区级公开课1节",
        ],
        [
            4,
            "何丽萍",
            "明德乡村小学",
            "英语",
            "党员培养成骨干",
            "马国强",
            "2024-09",
            "校级骨干教师",
            "到集团本部跟岗一学期",
        ],
        [
            5,
            "邓子涵",
            "明德乡村小学",
            "音乐",
            "骨干培养成党员",
            "马国强",
            "2025-03",
            "提交入党申请书",
            "",
        ],
        [
            6,
            "曹文轩",
            "明德初级中学",
            "历史",
            "党员培养成骨干",
            "钱文静",
            "2025-03",
            "校级骨干教师",
            "牵头校本课程开发",
        ],
        [7, "彭佳宁", "明德实验小学", "科学", "党员培养成骨干", "孙立群", "2025-03", "培养中", ""],
    ]
    _xlsx_style_sheet(
        ws,
        "明德教育集团“双培”对象培养台账（2025年）",
        header,
        rows,
        [6, 10, 14, 8, 16, 11, 10, 14, 22],
    )
    dv = DataValidation(type="list", formula1='"骨干培养成党员,党员培养成骨干"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add("E3:E100")
    stats = wb.create_sheet("年度统计")
    header2 = ["年度", "教职工总数", "入库人数", "入库比例", "考核优秀人数", "优秀率"]
    data = [
        [2023, 412, 38, 0.092, 31, 0.816],
        [2024, 420, 45, 0.107, 39, 0.867],
        [2025, 431, 47, 0.109, 41, 0.872],
    ]
    _xlsx_style_sheet(stats, "“双培”储备库年度统计", header2, data, [8, 12, 10, 10, 14, 10])
    for row in stats.iter_rows(min_row=3, max_row=5):
        row[3].number_format = "0.0%"
        row[5].number_format = "0.0%"
    _xlsx_save(wb, tmp)


# A text PDF with real Chinese text, written by hand: it uses the standard
# Adobe CJK font STSong-Light (not embedded; every PDF reader maps it to a
# Song typeface), so no font file is needed here.

_NO_LINE_START = set("，。；：、？！）》」』”’…")


def _wrap_cjk(text: str, per_line: int) -> list[str]:
    lines, cur = [], ""
    for ch in text:
        if len(cur) >= per_line and ch not in _NO_LINE_START:
            lines.append(cur)
            cur = ""
        cur += ch
    if cur:
        lines.append(cur)
    return lines


def _fullwidth(text: str) -> str:
    return "".join(
        "\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text
    )


def write_cjk_pdf(tmp: Path, title: str, blocks: list[tuple[str, str]]) -> None:
    W, H, margin = 595.0, 842.0, 64.0
    body, lead = 11.5, 20.0
    pages: list[list[str]] = [[]]
    y = H - margin

    def emit(txt: str, size: float, x: float):
        pages[-1].append(
            f"BT /F1 {size:.1f} Tf {x:.1f} {y:.1f} Td <{txt.encode('utf-16-be').hex()}> Tj ET"
        )

    def new_line(step: float):
        nonlocal y
        y -= step
        if y < margin + 24:
            pages.append([])
            y = H - margin - step

    for kind, text in blocks:
        text = _fullwidth(text)
        if kind == "title":
            size = 18.0
            new_line(size)
            emit(text, size, (W - len(text) * size) / 2)
            new_line(lead)
        elif kind == "sub":
            size = 11.0
            new_line(size)
            emit(text, size, (W - len(text) * size) / 2)
            new_line(lead * 0.6)
        elif kind == "h":
            size = 13.5
            new_line(lead * 1.2)
            emit(text, size, margin)
        else:
            per_line = int((W - 2 * margin) // body)
            for line in _wrap_cjk("\u3000\u3000" + text, per_line):
                new_line(lead)
                emit(line, body, margin)
    objs: list[bytes] = []

    def add(obj: str | bytes) -> int:
        objs.append(obj.encode("latin-1") if isinstance(obj, str) else obj)
        return len(objs)

    catalog = add("")  # placeholder
    pages_id = add("")
    font_desc = add(
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880]"
        " /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"
    )
    cid_font = add(
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        " /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >>"
        f" /FontDescriptor {font_desc} 0 R /DW 1000 >>"
    )
    font = add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
        f" /DescendantFonts [{cid_font} 0 R] >>"
    )
    page_ids = []
    for n, ops in enumerate(pages, 1):
        ops = ops + [
            f"BT /F1 9.0 Tf {W / 2 - 27:.1f} 36.0 Td <{_fullwidth(f'— {n} —').encode('utf-16-be').hex()}> Tj ET"
        ]
        stream = "\n".join(ops).encode("latin-1")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {W:.0f} {H:.0f}]"
                f" /Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"
            )
        )
    objs[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode("latin-1")
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    objs[pages_id - 1] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode(
        "latin-1"
    )
    info = add(
        f"<< /Title <feff{title.encode('utf-16-be').hex()}> /Producer (make_demo_media.py)"
        f" /CreationDate (D:{FIXED_TIME:%Y%m%d%H%M%S}+08'00') >>"
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1,
        catalog,
        info,
        xref,
    )
    tmp.write_bytes(bytes(out))


def pdf_studio_plan(tmp: Path) -> None:
    write_cjk_pdf(
        tmp,
        "李明华名师工作室三年发展规划（2024—2026）",
        [
            ("title", "李明华名师工作室三年发展规划"),
            ("sub", "（2024—2026年）"),
            ("h", "一、工作室现状"),
            (
                "p",
                "工作室成立于2024年3月，现有成员9人，其中党员教师5人、青年教师4人，涵盖语文、英语、科学三个学科。"
                "成员平均年龄31岁，朝气蓬勃，但青年教师课堂驾驭能力和教学研究能力还比较薄弱，迫切需要系统的引领和帮带。",
            ),
            ("h", "二、发展目标"),
            (
                "p",
                "用三年时间，把工作室建成“党员示范的阵地、青年成长的摇篮、课堂研究的基地”。"
                "第一年打基础，完成师徒结对全覆盖；第二年出成果，每名学员至少上一节区级公开课；"
                "第三年创品牌，形成“一课三研”校本教研模式并在片区推广。",
            ),
            ("h", "三、主要措施"),
            (
                "p",
                "（一）师徒结对。党员导师与青年学员一对一结对，签订协议，明确听课、示范、指导的次数和要求，每学期进行一次双向评议。",
            ),
            (
                "p",
                "（二）一课三研。同一节课经历“说课—磨课—评课”三轮研讨，每轮都有记录、有改进，最终形成可共享的优秀课例。",
            ),
            (
                "p",
                "（三）读书滋养。每月共读一本教育书籍，每学期举办一次读书分享会，引导青年教师在阅读中涵养师德、开阔视野。",
            ),
            (
                "p",
                "（四）成长档案。为每名学员建立成长档案，记录听课、上课、获奖、反思等情况，作为年度考核和评优的依据。",
            ),
            ("h", "四、保障机制"),
            (
                "p",
                "学校党支部将工作室建设纳入年度重点工作，提供专用活动室和经费保障；工作室实行学期计划、月度例会、"
                "年度考核制度，考核结果与评优评先挂钩。",
            ),
            ("p", "本规划自发布之日起实施，由工作室负责解释，并根据实施情况每年修订一次。"),
        ],
    )


def pdf_certificate_scan(tmp: Path, key: str) -> None:
    """A scanned certificate: one page image saved as PDF (how scanners deliver it)."""
    img = render_scene(
        key,
        (1754, 1240),
        "certificate",
        {"scan": True, "finish": {"soft": 0.6, "vignette": 0, "blotch": 3, "grain": 3}},
    )
    img.save(
        tmp,
        "PDF",
        resolution=150.0,
        quality=80,
        title="获奖证书扫描件",
        creationDate=FIXED_TIME.timetuple(),
        modDate=FIXED_TIME.timetuple(),
    )


# --------------------------------------------------------------------------
# the manifest: every binary file of the demo
# --------------------------------------------------------------------------


@dataclass
class Job:
    rel: str
    make: Callable[[Path, str], None]
    note: str = ""


JOBS: list[Job] = []

# GPS points of public places (a square and a park), used only to show stripping.
GPS_SQUARE = (31.230416, 121.473701, 12.5)
GPS_PARK = (30.259244, 120.130035, 8.0)


def logo(rel: str, draw: Callable[[], Image.Image], fmt: str):
    def make(tmp: Path, key: str):
        img = draw()
        if fmt == "JPEG":
            img.save(tmp, "JPEG", quality=92)
        else:
            img.save(tmp, "PNG", optimize=True)

    JOBS.append(Job(rel, make, f"logo {fmt}"))


def svg(rel: str, text: str):
    JOBS.append(
        Job(rel, lambda tmp, key: tmp.write_text(text, encoding="utf-8", newline="\n"), "logo SVG")
    )


def photo(
    rel: str,
    scene: str,
    *,
    size=(1600, 1200),
    exif: dict | None = None,
    orientation: int | None = None,
    quality: int = 85,
    **opts,
):
    """A photo-like picture; ``size`` is the size as displayed (after orientation)."""
    suffix = Path(rel).suffix.lower()
    fmt = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".heic": "HEIF"}[suffix]
    notes = [fmt]
    if exif:
        notes.append("EXIF " + exif["model"] + (" +GPS" if exif.get("gps") else ""))
    if orientation:
        notes.append(f"Orientation={orientation}")

    def make(tmp: Path, key: str):
        img = render_scene(key, size, scene, dict(opts))
        ex = make_exif(orientation=orientation, **exif) if exif else None
        if orientation == 6:  # stored landscape; a viewer rotates it 90° clockwise
            img = img.transpose(Image.Transpose.ROTATE_90)
        elif orientation:
            raise ValueError("only Orientation=6 is drawn")
        if fmt == "JPEG":
            kw = {"exif": ex} if ex else {}
            img.save(tmp, "JPEG", quality=quality, **kw)
        elif fmt == "PNG":
            img.save(tmp, "PNG", compress_level=9)
        else:
            import pillow_heif

            pillow_heif.register_heif_opener()
            kw = {"exif": ex.tobytes()} if ex else {}
            img.save(tmp, format="HEIF", quality=50, **kw)

    JOBS.append(Job(rel, make, ", ".join(notes)))


def office(rel: str, make: Callable[[Path], None], note: str):
    JOBS.append(Job(rel, lambda tmp, key: make(tmp), note))


# 青禾路小学 --------------------------------------------------------------------
Q = "青禾路小学"
logo(f"{Q}/logo.png", logo_qinghe, "PNG")
A = f"{Q}/photos/2024-09-10 教师节表彰"
photo(f"{A}/IMG_20240910_093015.jpg", "stage", people=6, hold="cert")
photo(f"{A}/IMG_20240910_093842.jpg", "stage", people=0, audience=True)
photo(f"{A}/IMG_20240910_094510.jpg", "stage", people=0, podium=True, backdrop="screen")
photo(f"{A}/IMG_20240910_101220.jpg", "stage", people=7, rows=2, audience=False)
photo(f"{A}/IMG_20240910_102305.jpg", "stage", people=5, hold="flowers", kids=True)
photo(
    f"{A}/IMG_20240910_110148.jpg",
    "stage",
    size=(1200, 1600),
    people=2,
    hold="cert",
    audience=False,
)
A = f"{Q}/photos/2025-07-01 七一主题党日活动"
photo(
    f"{A}/01-重温入党誓词.jpg",
    "stage",
    backdrop="flag",
    people=0,
    audience=True,
    exif={"make": "HUAWEI", "model": "P60 Pro", "taken": "2025:07:01 09:12:40", "gps": GPS_SQUARE},
)
photo(
    f"{A}/02-党史知识竞赛.JPG",
    "meeting",
    people=10,
    exif={
        "make": "Apple",
        "model": "iPhone 14 Pro",
        "taken": "2025:07:01 10:05:18",
        "gps": GPS_SQUARE,
    },
)
photo(
    f"{A}/03-参观红色教育基地.jpg",
    "outdoor",
    size=(1200, 1600),
    people=6,
    track=False,
    flag=True,
    exif={
        "make": "Apple",
        "model": "iPhone 14 Pro",
        "taken": "2025:07:01 14:36:02",
        "gps": GPS_PARK,
    },
    orientation=6,
)
photo(f"{A}/04-党员志愿服务进社区.jpg", "outdoor", people=7, track=False, building=True)
photo(f"{A}/05-支部书记讲党课.jpg", "stage", people=0, podium=True, backdrop="screen")
C = f"{Q}/cases/名师工作室引领青年教师成长"
photo(f"{C}/01-名师工作室揭牌仪式.jpg", "stage", people=4, audience=True)
photo(f"{C}/02-师徒结对签约现场.jpg", "meeting", people=8)
photo(f"{C}/03-工作室集体备课.jpg", "meeting", people=6, screen=False)
photo(f"{C}/04-青年教师汇报课.jpg", "classroom")
photo(f"{C}/05-区级优秀课例证书.jpg", "certificate", size=(1200, 1600))
office(f"{C}/名师工作室成员及分工表.xlsx", xlsx_studio_members, "xlsx: members and duty table")
office(f"{C}/师徒结对协议书（范本）.docx", docx_agreement, "docx")
office(f"{C}/工作室三年发展规划.pdf", pdf_studio_plan, "PDF with Chinese text")

# 东湖实验中学 (ASCII folder) ---------------------------------------------------
D = "donghu-middle"
svg(f"{D}/logo.svg", SVG_DONGHU)
A = f"{D}/photos/2024-11-15 党员示范课展示周"
photo(f"{A}/01-党员示范课（语文）.jpg", "classroom", kids_scarf=False)
photo(
    f"{A}/02-课后评课研讨.png",
    "meeting",
    size=(1200, 900),
    people=8,
    finish={"blotch": 4, "grain": 0, "soft": 1.0},
)
photo(
    f"{A}/03-示范课现场.heic",
    "classroom",
    kids_scarf=False,
    exif={"make": "Apple", "model": "iPhone 15", "taken": "2024:11:15 10:20:31", "gps": GPS_PARK},
)
photo(f"{A}/04-数学组示范课.jpg", "classroom", kids_scarf=False)
photo(f"{A}/05-青年教师观摩.jpg", "classroom", teacher=True, adults=True)
A = f"{D}/photos/2025-03-05 学雷锋志愿服务"
photo(f"{A}/01-校园周边清洁.jpg", "outdoor", people=6, track=False, flag=False)
photo(f"{A}/02-走进敬老院.jpg", "outdoor", people=5, track=False, flag=False, banner=True)
photo(
    f"{A}/03-交通文明劝导.jpg",
    "outdoor",
    people=4,
    track=False,
    flag=False,
    banner=False,
    trees=True,
)
photo(f"{A}/04-志愿者合影.jpg", "outdoor", people=9, track=True)
C = f"{D}/cases/pioneer-post"
photo(f"{C}/01-党员先锋岗挂牌.jpg", "stage", people=3, audience=False, size=(1200, 900))
photo(f"{C}/02-先锋岗教师课后答疑.jpg", "classroom", kids_scarf=False, size=(1200, 900))
photo(f"{C}/03-先锋岗月度评议会.jpg", "meeting", people=8, size=(1200, 900))

# 明德教育集团 (GBK project.yml, labels as keys) -----------------------------------
M = "明德教育集团"
logo(f"{M}/双培双树标识.jpg", logo_mingde, "JPEG")
A = f"{M}/photos/2025-04-23 “书香明德”读书分享会"
photo(f"{A}/01-教师读书分享\u3000第一组.jpg", "meeting", people=8, screen=False)
photo(f"{A}/02-总支书记领读（初中部）.jpg", "stage", people=0, podium=True, backdrop="screen")
photo(f"{A}/03-好书推荐，共读共享.jpg", "stage", people=4, hold="book", audience=True)
photo(f"{A}/04-分享会合影.jpg", "stage", people=8, rows=2, audience=False)
C = f"{M}/cases/城乡学校师徒帮带"
photo(f"{C}/01-“双培”工作推进会.jpg", "meeting", people=10, size=(1200, 900))
photo(f"{C}/02-乡村教师跟岗听课.jpg", "classroom", adults=False, size=(1200, 900))
office(f"{C}/“双培”对象培养台账.xlsx", xlsx_double_training, "xlsx")

# 小星星幼儿园 (minimal) -----------------------------------------------------------
K = "小星星幼儿园"
logo(f"{K}/logo.png", logo_kindergarten, "PNG")
A = f"{K}/photos/2025-06-01 六一亲子游园会"
photo(
    f"{A}/01-党员教师带领亲子游戏.jpg", "outdoor", people=6, kids=True, balloons=True, banner=False
)
photo(f"{A}/02-红色故事小课堂.jpg", "classroom", teacher=True, kids_scarf=False)
photo(f"{A}/03-家长志愿者合影.jpg", "outdoor", people=7, kids=True, balloons=True, banner=True)

# 云岭职业技术学校 ---------------------------------------------------------------
Y = "云岭职业技术学校"
logo(f"{Y}/logo.png", logo_yunling, "PNG")
A = f"{Y}/photos/2025-05-20 职业教育活动周技能展示"
photo(f"{A}/01-数控加工技能展示.jpg", "workshop", people=4)
photo(f"{A}/02-党员教师现场指导.jpg", "workshop", people=3, banner=False)
photo(f"{A}/03-企业导师点评.jpg", "meeting", people=8)
photo(f"{A}/04-学生作品展.jpg", "stage", people=3, audience=True, backdrop="screen")
photo(f"{A}/05-家长开放日参观实训室.jpg", "workshop", people=6)
A = f"{Y}/photos/2024-12-05 校企党建联建签约"
photo(f"{A}/01-签约仪式.jpg", "stage", people=4, audience=True)
photo(f"{A}/02-共建实训基地揭牌.jpg", "outdoor", people=6, track=False, flag=False)
photo(f"{A}/03-座谈交流.jpg", "meeting", people=10)
C = f"{Y}/cases/课程思政融入数控实训"
photo(f"{C}/01-实训课堂“工匠精神”微讲堂.jpg", "workshop", people=5, size=(1200, 900))
photo(f"{C}/02-学生规范操作展示.jpg", "workshop", people=2, banner=False, size=(1200, 900))
office(f"{C}/课程思政教学设计.docx", docx_lesson_design, "docx")
office(
    f"{C}/省级技能大赛获奖证书扫描件.pdf",
    lambda tmp: pdf_certificate_scan(tmp, "yunling-certificate"),
    "PDF (scanned page image)",
)


# --------------------------------------------------------------------------
# text files whose encoding is part of the demo
# --------------------------------------------------------------------------

TEXT_ENCODINGS = {
    f"{M}/project.yml": "gbk",  # as saved by Notepad on a Chinese Windows ("ANSI")
    f"{D}/project.yml": "utf-8-sig",  # UTF-8 with BOM
}


def ensure_encoding(rel: str, encoding: str) -> str | None:
    path = PROJECTS / rel
    if not path.exists():
        return f"missing: {rel} (write it first; this script only re-encodes it)"
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
    want = text.encode(encoding)
    if want == raw:
        return None
    atomic_write(path, lambda tmp: tmp.write_bytes(want))
    return f"re-encoded {rel} as {encoding}"


KNOWN_BINARY = {".png", ".jpg", ".jpeg", ".heic", ".svg", ".docx", ".xlsx", ".pdf"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", help="only files whose path contains this text")
    ap.add_argument("--list", action="store_true", help="list the files, write nothing")
    args = ap.parse_args(argv)

    jobs = [j for j in JOBS if not args.only or args.only in j.rel]
    if args.list:
        for j in jobs:
            print(f"projects/{j.rel}  [{j.note}]")
        return 0
    print(
        "CJK font for logo ribbons: "
        + (
            f"{CJK_FONT[0]} #{CJK_FONT[1]}"
            if CJK_FONT
            else "none found (logos carry digits and shapes only)"
        )
    )
    total = 0
    for j in jobs:
        size = atomic_write(PROJECTS / j.rel, lambda tmp, j=j: j.make(tmp, j.rel))
        total += size
        print(f"wrote projects/{j.rel}  {size / 1024:,.0f} KB  [{j.note}]")
    if not args.only:
        for rel, enc in TEXT_ENCODINGS.items():
            msg = ensure_encoding(rel, enc)
            if msg:
                print(msg)
        expected = {PROJECTS / j.rel for j in JOBS}
        for p in sorted(PROJECTS.rglob("*")):
            if p.is_file() and p.suffix.lower() in KNOWN_BINARY and p not in expected:
                print(f"note: projects/{p.relative_to(PROJECTS)} is not generated by this script")
    print(f"{len(jobs)} files, {total / 1024 / 1024:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
