"""`showcase schema`: the JSON Schema of project.yml, for editor completion."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.schema import schema_json
from .output import write_output


def run_schema(output: str | None) -> int:
    """`showcase schema [-o FILE]`: print the schema, or write it (atomically)."""
    text = schema_json()
    if not output:
        click.echo(text, nl=False)
        return 0
    if not write_output(Path(output), text):
        return 1
    click.echo(
        f"已写入 {output}。在 project.yml 第一行写  # yaml-language-server: $schema={output}  即可在 VS Code 中使用"
    )
    return 0
