"""The editor's 从 Word 文件导入: a case, plan or write-up written in Word becomes one of
the project's cases or plans (the same import as `showcase import-docx --into`)."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from flask import Flask, jsonify, request

from ...office.docimport import CASE, PLAN, import_text, write_text_doc
from ...office.formreader import ImportProblem
from ...office.importform import as_docx
from .door import FrontDoor
from .state import SaveError

WORD_EXTS = (".docx", ".doc", ".wps")
MAX_WORD_MB = 100


def add_word_import(
    app: Flask,
    project_folder: Callable[[str], Path],
    lock: threading.Lock,
    work: Path,
    door: FrontDoor,
) -> None:
    """Register POST /p/<name>/import-docx (multipart: `file`, optional `kind` case|plan).
    The new file is written like a save: under the save lock, between the door's hooks (the
    portal refuses a submitted project and commits the file)."""

    @app.post("/p/<name>/import-docx")
    def import_word(name: str):
        folder = project_folder(name)
        item = request.files.get("file")
        kind = request.form.get("kind") or None
        if kind not in (None, CASE, PLAN):
            return jsonify({"error": "请选择“案例”或“工作计划”"}), 400
        shown = Path(item.filename or "").name if item is not None else ""
        if item is None or not shown:
            return jsonify({"error": "请先选择一个 Word 文件"}), 400
        ext = Path(shown).suffix.lower()
        if ext not in WORD_EXTS:
            return jsonify({"error": f"“{shown}”不是 Word 文件：只能导入 .docx、.doc 或 .wps"}), 400
        with tempfile.TemporaryDirectory(prefix="word-", dir=work) as tmp:
            source = Path(tmp) / f"upload{ext}"
            size = 0
            with source.open("wb") as fh:
                while chunk := item.stream.read(1024 * 1024):
                    size += len(chunk)
                    if size > MAX_WORD_MB * 1024 * 1024:
                        return jsonify({"error": f"“{shown}”超过 {MAX_WORD_MB} MB"}), 413
                    fh.write(chunk)
            try:
                doc = import_text(as_docx(source, Path(tmp)), kind, shown=shown)
                doc.source = Path(shown)
                with lock:
                    if door.before_save is not None:
                        door.before_save(folder)
                    target = write_text_doc(doc, folder)
                    if door.after_save is not None:
                        door.after_save(folder, [target.relative_to(folder).as_posix()])
            except ImportProblem as exc:
                return jsonify({"error": f"《{shown}》没有导入：{exc}"}), 400
            except SaveError as exc:
                return jsonify({"error": f"《{shown}》没有导入：{exc}"}), 400
        what = "工作计划" if doc.kind == PLAN else "案例"
        parts = [f"已把《{shown}》导入为{what}“{doc.title}”"]
        if doc.headings:
            parts.append(f"标题 {len(doc.headings)} 个")
        if doc.meta.get("appendix"):
            parts.append(f"附录 {len(doc.meta['appendix'])} 项")
        if doc.meta.get("schedule"):
            parts.append(f"工作安排 {len(doc.meta['schedule'])} 项")
        return jsonify(
            {
                "message": "，".join(parts) + "。",
                "kind": doc.kind,
                "title": doc.title,
                "notes": [f.message for f in doc.findings] + doc.notes,
            }
        )
