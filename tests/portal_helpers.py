"""A real district portal for tests: made by the same code as `showcase portal init`, with
a cheap KDF (a test-only knob), and a logged-in Flask test client per account."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from showcase.commands.portal import passwords
from showcase.commands.portal.app import COOKIE, create_portal_app
from showcase.commands.portal.service import Portal, PortalConfig

TEST_KDF_N = 2**8
SCHOOL_A, SCHOOL_B = "青禾路小学", "明德中学"
LOGINS = {"district": "district", "a": "schoola", "b": "schoolb", "disabled": "schoolc"}
PASSWORD = "Test-password-2025"


@dataclass
class World:
    portal: Portal
    app: object
    clients: dict[str, object] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)

    def folder(self, who: str = "a") -> str:
        return SCHOOL_A if who == "a" else SCHOOL_B


def make_portal(root: Path, hosts: list[str] | None = None, **config) -> Portal:
    cfg = PortalConfig(allowed_hosts=hosts or ["localhost"], kdf_n=TEST_KDF_N, **config)
    portal, _ = Portal.create(root, "district", cfg)
    portal.add_account("schoola", "school", SCHOOL_A)
    portal.add_account("schoolb", "school", SCHOOL_B)
    portal.add_account("schoolc", "school", "停用小学")
    for login in LOGINS.values():  # as if each had changed the one-time password
        portal.store.set_password(login, passwords.hash_password(PASSWORD, TEST_KDF_N), False)
    return portal


def login(client, who_login: str, password: str = PASSWORD):
    """Log in through the real form; returns the response of the POST."""
    page = client.get("/login")
    form = page.text.split('action="/login"', 1)[1]
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    return client.post("/login", data={"login": who_login, "password": password, "csrf": token})


def csrf_of(client) -> str:
    page = client.get("/password")
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


def make_world(root: Path) -> World:
    portal = make_portal(root)
    app = create_portal_app(portal)
    world = World(portal, app)
    for who, name in LOGINS.items():
        client = app.test_client()
        assert login(client, name).status_code == 303
        world.clients[who] = client
        world.csrf[who] = csrf_of(client)
    portal.set_disabled(LOGINS["disabled"], True)
    world.clients["anonymous"] = app.test_client()
    world.csrf["anonymous"] = ""
    return world


def session_id(client) -> str:
    cookie = client.get_cookie(COOKIE)
    return cookie.value if cookie else ""


def p(folder: str) -> str:
    return quote(folder)


def fill(state: dict, **fields) -> dict:
    state = dict(state)
    state["fields"] = {**state["fields"], **fields}
    return state


COMPLETE = {
    "branch": "青禾路小学党支部",
    "name": "“1+5”师德引领工程",
    "summary": "以一个支部带动五支队伍，建设一支师德高尚的教师队伍。",
}
