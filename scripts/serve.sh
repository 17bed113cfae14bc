#!/usr/bin/env bash
# Sets up .venv (first run only takes a minute) and serves the demo site with live reload.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
exec .venv/bin/mkdocs serve "$@"
