"""What drawing an SVG logo may cost: features whose cost has no bound are refused.

A 200-byte logo with `<feTurbulence numOctaves="100000000">` hung the district build.
Measured with resvg at the largest logo width (512 px), 2 cores:
`numOctaves` 10 → 0.7 s, 24 → 1.4 s, and 8 octaves on a filter region 5× the shape →
20 s; `feMorphology radius="5"` → 7.7 s and radius 50 → over 290 s (its cost grows with
the square of the radius *after* scaling, which the viewBox decides); one blur on 100
shapes → 26 s. So a logo is refused, with a finding, when it has:

- `feMorphology` or `feImage` at all (no bound we can state without drawing it);
- `numOctaves` above `MAX_OCTAVES`, a blur `stdDeviation` above `MAX_BLUR`, a
  `feConvolveMatrix` order above `MAX_KERNEL`;
- a filter region larger than `MAX_REGION` times the shape (or the canvas);
- more than `MAX_FILTER_WORK` filter primitives applied in all (a filter used by ten
  shapes counts ten times; a `filter` in a `<style>` sheet counts for every shape);
- more than `MAX_ELEMENTS` elements once every `<use>` is expanded, a `<use>` chain
  deeper than `MAX_USE_DEPTH`, or a `<use>` that refers to itself.

Real logos stay far below: a drop shadow is three primitives on one or two shapes.
`media.svg` applies this to the sanitised logo; `checking.images` to the file as it is,
so `showcase check` reports it too.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .svgcss import has_filter

MAX_OCTAVES = 6
MAX_BLUR = 100.0
MAX_KERNEL = 5
MAX_REGION = 3.0
MAX_FILTER_WORK = 32
MAX_ELEMENTS = 10_000
MAX_USE_DEPTH = 8
REFUSED_PRIMITIVES = frozenset({"feMorphology", "feImage"})

_HINT = "请在绘图软件中去掉滤镜效果（模糊、噪点、描边扩展等）后重新导出，或改用 PNG 标识"
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_FILTER_REF = re.compile(r"url\(\s*['\"]?#([^'\")\s]+)")


class SvgTooCostly(ValueError):
    """An SVG whose drawing cost has no stated bound; `message` and `hint` are Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = _HINT


def _refuse(what: str) -> SvgTooCostly:
    return SvgTooCostly(f"SVG 标识里的{what}，绘制它会耗费过多时间和内存，这张图片不会发布")


def _numbers(value: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(value or "")]


def _fraction(value: str | None, default: float) -> float:
    """A filter region length in bounding-box units: `1.2` or `120%`."""
    if not value:
        return default
    numbers = _numbers(value)
    if not numbers:
        return default
    return numbers[0] / 100 if value.strip().endswith("%") else numbers[0]


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _href(el: ET.Element) -> str | None:
    for key, value in el.attrib.items():
        if _local(key) == "href":
            return value
    return None


def _canvas(root: ET.Element) -> float | None:
    box = _numbers(root.get("viewBox"))
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        return max(box[2], box[3])
    size = _numbers(root.get("width")) + _numbers(root.get("height"))
    return max(size) if size else None


def _check_filter(el: ET.Element, canvas: float | None) -> int:
    """The number of primitives of one <filter>, after checking each one's own bound."""
    user_space = el.get("filterUnits") == "userSpaceOnUse"
    for name in ("width", "height"):
        value = el.get(name)
        if user_space:
            if value and canvas and not value.strip().endswith("%"):
                length = (_numbers(value) or [0.0])[0]
                if length > MAX_REGION * canvas:
                    raise _refuse(f"滤镜区域过大（{name}={value}）")
        elif _fraction(value, 1.2) > MAX_REGION:
            raise _refuse(f"滤镜区域过大（{name}={value}，最多为图形的 {MAX_REGION:g} 倍）")
    for name in ("x", "y"):
        if not user_space and _fraction(el.get(name), -0.1) < -(MAX_REGION - 1) / 2:
            raise _refuse(f"滤镜区域过大（{name}={el.get(name)}）")
    count = 0
    for child in el.iter():
        name = _local(child.tag) if isinstance(child.tag, str) else ""
        if not name.startswith("fe") or name.startswith("feFunc") or name.endswith("Light"):
            continue
        count += 1
        if name in REFUSED_PRIMITIVES:
            raise _refuse(f"滤镜 <{name}> 无法限定绘制代价")
        if name == "feTurbulence":
            octaves = (_numbers(child.get("numOctaves")) or [1.0])[0]
            if octaves > MAX_OCTAVES:
                raise _refuse(
                    f"滤镜 <feTurbulence> 的 numOctaves 为 {child.get('numOctaves')}"
                    f"（最多 {MAX_OCTAVES}）"
                )
        if name in ("feGaussianBlur", "feDropShadow") and any(
            abs(v) > MAX_BLUR for v in _numbers(child.get("stdDeviation"))
        ):
            raise _refuse(
                f"滤镜 <{name}> 的模糊半径 stdDeviation 为 {child.get('stdDeviation')}"
                f"（最多 {MAX_BLUR:g}）"
            )
        if name == "feConvolveMatrix" and any(
            v > MAX_KERNEL for v in _numbers(child.get("order") or "3")
        ):
            raise _refuse(f"滤镜 <feConvolveMatrix> 的 order 为 {child.get('order')}")
    return count


def check_svg_bytes(data: bytes) -> str | None:
    """Why drawing this SVG file costs without bound (Chinese), None when it is bounded or
    unreadable (the media step reports a file it cannot parse). DTDs and entities are
    refused by the parser, as in `media.svg`."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
        check_cost(root)
    except SvgTooCostly as exc:
        return exc.message
    except (DefusedXmlException, ET.ParseError, ValueError):
        return None
    return None


def check_cost(root: ET.Element) -> None:
    """Raise `SvgTooCostly` (Chinese, for the finding) when drawing `root` has no stated bound."""
    canvas = _canvas(root)
    by_id: dict[str, ET.Element] = {}
    filters: dict[str, int] = {}
    sheet_filter = False
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("id"):
            by_id.setdefault(el.get("id"), el)
        name = _local(el.tag)
        if name == "filter":
            filters[el.get("id") or ""] = _check_filter(el, canvas)
        elif name == "style" and el.text and has_filter(el.text, stylesheet=True):
            sheet_filter = True
    heaviest = max(filters.values(), default=1)

    def applied(el: ET.Element) -> int:
        """Filter primitives this element itself applies."""
        work = 0
        value = el.get("filter")
        style = el.get("style")
        if style and has_filter(style, stylesheet=False):
            value = (value or "") + " " + style
        if value and value.strip() != "none":
            refs = _FILTER_REF.findall(value)
            work += sum(filters.get(r, 0) for r in refs) or 1  # a CSS filter function
        if sheet_filter:
            work += heaviest
        return work

    memo: dict[int, tuple[int, int]] = {}
    active: set[int] = set()

    def expand(el: ET.Element, depth: int) -> tuple[int, int]:
        """(elements, filter primitives applied) of `el` with every <use> expanded."""
        key = id(el)
        if key in memo:
            return memo[key]
        if key in active:
            raise _refuse("<use> 引用了自身（循环引用）")
        if depth > MAX_USE_DEPTH:
            raise _refuse(f"<use> 嵌套超过 {MAX_USE_DEPTH} 层")
        active.add(key)
        elements, work = 1, applied(el)
        children = [c for c in el if isinstance(c.tag, str)]
        if _local(el.tag) == "use":
            href = _href(el) or ""
            target = by_id.get(href[1:]) if href.startswith("#") else None
            if target is not None:
                children.append(target)
        for child in children:
            e, w = expand(child, depth + (_local(el.tag) == "use"))
            elements += e
            work += w
            if elements > MAX_ELEMENTS:
                raise _refuse(f"图形展开后超过 {MAX_ELEMENTS} 个元素（<use> 层层引用）")
            if work > MAX_FILTER_WORK:
                raise _refuse(f"滤镜用得过多（共 {work} 次滤镜运算，最多 {MAX_FILTER_WORK}）")
        active.discard(key)
        memo[key] = (elements, work)
        return memo[key]

    expand(root, 0)
