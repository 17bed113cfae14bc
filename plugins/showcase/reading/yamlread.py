"""Reading an author's text files and YAML, with Chinese messages for every mistake.

Files may be UTF-8, UTF-8 with BOM or GBK; YAML mistakes are explained in the words a
teacher understands (a full-width colon, a Tab, an unclosed quote), with line and column
(`safeyaml`). Text is cleaned once, here (`safetext`): nothing after the loader ever sees
a code point it cannot encode.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..core import safetext, textutil
from ..core.findings import Findings, Level
from . import safeyaml

MAX_TEXT_BYTES = 2 * 1024 * 1024


def read_text(path: Path, findings: Findings, *, field: str | None = None) -> str | None:
    """A text file decoded as UTF-8, UTF-8 BOM or GBK; a finding when it cannot be."""
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            findings.error(
                f"文件过大（超过 {MAX_TEXT_BYTES // 1024 // 1024} MB），不是正常的文本文件",
                file=path,
                field=field,
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        findings.error(f"无法读取文件：{exc.strerror or exc}", file=path, field=field)
        return None
    try:
        text, _ = textutil.decode_text(data)
    except textutil.DecodeError as exc:
        findings.error(
            str(exc), file=path, field=field, hint="用记事本打开，“另存为”时编码选 UTF-8"
        )
        return None
    if "\x00" in text:
        # UTF-16 without a BOM, or a binary file, decodes as "UTF-8" full of NULs
        findings.error(
            "文件含有二进制内容（或是没有 BOM 的 UTF-16 编码），不是文本文件",
            file=path,
            field=field,
            hint="用记事本打开，“另存为”时编码选 UTF-8",
        )
        return None
    text, kinds, removed = safetext.clean_text(text)
    if kinds:  # a Word paste's vertical tab, a lone surrogate: nothing downstream can store them
        findings.warning(
            safetext.message([safetext.TextChange((), kinds, removed)]), file=path, field=field
        )
    return text


def parse_yaml(
    text: str, path: Path, findings: Findings, *, kind: str, line_offset: int = 0
) -> tuple[dict | None, dict[str, int]]:
    """A YAML mapping and the line of each top-level key; a Chinese finding on bad YAML.

    `kind` ("project", "album" or "front_matter") chooses the limits (`safeyaml.LIMITS`).
    """
    doc = safeyaml.parse_mapping(text, kind, line_offset=line_offset)
    for problem in doc.problems:
        level = Level.ERROR if problem.level == "error" else Level.WARNING
        findings.add(
            level,
            problem.message,
            file=path,
            line=problem.line,
            field=problem.field,
            hint=problem.hint,
        )
    if doc.data is None:
        return None, {}
    data, changes = safetext.clean_value(doc.data)
    by_key: dict[str | None, list[safetext.TextChange]] = {}
    for change in changes:
        by_key.setdefault(change.field, []).append(change)
    for key, items in by_key.items():
        findings.warning(
            safetext.message(items), file=path, line=doc.lines.get(key) if key else None, field=key
        )
    return data, doc.lines


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter YAML or None, body, line number where the YAML starts)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    m = re.match(r"---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|$)", text, re.S)
    if not m:
        return None, text, 0
    return m.group(1) or "", text[m.end() :], 1
