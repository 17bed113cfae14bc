"""`showcase portal init|user|serve`: the bodies of the portal's commands."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from ..editor.server import MAX_REQUEST_MB
from .service import Portal, PortalConfig, PortalError
from .store import DISTRICT, SCHOOL


def _open(folder: Path, config: PortalConfig | None = None) -> Portal:
    try:
        return Portal(folder, config)
    except PortalError as exc:
        raise click.ClickException(str(exc)) from None


def run_init(folder: Path, login: str = "district") -> int:
    try:
        _portal, password = Portal.create(folder, login)
    except PortalError as exc:
        click.echo(str(exc), err=True)
        return 1
    click.echo(
        f"已新建区门户“{folder}”。\n"
        f"  区教育局账号：{login}\n"
        f"  初始密码：{password}（只显示这一次；第一次登录时必须修改）\n"
        f'  启动：showcase portal serve "{folder}"，然后打开 http://127.0.0.1:8080/login'
    )
    return 0


def run_user_add(folder: Path, login: str, school: str | None, district: bool) -> int:
    portal = _open(folder)
    if bool(school) == district:
        click.echo("请写 --school 学校名称，或 --district（二选一）", err=True)
        return 1
    try:
        password = portal.add_account(login, DISTRICT if district else SCHOOL, school or "")
    except PortalError as exc:
        click.echo(str(exc), err=True)
        return 1
    what = "区教育局审核账号" if district else f"学校账号（{school}）"
    click.echo(f"已新建{what}：{login}\n初始密码：{password}（第一次登录时必须修改）")
    return 0


def run_user_list(folder: Path) -> int:
    portal = _open(folder)
    for a in portal.store.accounts():
        state = "已停用" if a.disabled else ("未改初始密码" if a.must_change else "正常")
        click.echo(f"{a.login}\t{a.kind_zh}\t{a.school or '-'}\t{a.folder or '-'}\t{state}")
    return 0


def run_user_reset(folder: Path, login: str) -> int:
    portal = _open(folder)
    try:
        password = portal.reset_password(login)
    except PortalError as exc:
        click.echo(str(exc), err=True)
        return 1
    click.echo(f"已重置 {login} 的密码。\n新的初始密码：{password}（第一次登录时必须修改）")
    return 0


def run_user_disable(folder: Path, login: str, enable: bool = False) -> int:
    portal = _open(folder)
    try:
        portal.set_disabled(login, not enable)
    except PortalError as exc:
        click.echo(str(exc), err=True)
        return 1
    click.echo(f"已{'启用' if enable else '停用'}账号 {login}（已登录的也立即退出）")
    return 0


def run_serve(
    folder: Path,
    host: str = "127.0.0.1",
    port: int = 8080,
    names: tuple[str, ...] = (),
    behind_proxy: bool = False,
    threads: int = 8,
) -> int:
    from waitress import create_server

    from .app import create_portal_app

    allowed = {f"{host}:{port}", f"localhost:{port}", f"127.0.0.1:{port}", *names}
    config = PortalConfig(allowed_hosts=sorted(allowed), behind_proxy=behind_proxy)
    portal = _open(folder, config)
    recovered = portal.recover_all()
    if recovered:
        click.echo(f"上次未完成的保存已撤回，恢复到最后一次成功保存的版本：{len(recovered)} 个文件")
    app = create_portal_app(portal)
    options = dict(
        host=host,
        port=port,
        threads=threads,
        ident="showcase-portal",
        max_request_body_size=MAX_REQUEST_MB * 1024 * 1024,
        clear_untrusted_proxy_headers=True,
    )
    if behind_proxy:  # nginx on this machine says the request came over https
        options |= dict(
            trusted_proxy="127.0.0.1",
            trusted_proxy_count=1,
            trusted_proxy_headers={"x-forwarded-proto", "x-forwarded-for"},
        )
    try:
        server = create_server(app, **options)
    except OSError as exc:
        click.echo(f"无法在 {host}:{port} 上启动（{exc.strerror or exc}）", err=True)
        return 1
    click.echo(
        f"区门户已启动：http://{host}:{server.effective_port}/login\n"
        f"公开网站：http://{host}:{server.effective_port}/site/\n按 Ctrl+C 结束。",
    )
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("已关闭区门户。")
    finally:
        with contextlib.suppress(Exception):
            server.close()
    return 0
