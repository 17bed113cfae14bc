#!/usr/bin/env bash
# Sets up everything the tests need on a fresh machine, then lints and runs the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export NO_MKDOCS_2_WARNING=1
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  # the browser tests drive Debian's chromium; CJK fonts make screenshots readable
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
    || echo "注意：无法安装 chromium，浏览器测试将被跳过"
fi
bash scripts/setup.sh
.venv/bin/ruff check plugins tests scripts
.venv/bin/ruff format --check -q plugins tests scripts
bash scripts/ci_engines.sh   # the demo, strictly, with MkDocs and ProperDocs; every link checked
.venv/bin/python -m pytest -q "$@"
