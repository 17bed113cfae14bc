"""What goes into every page's <head> besides the theme: the school's own snippet
(e.g. WeChat JS-SDK sharing), and the local copy of the offline build's search shim.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core import textutil
from ..core.findings import Finding, Level
from ..core.settings import Settings
from .selfcontained import is_external

# Material's offline plugin adds this polyfill from unpkg.com so that search runs from
# file://; a USB stick has no internet, so the same file (MIT) ships with the package.
SHIM_URL_PART = "iframe-worker"


SHIM_PATH = "assets/showcase/iframe-worker.js"


SHIM_SOURCE = Path(__file__).parent.parent / "assets" / "vendor" / "iframe-worker-shim.js"


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
