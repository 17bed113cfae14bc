"""The checker's findings for the form: exactly `showcase check` on the folder (or on the
form as typed, in a scratch copy), each placed beside the input it belongs to and worded
for the form (`wording`)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

from ...checking.rules import check_all
from ...core.fields import BY_KEY
from ...core.findings import Finding
from ...core.settings import Settings
from ...reading.load import load_project
from . import saving, wording


def findings_json(items: list[Finding], folder: Path, settings: Settings) -> list[dict]:
    """Findings for the page: each names the input it belongs to (a field or a part)."""
    out = []
    for f in items:
        rel = ""
        if f.file:
            with contextlib.suppress(ValueError):
                rel = Path(f.file).resolve().relative_to(folder.resolve()).as_posix()
        if (
            f.field
            and f.field in BY_KEY
            and (not rel or not rel.startswith(("cases/", "photos/", "plans/")))
        ):
            target = f"field:{f.field}"
        elif rel.startswith(("cases/", "plans/")):
            target = "part:" + rel.split("/")[0] + "/" + Path(rel.split("/")[1]).stem
        elif rel.startswith("photos/"):
            target = "part:photos/" + rel.split("/")[1]
        else:
            target = "general"
        # the form's words: the boxes the teacher sees, never keys or file names
        message, hint = wording.form_message(f.message, f.hint or "", f.field or "")
        where = wording.place(rel, {})
        out.append(
            {
                "level": f.level.value,
                "level_zh": f.level.chinese,
                "message": message,
                "hint": hint,
                "field": f.field or "",
                "place": where,
                "target": target,
                "text": " ".join(p for p in (where, message) if p)
                + (f"（{hint}）" if hint else ""),
            }
        )
    return out


def check_folder(folder: Path, settings: Settings) -> list[Finding]:
    """Exactly `showcase check` for one project folder."""
    project = load_project(folder, source_label=str(folder))
    check_all([project], settings)
    return project.findings


def check_state(folder: Path, state: dict, settings: Settings, staging: dict) -> list[dict]:
    """The checker's findings for the form as typed: project.yml, long texts and logo as saving
    would write them, in a scratch copy of the folder (cases, albums and plans are checked on save)."""
    with tempfile.TemporaryDirectory(prefix="showcase-check-") as tmp:
        scratch = Path(tmp) / folder.name
        scratch.mkdir()
        yml_path, data, _ = saving.render_project_yml(folder, state)
        if data is None and yml_path.is_file():
            data = yml_path.read_bytes()
        (scratch / "project.yml").write_bytes(data or b"")
        for key, where in (state.get("sources") or {}).items():
            src = folder / f"{key}.md"
            if where == "file" and src.is_file():
                shutil.copyfile(src, scratch / src.name)
        for path, content in saving.render_long_texts(folder, state).items():
            (scratch / path.name).write_bytes(content)
        logo = state.get("logo") or {}
        if logo.get("upload") and str(logo["upload"].get("id")) in staging:
            item = staging[str(logo["upload"]["id"])]
            shutil.copyfile(item.path, scratch / f"logo{Path(item.name).suffix.lower()}")
        elif logo.get("file") and (folder / logo["file"]).is_file():
            shutil.copyfile(folder / logo["file"], scratch / Path(logo["file"]).name)
        items = check_folder(scratch, settings)
        return findings_json(items, scratch, settings)
