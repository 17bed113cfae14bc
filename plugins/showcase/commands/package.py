"""`showcase package`: build the site and zip it, for a CMS upload, IIS, or a USB stick.

`--offline` builds with Material's offline plugin and `use_directory_urls: false`, so
every link ends in `.html` and the search index is a script: the site then works when
opened from a folder with a double click (file://), without a web server or internet.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import click

from ..core.atomic import write_atomic
from ..site.links import SITE_URL_NOTICE
from .siteconfig import load_site

# already compressed: deflating them again only costs time
_STORED = {
    ".jpg",
    ".jpeg",
    ".png",
    ".webp",
    ".gif",
    ".woff",
    ".woff2",
    ".gz",
    ".zip",
    ".xlsx",
    ".docx",
    ".pptx",
    ".pdf",
    ".mp4",
}

README_OFFLINE = """党建精品项目展示专栏（离线版）

使用方法：把整个文件夹解压（或拷贝）到电脑或 U 盘，双击 index.html 即可在浏览器中浏览，
不需要网络，也不需要安装任何软件。请不要只拷贝 index.html 一个文件。
"""


class _ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.messages.append(record.getMessage())


@dataclass
class BuildReport:
    """What a package build published and what it left out (the ERRORs, in order)."""

    errors: int = 0
    messages: list[str] = field(default_factory=list)
    projects: int = 0
    published: int = 0
    left_out: list[str] = field(default_factory=list)
    """Projects not published at all: their folder (and where it came from)."""


class _ChineseFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        level = "错误" if record.levelno >= logging.ERROR else "警告"
        return f"{level} {record.getMessage()}"


def build_site(config_file: Path, site_dir: Path, offline: bool) -> int:
    """A real MkDocs build into `site_dir`; returns the number of errors logged."""
    return build_report(config_file, site_dir, offline).errors


def build_report(config_file: Path, site_dir: Path, offline: bool) -> BuildReport:
    """A real MkDocs build into `site_dir`; what it published and what it left out."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    overrides: dict = {"site_dir": str(site_dir)}
    if offline:
        overrides["use_directory_urls"] = False
    config = load_config(str(config_file), **overrides)
    if offline and "material/offline" not in config.plugins and "offline" not in config.plugins:
        from material.plugins.offline.plugin import OfflinePlugin

        plugin = OfflinePlugin()
        errors, _warnings = plugin.load_config({}, str(config_file))
        if errors:  # pragma: no cover - an empty config has no errors
            raise click.ClickException(f"无法启用离线插件：{errors}")
        config.plugins["material/offline"] = plugin  # registers its events
    counter = _ErrorCounter()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    shown = None
    if not logger.handlers[:-1] and not logging.getLogger().handlers:  # show problems on the CLI
        shown = logging.StreamHandler()
        shown.setLevel(logging.WARNING)
        shown.setFormatter(_ChineseFormatter())
        logger.addHandler(shown)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
        logger.removeHandler(counter)
        if shown is not None:
            logger.removeHandler(shown)
    report = BuildReport(counter.count, counter.messages)
    result = getattr(config.plugins.get("showcase"), "result", None)
    if result is not None:
        report.projects, report.published = len(result.projects), len(result.published)
        for project in result.projects:
            if project not in result.published:
                where = f"（来自 {project.source_label}）" if project.source_label else ""
                report.left_out.append(f"{project.folder.name}{where}")
    return report


def write_zip(site_dir: Path, output: Path, extra: dict[str, str]) -> int:
    """Zip the site (plus `extra` name → text files) atomically; returns the file count.

    Python's zipfile marks non-ASCII names as UTF-8 (flag 0x800), so Chinese file
    names unpack correctly with Windows Explorer, 7-Zip and unzip.
    """
    count = 0

    def fill(fh) -> None:
        nonlocal count
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for path in sorted(site_dir.rglob("*")):
                if not path.is_file():
                    continue
                name = path.relative_to(site_dir).as_posix()
                stored = path.suffix.lower() in _STORED
                zf.write(
                    path, name, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                )
                count += 1
            for name, text in extra.items():
                if (site_dir / name).exists():  # the site's own file wins
                    continue
                zf.writestr(name, text.encode("utf-8"))
                count += 1

    write_atomic(output, fill)
    return count


def run_package(config_file: Path, output: Path, offline: bool, strict: bool = False) -> int:
    """Build the site from `config_file` and zip it into `output`; exit code for the CLI.

    Like `mkdocs build`: what is publishable is published and packaged, and what was left
    out is listed; with `strict`, any error refuses the package (exit code 1, no zip)."""
    config_file = Path(config_file)
    output = Path(output)
    if not config_file.is_file():
        click.secho(f"错误 找不到网站配置文件 {config_file}", fg="red", err=True)
        return 2
    site = load_site(config_file)  # an invalid mkdocs.yml is said in Chinese, before building
    if not site.settings.site_url:
        click.echo(f"提示：{SITE_URL_NOTICE}", err=True)
    work = Path(tempfile.mkdtemp(prefix="showcase-package-"))
    try:
        site_dir = work / "site"
        label = "离线版" if offline else "网站"
        click.echo(f"正在生成{label}……")
        report = build_report(config_file, site_dir, offline)
        if report.errors and strict:
            click.secho(
                f"错误 生成网站时有 {report.errors} 个错误（见上方），按 --strict 的要求没有打包。"
                "请先修正，可用 showcase check 查看全部问题。",
                fg="red",
                err=True,
            )
            return 1
        if report.errors:
            _left_out(report)
        extra = {"web.config": web_config()}
        if offline:
            extra["使用说明.txt"] = README_OFFLINE.replace("\n", "\r\n")  # read on Windows
        count = write_zip(site_dir, output, extra)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = output.stat().st_size / 1024 / 1024
    click.echo(f"已打包 {output}（{count} 个文件，{size:.1f} MB）")
    if offline:
        click.echo("解压后双击 index.html 即可离线浏览（可拷贝到 U 盘）。")
    else:
        click.echo("把 zip 中的全部文件上传到网站的目录（例如 /dangjian/）下即可。")
    return 0


def _left_out(report: BuildReport) -> None:
    """What the package does not contain, for the person who uploads it."""
    lines = [f"注意 有 {report.errors} 个错误，相关内容没有发布，其余照常打包："]
    if report.projects:
        lines.append(f"  已发布 {report.published} 个项目（共 {report.projects} 个）")
    lines += [f"  未发布的项目：{name}" for name in report.left_out]
    lines += [f"  - {message}" for message in report.messages]
    lines.append("  修正后重新打包即可；要求“有错误就不打包”时加 --strict。")
    click.secho("\n".join(lines), fg="yellow", err=True)


# IIS refuses to serve extensions it has no MIME type for (404.3); a <remove> before each
# <mimeMap> avoids "duplicate collection entry" on servers that already know the type.
MIME_TYPES = {
    ".json": "application/json",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".svg": "image/svg+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".csv": "text/csv; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".webmanifest": "application/manifest+json",
    # Pagefind's search index (already compressed; IIS answers 404 for unknown types)
    ".pagefind": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
    ".wasm": "application/wasm",
}


def web_config() -> str:
    """web.config for IIS: MIME types and index.html as the default document."""
    maps = "\n".join(
        f'      <remove fileExtension="{ext}" />\n      <mimeMap fileExtension="{ext}" mimeType="{mime}" />'
        for ext, mime in MIME_TYPES.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- 党建精品项目展示专栏：IIS 配置（由 showcase package 生成） -->\n"
        "<configuration>\n"
        "  <system.webServer>\n"
        "    <staticContent>\n"
        f"{maps}\n"
        "    </staticContent>\n"
        '    <defaultDocument enabled="true">\n'
        "      <files>\n"
        '        <remove value="index.html" />\n'
        '        <add value="index.html" />\n'
        "      </files>\n"
        "    </defaultDocument>\n"
        "  </system.webServer>\n"
        "</configuration>\n"
    )
