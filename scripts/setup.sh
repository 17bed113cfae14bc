#!/usr/bin/env bash
# Creates .venv holding exactly the versions in uv.lock (the ones the test suite passed with):
# this package (editable) with its development tools. Idempotent; fails if pyproject.toml and
# uv.lock disagree (refresh with `bash scripts/uv.sh lock`).
set -euo pipefail
cd "$(dirname "$0")/.."
# compile at install, as pip does: otherwise the first build prints the compiler's warnings
# about old dependencies' code (jieba's escape sequences)
UV_COMPILE_BYTECODE=1 bash scripts/uv.sh sync --quiet --locked --extra dev
