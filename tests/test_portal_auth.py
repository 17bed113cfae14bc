"""Every route of the portal × every role: anonymous, school A, school B, the district and a
disabled account. Routes come from the app's own URL map, so a route added later without
an expectation here fails the test (and is closed by the app until someone decides).

Expectations are written here, independently of the app's policy table.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from portal_helpers import COMPLETE, SCHOOL_A, SCHOOL_B, fill, make_world, p

ROLES = ["anonymous", "disabled", "b", "a", "district"]
ALL = set(ROLES)
USERS = {"a", "b", "district"}
OWNER = {"owner"}  # the school the project belongs to
READERS = {"owner", "district"}
DISTRICT = {"district"}
EXPECT = {
    "static": ALL,
    "portal.static": ALL,
    "login": ALL,
    "site": ALL,
    "logout": USERS,
    "password": USERS,
    "index": USERS,
    "render_md": USERS,
    "upload": {"a", "b"},
    "staged": OWNER,
    "project_page": READERS,
    "project_state": READERS,
    "project_check": READERS,
    "project_file": READERS,
    "project_preview": READERS,
    "preview_file": READERS,
    "project_save": OWNER,
    "import_word": OWNER,
    "project_draft": READERS,
    "guide": USERS,
    "submit": OWNER,
    "comment": DISTRICT,
    "comment_close": DISTRICT,
    "return_project": DISTRICT,
    "approve": DISTRICT,
    "history": DISTRICT,
    "restore": DISTRICT,
    "district": DISTRICT,
    "deadline": DISTRICT,
    "accounts": DISTRICT,
    "account_reset": DISTRICT,
    "account_disable": DISTRICT,
    "registry": DISTRICT,
    "rebuild": DISTRICT,
    "audit": DISTRICT,
    "new_project": set(),
}
LAST = ["project_save", "submit", "restore", "comment_close", "return_project", "approve"]
LAST += ["accounts", "account_reset", "account_disable", "password", "logout"]
"""Routes that change what later ones see run last, in this order."""


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 16, 46)).save(out, "PNG")
    return out.getvalue()


def _prepare(world, owner: str, folder: str) -> dict:
    """The owner's project with a logo, a staged upload and a preview; the URL values."""
    client, token = world.clients[owner], world.csrf[owner]
    upload = lambda: client.post(  # noqa: E731
        "/api/upload",
        data={"files": (io.BytesIO(_png()), "标识.png")},
        headers={"X-CSRF-Token": token},
    ).get_json()["files"][0]
    logo = upload()
    state = client.get(f"/p/{p(folder)}/state").get_json()
    state = fill(state, **COMPLETE)
    state["logo"] = {"file": "", "upload": {"id": logo["id"], "name": logo["name"]}}
    saved = client.post(f"/p/{p(folder)}/save", json=state, headers={"X-CSRF-Token": token})
    assert saved.status_code == 200, saved.get_json()
    assert (world.portal.projects / folder / "logo.png").is_file()
    staged = upload()
    preview = client.post(f"/p/{p(folder)}/preview", json={}, headers={"X-CSRF-Token": token})
    assert preview.status_code == 200, preview.get_json()
    world.portal.store.add_comment(folder, "summary", "请补充", "district")
    return {
        "name": p(folder),
        "rel": "logo.png",
        "sid": staged["id"],
        "login": "schoolb" if owner == "a" else "schoola",
        "cid": str(world.portal.store.comments(folder)[0]["id"]),
        "filename": "editor.css",
        "preview_rel": preview.get_json()["url"].removeprefix("/preview/"),
        "commit": world.portal.repo.log(folder)[-1].commit,
    }


def _requests(app, values: dict) -> list[tuple[str, str, str]]:
    """(endpoint, method, URL) for every rule and method of the app, disruptive ones last."""
    out = []
    for rule in app.url_map.iter_rules():
        vals = dict(values)
        if rule.endpoint == "portal.static":
            vals["filename"] = "portal.css"
        if rule.endpoint == "preview_file":
            vals["rel"] = values["preview_rel"]
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m, v=vals: v[m.group(1)], rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((rule.endpoint, method, url))
    order = {e: i for i, e in enumerate(LAST)}
    return sorted(out, key=lambda r: (order.get(r[0], -1), r[1] == "POST"))


def _refused(answer) -> bool:
    if answer.status_code in (401, 403):
        return True
    return answer.status_code in (302, 303) and answer.location.endswith("/login")


@pytest.mark.parametrize("target", ["a", "b"], ids=["project-of-A", "project-of-B"])
def test_every_route_as_every_role(tmp_path: Path, target: str) -> None:
    world = make_world(tmp_path / "portal")
    folder = SCHOOL_A if target == "a" else SCHOOL_B
    values = _prepare(world, target, folder)
    requests = _requests(world.app, values)
    endpoints = {e for e, _, _ in requests}
    assert endpoints == set(EXPECT), f"routes without an expectation: {endpoints ^ set(EXPECT)}"
    checked = 0
    for role in ROLES:
        client = world.clients[role]
        token = world.csrf[role] or "none"
        who = "owner" if role == target else role
        for endpoint, method, url in requests:
            data = {
                "csrf": token,
                "field": "summary",
                "text": "批注",
                "commit": values["commit"],
                "login": f"new{role}",
                "school": f"新学校{role}",
                "deadline": "2030-03-15",
            }
            if endpoint == "login":
                continue  # its own form token; covered in test_portal
            if method == "GET":
                answer = client.get(url)
            elif endpoint in ("project_save", "project_check", "project_preview", "render_md"):
                answer = client.post(url, json={}, headers={"X-CSRF-Token": token})
            else:
                answer = client.post(url, data=data, headers={"X-CSRF-Token": token})
            allowed = who in EXPECT[endpoint] or role in EXPECT[endpoint]
            refused = _refused(answer)
            if endpoint == "logout":  # logging out ends at the login page
                refused = answer.status_code in (401, 403)
            assert refused != allowed, (
                f"{role} {method} {url} → {answer.status_code} (expected "
                f"{'allowed' if allowed else 'refused'})"
            )
            if not allowed:
                assert COMPLETE["name"].encode() not in answer.data
                assert b"\x89PNG" not in answer.data
            checked += 1
    assert checked == len(ROLES) * len([r for r in requests if r[0] != "login"]) >= 5 * 34
