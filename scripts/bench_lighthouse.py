"""Lighthouse (mobile) on the demo: home, a project page and an album page, median of 3 runs.

    .venv/bin/python scripts/bench_lighthouse.py
    .venv/bin/python scripts/bench_lighthouse.py --runs 5 --json /tmp/lh.json
    .venv/bin/python scripts/bench_lighthouse.py --site /tmp/site   # an existing build
    .venv/bin/python scripts/bench_lighthouse.py --site /tmp/before --site /tmp/after --runs 7

Installs Lighthouse with npm into `.cache/node/` (git-ignored) when it is missing, builds
the demo with `mkdocs build` into a temporary folder (unless --site is given), serves it
from 127.0.0.1 under /dangjian/ (as a school's CMS would) and runs Lighthouse's default
mobile profile (simulated slow 4G, 4× CPU slowdown) with Debian's chromium
(CHROME_PATH=/usr/bin/chromium, headless). Prints, per page, the median of the runs:
the four category scores, LCP, TBT, CLS and total bytes.

This is a measurement, not a test: it is not part of scripts/test.sh. On a busy machine
TBT moves between runs; the scores of accessibility, best practices and SEO do not.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / ".cache" / "node"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
# 13.x needs Node >= 22.19; Debian 12's Node 20 runs 12.x
LIGHTHOUSE_VERSION = "12.8.2"
CHROME = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run"
)
SUB = "/dangjian/"
PAGES = {
    "home": "",
    "project": "projects/qinghe-lu-xiaoxue/",
    "album": "projects/qinghe-lu-xiaoxue/photos/2025-07-01-qiyi-zhuti-dangri-huodong/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def ensure_lighthouse() -> Path:
    if not LIGHTHOUSE.exists():
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        print(f"npm install lighthouse@{LIGHTHOUSE_VERSION} → {NODE_DIR}", file=sys.stderr)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
                str(NODE_DIR),
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
        )
    return LIGHTHOUSE


def build_demo(dest: Path) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = Path(sys.executable).with_name("mkdocs")
    subprocess.run(
        [str(mkdocs), "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(dest)],
        check=True,
        cwd=ROOT,
        env=env,
    )
    return dest


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".webp": "image/webp",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".js": "text/javascript",
    }

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if path.startswith(SUB):
            return super().translate_path("/" + path[len(SUB) :])
        return super().translate_path("/__not_under_the_sub_path__")

    def log_message(self, *args) -> None:
        pass

    def handle(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()  # Lighthouse closes connections it no longer needs


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}{SUB}"


def run_once(lighthouse: Path, url: str, out: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROME}
    subprocess.run(
        [
            str(lighthouse),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={','.join(CATEGORIES)}",
        ],
        check=True,
        env=env,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    row = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    row["lcp_s"] = audits["largest-contentful-paint"]["numericValue"] / 1000
    row["tbt_ms"] = audits["total-blocking-time"]["numericValue"]
    row["cls"] = audits["cumulative-layout-shift"]["numericValue"]
    row["kb"] = audits["total-byte-weight"]["numericValue"] / 1024
    lcp = audits.get("largest-contentful-paint-element", {}).get("details", {})
    row["lcp_element"] = _lcp_element(lcp)
    row["failed"] = _failed(report)
    return row


def _failed(report: dict) -> list[str]:
    """Audits that cost points: failed checks and performance opportunities."""
    audits, failed = report["audits"], []
    for cat in CATEGORIES:
        for ref in report["categories"][cat]["auditRefs"]:
            audit = audits.get(ref["id"], {})
            score = audit.get("score")
            if (
                score is not None
                and score < 0.9
                and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
            ):
                failed.append(ref["id"])
    return sorted(set(failed))


def _lcp_element(details: dict) -> str:
    for item in details.get("items", []):
        for sub in item.get("items", [item]):
            node = sub.get("node")
            if node:
                return node.get("selector", "") or node.get("snippet", "")[:60]
    return ""


def median(rows: list[dict]) -> dict:
    out = {
        k: statistics.median(r[k] for r in rows)
        for k in rows[0]
        if k not in ("lcp_element", "failed")
    }
    out["lcp_element"] = rows[0]["lcp_element"]
    out["failed"] = sorted({a for r in rows for a in r["failed"]})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--site",
        type=Path,
        action="append",
        help="a built site to serve instead of building the demo; give it twice (before, after) "
        "to compare: their runs are interleaved, so a busy machine weighs on both alike",
    )
    parser.add_argument("--json", type=Path, help="write the medians and every run here")
    args = parser.parse_args()
    if not Path(CHROME).exists():
        print(f"没有 {CHROME}（apt-get install chromium）", file=sys.stderr)
        return 2
    lighthouse = ensure_lighthouse()
    work = Path(tempfile.mkdtemp(prefix="bench-lighthouse-"))
    servers = []
    try:
        sites = args.site or [build_demo(work / "site")]
        bases = []
        for site in sites:
            server, base = serve(site)
            servers.append(server)
            bases.append(base)
        runs: dict[tuple[int, str], list[dict]] = {}
        for i in range(args.runs):
            for name, path in PAGES.items():
                for k, base in enumerate(bases):
                    out = work / f"{k}-{name}-{i}.json"
                    runs.setdefault((k, name), []).append(run_once(lighthouse, base + path, out))
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        shutil.rmtree(work, ignore_errors=True)
    head = f"{'page':8} {'perf':>5} {'a11y':>5} {'bp':>5} {'seo':>5} {'LCP s':>6} {'TBT ms':>7} {'CLS':>6} {'KB':>7}  LCP element"
    report = {}
    for k, site in enumerate(sites):
        results = {name: {"median": median(runs[k, name]), "runs": runs[k, name]} for name in PAGES}
        report[str(site)] = results
        print(f"{site}: Lighthouse {LIGHTHOUSE_VERSION}, mobile, median of {args.runs} runs")
        print(head)
        for name, data in results.items():
            m = data["median"]
            print(
                f"{name:8} {m['performance']:>5.0f} {m['accessibility']:>5.0f} {m['best-practices']:>5.0f} "
                f"{m['seo']:>5.0f} {m['lcp_s']:>6.2f} {m['tbt_ms']:>7.0f} {m['cls']:>6.3f} {m['kb']:>7.0f}  "
                f"{m['lcp_element']}"
            )
        for name, data in results.items():
            print(
                f"{name}: audits below 90 in any run: {', '.join(data['median']['failed']) or '—'}"
            )
        print()
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
