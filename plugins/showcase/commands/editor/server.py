"""`showcase edit`: the local browser editor (Flask app, served by waitress on 127.0.0.1).

Every request must carry the per-run token (in the URL once, then an HttpOnly,
SameSite=Strict cookie, or the X-Showcase-Token header), name this server in its Host
header (no DNS rebinding) and, when it says where it comes from, come from this origin.
Findings come from the same loader and checker as `showcase check`; the 预览 pages are
built by the real MkDocs build.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import hmac
import logging
import secrets
import shutil
import signal
import sys
import threading
import webbrowser
from pathlib import Path

import click
from flask import Flask, Response, abort, jsonify, redirect, render_template, request, send_file
from markupsafe import Markup

from ...config import GUIDE, default_settings
from ...core import textutil
from ...core.settings import Settings
from ...reading.folders import ATTACHMENT_EXTS, IMAGE_EXTS, LOGO_EXTS, is_inside
from ...reading.load import load_project
from ...site import markdown as sanitize
from ..init import TEMPLATE, site_files
from ..siteconfig import load_site
from . import form as formdef
from . import saving, wording
from . import state as formstate
from .checks import check_folder, check_state, findings_json
from .door import FrontDoor
from .staging import Staging, StagingFull, make_work_dir
from .wordimport import add_word_import

HERE = Path(__file__).parent
MAX_FILE_MB = 100
MAX_REQUEST_MB = 400
UPLOAD_EXTS = IMAGE_EXTS | ATTACHMENT_EXTS | frozenset(LOGO_EXTS)
log = logging.getLogger("showcase.editor")


# --- where things are -----------------------------------------------------------------------------


def find_site_config(start: Path) -> Path | None:
    """The mkdocs.yml of the site a project folder belongs to (up to three levels up)."""
    for folder in [start, *list(start.parents)[:3]]:
        if (folder / "mkdocs.yml").is_file():
            return folder / "mkdocs.yml"
    return None


def resolve_target(path: Path) -> tuple[Path, str | None]:
    """(folder of projects, the one project's name or None) for `showcase edit PATH`."""
    path = Path(path).resolve()
    if (path / "project.yml").is_file() or (path / "project.yaml").is_file():
        return path.parent, path.name
    if (path / "mkdocs.yml").is_file():
        try:
            sources = load_site(path / "mkdocs.yml").settings.sources
        except click.ClickException:
            sources = ["projects"]
        first = next(
            (s for s in sources if isinstance(s, str) and not s.endswith(".zip")), "projects"
        )
        candidate = (path / first).resolve()
        if candidate.is_dir():
            return resolve_target(candidate)
    return path, None


def guide_file(root: Path) -> Path:
    """The authors' guide for this folder: the site's own (docs/guide.md beside its
    mkdocs.yml, where `showcase init` put it), else the one `showcase init` ships."""
    config = find_site_config(root)
    if config is not None and (config.parent / "docs" / GUIDE).is_file():
        return config.parent / "docs" / GUIDE
    return TEMPLATE / "docs" / GUIDE


def settings_for(root: Path) -> Settings:
    config = find_site_config(root)
    if config is None:
        return default_settings(base_dir=root)
    try:
        return load_site(config).settings
    except click.ClickException:
        return default_settings(base_dir=config.parent)


# --- preview: the site's own build ---------------------------------------------------------------


class Preview:
    """Builds one project's pages with the real MkDocs build into a scratch site folder."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.site = work / "site"
        self.lock = threading.Lock()

    def build(self, folder: Path) -> str:
        """Build and return the project homepage's path inside the preview site."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        config_file = find_site_config(folder.parent)
        with self.lock:
            if config_file is None:  # a folder on its own: the site `showcase init` would make
                scratch = self.work / "scratch-site"
                if not scratch.is_dir():
                    for rel, text in site_files().items():
                        (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
                        (scratch / rel).write_text(text, encoding="utf-8")
                config_file = scratch / "mkdocs.yml"
            cfg = load_config(str(config_file), site_dir=str(self.site))
            plugin = cfg.plugins["showcase"]
            plugin.config["sources"] = [str(folder)]  # only this project, read where it is
            if config_file.parent == self.work / "scratch-site":
                plugin.config["cache_dir"] = str(self.work / "cache")
            cfg.plugins.on_startup(command="build", dirty=False)
            try:
                build(cfg)
            finally:
                cfg.plugins.on_shutdown()
            project = load_project(folder)
            prefix = plugin.settings.url_prefix.strip("/")
            page = (
                f"{prefix}/{project.slug}/"
                if cfg.use_directory_urls
                else f"{prefix}/{project.slug}/index.html"
            )
            return page.lstrip("/")


def form_context(state: dict, settings: Settings) -> dict:
    """What `editor/form_body.html` (the form's inside) needs: other apps that show this
    form (the district portal) render it with this, beside their own page."""
    return {
        "state": state,
        "fields": formdef.form_fields(),
        "sections": formdef.SECTIONS,
        "limit": settings.summary_max_chars,
        "word_count": textutil.word_count,
        "months": textutil.CHINESE_MONTHS,
    }


# --- the app --------------------------------------------------------------------------------------


def create_app(
    root: Path,
    single: str | None,
    settings: Settings,
    token: str,
    work: Path,
    door: FrontDoor | None = None,
) -> Flask:
    door = door or FrontDoor()
    app = Flask(
        __name__,
        template_folder=str(HERE / "templates"),
        static_folder=str(HERE / "static"),
        static_url_path="/static",
    )
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_REQUEST_MB * 1024 * 1024, PORT=0, TEMPLATES_AUTO_RELOAD=False
    )
    staging = Staging(work / "uploads")
    preview = Preview(work)
    save_lock = door.save_lock or threading.Lock()
    count_pattern, space_pattern = formdef.word_count_patterns()

    def cookie_name() -> str:
        return f"showcase_edit_{app.config['PORT']}"

    def hosts() -> set[str]:
        port = app.config["PORT"]
        return {f"127.0.0.1:{port}", f"localhost:{port}"}

    def refuse(status: int, message: str) -> Response:
        if request.path.startswith(("/api/", "/p/")) and request.method != "GET":
            return jsonify({"error": message}), status
        return Response(
            f"<!doctype html><meta charset='utf-8'><title>无法打开</title><p>{message}</p>",
            status=status,
            mimetype="text/html",
        )

    @app.before_request
    def guard():
        if door.guard is not None:  # another front door decides (the portal's logins)
            return door.guard()
        if request.host not in hosts():  # another name pointing here (DNS rebinding)
            return refuse(403, "拒绝访问：地址不对，请用 showcase edit 显示的网址打开。")
        origin = request.headers.get("Origin")
        if origin is not None and origin not in {f"http://{h}" for h in hosts()}:
            return refuse(403, "拒绝访问：请求来自其他网站。")
        if request.method not in ("GET", "HEAD") and origin is None:
            return refuse(403, "拒绝访问：请求没有注明来源。")
        supplied = (
            request.args.get("token")
            or request.headers.get("X-Showcase-Token")
            or request.cookies.get(cookie_name())
            or ""
        )
        if not hmac.compare_digest(supplied.encode(), token.encode()):
            return refuse(
                403, "拒绝访问：缺少访问码。请使用 showcase edit 显示的完整网址（含 token=…）打开。"
            )
        if request.args.get("token") and request.method == "GET":
            # the token leaves the address bar (and history) at once; a cookie carries it on
            rest = "&".join(f"{k}={v}" for k, v in request.args.items() if k != "token")
            response = redirect(request.path + (f"?{rest}" if rest else ""))
            response.set_cookie(cookie_name(), token, httponly=True, samesite="Strict", path="/")
            return response
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        if request.path.startswith(
            door.site_paths
        ):  # the site's own pages, with their inline scripts
            response.headers["Content-Security-Policy"] = (
                "frame-ancestors 'self'; connect-src 'self'"
            )
        else:
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; "
                "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'"
            )
            response.headers["X-Frame-Options"] = "DENY"
        return response

    # --- projects ---

    def project_folder(name: str) -> Path:
        if single is not None and name != single:
            abort(404)
        if not name or name != Path(name).name or name.startswith("."):
            abort(404)
        folder = root / name
        if not folder.is_dir() or not is_inside(folder, root):
            abort(404)
        return folder

    def projects() -> list[dict]:
        out = []
        for entry in sorted(root.iterdir(), key=lambda p: p.name):
            if (
                entry.is_dir()
                and not entry.name.startswith(".")
                and (single is None or entry.name == single)
            ):
                state = formstate.read_state(entry) if (entry / "project.yml").is_file() else None
                fields = (state or {}).get("fields") or {}
                out.append(
                    {
                        "folder": entry.name,
                        "name": fields.get("name") or "",
                        "branch": fields.get("branch") or "",
                    }
                )
        return out

    @app.get("/")
    def index():
        if single is not None:
            return redirect(f"/p/{single}/")
        return render_template("editor/index.html", projects=projects(), root=root)

    @app.post("/api/new")
    def new_project():
        if single is not None:
            abort(404)
        wanted = str((request.get_json(silent=True) or {}).get("folder") or "").strip()
        name = formstate.safe_name(wanted.replace(".", "．"), "") if wanted else ""
        if not name:
            return jsonify({"error": "请填写文件夹名，例如学校名称"}), 400
        folder = root / name
        if folder.exists():
            return jsonify({"error": f"已经有名为“{name}”的文件夹，请换一个名字"}), 409
        folder.mkdir()
        return jsonify({"url": f"/p/{name}/"})

    @app.get("/p/<name>/")
    def project_page(name: str):
        folder = project_folder(name)
        state = formstate.read_state(folder)
        findings = (
            findings_json(check_folder(folder, settings), folder, settings)
            if (folder / "project.yml").is_file()
            else []
        )
        return render_template(
            "editor/project.html",
            **page_context(state),
            findings=findings,
            count_pattern=count_pattern,
            space_pattern=space_pattern,
            single=single is not None,
        )

    def page_context(state: dict) -> dict:
        return form_context(state, settings)

    @app.post("/p/<name>/draft")
    def project_draft(name: str):
        """The form again, from a draft the browser kept (after a crash or a closed tab)."""
        project_folder(name)
        draft = request.get_json(silent=True)
        if not isinstance(draft, dict) or not isinstance(draft.get("fields"), dict):
            return jsonify({"error": "这份草稿无法读取"}), 400
        lost = formstate.drop_lost_uploads(draft, staging)
        try:
            html = render_template("editor/form_body.html", **page_context(draft))
        except Exception:  # noqa: BLE001 - an old or damaged draft: say so, keep the page
            log.exception("draft")
            return jsonify({"error": "这份草稿来自旧版本或已损坏，无法恢复"}), 400
        missing = (
            "这些文件上传后填写页面重新启动过，已经失效，请重新选择：" + "、".join(lost)
            if lost
            else ""
        )
        return jsonify({"html": html, "missing": missing})

    @app.get("/p/<name>/state")
    def project_state(name: str):
        folder = project_folder(name)
        return jsonify(formstate.read_state(folder))

    @app.post("/p/<name>/check")
    def project_check(name: str):
        folder = project_folder(name)
        state = request.get_json(silent=True) or {}
        try:
            return jsonify({"findings": check_state(folder, state, settings, staging)})
        except formstate.SaveError as exc:
            return jsonify({"findings": [], "error": str(exc)})

    @app.post("/p/<name>/save")
    def project_save(name: str):
        folder = project_folder(name)
        state = request.get_json(silent=True) or {}
        with save_lock:
            try:
                if door.before_save is not None:
                    door.before_save(folder)
                plan = saving.plan_save(folder, state, staging)
            except formstate.SaveError as exc:
                return jsonify({"error": str(exc)}), 400
            changed = saving.conflicts(plan)
            if changed:
                return jsonify(
                    {
                        "conflict": changed,
                        "error": "下列内容在您打开本页后被其他程序改动过，为免覆盖，这次没有保存："
                        + "、".join(dict.fromkeys(wording.describe(rel) for rel in changed))
                        + "。请先把您刚填的内容复制出来，再点“重新载入”。",
                    }
                ), 409
            try:
                done = saving.execute(plan, door.trash or _trash)
                if door.after_save is not None:
                    door.after_save(folder, done)
            except (formstate.SaveError, OSError) as exc:
                return jsonify({"error": f"保存时出错：{exc}"}), 500
            staging.release(op.source for op in plan.ops if op.kind == "copy" and op.source)
        fresh = formstate.read_state(folder)
        return jsonify(
            {
                "state": fresh,
                "saved": done,
                "findings": findings_json(check_folder(folder, settings), folder, settings),
            }
        )

    @app.get("/p/<name>/file/<path:rel>")
    def project_file(name: str, rel: str):
        folder = project_folder(name)
        path = folder / rel
        if (
            not path.is_file()
            or not is_inside(path, folder)
            or path.suffix.lower() not in UPLOAD_EXTS
        ):
            abort(404)
        return send_file(path, conditional=True)

    @app.post("/p/<name>/preview")
    def project_preview(name: str):
        folder = project_folder(name)
        if not (folder / "project.yml").is_file():
            return jsonify({"error": "请先保存，再预览"}), 400
        try:
            page = preview.build(folder)
        except Exception as exc:  # noqa: BLE001 - shown to the teacher, with the cause
            log.exception("preview")
            return jsonify({"error": f"预览生成失败：{type(exc).__name__}: {exc}"}), 500
        if not (preview.site / page.rstrip("/")).exists():
            return jsonify(
                {
                    "error": "这个项目还缺少必填项（项目名称、党支部、简介），网站上暂不显示；填好并保存后再预览"
                }
            ), 400
        return jsonify({"url": f"/preview/{page}"})

    @app.get("/preview/")
    @app.get("/preview/<path:rel>")
    def preview_file(rel: str = ""):
        site = preview.site
        path = site / rel
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or not is_inside(path, site):
            abort(404)
        return send_file(path, conditional=True)

    # --- uploads and rendering ---

    @app.post("/api/upload")
    def upload():
        out = []
        for item in request.files.getlist("files"):
            name = formstate.safe_name(item.filename or "", "文件")
            ext = Path(name).suffix.lower()
            if ext not in UPLOAD_EXTS:
                return jsonify(
                    {"error": f"“{name}”的文件类型不能上传：可以上传图片、PDF、Word、Excel、PPT"}
                ), 400
            try:
                sid, size = staging.add(item.stream, name, ext, MAX_FILE_MB * 1024 * 1024)
            except ValueError:
                return jsonify({"error": f"“{name}”超过 {MAX_FILE_MB} MB，请压缩后再上传"}), 413
            except StagingFull as exc:
                return jsonify({"error": str(exc)}), 413
            out.append(
                {
                    "id": sid,
                    "name": name,
                    "size": textutil.human_size(size),
                    "image": ext in IMAGE_EXTS or ext == ".svg",
                    "url": f"/api/staged/{sid}",
                    "caption": textutil.caption_from_filename(name),
                }
            )
        return jsonify({"files": out})

    @app.get("/api/staged/<sid>")
    def staged(sid: str):
        item = staging.get(sid)
        if item is None:
            abort(404)
        return send_file(item.path, conditional=True)

    @app.get("/guide")
    def guide():
        """The authors' guide, which the published site leaves out (publish_guide)."""
        import markdown

        path = guide_file(root)
        text = path.read_text(encoding="utf-8-sig")
        html = markdown.markdown(text, extensions=["tables", "fenced_code", "admonition", "toc"])
        return render_template("editor/guide.html", html=Markup(sanitize.clean(html)), path=path)

    @app.post("/api/render")
    def render_md():
        text = str((request.get_json(silent=True) or {}).get("text") or "")
        return jsonify({"html": sanitize.render_markdown(text, baselevel=3)})

    add_word_import(app, project_folder, save_lock, work, door)

    @app.errorhandler(413)
    def too_big(_exc):
        return jsonify({"error": f"上传的文件太大（一次最多 {MAX_REQUEST_MB} MB）"}), 413

    return app


def _trash(path: Path) -> None:
    """Deleted files go to the recycle bin, where the teacher can get them back."""
    from send2trash import send2trash

    send2trash(str(path))


def stable_port(folder: Path) -> int:
    """The same port for the same folder on every run, so the browser's saved drafts (kept
    per address) are found again after a restart; 20000–29999."""
    digest = hashlib.sha256(str(Path(folder).resolve()).encode("utf-8")).digest()
    return 20000 + int.from_bytes(digest[:4], "big") % 10000


def run_edit(path: Path, *, port: int = 0, open_browser: bool = True) -> int:
    """`showcase edit`: serve the editor on 127.0.0.1 until Ctrl+C (exit code)."""
    from waitress import create_server

    path = Path(path)
    if not path.exists():
        click.echo(f"找不到“{path}”。请写项目文件夹，或放项目的文件夹（如 projects）。", err=True)
        return 1
    root, single = resolve_target(path)
    settings = settings_for(root)
    token = secrets.token_urlsafe(24)
    work = make_work_dir()  # removes the folders editors killed earlier left behind
    atexit.register(shutil.rmtree, work, True)
    # closing the terminal (SIGHUP) or `kill` (SIGTERM) exits normally: the folder goes too
    for name in ("SIGTERM", "SIGHUP"):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            signal.signal(getattr(signal, name), lambda *_: sys.exit(0))
    app = create_app(root, single, settings, token, work)
    if not port:
        port = stable_port(root / (single or ""))
    try:
        server = create_server(
            app,
            host="127.0.0.1",
            port=max(port, 0),
            threads=6,
            ident="showcase",
            max_request_body_size=MAX_REQUEST_MB * 1024 * 1024,
            clear_untrusted_proxy_headers=True,
        )
    except OSError as exc:
        if port and port == stable_port(root / (single or "")):  # taken: any free port will do
            return run_edit(path, port=-1, open_browser=open_browser)
        click.echo(
            f"无法在端口 {port} 上启动（{exc.strerror or exc}）：可能已被占用，换一个 --port 试试。",
            err=True,
        )
        return 1
    app.config["PORT"] = server.effective_port
    url = f"http://127.0.0.1:{server.effective_port}/?token={token}"
    target = f"项目“{single}”" if single else f"“{root}”里的项目"
    click.echo(f"填写页面已启动（{target}）：\n  {url}\n只有本机能打开；关闭时按 Ctrl+C。")
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("已关闭填写页面。")
    finally:
        with contextlib.suppress(Exception):
            server.close()
    return 0
