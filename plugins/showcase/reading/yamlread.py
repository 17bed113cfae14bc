"""Reading an author's text files and YAML, with Chinese messages for every mistake.

Files may be UTF-8, UTF-8 with BOM or GBK; YAML mistakes are explained in the words a
teacher understands (a full-width colon, a Tab, an unclosed quote), with line and column.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..core import textutil
from ..core.findings import Findings
from ..core.textutil import short

MAX_TEXT_BYTES = 2 * 1024 * 1024


_YAML_PROBLEMS = {
    "mapping values are not allowed here": "这里不能出现冒号“:”——可能是缩进不对，或文字里的英文冒号需要给整段文字加引号",
    "found character '\\t' that cannot start any token": "不能用 Tab 键缩进，请改用空格",
    "could not find expected ':'": "缺少冒号“:”，或上一行的引号没有闭合",
    "did not find expected key": "缩进不一致，或某行多了/少了空格",
    "expected <block end>, but found '<scalar>'": "引号后面多了文字（整段文字要放进同一对引号里），或缩进不一致",
    "expected <block end>, but found": "缩进不一致，请检查这一行与上一行的空格数",
    "found undefined alias": "出现了未定义的别名“*”，如是普通文字请加引号",
    "found unexpected end of stream": "文件意外结束，可能有未闭合的引号或括号",
    "while scanning a quoted scalar": "引号没有闭合",
    "found duplicate anchor": "重复的锚点“&”",
    "expected a comment or a line break": "引号后面多了文字，请把整段文字放进引号里",
    "while parsing a flow sequence": "方括号“[ ]”没有闭合，或列表项之间缺少逗号",
    "while parsing a flow mapping": "花括号“{ }”没有闭合，或各项之间缺少逗号",
    "found unknown escape character": "双引号里的反斜杠“\\”无效，请改用单引号",
    "expected '<document start>'": "上一项已经结束，这一行多余——可能是缩进不对，或少了“字段名:”",
    "found character that cannot start any token": "这一行的开头有不能使用的符号（如 @ 或 `），请给整段文字加引号",
}


# Chinese typists often write 字段：内容 (full-width colon) or 字段:内容 (no space).
_FULLWIDTH_COLON = re.compile(r"^\s*[^\s:#：][^:#：]{0,40}：")


_NO_SPACE_COLON = re.compile(r"^\s*[A-Za-z_\u4e00-\u9fff（）()]{1,40}:(?=[^\s/])")


MAX_YAML_NODES = 20_000
"""More nodes than this (counting every use of an alias) is refused: it is no hand-written form."""


def _colon_hint(text: str, line: int | None) -> str | None:
    """A hint for the two colon mistakes, looked for on the reported line and the one before."""
    lines = text.split("\n")
    candidates = [line - 1, line - 2] if line else list(range(len(lines)))
    for index in candidates:
        if 0 <= index < len(lines):
            if _FULLWIDTH_COLON.match(lines[index]):
                return f"第 {index + 1} 行用了中文冒号“：”，字段名后面应是英文冒号加空格“: ”"
            if _NO_SPACE_COLON.match(lines[index]):
                return f"第 {index + 1} 行的冒号“:”后面缺少空格"
    return None


def _yaml_problem(exc: yaml.YAMLError) -> tuple[int | None, int | None, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context = getattr(exc, "context", None) or ""
    if ("flow" in context or "quoted" in context) and getattr(exc, "context_mark", None):
        # an unclosed bracket or quote is noticed lines later: name the line where it opened
        mark = exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    raw = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or ''}".strip() or str(
        exc
    )
    text = next((zh for en, zh in _YAML_PROBLEMS.items() if en in raw), None)
    if text is None and "found character" in raw:
        text = _YAML_PROBLEMS["found character that cannot start any token"]
    return line, column, text or f"格式无法解析（{raw}）"


def _too_big(node: yaml.Node) -> bool:
    """True for alias bombs and self-referencing documents (counts every visit, stops early)."""
    stack, seen = [node], 0
    while stack:
        current = stack.pop()
        seen += 1
        if seen > MAX_YAML_NODES:
            return True
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return False


class _Loader(yaml.SafeLoader):
    pass


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # 2025-13-45 looks like a date to YAML but is none: keep the text, the date check names it
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


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
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(
    text: str, path: Path, findings: Findings, *, line_offset: int = 0
) -> tuple[dict | None, dict[str, int]]:
    """A YAML mapping and the line of each top-level key; a Chinese finding on bad YAML."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        line, column, message = _yaml_problem(exc)
        where = f"第 {line + line_offset} 行第 {column} 列：" if line else ""
        hint = _colon_hint(text, line)
        findings.error(
            f"YAML 格式错误：{where}{message}",
            file=path,
            line=(line + line_offset) if line else None,
            hint=hint,
        )
        return None, {}
    except RecursionError:
        findings.error("YAML 格式错误：括号或缩进嵌套过深，无法解析", file=path)
        return None, {}
    except Exception as exc:  # noqa: BLE001 - any parser surprise is a finding, not a crash
        findings.error(f"YAML 无法解析（{type(exc).__name__}）", file=path)
        return None, {}
    if node is None:
        return {}, {}
    if _too_big(node):
        findings.error("文件结构过于复杂（大量重复引用“*”或自我引用），已拒绝读取", file=path)
        return None, {}
    if not isinstance(node, yaml.MappingNode):
        findings.error(
            "文件内容应是“字段名: 内容”的形式",
            file=path,
            line=node.start_mark.line + 1 + line_offset,
            hint=_colon_hint(text, None) or "每行写一个字段：字段名、英文冒号、空格、内容",
        )
        return None, {}
    data: dict = {}
    lines: dict[str, int] = {}
    loader = _Loader("")
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1 + line_offset
        try:
            key = loader.construct_object(key_node, deep=True)
            value = loader.construct_object(value_node, deep=True)
        except RecursionError:
            findings.error("这一项嵌套过深，无法解析", file=path, line=line)
            continue
        except Exception as exc:  # noqa: BLE001 - constructors raise many types on odd tags/values
            problem = getattr(exc, "problem", None) or type(exc).__name__
            findings.error(
                f"这一项无法解析（{problem}）",
                file=path,
                line=line,
                hint="特殊写法（如 !! 开头的标记）请去掉，或给文字加引号",
            )
            continue
        if not isinstance(key, (str, int, float)) or isinstance(key, bool):
            findings.error("字段名应是文字", file=path, line=line)
            continue
        key = str(key)
        if key in data:
            findings.warning(
                f"“{short(key)}”写了两次，后一次覆盖了前一次", file=path, line=line, field=key
            )
        data[key] = value
        lines[key] = line
    return data, lines


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter YAML or None, body, line number where the YAML starts)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    m = re.match(r"---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|$)", text, re.S)
    if not m:
        return None, text, 0
    return m.group(1) or "", text[m.end() :], 1
