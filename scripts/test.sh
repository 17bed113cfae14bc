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
if ! command -v java >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  # the Nu HTML Checker (vnu.jar) runs on Java
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null) \
    || echo "注意：无法安装 Java，HTML 检查将被跳过"
fi
if ! command -v soffice >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  # .doc and .wps files are converted by LibreOffice: its tests run only where it is installed
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui >/dev/null) || echo "注意：无法安装 LibreOffice，.doc/.wps 的测试将被跳过"
fi
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null) || true
fi
if [ ! -d tests/checkers/node_modules ] || [ tests/checkers/package-lock.json -nt tests/checkers/node_modules ]; then
  # axe-core and vnu-jar, pinned in tests/checkers/package-lock.json (node_modules is git-ignored)
  if command -v npm >/dev/null 2>&1; then
    (cd tests/checkers && npm ci --no-audit --no-fund --loglevel=error >/dev/null && touch node_modules) \
      || echo "注意：无法用 npm 安装 axe-core / vnu-jar，相应的检查将被跳过"
  else
    echo "注意：没有 npm，axe-core / vnu-jar 检查将被跳过"
  fi
fi
bash scripts/setup.sh
bash scripts/uv.sh sync --quiet --locked --check --extra dev   # .venv holds exactly uv.lock
.venv/bin/ruff check plugins tests scripts
.venv/bin/ruff format --check -q plugins tests scripts
bash scripts/ci_engines.sh   # the demo, strictly, with MkDocs and ProperDocs; every link checked
.venv/bin/python -m pytest -q "$@"
