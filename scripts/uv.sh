#!/usr/bin/env bash
# Runs the pinned uv (scripts/uv-requirements.txt), installing it into .tools/uv first if needed.
#   bash scripts/uv.sh lock --upgrade    # refresh uv.lock to the newest versions pyproject.toml allows
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(sed -n 's/^uv==\([0-9.]*\).*/\1/p' scripts/uv-requirements.txt)
uv=.tools/uv/bin/uv
if ! "$uv" --version 2>/dev/null | grep -q "^uv $want\b"; then
  rm -rf .tools/uv
  python3 -m venv .tools/uv
  .tools/uv/bin/python -m pip install -q --require-hashes --no-deps -r scripts/uv-requirements.txt
fi
# never download a Python of uv's own: use the machine's python3 (the lock holds every version)
export UV_PYTHON_DOWNLOADS=never UV_PYTHON="${UV_PYTHON:-python3}"
exec "$uv" "$@"
