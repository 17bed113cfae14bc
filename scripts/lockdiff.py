"""Compares an environment's `pip freeze` lines (stdin) with uv.lock.

    .tools/uv/bin/uv pip freeze | python scripts/lockdiff.py uv.lock

Prints each package whose version is not one the lock names (or that the lock lacks); exits 1
when there is any. The test suite uses `differences` to check its own environment.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_versions(lock: Path) -> dict[str, set[str]]:
    """Package name → the versions uv.lock holds for it (several where markers split them)."""
    import tomllib

    data = tomllib.loads(lock.read_text(encoding="utf-8"))
    versions: dict[str, set[str]] = {}
    for package in data.get("package", []):
        if "version" in package:
            versions.setdefault(normalize(package["name"]), set()).add(package["version"])
    return versions


def differences(installed: Iterable[tuple[str, str]], lock: Path) -> list[str]:
    locked = locked_versions(lock)
    out = []
    for name, version in sorted(installed):
        want = locked.get(normalize(name))
        if want is None:
            out.append(f"{name}=={version}（uv.lock 里没有）")
        elif version not in want:
            out.append(f"{name}=={version}（uv.lock：{', '.join(sorted(want))}）")
    return out


def _freeze_lines(lines: Iterable[str]) -> list[tuple[str, str]]:
    pairs = []
    for line in lines:
        name, sep, version = line.strip().partition("==")
        if sep:
            pairs.append((name, version))
    return pairs


if __name__ == "__main__":
    found = differences(_freeze_lines(sys.stdin), Path(sys.argv[1]))
    print("\n".join(found) if found else "（没有）")
    sys.exit(1 if found else 0)
