"""One save as a list of file operations (written, copied, renamed, trashed), each file's
expected fingerprint beside it; and the front matter of a case or plan file rewritten
with its comments kept. `saving` and `planform` build on this.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...reading.folders import is_inside
from ...reading.yamlread import split_front_matter
from . import roundtrip as rt
from .state import SaveError, meta_key, rel_path


@dataclass
class Op:
    kind: str
    """write | copy | rename | trash | mkdir"""
    path: Path
    data: bytes | None = None
    source: Path | None = None


@dataclass
class Plan:
    folder: Path
    base: dict
    ops: list[Op] = field(default_factory=list)
    expect: dict[str, str | None] = field(default_factory=dict)
    """Relative path → fingerprint it must still have (None: must not exist)."""
    taken: dict[Path, set[str]] = field(default_factory=dict)

    def touch(self, path: Path) -> None:
        rel = rel_path(self.folder, path)
        self.expect.setdefault(rel, self.base.get(rel))

    def write(self, path: Path, data: bytes) -> None:
        self.touch(path)
        self.ops.append(Op("write", path, data=data))

    def names(self, folder: Path) -> set[str]:
        return self.taken.setdefault(folder, set())


@dataclass
class Staged:
    path: Path
    name: str


def check_inside(folder: Path, path: Path) -> None:
    if not is_inside(path.parent if not path.exists() else path, folder) or path.is_symlink():
        raise SaveError(f"“{path.name}”指向项目文件夹以外，已拒绝写入")


def front_doc(
    plan: Plan, path: Path, wanted: dict[str, Any], body: str, allowed: set[str], merge_keys=None
) -> None:
    """Write a case or plan file: its front matter merged, its body replaced."""
    tf = rt.TextFile.read(path) if path.is_file() else None
    if tf is not None:
        yaml_text, old_body, _ = split_front_matter(tf.text)
        data, y = rt.load_map(yaml_text or "")
    else:
        old_body, (data, y) = "", rt.load_map("")
    key_of = meta_key(allowed)
    present = {key_of(k): k for k in data if key_of(k)}
    changed = tf is None
    for key, value in wanted.items():
        raw = present.get(key)
        if raw is None:
            if value not in (None, "", []):
                data[key] = rt.fresh(value)
                changed = True
        elif merge_keys and key in merge_keys:
            changed |= merge_keys[key](data, raw, value)
        elif not rt.same(data[raw], value):
            data[raw] = rt.merge(data[raw], value) if value not in (None, "", []) else None
            changed = True
    body = body.replace("\r\n", "\n").strip("\n")
    if body.strip() != old_body.strip():
        changed = True
    if not changed:
        return
    text = "---\n" + rt.dump(data, y) + "---\n\n" + (body + "\n" if body else "")
    plan.write(path, (tf or rt.TextFile()).encode(text))
