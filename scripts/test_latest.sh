#!/usr/bin/env bash
# The test suite against the newest versions pyproject.toml allows, not the lock, in .venv-latest:
# an upcoming break shows here before `bash scripts/uv.sh lock --upgrade` takes it into the lock.
# Not part of CI. Arguments go to pytest (e.g. -k markdown).
set -euo pipefail
cd "$(dirname "$0")/.."
export NO_MKDOCS_2_WARNING=1
bash scripts/uv.sh venv --quiet --allow-existing .venv-latest
VIRTUAL_ENV=.venv-latest UV_COMPILE_BYTECODE=1 \
  bash scripts/uv.sh pip install --quiet --upgrade --resolution highest -e ".[dev]"
echo "与 uv.lock 不同的版本（最新版本）："
VIRTUAL_ENV=.venv-latest bash scripts/uv.sh pip freeze --exclude-editable \
  | .venv-latest/bin/python scripts/lockdiff.py uv.lock || true
SHOWCASE_UNLOCKED=1 .venv-latest/bin/python -m pytest -q -p no:cacheprovider "$@"
