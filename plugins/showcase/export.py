"""Export: the registry (Table 1) and the form (Table 2) as files."""

from __future__ import annotations

import csv
import io
import json

from .fields import REGISTRY_FIELDS, registry_header
from .settings import Settings


def registry_json(rows: list[dict], settings: Settings) -> bytes:
    columns = [{"key": f.key, "label": registry_header(f, settings.summary_max_chars)} for f in REGISTRY_FIELDS]
    data = {"title": "展示专栏首页地址登记表", "columns": columns, "projects": rows}
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def registry_csv(rows: list[dict], settings: Settings) -> bytes:
    """UTF-8 with BOM so that Excel on Windows opens it with the Chinese intact."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["序号"] + [registry_header(f, settings.summary_max_chars) for f in REGISTRY_FIELDS])
    for i, row in enumerate(rows, 1):
        writer.writerow([i] + [row.get(f.key, "") for f in REGISTRY_FIELDS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
