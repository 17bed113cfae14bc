"""`showcase schema`: the JSON Schema (draft 2020-12) of project.yml, built from `fields.FIELDS`.

Editors (VS Code with Red Hat's YAML extension) use it for completion, hover help
in Chinese and red squiggles. It uses only keywords that draft-07 tools read the
same way, because that is what the YAML extension implements.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from .fields import FIELDS, INDICATOR_GROUPS, OPINION_PARTS, Field, FieldType, part_names

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE = "project.schema.json"

_TEXT = {"type": ["string", "number"]}
_DATE = {
    "type": "string",
    "pattern": r"^\s*\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?\s*$",
    "description": "日期，如 2025-03-10 或 2025年3月10日",
}
_NUMBER = {
    "anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^\s*-?[0-9.]+\s*[%％]?\s*$"}]
}

_INDICATOR_ITEM = {
    "anyOf": [
        {"type": ["string", "number"], "description": "一句话的指标"},
        {
            "type": "object",
            "description": "可量化的指标：text 内容，target 目标值，unit 单位，actual 各年度实际值",
            "properties": {
                "text": {"type": "string", "title": "指标内容"},
                "target": {
                    "anyOf": [
                        {"type": "number"},
                        {"type": "string", "pattern": r"[0-9０-９]"},
                    ],
                    "title": "目标值",
                    "description": "照申报表的写法填：20、10-15、不低于10%、85%以上、至少2次、不超过3起",
                    "examples": [20, "10-15", "不低于10%", "85%以上", "至少2次", "不超过3起"],
                },
                "unit": {"type": "string", "title": "单位", "examples": ["名", "%", "次"]},
                "actual": {
                    "type": "object",
                    "title": "实际值",
                    "description": "年份: 数值，如 2025: 16",
                    "propertyNames": {"pattern": r"^\d{4}$"},
                    "additionalProperties": _NUMBER,
                },
            },
            "required": ["text"],
            "additionalProperties": False,
        },
    ]
}
_INDICATOR_LIST = {"anyOf": [{"type": "array", "items": _INDICATOR_ITEM}, _INDICATOR_ITEM]}

# Keys the loader accepts inside these two fields (reading.values.FieldReader).
_GROUP_TITLES = {"explicit": "显性指标（可量化）", "implicit": "隐性指标（定性）"}
_INDICATOR_GROUPS = {
    name: _GROUP_TITLES[kind] for kind, names in INDICATOR_GROUPS.items() for name in names
}
_OPINION_TITLES = {
    "text": ("意见", {"type": "string"}),
    "signed_by": ("签字人", {"type": "string"}),
    "date": ("日期", _DATE),
}
_OPINION_PARTS = {name: _OPINION_TITLES[key] for name, key in part_names(OPINION_PARTS).items()}


def _value_schema(field: Field) -> dict[str, Any]:
    t = field.type
    if t is FieldType.TEXT:
        return dict(_TEXT)
    if t is FieldType.MARKDOWN:
        return {"type": "string"}
    if t is FieldType.INTEGER:
        return {
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "pattern": r"^\s*[0-9０-９]+\s*[人名]?\s*$"},
            ]
        }
    if t is FieldType.URL:
        return {"type": "string", "format": "uri", "pattern": r"^https?://[^\s\"'<>]+$"}
    if t is FieldType.FILE:
        return {
            "type": "string",
            "pattern": r"^[^/\\:]+(/[^/\\:]+)*\.([Pp][Nn][Gg]|[Jj][Pp][Ee]?[Gg]|[Ss][Vv][Gg]|[Ww][Ee][Bb][Pp])$",
        }
    if t is FieldType.SLUG:
        return {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"}
    if t is FieldType.LIST:
        return {"anyOf": [{"type": "array", "items": _TEXT}, {"type": "string"}]}
    if t is FieldType.INDICATORS:
        return {
            "anyOf": [
                {"type": "array", "items": _INDICATOR_ITEM},
                {
                    "type": "object",
                    "properties": {
                        k: {**copy.deepcopy(_INDICATOR_LIST), "title": v}
                        for k, v in _INDICATOR_GROUPS.items()
                    },
                    "additionalProperties": False,
                },
            ]
        }
    if t is FieldType.OPINION:
        return {
            "anyOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "properties": {
                        k: {**copy.deepcopy(s), "title": title}
                        for k, (title, s) in _OPINION_PARTS.items()
                    },
                    "additionalProperties": False,
                },
            ]
        }
    raise ValueError(f"no schema for field type {t}")  # a new FieldType needs a line above


def _describe(field: Field) -> str:
    parts = [field.description]
    if field.required:
        parts.append(
            "必填。"
            if field.key != "logo"
            else "必填；不填时使用文件夹里的 logo.png / logo.jpg / logo.svg。"
        )
    elif field.recommended:
        parts.append("建议填写。")
    if field.personal:
        parts.append("个人信息：网站默认不公开。")
    if field.form_label:
        parts.append(f"申报表：{field.form_label}。")
    if field.registry_label:
        parts.append(f"登记表：{field.registry_label}。")
    names = [field.key, *field.labels]
    parts.append("字段名可写作：" + "、".join(names) + "。")
    return "".join(parts)


def field_schema(field: Field) -> dict[str, Any]:
    """The schema of one field, with its Chinese title and help text."""
    schema = _value_schema(field)
    schema["title"] = field.label
    schema["description"] = _describe(field)
    schema["markdownDescription"] = schema["description"]
    if field.example is not None:
        schema["examples"] = [_jsonable(field.example)]
    return schema


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


_SPACE = r"[\s\u3000]*"
_SAME = {
    "(": "[(（]",
    "（": "[(（]",
    ")": "[)）]",
    "）": "[)）]",
    ":": "[:：]",
    "：": "[:：]",
    ",": "[,，]",
    "，": "[,，]",
}


def _loose(name: str) -> str:
    """A regex for `name` as the loader compares it: any white space, either bracket width, any case."""
    parts = []
    for ch in name:
        if ch.isspace():
            continue
        if ch in _SAME:
            parts.append(_SAME[ch])
        elif ch.isalpha() and ch.lower() != ch.upper():
            parts.append(f"[{ch.lower()}{ch.upper()}]")
        else:
            parts.append(re.escape(ch))
    return "^" + _SPACE + _SPACE.join(parts) + _SPACE + "$"


def _variants() -> dict[str, Any]:
    """Keys written with stray spaces (`项目 负责人`), other brackets or case are the same field."""
    return {
        _loose(name): {"$ref": f"#/properties/{field.key}"}
        for field in FIELDS
        for name in (field.key, *field.labels)
    }


def build_schema() -> dict[str, Any]:
    """The whole schema as a dict: every key and every Chinese label, nothing else."""
    properties: dict[str, Any] = {}
    required: list[dict[str, Any]] = []
    for field in FIELDS:
        names = [field.key, *field.labels]
        properties[field.key] = field_schema(field)
        for name in field.labels:
            # a Chinese label is the same field: point at its schema instead of copying it
            properties.setdefault(
                name,
                {
                    "$ref": f"#/properties/{field.key}",
                    "title": f"{name}（即 {field.key}）",
                    "description": _describe(field),
                    "markdownDescription": _describe(field),
                },
            )
        if field.required and field.key != "logo":
            # present under its key, a label, or a label with stray spaces ("some name matches")
            loose = {
                "not": {"propertyNames": {"not": {"pattern": "|".join(_loose(n) for n in names)}}}
            }
            required.append(
                {
                    "anyOf": [*({"required": [n]} for n in names), loose],
                    "description": f"必填：{field.label}（{field.key}）",
                }
            )
    return {
        "$schema": DRAFT,
        "title": "党建精品项目 project.yml",
        "description": "党建精品项目展示专栏：一个党支部的项目登记信息。字段名可用英文，也可用申报表、登记表上的中文名称。",
        "type": "object",
        "properties": properties,
        "patternProperties": _variants(),
        "additionalProperties": False,
        "allOf": required,
    }


def schema_json() -> str:
    """The schema as formatted JSON text (UTF-8, Chinese kept readable)."""
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"
