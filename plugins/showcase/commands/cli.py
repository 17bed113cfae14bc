"""The `showcase` command line: wires commands to the modules that do the work."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..core.settings import Settings
from . import cli_zh  # noqa: F401 - click's own words in Chinese
from .siteconfig import load_site


def _settings_for(paths: tuple[str, ...], config_file: str) -> Settings:
    return load_site(config_file, paths).settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="showcase")
def main() -> None:
    """党建精品项目展示专栏：检查、生成、导入、导出项目文件夹。

    预览网站：mkdocs serve；生成网站：mkdocs build。
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", help="输出格式"
)
@click.option("-o", "--output", type=click.Path(), help="写入文件（任何格式；不填则输出到屏幕）")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="网站配置文件")
@click.option("--links", is_flag=True, help="检查已生成网站（site/）中的全部站内链接和锚点")
def check(
    paths: tuple[str, ...], fmt: str, output: str | None, config_file: str, links: bool
) -> None:
    """检查项目文件夹，一次列出全部问题（不生成网站）。有错误时退出码为 1。"""
    from .check import run_check

    site = load_site(config_file, paths)
    code = run_check(site, fmt=fmt, output=output, links=links)
    sys.exit(code)


@main.command()
@click.argument("folder", default=".", type=click.Path())
@click.option("--site-name", default="党建精品项目展示专栏", show_default=True, help="网站名称")
def init(folder: str, site_name: str) -> None:
    """新建一个完整的网站：mkdocs.yml、docs/（作者指南）、空的 projects/。不覆盖已有文件。"""
    from .init import run_init

    sys.exit(run_init(Path(folder), site_name))


@main.command()
@click.argument("path", default=".", type=click.Path())
@click.option(
    "--port",
    type=int,
    default=0,
    help="端口号；不填则每个文件夹固定用同一个（被占用时另选空闲端口），浏览器里没保存的草稿因此能找回",
)
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器，只显示网址")
def edit(path: str, port: int, no_browser: bool) -> None:
    """在浏览器里填写和修改项目（只在本机打开，按 Ctrl+C 结束）。

    PATH 是一个项目文件夹，或放项目的文件夹（如 projects）；不填则为当前文件夹。
    """
    from .editor.server import run_edit

    sys.exit(run_edit(Path(path), port=port, open_browser=not no_browser))


@main.command()
@click.argument("folder", type=click.Path())
def new(folder: str) -> None:
    """新建一个项目文件夹：带中文注释的 project.yml、示例案例、相册文件夹。"""
    from .new import run_new

    sys.exit(run_new(Path(folder)))


@main.command()
@click.option("-o", "--output", type=click.Path(), help="写入文件；不填则输出到屏幕")
def schema(output: str | None) -> None:
    """输出 project.yml 的 JSON Schema，供编辑器自动补全和检查。"""
    from .schema import run_schema

    sys.exit(run_schema(output))


@main.command("import-docx")
@click.argument("forms", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    default="projects",
    show_default=True,
    type=click.Path(),
    help="项目文件夹放在哪里",
)
@click.option(
    "--into",
    type=click.Path(file_okay=False),
    help="把案例、计划等 Word 文档导入这个项目文件夹（不是申报表时用）",
)
@click.option(
    "--as",
    "kind",
    type=click.Choice(["case", "plan"]),
    help="case 案例（默认）或 plan 计划；不填时标题或内容像计划的按计划导入",
)
def import_docx(forms: tuple[str, ...], output: str, into: str | None, kind: str | None) -> None:
    """把填好的《党建精品项目申报表》（.docx）转换成项目文件夹；加 --into 时把案例、
    计划、经验材料等 Word 文档转换成该项目的文章。"""
    from .importdocx import run_import, run_import_text

    if into:
        sys.exit(run_import_text([Path(f) for f in forms], Path(into), kind))
    sys.exit(run_import([Path(f) for f in forms], Path(output)))


@main.group()
def export() -> None:
    """导出登记表或申报表。"""


@export.command("registry")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv", "json", "docx"]),
    default="xlsx",
    show_default=True,
    help="导出格式",
)
@click.option("-o", "--output", type=click.Path(), help="输出文件，默认 登记表.<格式>")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="网站配置文件")
def export_registry(paths: tuple[str, ...], fmt: str, output: str | None, config_file: str) -> None:
    """导出《展示专栏首页地址登记表》。"""
    from .export import run_export_registry

    sys.exit(run_export_registry(_settings_for(paths, config_file), fmt, output))


@export.command("form")
@click.argument("slug")
@click.option("-o", "--output", type=click.Path(), help="输出 .docx 文件")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="网站配置文件")
def export_form(slug: str, output: str | None, config_file: str) -> None:
    """导出某个项目填好的《党建精品项目申报表》（.docx），供打印、签字、盖章。"""
    from .export import run_export_form

    sys.exit(run_export_form(_settings_for((), config_file), slug, output))


@main.command()
@click.option("--offline", is_flag=True, help="离线版：可直接双击打开、拷到 U 盘使用")
@click.option(
    "-o", "--output", default="site.zip", show_default=True, type=click.Path(), help="压缩包文件名"
)
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="网站配置文件")
@click.option(
    "--strict", is_flag=True, help="有任何错误就不打包（默认：发布能发布的，列出未发布的）"
)
def package(offline: bool, output: str, config_file: str, strict: bool) -> None:
    """生成网站并打包成 zip，便于上传到学校网站或拷贝。"""
    from .package import run_package

    sys.exit(run_package(Path(config_file), Path(output), offline=offline, strict=strict))


@main.group()
def cache() -> None:
    """管理图片缓存。"""


@cache.command("prune")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="网站配置文件")
def cache_prune(config_file: str) -> None:
    """删除不再用到的缓存图片。"""
    from .prune import run_prune

    sys.exit(run_prune(_settings_for((), config_file)))


@main.group()
def portal() -> None:
    """区门户：各支部在浏览器里填写，区教育局审核、发布（一台服务器，其他人无需安装）。"""


@portal.command("init")
@click.argument("folder", type=click.Path())
@click.option("--login", default="district", show_default=True, help="第一个区教育局账号的登录名")
def portal_init(folder: str, login: str) -> None:
    """新建区门户：网站、数据库和第一个区教育局账号（显示初始密码）。不改动非空文件夹。"""
    from .portal.cli import run_init

    sys.exit(run_init(Path(folder), login))


@portal.group("user")
def portal_user() -> None:
    """管理门户账号。"""


@portal_user.command("add")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--login", required=True, help="登录名（字母、数字）")
@click.option("--school", help="学校名称（学校账号；同时新建它的项目文件夹）")
@click.option("--district", is_flag=True, help="区教育局审核账号")
def portal_user_add(folder: str, login: str, school: str | None, district: bool) -> None:
    """新建账号，显示一次性初始密码（第一次登录时必须修改）。"""
    from .portal.cli import run_user_add

    sys.exit(run_user_add(Path(folder), login, school, district))


@portal_user.command("list")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
def portal_user_list(folder: str) -> None:
    """列出全部账号。"""
    from .portal.cli import run_user_list

    sys.exit(run_user_list(Path(folder)))


@portal_user.command("reset")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--login", required=True, help="登录名")
def portal_user_reset(folder: str, login: str) -> None:
    """重置密码：显示新的一次性初始密码，已登录的会话全部失效。"""
    from .portal.cli import run_user_reset

    sys.exit(run_user_reset(Path(folder), login))


@portal_user.command("disable")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--login", required=True, help="登录名")
@click.option("--enable", is_flag=True, help="重新启用")
def portal_user_disable(folder: str, login: str, enable: bool) -> None:
    """停用账号（或用 --enable 重新启用）。"""
    from .portal.cli import run_user_disable

    sys.exit(run_user_disable(Path(folder), login, enable))


@portal.command("serve")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@click.option("--port", type=int, default=8080, show_default=True, help="端口")
@click.option(
    "--name", "names", multiple=True, help="门户的网址主机名（如 dj.example.edu.cn），可写多次"
)
@click.option("--behind-proxy", is_flag=True, help="在本机 nginx（HTTPS）之后运行")
def portal_serve(
    folder: str, host: str, port: int, names: tuple[str, ...], behind_proxy: bool
) -> None:
    """启动区门户（/login 登录；公开网站在 /site/）。"""
    from .portal.cli import run_serve

    sys.exit(run_serve(Path(folder), host, port, names, behind_proxy))


if __name__ == "__main__":
    main()
