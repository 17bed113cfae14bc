"""The checkers people trust, for the test suite: axe-core (WCAG 2.1 AA) and the Nu HTML Checker.

Both come from npm, pinned in tests/checkers/package.json + package-lock.json and installed
by scripts/test.sh (`npm ci`) into tests/checkers/node_modules (git-ignored). axe-core is
injected into pages with Playwright (Debian's chromium); vnu.jar runs on Debian's Java,
once over every page (its start-up is the slow part).
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

CHECKERS = Path(__file__).resolve().parent / "checkers"
AXE_JS = CHECKERS / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = CHECKERS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
INSTALL_HINT = "bash scripts/test.sh 会用 npm ci 安装（cd tests/checkers && npm ci）"


def axe_missing() -> str | None:
    """Why axe cannot run, or None."""
    if not AXE_JS.exists():
        return f"没有 axe-core（{AXE_JS.relative_to(CHECKERS.parent.parent)}）：{INSTALL_HINT}"
    return None


def vnu_missing() -> str | None:
    if not VNU_JAR.exists():
        return f"没有 vnu.jar：{INSTALL_HINT}"
    if shutil.which("java") is None:
        return "没有 java（Debian: apt-get install -y default-jre-headless）"
    return None


# --- serving a built site ---------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".webp": "image/webp",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".js": "text/javascript",
    }

    def translate_path(self, path: str) -> str:
        # /<sub>/… → the site folder, as a school's CMS would serve it
        path = urlsplit(path).path
        sub = self.server.sub  # type: ignore[attr-defined]
        if not path.startswith(sub):
            return str(Path(self.directory) / "__outside_the_sub_path__")
        return super().translate_path("/" + path[len(sub) :])

    def log_message(self, *args) -> None:
        pass


@contextmanager
def serving(site: Path, sub: str = "/dangjian/") -> Iterator[str]:
    """Serve `site` from 127.0.0.1 under `sub`; yields the base address (ending in /)."""
    handler = functools.partial(_Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.sub = sub  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{sub}"
    finally:
        server.shutdown()
        server.server_close()


# --- axe-core ---------------------------------------------------------------------------

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' '),
                              summary: n.failureSummary}))
  }));
}"""


def axe(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now: one dict per node,
    {rule, target, impact, help, summary}."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    found = []
    for rule in page.evaluate(AXE_RUN, WCAG_TAGS):
        for node in rule["nodes"]:
            found.append(
                {
                    "rule": rule["id"],
                    "target": node["target"],
                    "impact": rule["impact"],
                    "help": rule["help"],
                    "summary": node["summary"],
                }
            )
    return found


def format_axe(found: Iterable[dict]) -> str:
    return "\n".join(
        f"  {v['rule']} [{v['impact']}] {v['target']}: {v['help']}\n    {v['summary']}"
        for v in found
    )


# --- Nu HTML Checker --------------------------------------------------------------------


def vnu(files: list[Path], *, timeout: int = 300) -> list[dict]:
    """vnu.jar over the files in one Java run; its JSON messages (type, url, lastLine, message,
    extract), errors and warnings alike."""
    if not files:
        return []
    proc = subprocess.run(
        [
            "java",
            "-Xss2m",
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--exit-zero-always",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    # vnu prints its JSON on stderr
    text = proc.stderr.strip() or proc.stdout.strip()
    try:
        return json.loads(text)["messages"]
    except (ValueError, KeyError) as exc:
        raise RuntimeError(f"vnu.jar: {text[:2000]}") from exc


def vnu_path(message: dict) -> Path:
    """The checked file of a vnu message (vnu writes file:/tmp/…, with one slash)."""
    from urllib.parse import unquote

    return Path("/" + unquote(message.get("url", "")).removeprefix("file:").lstrip("/"))


def vnu_errors(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
