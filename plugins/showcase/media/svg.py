"""SVG logos made safe: no scripts, event handlers, external references or foreignObject."""

from __future__ import annotations

import re

from .cache import MediaError

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


_CSS_URL = re.compile(r"url\(\s*(['\"]?)\s*(?!#)[^)]*\)", re.I)


_CSS_BAD = re.compile(r"@import[^;]*;?|expression\s*\(|behavior\s*:|-moz-binding|javascript:", re.I)


def _clean_css(text: str) -> str:
    return _CSS_URL.sub("none", _CSS_BAD.sub("", text))


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
                keep = value.startswith("#") or (
                    local(el.tag)[1] == "image" and bool(_DATA_IMAGE.match(value))
                )
            if keep and ("javascript:" in lowered or "data:" in lowered and name != "href"):
                keep = False
            if keep and (name == "style" or "url(" in lowered):
                el.attrib[attr] = _clean_css(value)
            if not keep:
                del el.attrib[attr]
        if local(el.tag)[1] == "style" and el.text:
            el.text = _clean_css(el.text)

    ns, name = local(root.tag)
    if name != "svg" or ns not in (SVG_NS, ""):
        raise MediaError("SVG 文件的根元素不是 <svg>，这张图片不会发布")
    root.tag = f"{{{SVG_NS}}}svg"
    clean(root)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")
