"""YAML from school folders, refused before it is expensive.

PyYAML builds a node per list item before anyone can count them: a 1.9 MB flow list in
a project.yml took 15–18 s and 570–600 MB before the old node check refused it, and
every album.yml and front matter could be 2 MB. Here each kind of file has its own
limits, all checked *while composing*, event by event, before any Python object is
constructed:

| kind          | bytes  | nodes  | aliases | expanded | depth |
|---------------|--------|--------|---------|----------|-------|
| project.yml   | 256 KB | 5,000  | 100     | 10,000   | 20    |
| album.yml     | 256 KB | 20,000 | 100     | 40,000   | 20    |
| front matter  | 64 KB  | 5,000  | 100     | 10,000   | 20    |

Why these numbers: the demo's project.yml files are 0.6–5 KB (≤ 90 lines, ≤ 400
nodes); a 申报表 with every long text written inline stays under 40 KB. An album.yml
holds captions: 256 KB is ~6,000 captions of a sentence each, 20,000 nodes ~10,000
photos. Front matter is a title, tags and at most a 12-month schedule (a few KB).
*expanded* counts every use of an alias as the nodes it stands for: an alias bomb
("billion laughs") is refused at the level where it grows past the limit, and a
self-referencing anchor is refused outright (no later step could walk it).
*depth* bounds nesting of lists and mappings (the deepest field, an indicator's
`actual` values, is 5 levels), which also keeps the recursive composer and
constructor far from Python's recursion limit.

The scanner and parser are libyaml's (`yaml.CParser`) when PyYAML was built with it,
otherwise PyYAML's own; composing is done here in Python so it can be counted. Only
the safe constructor is used. A document libyaml refuses is parsed again with PyYAML's
Python parser (bounded by the same limits): PyYAML's grammar decides, as it did before
(it accepts escapes such as `"\ud800"` that libyaml refuses; safetext cleans them), and
its error messages are the ones the Chinese explanations below were written for.

`parse_mapping` is the whole of what the loader needs: a mapping, the line of each
top-level key, and problems in Chinese with line and column. It never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

from ..core.textutil import short

try:
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    CParser = None

__all__ = [
    "LIMITS",
    "Limits",
    "YamlDoc",
    "YamlProblem",
    "compose",
    "parse_mapping",
    "utf8_size",
]


@dataclass(frozen=True)
class Limits:
    """What one kind of YAML file may cost. See the module's table for the reasons."""

    label: str
    """How the file is named in messages."""
    max_bytes: int
    max_nodes: int
    max_aliases: int
    max_expanded: int
    max_depth: int
    hint: str = ""


LIMITS: dict[str, Limits] = {
    "project": Limits(
        "project.yml 文件",
        256 * 1024,
        5_000,
        100,
        10_000,
        20,
        "长篇内容（实施目标、主要举措等）请写到 goals.md、measures.md 等文件里",
    ),
    "album": Limits(
        "album.yml 文件",
        256 * 1024,
        20_000,
        100,
        40_000,
        20,
        "album.yml 只需写标题、日期、说明、封面和每张照片的说明",
    ),
    "front_matter": Limits(
        "文件头信息（两行 --- 之间的部分）",
        64 * 1024,
        5_000,
        100,
        10_000,
        20,
        "文件头只写标题、日期、作者、标签、摘要和月工作安排；正文写在第二行 --- 之后",
    ),
}
"""Limits per kind of file: "project", "album", "front_matter"."""


@dataclass(frozen=True)
class YamlProblem:
    """A problem in Chinese, with its place in the file (already offset for front matter)."""

    message: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    level: str = "error"
    """"error", or "warning" (a key written twice)."""
    field: str | None = None


@dataclass
class YamlDoc:
    """What `parse_mapping` read: `data` is None when the whole file was refused."""

    data: dict | None
    lines: dict[str, int] = field(default_factory=dict)
    """Top-level key → 1-based line (offset included)."""
    problems: list[YamlProblem] = field(default_factory=list)


class _Refused(yaml.YAMLError):
    """A limit was reached while composing: the document is not read any further."""

    def __init__(self, message: str, mark: Any = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.hint = hint


def utf8_size(text: str) -> int:
    """Bytes of `text` in UTF-8 (what the file had, for text decoded from UTF-8)."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def _human(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


# --- the counting composer ----------------------------------------------------------


class _LimitedComposer(Composer):
    """PyYAML's composer with every node, alias and level counted as it is made."""

    limits: Limits

    def _setup(self, limits: Limits) -> None:
        Composer.__init__(self)
        self.limits = limits
        self._nodes = 0
        self._aliases = 0
        self._depth = 0
        self._weight: dict[int, int] = {}
        """id(node) → nodes it stands for, with aliases expanded (set when complete)."""

    def _refuse(self, message: str, mark: Any) -> None:
        raise _Refused(message, mark, self.limits.hint)

    def compose_document(self) -> Node:
        node = super().compose_document()
        self._weight.clear()
        return node

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        limits = self.limits
        if self.check_event(AliasEvent):
            event = self.get_event()
            self._aliases += 1
            if self._aliases > limits.max_aliases:
                self._refuse(
                    f"文件结构过于复杂：使用了过多的引用“*”（超过 {limits.max_aliases} 个），已拒绝读取",
                    event.start_mark,
                )
            if event.anchor not in self.anchors:
                raise yaml.composer.ComposerError(
                    None, None, f"found undefined alias {event.anchor!r}", event.start_mark
                )
            node = self.anchors[event.anchor]
            if id(node) not in self._weight:  # its anchor is still open: it contains itself
                self._refuse(
                    "文件结构过于复杂：内容引用了它自己（“&”锚点里用了同名的“*”），已拒绝读取",
                    event.start_mark,
                )
            return node
        event = self.peek_event()
        self._nodes += 1
        if self._nodes > limits.max_nodes:
            self._refuse(
                f"内容项过多（超过 {limits.max_nodes} 项），不像手写的内容，已拒绝读取",
                event.start_mark,
            )
        self._depth += 1
        if self._depth > limits.max_depth:
            self._refuse(
                f"列表或字段嵌套过深（超过 {limits.max_depth} 层），已拒绝读取", event.start_mark
            )
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        weight = 1
        if isinstance(node, SequenceNode):
            weight += sum(self._weight.get(id(child), 1) for child in node.value)
        elif isinstance(node, MappingNode):
            weight += sum(
                self._weight.get(id(k), 1) + self._weight.get(id(v), 1) for k, v in node.value
            )
        if weight > limits.max_expanded:
            self._refuse(
                f"文件结构过于复杂：展开后超过 {limits.max_expanded} 项（大量重复引用“*”），已拒绝读取",
                event.start_mark,
            )
        self._weight[id(node)] = weight
        return node


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # 2025-13-45 looks like a date to YAML but is none: keep the text, the date check names it
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


class _PyLoader(
    _LimitedComposer,
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.constructor.SafeConstructor,
    yaml.resolver.Resolver,
):
    def __init__(self, stream: str, limits: Limits) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self._setup(limits)


_PyLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

if CParser is not None:

    class _CLoader(
        _LimitedComposer, CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver
    ):
        def __init__(self, stream: str, limits: Limits) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._setup(limits)

    _CLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
else:  # pragma: no cover
    _CLoader = None


def _loader(text: str, limits: Limits, *, fast: bool = True):
    cls = _CLoader if fast and _CLoader is not None else _PyLoader
    return cls(text, limits)


def compose(text: str, kind: str) -> Node | None:
    """The node tree of one YAML document within the limits of `kind`.

    Raises `yaml.YAMLError` on bad YAML, and a subclass of it (with a Chinese message
    in `.message`) when a limit is reached. For callers that want nodes, not data.
    """
    limits = LIMITS[kind]
    size = utf8_size(text)
    if size > limits.max_bytes:
        raise _Refused(
            f"{limits.label}有 {_human(size)}，超过 {_human(limits.max_bytes)} 上限，已拒绝读取",
            None,
            limits.hint,
        )
    try:
        return _compose_with(_loader(text, limits))
    except _Refused:
        raise
    except (yaml.YAMLError, UnicodeEncodeError):
        if _CLoader is None:
            raise
    # libyaml refused it: PyYAML's grammar decides (it takes escapes such as "\ud800"
    # that libyaml does not, and words its errors as the Chinese table below expects)
    return _compose_with(_loader(text, limits, fast=False))


def _compose_with(loader: Any) -> Node | None:
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


# --- Chinese messages ---------------------------------------------------------------

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
"""PyYAML's English problem → what a teacher should do. (Moved here from load.py.)"""

# Chinese typists often write 字段：内容 (full-width colon) or 字段:内容 (no space).
_FULLWIDTH_COLON = re.compile(r"^\s*[^\s:#：][^:#：]{0,40}：")
_NO_SPACE_COLON = re.compile(r"^\s*[A-Za-z_\u4e00-\u9fff（）()]{1,40}:(?=[^\s/])")


def colon_hint(text: str, line: int | None) -> str | None:
    """A hint for the two colon mistakes, looked for on the reported line and the one before."""
    lines = text.split("\n")
    candidates = [line - 1, line - 2] if line else list(range(min(len(lines), 200)))
    for index in candidates:
        if 0 <= index < len(lines):
            if _FULLWIDTH_COLON.match(lines[index]):
                return f"第 {index + 1} 行用了中文冒号“：”，字段名后面应是英文冒号加空格“: ”"
            if _NO_SPACE_COLON.match(lines[index]):
                return f"第 {index + 1} 行的冒号“:”后面缺少空格"
    return None


def describe_error(exc: yaml.YAMLError) -> tuple[int | None, int | None, str]:
    """(line, column, Chinese explanation) of a PyYAML error; 1-based, no offset."""
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


# --- the loader's entry point ---------------------------------------------------------


def parse_mapping(text: str, kind: str, *, line_offset: int = 0) -> YamlDoc:
    """A YAML mapping (form fields, album.yml, front matter) within the limits of `kind`.

    Each top-level value is constructed on its own, so one bad value is one problem and
    the other fields are still read. `line_offset` is added to every line (front matter
    starts after the first `---`). Never raises.
    """
    limits = LIMITS[kind]
    doc = YamlDoc(data=None)

    def problem(
        message: str, line: int | None = None, column: int | None = None, **kw: Any
    ) -> None:
        where = line + line_offset if line else None
        doc.problems.append(YamlProblem(message, where, column, **kw))

    def refused(exc: _Refused) -> YamlDoc:
        mark = exc.mark
        line = mark.line + 1 if mark is not None else None
        where = f"第 {line + line_offset} 行：" if line else ""
        problem(f"{where}{exc.message}", line, mark.column + 1 if mark else None, hint=exc.hint)
        return doc

    try:
        node = compose(text, kind)
    except _Refused as exc:
        return refused(exc)
    except yaml.YAMLError as exc:
        line, column, message = describe_error(exc)
        where = f"第 {line + line_offset} 行第 {column} 列：" if line else ""
        problem(f"YAML 格式错误：{where}{message}", line, column, hint=colon_hint(text, line))
        return doc
    except RecursionError:
        problem("YAML 格式错误：括号或缩进嵌套过深，无法解析")
        return doc
    except Exception as exc:  # noqa: BLE001 - any parser surprise is a problem, not a crash
        problem(f"YAML 无法解析（{type(exc).__name__}）")
        return doc
    if node is None:
        doc.data = {}
        return doc
    if not isinstance(node, MappingNode):
        problem(
            "文件内容应是“字段名: 内容”的形式",
            node.start_mark.line + 1,
            hint=colon_hint(text, None) or "每行写一个字段：字段名、英文冒号、空格、内容",
        )
        return doc
    data: dict = {}
    constructor = _PyLoader("", limits)
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        try:
            key = constructor.construct_object(key_node, deep=True)
            value = constructor.construct_object(value_node, deep=True)
        except RecursionError:
            problem("这一项嵌套过深，无法解析", line)
            continue
        except Exception as exc:  # noqa: BLE001 - constructors raise many types on odd tags/values
            reason = getattr(exc, "problem", None) or type(exc).__name__
            problem(
                f"这一项无法解析（{reason}）",
                line,
                hint="特殊写法（如 !! 开头的标记）请去掉，或给文字加引号",
            )
            continue
        if not isinstance(key, (str, int, float)) or isinstance(key, bool):
            problem("字段名应是文字", line)
            continue
        key = str(key)
        if key in data:
            problem(f"“{short(key)}”写了两次，后一次覆盖了前一次", line, level="warning", field=key)
        data[key] = value
        doc.lines[key] = line + line_offset
    doc.data = data
    return doc
