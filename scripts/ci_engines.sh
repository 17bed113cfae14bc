#!/usr/bin/env bash
# Builds the demo with both engines, strictly: MkDocs 1.6 (pinned) and ProperDocs, the
# maintained continuation of MkDocs 1.x. Same plugins (showcase, Material, glightbox) under
# both; ProperDocs reads the mkdocs.plugins entry points too. Then checks every internal
# link and anchor of each build, and that the two builds publish the same files.
set -euo pipefail
cd "$(dirname "$0")/.."
export NO_MKDOCS_2_WARNING=1
BIN=.venv/bin
OUT="${TMPDIR:-/tmp}/showcase-engines.$$"
trap 'rm -rf "$OUT"' EXIT
mkdir -p "$OUT"

echo "== mkdocs build --strict"
"$BIN/mkdocs" build --strict -f mkdocs.yml -d "$OUT/mkdocs"
echo "== properdocs build --strict"
"$BIN/properdocs" build --strict -f mkdocs.yml -d "$OUT/properdocs"

echo "== links and anchors"
"$BIN/python" - "$OUT" <<'PY'
import sys
from pathlib import Path

from showcase.commands.linkcheck import scan_site
from showcase.commands.siteconfig import load_site

out = Path(sys.argv[1])
site_url = load_site("mkdocs.yml").settings.site_url
listing = {}
failed = False
for engine in ("mkdocs", "properdocs"):
    site = out / engine
    report = scan_site(site, site_url)
    for finding in report.findings:
        print(f"{engine}: {finding.format(site)}")
    failed |= bool(report.findings)
    listing[engine] = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    print(f"{engine}: {report.pages} 个页面，{report.links} 个站内链接，{len(report.findings)} 个问题")
if listing["mkdocs"] != listing["properdocs"]:
    print("两个引擎生成的文件不同：", sorted(set(listing["mkdocs"]) ^ set(listing["properdocs"]))[:20])
    failed = True
sys.exit(1 if failed else 0)
PY
echo "engines: OK"
