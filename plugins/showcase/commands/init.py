"""`showcase init`: a complete, buildable site in one command.

The site's files are package data under `site_template/` (mkdocs.yml set up like the
demo, the authors' guide and the publishing guide); `projects/` starts empty. Nothing is
asked that has a sensible default, and nothing that exists is overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..core.atomic import FolderExists, create_folder

TEMPLATE = Path(__file__).parent.parent / "site_template"
DEFAULT_SITE_NAME = "党建精品项目展示专栏"
GITIGNORE = "site/\n.cache/\n"


class InitError(Exception):
    """A reason, in Chinese, why no site was made."""


def site_files(site_name: str = DEFAULT_SITE_NAME) -> dict[str, str]:
    """Relative path → text of every file `init` writes (the empty projects/ aside)."""
    files: dict[str, str] = {}
    for path in sorted(TEMPLATE.rglob("*")):
        if path.is_file():
            files[path.relative_to(TEMPLATE).as_posix()] = path.read_text(encoding="utf-8")
    # a JSON string is a valid YAML scalar: any quote, colon or # in the name stays text
    files["mkdocs.yml"] = files["mkdocs.yml"].replace(
        "{site_name}", json.dumps(site_name, ensure_ascii=False)
    )
    files[".gitignore"] = GITIGNORE
    return files


def create_site(folder: Path, site_name: str = DEFAULT_SITE_NAME) -> list[str]:
    """Write a new site into `folder` (absent or empty); the files written, relative to it.

    Built in a temporary sibling folder and renamed into place, so a failure leaves
    nothing half-made. Raises InitError when the folder holds anything already.
    """
    written: list[str] = []

    def fill(tmp: Path) -> None:
        for rel, text in site_files(site_name).items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
            written.append(rel)
        (tmp / "projects").mkdir()
        written.append("projects/")

    try:
        create_folder(Path(folder), fill)
    except FolderExists:
        raise InitError(
            f"“{folder}”已存在且不是空文件夹，没有改动任何文件（请换一个新文件夹名）"
        ) from None
    except OSError as exc:
        raise InitError(f"无法新建“{folder}”：{exc.strerror or exc}") from exc
    return written


def run_init(folder: Path, site_name: str = DEFAULT_SITE_NAME) -> int:
    """`showcase init`: make the site and say what to do next (exit code)."""
    try:
        written = create_site(folder, site_name)
    except InitError as exc:
        click.echo(str(exc), err=True)
        return 1
    click.echo(f"已新建网站“{folder}”：")
    for rel in written:
        click.echo(f"  {rel}")
    projects = (Path(folder) / "projects").as_posix()
    click.echo(
        "下一步：\n"
        f'  1. 打开填写页面：showcase edit "{projects}"（在浏览器里新建项目、填写申报表、上传标识和照片）；\n'
        f"  2. 预览整个网站：进入“{folder}”文件夹，运行 mkdocs serve；\n"
        "  3. 发布前在 mkdocs.yml 里填上 site_url（栏目在学校网站上的地址）。"
    )
    return 0
