"""The registry (.xlsx) for the district: Table 1 of every school, with its review status."""

from __future__ import annotations

from ...build import load_all
from ...checking.rules import publishable
from ...office.registry import registry_xlsx
from ..editor import server as editor
from ..export import _rows_for_export
from .service import Portal
from .store import STATUS_ZH


def registry_with_status(portal: Portal) -> bytes:
    """Every school's current version; a school whose form is not yet complete gets a row too."""
    settings = editor.settings_for(portal.projects)
    settings = settings.replace(sources=[str(portal.projects)])
    projects, _ = load_all(settings)
    status = {row["folder"]: row for row in portal.store.projects()}
    complete = publishable(projects)
    rows = _rows_for_export(complete, settings)
    for row, project in zip(rows, complete, strict=False):
        info = status.get(project.folder.name)
        row["status"] = STATUS_ZH.get(info["status"], "") if info else ""
    done = {p.folder.name for p in complete}
    for folder, info in status.items():
        if folder not in done:
            rows.append(
                {
                    "slug": "",
                    "branch": info["school"],
                    "logo": "",
                    "homepage": "",
                    "name": "（未填写完整）",
                    "summary": "",
                    "status": STATUS_ZH.get(info["status"], ""),
                }
            )
    return registry_xlsx(rows, complete, settings, [], status_column=True)
