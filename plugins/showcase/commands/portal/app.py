"""The portal's web app: the editor's own app (one form, two front doors) behind logins.

Every request passes `guard`: the Host must be one of the configured names, a write must
carry the session's CSRF token (and, if it names one, come from this origin), and the
endpoint's rule in `POLICY` must allow this account for this project. An endpoint with
no rule is refused, so a route added later is closed until someone decides who may use it.
"""

from __future__ import annotations

import hmac
import secrets
import shutil
import threading
from pathlib import Path

from flask import Blueprint, Flask, Response, g, jsonify, redirect, render_template, request

from ...core.fields import BY_KEY, FIELDS
from ..editor import server as editor
from ..editor.door import FrontDoor
from . import views
from .service import Portal
from .store import STATUS_ZH, Account

HERE = Path(__file__).parent
COOKIE = "portal_session"
LOGIN_COOKIE = "portal_login"
SAFE = ("GET", "HEAD", "OPTIONS")

# endpoint → who may use it: public | any | school | district | read | write | staged | preview
POLICY = {
    "static": "public",
    "portal.static": "public",
    "login": "public",
    "site": "public",
    "logout": "any",
    "password": "any",
    "index": "any",
    "render_md": "any",
    "upload": "school",
    "staged": "staged",
    "project_page": "read",
    "project_state": "read",
    "project_check": "read",
    "project_file": "read",
    "project_preview": "read",
    "preview_file": "preview",
    "project_save": "write",
    "import_word": "write",
    "project_draft": "read",
    "guide": "any",
    "submit": "write",
    "comment": "district",
    "comment_close": "district",
    "return_project": "district",
    "approve": "district",
    "history": "district",
    "restore": "district",
    "district": "district",
    "deadline": "district",
    "accounts": "district",
    "account_reset": "district",
    "account_disable": "district",
    "registry": "district",
    "rebuild": "district",
    "audit": "district",
    "new_project": "nobody",  # schools are created by the district, with their accounts
}
OPEN_WHILE_MUST_CHANGE = {"static", "portal.static", "login", "site", "logout", "password"}


def create_portal_app(portal: Portal) -> Flask:
    work = portal.data / "work"
    # uploads staged before a restart can no longer be saved (their ids lived in memory)
    shutil.rmtree(work / "uploads", ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    settings = editor.settings_for(portal.projects)
    staged_by: dict[str, int] = {}
    preview_of: dict[str, str] = {}
    preview_lock = threading.Lock()

    def current() -> Account:
        return g.session.account

    def after_save(folder: Path, _done: list[str]) -> None:
        sent = (request.get_json(silent=True) or {}).get("fields") or {}
        name = sent.get("name") if isinstance(sent.get("name"), str) else None
        portal.after_save(current(), folder.name, request.remote_addr or "", name)
        portal.save_finished(folder.name)

    def before_save(folder: Path) -> None:
        if not portal.can_write(current(), folder.name):
            raise editor.formstate.SaveError("这个项目已提交审核，暂时不能修改")
        portal.save_starting(folder.name)

    door = FrontDoor(
        guard=lambda: guard(),
        trash=_delete,
        before_save=before_save,
        after_save=after_save,
        save_lock=portal.lock,  # type: ignore[arg-type]  # an RLock: restores take it too
        site_paths=("/preview/", "/site/"),
    )
    app = editor.create_app(
        portal.projects, None, settings, secrets.token_urlsafe(24), work, door=door
    )
    app.config["PORTAL"] = portal
    bp = Blueprint(
        "portal",
        __name__,
        template_folder=str(HERE / "templates"),
        static_folder=str(HERE / "static"),
        static_url_path="/portal-static",
    )
    app.register_blueprint(bp)

    def hosts() -> set[str]:
        return {h.lower() for h in portal.config.allowed_hosts}

    def refuse(status: int, message: str) -> Response:
        if request.method not in SAFE or request.path.endswith(("/state", ".json")):
            return jsonify({"error": message}), status
        page = render_template("portal/message.html", message=message)
        return Response(page, status=status, mimetype="text/html")

    def project_name() -> str:
        args = request.view_args or {}
        return str(args.get("name") or "")

    def allowed(rule: str, account: Account) -> bool:
        if rule == "any":
            return True
        if rule == "school":
            return not account.is_district
        if rule == "district":
            return account.is_district
        if rule == "read":
            return portal.can_read(account, project_name())
        if rule == "write":
            return portal.can_write(account, project_name())
        if rule == "staged":
            return staged_by.get(str((request.view_args or {}).get("sid"))) == account.id
        if rule == "preview":
            folder = preview_of.get("folder")
            return bool(folder) and portal.can_read(account, folder)
        return False

    def guard() -> Response | None:
        g.session = None
        host = request.host.lower()
        if host not in hosts() and host.rsplit(":", 1)[0] not in hosts():
            return refuse(403, "拒绝访问：地址不对（不是本门户配置的网址）。")
        if request.method not in SAFE:
            origin = request.headers.get("Origin")
            # "null": the pages' no-referrer policy hides it on form posts; the token decides
            if origin not in (None, "null", request.host_url.rstrip("/")):
                return refuse(403, "拒绝访问：请求来自其他网站。")
        rule = POLICY.get(request.endpoint or "", "nobody")
        sid = request.cookies.get(COOKIE, "")
        session = portal.store.session(sid) if sid else None
        g.session, g.sid = session, sid
        if rule == "public":
            if request.method not in SAFE and request.endpoint == "login":
                expected = request.cookies.get(LOGIN_COOKIE, "")
                if not expected or not _same(request.form.get("csrf"), expected):
                    return refuse(403, "页面已过期，请重新打开登录页")
            return None
        if session is None:
            if request.method in SAFE and not request.path.startswith(("/api/", "/p/")):
                return redirect("/login")
            if request.method in SAFE and request.path.endswith("/"):
                return redirect("/login")
            return refuse(401, "请先登录")
        if request.method not in SAFE:
            supplied = request.headers.get("X-CSRF-Token") or request.form.get("csrf")
            if not _same(supplied, session.csrf):
                return refuse(403, "页面已过期（缺少或错误的校验码），请刷新页面后再试")
        account = session.account
        if account.must_change and request.endpoint not in OPEN_WHILE_MUST_CHANGE:
            if request.method in SAFE:
                return redirect("/password")
            return refuse(403, "请先修改初始密码")
        if not allowed(rule, account):
            return refuse(403, "没有权限：这个页面或操作不属于您的账号")
        return None

    @app.after_request
    def remember(response: Response) -> Response:
        session = getattr(g, "session", None)
        if session is None or response.status_code != 200:
            return response
        if request.endpoint == "upload":
            for item in (response.get_json(silent=True) or {}).get("files", []):
                staged_by[str(item.get("id"))] = session.account.id
        return response

    preview_view = app.view_functions["project_preview"]

    def project_preview(name: str):
        with preview_lock:  # one preview site: it belongs to the last project built into it
            response = app.make_response(preview_view(name))
            if response.status_code == 200:
                preview_of["folder"] = name
            return response

    save_view = app.view_functions["project_save"]

    def project_save(name: str):
        response = app.make_response(save_view(name))
        if response.status_code == 409:  # name the newer version that was kept
            last = portal.repo.last_version(name)
            data = response.get_json(silent=True) or {}
            if last is not None:
                data["newer"] = {"author": last.author, "date": last.date, "commit": last.short}
                data["error"] = (
                    f"{data.get('error', '')}（较新的版本：{last.author} 于 {last.date} 保存，"
                    f"版本 {last.short}）"
                )
            return jsonify(data), 409
        return response

    app.view_functions["project_preview"] = project_preview
    app.view_functions["project_save"] = project_save
    app.view_functions["index"] = views.index
    app.view_functions["new_project"] = lambda: refuse(403, "没有权限")

    @app.context_processor
    def portal_context() -> dict:
        session = getattr(g, "session", None)
        info: dict = {"account": session.account if session else None}
        info["csrf"] = session.csrf if session else ""
        name = project_name()
        if session is not None and name and request.endpoint == "project_page":
            row = portal.store.project(name)
            if row is not None:
                info["project"] = dict(row) | {"status_zh": STATUS_ZH[row["status"]]}
                info["comments"] = [
                    c
                    | {
                        "field_label": BY_KEY[c["field"]].heading
                        if c["field"] in BY_KEY
                        else "整体意见"
                    }
                    for c in portal.store.comments(name)
                ]
                info["writable"] = portal.can_write(session.account, name)
                info["deadline"] = portal.deadline()
        return {"portal": info, "portal_fields": FIELDS}

    views.register(app, portal)
    portal.recover_all()
    return app


def _same(supplied: str | None, expected: str) -> bool:
    return bool(supplied) and hmac.compare_digest(str(supplied).encode(), expected.encode())


def _delete(path: Path) -> None:
    """Deleted files simply go: every earlier version stays in the repository's history."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
