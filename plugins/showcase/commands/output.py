"""Writing what a command produces (exports, reports, the schema): atomically, and a failure
said in Chinese instead of a traceback."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.atomic import write_atomic


def write_output(path: Path, data: bytes | str) -> bool:
    """Write `data` to `path`; False (after saying why) when it cannot be written."""
    try:
        write_atomic(Path(path), data)
    except OSError as exc:
        click.echo(f"无法写入 {path}：{exc.strerror or exc}", err=True)
        return False
    return True
