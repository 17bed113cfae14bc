"""What an import read, field by field, for the person who runs it: every field of the
field table is read (and where), guessed (and from what), empty, or not found."""

from __future__ import annotations

from ..core.fields import FIELDS, Field, FieldType
from ..core.textutil import short
from .formreader import FormData

READ, GUESSED, EMPTY, MISSING = "已读取", "推断", "为空", "未找到"


def field_status(data: FormData, f: Field) -> tuple[str, str]:
    """(status, the rest of the line) for one field."""
    label = f.form_label or f.registry_label or f.label
    if f.key in data.guessed:
        value = data.values.get(f.key)
        shown = f"“{short(value)}”，" if value not in (None, "") else ""
        return GUESSED, f"{shown}{data.guessed[f.key]}，请核对"
    if f.key == "logo" and data.logo is not None:
        return READ, f"{data.places.get('logo', '申报表')}的图片，保存为 logo.{data.logo[1]}"
    if f.key in data.values or f.key in data.texts:
        where = data.places.get(f.key, "申报表")
        saved = f"，保存在 {f.key}.md" if f.key in data.texts else ""
        return READ, f"{where}{saved}"
    if f.key in data.found:
        if f.type is FieldType.OPINION:
            return EMPTY, f"“{label}”为空（在打印的申报表上签字盖章即可）"
        if f.key == "logo":
            return EMPTY, f"“{label}”栏里没有图片"
        return EMPTY, f"“{label}”没有填写"
    if f.required:
        return MISSING, f"申报表中没有“{label}”（必填）：请在 project.yml 中补写 {f.key}"
    if f.form_label or f.registry_label:
        return MISSING, f"未找到“{label}”栏目"
    return MISSING, "表格上没有这一项（选填，可在 project.yml 中补写）"


def field_report(data: FormData) -> list[str]:
    """One line per field, in the field table's order:
    `【已读取】精品项目名称 (name)：表二（申报表）第 1 行`."""
    lines = []
    for f in FIELDS:
        status, detail = field_status(data, f)
        lines.append(f"【{status}】{f.display()}：{detail}")
    return lines
