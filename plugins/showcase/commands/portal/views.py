"""The portal's own pages: login, password, the school's start page, the district's
overview and review actions, the registry, rebuilds, the audit log and `/site/`.

Who may reach each endpoint is decided in `app.POLICY` (before any view runs); the
views only do the work.
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    send_file,
)

from ...core.fields import BY_KEY
from ...reading.folders import is_inside
from .service import Portal, PortalError
from .store import DISTRICT, SCHOOL, STATUS_ZH

COOKIE = "portal_session"
LOGIN_COOKIE = "portal_login"


def _portal() -> Portal:
    return current_app.config["PORTAL"]


def _address() -> str:
    return request.remote_addr or ""


def _cookie(response: Response, name: str, value: str, path: str = "/") -> None:
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="Strict",
        secure=request.is_secure,  # behind nginx with TLS (X-Forwarded-Proto from a trusted proxy)
        path=path,
    )


def index():
    account = g.session.account
    if account.is_district:
        return redirect("/district")
    portal = _portal()
    row = portal.store.project(account.folder)
    return render_template(
        "portal/home.html",
        row=dict(row) if row else None,
        status_zh=STATUS_ZH,
        comments=portal.store.comments(account.folder) if row else [],
        deadline=portal.deadline(),
        writable=portal.can_write(account, account.folder),
        message=request.args.get("msg", ""),
    )


def register(app: Flask, portal: Portal) -> None:
    def back(url: str, message: str = "") -> Response:
        from urllib.parse import quote

        return redirect(url + (f"?msg={quote(message)}" if message else ""), code=303)

    @app.route("/login", methods=["GET", "POST"])
    def login():
        error = ""
        if request.method == "POST":
            result = portal.check_login(
                str(request.form.get("login") or "").strip(),
                str(request.form.get("password") or ""),
                _address(),
            )
            if not isinstance(result, str):
                if g.sid:
                    portal.store.end_session(g.sid)  # a new id at login (no session fixation)
                sid = portal.store.new_session(result)
                response = redirect("/password" if result.must_change else "/", code=303)
                _cookie(response, COOKIE, sid)
                response.delete_cookie(LOGIN_COOKIE, path="/login")
                return response
            error = result
        token = secrets.token_urlsafe(24)
        page = render_template("portal/login.html", csrf=token, error=error)
        response = Response(page, status=429 if "过多" in error else 200, mimetype="text/html")
        _cookie(response, LOGIN_COOKIE, token, path="/login")
        return response

    @app.post("/logout")
    def logout():
        portal.store.end_session(g.sid)
        portal.store.audit(g.session.account.login, _address(), "退出登录")
        response = redirect("/login", code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    @app.route("/password", methods=["GET", "POST"])
    def password():
        account = g.session.account
        error = ""
        if request.method == "POST":
            error = portal.change_password(
                account,
                str(request.form.get("current") or ""),
                str(request.form.get("password") or ""),
                str(request.form.get("password2") or ""),
            )
            if error is None:
                portal.store.audit(account.login, _address(), "修改密码", account.login)
                sid = portal.store.new_session(portal.store.account(account.login))
                response = redirect("/", code=303)
                _cookie(response, COOKIE, sid)  # every old session ended with the old password
                return response
        return render_template("portal/password.html", error=error or "")

    # --- the school ---

    @app.post("/p/<name>/submit")
    def submit(name: str):
        error = portal.submit(g.session.account, name, _address())
        return back("/", error or "已提交审核，等待区教育局审核")

    # --- review ---

    @app.post("/p/<name>/comment")
    def comment(name: str):
        field = str(request.form.get("field") or "")
        text = str(request.form.get("text") or "").strip()[:2000]
        if field != "general" and field not in BY_KEY:
            abort(400)
        if text:
            portal.store.add_comment(name, field, text, g.session.account.login)
            portal.store.audit(g.session.account.login, _address(), "写批注", name, field)
        return redirect(f"/p/{name}/#f-{field}", code=303)

    @app.post("/p/<name>/comment/<int:cid>/close")
    def comment_close(name: str, cid: int):
        portal.store.close_comments(name, cid)
        return redirect(f"/p/{name}/", code=303)

    @app.post("/p/<name>/return")
    def return_project(name: str):
        error = portal.review(g.session.account, name, "return", _address())
        return back("/district", error or f"已退回“{name}”修改")

    @app.post("/p/<name>/approve")
    def approve(name: str):
        error = portal.review(g.session.account, name, "approve", _address())
        return back("/district", error or f"已通过“{name}”（重新生成公开网站后上线）")

    @app.get("/p/<name>/history")
    def history(name: str):
        return render_template(
            "portal/history.html",
            name=name,
            versions=portal.repo.log(name),
            row=portal.store.project(name),
        )

    @app.post("/p/<name>/restore")
    def restore(name: str):
        commit = str(request.form.get("commit") or "")
        if not commit.isalnum() or not 7 <= len(commit) <= 40:
            abort(400)
        try:
            portal.restore(g.session.account, name, commit, _address())
        except Exception as exc:  # noqa: BLE001 - git's reason, shown to the district
            return back(f"/p/{name}/history", f"没有恢复：{exc}")
        return back(f"/p/{name}/history", f"已恢复到版本 {commit[:8]}")

    # --- the district ---

    @app.get("/district")
    def district():
        return render_template(
            "portal/district.html",
            rows=portal.overview(),
            deadline=portal.deadline(),
            build=portal.publisher.state,
            accounts=portal.store.accounts(),
            message=request.args.get("msg", ""),
            new_password=request.args.get("pw", ""),
        )

    @app.post("/district/deadline")
    def deadline():
        text = str(request.form.get("deadline") or "").strip()
        if text:
            try:
                dt.date.fromisoformat(text)
            except ValueError:
                return back("/district", "日期格式不对")
        portal.store.put("deadline", text)
        portal.store.audit(g.session.account.login, _address(), "设置截止日期", "", text)
        return back("/district", "已设置截止日期" if text else "已取消截止日期")

    @app.post("/district/accounts")
    def accounts():
        kind = DISTRICT if request.form.get("kind") == DISTRICT else SCHOOL
        try:
            pw = portal.add_account(
                str(request.form.get("login") or ""),
                kind,
                str(request.form.get("school") or ""),
                actor=g.session.account.login,
            )
        except PortalError as exc:
            return back("/district", str(exc))
        return _password_page(str(request.form.get("login")), pw)

    @app.post("/district/accounts/<login>/reset")
    def account_reset(login: str):
        try:
            pw = portal.reset_password(login, actor=g.session.account.login)
        except PortalError as exc:
            return back("/district", str(exc))
        return _password_page(login, pw)

    @app.post("/district/accounts/<login>/disable")
    def account_disable(login: str):
        if login == g.session.account.login:
            return back("/district", "不能停用自己的账号")
        try:
            portal.set_disabled(login, request.form.get("enable") != "1", g.session.account.login)
        except PortalError as exc:
            return back("/district", str(exc))
        return back("/district", f"已更改账号“{login}”")

    def _password_page(login: str, pw: str) -> Response:
        # shown once, never stored or logged in clear; no-store keeps it out of caches
        page = render_template("portal/onetime.html", login=login, password=pw)
        return Response(page, mimetype="text/html")

    @app.get("/district/registry.xlsx")
    def registry():
        from .registry import registry_with_status

        data = registry_with_status(portal)
        portal.store.audit(g.session.account.login, _address(), "导出登记表")
        return Response(
            data,
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": "attachment; filename*=UTF-8''registry.xlsx"},
        )

    @app.post("/district/rebuild")
    def rebuild():
        portal.rebuild(g.session.account, _address())
        return back("/district", "已开始重新生成公开网站（在后台进行，完成后自动上线）")

    @app.get("/district/audit")
    def audit():
        return render_template("portal/audit.html", rows=portal.store.audit_log(500))

    # --- the public site ---

    @app.get("/site/")
    @app.get("/site/<path:rel>")
    def site(rel: str = ""):
        root = portal.publisher.site_dir()
        if root is None:
            return render_template(
                "portal/message.html", message="公开网站还没有生成：等待区教育局审核通过并生成。"
            ), 404
        path = root / rel
        if path.is_dir():
            if rel and not rel.endswith("/"):
                return redirect(f"/site/{rel}/")
            path = path / "index.html"
        if not path.is_file() or not is_inside(path, root):
            abort(404)
        return send_file(Path(path), conditional=True)
