"""SVG logos made safe: no scripts, event handlers, external references or foreignObject;
CSS read by a tokenizer (`svgcss`), drawing cost bounded (`svgcost`), and embedded
`data:` pictures decoded and written anew, so a phone photo's EXIF/GPS does not travel
inside a logo."""

from __future__ import annotations

import base64
import io
import re

from ..core import svgcss
from ..core.imaging import open_image
from ..core.svgcost import SvgTooCostly, check_cost
from .cache import MediaError

MAX_EMBEDDED_PIXELS = 16_000_000
"""A picture inside a logo larger than this (4,000 × 4,000) is dropped, not decoded."""

MAX_SVG_BYTES = 5_000_000


SVG_NS = "http://www.w3.org/2000/svg"


XLINK_NS = "http://www.w3.org/1999/xlink"


XML_NS = "http://www.w3.org/XML/1998/namespace"


SVG_ELEMENTS = frozenset(
    """svg g defs symbol use title desc switch path rect circle ellipse line polyline polygon
    text tspan textPath linearGradient radialGradient stop clipPath mask pattern marker image
    style filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix
    feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB
    feFuncG feFuncR feGaussianBlur feMerge feMergeNode feMorphology feOffset fePointLight
    feSpecularLighting feSpotLight feTile feTurbulence""".split()  # noqa: SIM905
)
"""Everything else goes: script, foreignObject, iframe, a, animate/set (can rewrite href),
metadata (may carry the author's name), editor elements, feImage (loads URLs)."""


_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|jpg|gif|webp);base64,", re.I)


def _clean_data_image(value: str) -> str | None:
    """A `data:image/…;base64,` picture decoded and encoded anew without any metadata
    (EXIF, GPS, XMP, comments); None when it is no readable picture of a sane size."""
    match = _DATA_IMAGE.match(value)
    if match is None:
        return None
    try:
        raw = base64.b64decode(re.sub(r"\s+", "", value[match.end() :]), validate=True)
        with open_image(io.BytesIO(raw), formats=("PNG", "JPEG", "GIF", "WEBP")) as img:
            if img.width * img.height > MAX_EMBEDDED_PIXELS:
                return None
            img.load()
            jpeg = img.format == "JPEG"
            picture = img.convert("RGB" if jpeg else "RGBA")
    except Exception:  # noqa: BLE001 - any decoder failure: the picture is dropped
        return None
    picture.info = {}
    out = io.BytesIO()
    if jpeg:
        picture.save(out, "JPEG", quality=90)
    else:
        picture.save(out, "PNG", optimize=False)
    mime = "jpeg" if jpeg else "png"
    return f"data:image/{mime};base64," + base64.b64encode(out.getvalue()).decode("ascii")


def looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return (
        head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg"))
        and b"<svg" in data[:65536].lower()
    )


def sanitize_svg(data: bytes) -> str:
    """A safe copy of an SVG logo: no scripts, event handlers, external references or
    foreignObject; DTD entities are refused outright (billion laughs, XXE)."""
    import xml.etree.ElementTree as ET

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if len(data) > MAX_SVG_BYTES:
        raise MediaError(f"SVG 文件过大（超过 {MAX_SVG_BYTES // 1_000_000} MB），这张图片不会发布")
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise MediaError(
            "SVG 含有实体声明或外部引用，出于安全原因拒绝处理，这张图片不会发布",
            hint="请在绘图软件中另存为“SVG 1.1”或导出 PNG 标识",
        ) from exc
    except ET.ParseError as exc:
        raise MediaError(f"SVG 文件格式有误（{exc}），这张图片不会发布") from exc

    def local(tag: str) -> tuple[str, str]:
        if tag.startswith("{"):
            ns, _, name = tag[1:].partition("}")
            return ns, name
        return "", tag

    def clean(el: ET.Element) -> None:
        for child in list(el):
            if not isinstance(child.tag, str):  # comments, processing instructions
                el.remove(child)
                continue
            ns, name = local(child.tag)
            if ns not in (SVG_NS, "") or name not in SVG_ELEMENTS:
                el.remove(child)
                continue
            if not ns:
                child.tag = f"{{{SVG_NS}}}{name}"
            clean(child)
        for attr in list(el.attrib):
            ns, name = local(attr)
            value = el.attrib[attr]
            lowered = re.sub(r"\s+", "", value).lower()
            keep = ns in ("", XLINK_NS, XML_NS) and not name.lower().startswith("on")
            if keep and name == "href":
                keep = value.startswith("#")
                if not keep and local(el.tag)[1] == "image":
                    cleaned = _clean_data_image(value)
                    if cleaned is not None:
                        el.attrib[attr] = value = cleaned
                        keep = True
            if keep and ("javascript:" in lowered or "data:" in lowered and name != "href"):
                keep = False
            if keep and name == "style":
                el.attrib[attr] = svgcss.clean_declarations(value)
            elif keep and name != "href" and ("(" in value or "\\" in value):
                # presentation attributes are CSS values too: fill="u\72l(…)"
                cleaned = svgcss.clean_value(value)
                keep = cleaned is not None
            if not keep:
                del el.attrib[attr]
        if local(el.tag)[1] == "style":
            el.text = svgcss.clean_stylesheet(el.text or "")
            for child in list(el):
                el.remove(child)

    ns, name = local(root.tag)
    if name != "svg" or ns not in (SVG_NS, ""):
        raise MediaError("SVG 文件的根元素不是 <svg>，这张图片不会发布")
    root.tag = f"{{{SVG_NS}}}svg"
    clean(root)
    try:
        check_cost(root)
    except SvgTooCostly as exc:
        raise MediaError(exc.message, hint=exc.hint) from exc
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")
