"""`showcase new <folder>`: a project folder to fill in, explained in Chinese.

project.yml is generated from `fields.FIELDS`: every field with its labels from
the forms, its help text, and either a “请填写…” placeholder (fields the registry
needs) or a commented-out example. `check` warns about every placeholder left.
"""

from __future__ import annotations

import math
from pathlib import Path

import click
import yaml
from PIL import Image, ImageDraw, PngImagePlugin

from ..core.atomic import FolderExists, create_folder
from ..core.fields import FIELDS, PLACEHOLDER, PLACEHOLDER_IMAGE_KEY, Field
from ..core.schema import SCHEMA_FILE, schema_json

SAMPLE_CASE = "示例案例"
SAMPLE_ALBUM = "2025-09-10 示例活动"
SAMPLE_PLAN = "年度工作计划"

_PLACEHOLDERS = {
    "name": f"{PLACEHOLDER}项目名称，如 党组织“1+5”建设工程",
    "branch": f"{PLACEHOLDER}党支部全称，如 某某小学党支部",
    "summary": f"{PLACEHOLDER}项目简介：按 Word 字数统计不超过 200 字",
    "school": f"{PLACEHOLDER}学校全称",
}


class ScaffoldError(Exception):
    """A reason, in Chinese, why the folder was not created."""


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # paragraphs as a literal block (`|`), the way a person writes them
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    # short lists of words inline: tags: [名师工作室, 青年教师]
    flow = all(isinstance(v, (str, int, float)) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def _dump(key: str, value: object) -> list[str]:
    text = yaml.dump(
        {key: value},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
        default_flow_style=False,
    )
    return text.rstrip("\n").split("\n")


def _field_block(field: Field) -> list[str]:
    if field.required:
        need = "必填"
    elif field.recommended:
        need = "建议填写"
    elif field.personal:
        need = "选填 · 个人信息，网站默认不公开"
    else:
        need = "选填"
    title = field.form_label or field.label
    lines = [f"# ── {title}（{need}）"]
    if field.registry_label and field.registry_label != title:
        lines.append(f"#    登记表上叫“{field.registry_label}”")
    lines.append(f"#    {field.description}")
    others = [n for n in field.labels if n != title]
    if others:
        lines.append(f"#    字段名也可以写成：{'、'.join(others)}")
    if field.key == "logo":
        lines.extend(_dump("logo", "logo.png"))
    elif field.key in _PLACEHOLDERS:
        lines.extend(_dump(field.key, _PLACEHOLDERS[field.key]))
    elif field.required or field.recommended:
        lines.extend(_dump(field.key, f"{PLACEHOLDER}{field.label}"))
    elif field.example is not None:
        lines.extend("# " + line for line in _dump(field.key, field.example))
    else:
        lines.append(f"# {field.key}: ")
    return lines


def project_yml_text(schema_ref: str = f"./{SCHEMA_FILE}") -> str:
    """The commented project.yml template, one block per field of `FIELDS`."""
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        "#",
        "# 党建精品项目登记信息（project.yml）",
        "# 写法：每行一项，字段名、英文冒号、空格、内容，例如  name: 党组织“1+5”建设工程",
        "# 以 # 开头的行是说明，不会发布；去掉行首的“# ”就启用那一项。",
        f"# 带“{PLACEHOLDER}”的内容请改成本支部的实际情况。长段落可以写在同名 .md 文件里，",
        "# 如 goals.md、measures.md。填好后在命令行运行 showcase check 检查。",
        "# 用 VS Code（安装 Red Hat 的 YAML 插件）打开本文件，可自动补全字段名并用红线标出错误。",
    ]
    for field in FIELDS:
        lines.append("")
        lines.extend(_field_block(field))
    return "\n".join(lines) + "\n"


CASE_TEXT = f"""---
title: {SAMPLE_CASE}：{PLACEHOLDER}案例标题
date: 2025-09-10
authors: [{PLACEHOLDER}作者]
tags: [名师工作室]
summary: {PLACEHOLDER}一两句话的案例摘要。
# 附录清单（可选）：按顺序列出附录材料并写上说明，去掉行首的 # 启用；
# 不写时按文件名前的编号（01-、02-）排列，说明取自文件名。
# appendix:
#   - 01-示例图片.png: 名师工作室揭牌仪式
#   - title: 师徒结对协议
#     files: [02-签约现场.jpg, 02-协议书.docx]
#     type: 图片、文本
---

（{PLACEHOLDER}：这是一个示例案例，请按下面的提纲改写，或删除这个文件。附录材料放在同名文件夹
“{SAMPLE_CASE}”里：图片可以点开放大，Word、Excel、PDF 文件可以下载。文件名前的编号
（01-、02-）就是附录的编号和顺序，编号相同的几个文件（如一张照片和一份 Word）算同一项。
正文里不用再抄一遍附录清单；写了“重要资料附录”这个标题的话，网站会把附录放在它下面。）

## 一、案例背景

写清楚为什么要做这件事。

## 二、主要做法

1. 第一步……
2. 第二步……

## 三、成效与反响

## 四、反思与展望
"""

ALBUM_TEXT = f"""# 相册说明（可选）。文件夹名“{SAMPLE_ALBUM}”里的日期和名称就是相册的日期和标题，
# 这里可以改写；照片说明默认取自文件名（“01-揭牌仪式.jpg” → 揭牌仪式）。
title: 示例活动
date: 2025-09-10
description: {PLACEHOLDER}活动简介，一两句话。
cover: 01-示例照片.png
captions:
  01-示例照片.png: 示例照片（请换成活动照片）
"""

PLAN_TEXT = f"""---
title: {PLACEHOLDER}计划名称，如 2025 年党支部工作计划
year: 2025
# 印发日期（可选）
date: 2025-02-20
# 适用范围（可选），如 本支部全体党员、集团各成员校；区里制定的计划再写 issuer（制定单位），
# 如 issuer: 青溪区教育局党委，不要为它编一个支部
scope: 本支部全体党员
# 工作安排：月份可写 3、3月 或 三月；经常性的工作写 每周、每月、每季度、每学期末；
# 固定节日写 七一前、教师节、国庆期间（网站会放进对应的月份）
schedule:
  每月: [第一周周五主题党日]
  三月: [制定年度工作计划, 开学工作部署]
  七一前: [评选优秀党员]
  教师节: [表彰优秀党员教师]
  十二月: [年度考核与总结]
  每学期末: [党员民主评议]
---

（{PLACEHOLDER}：计划正文。）
"""


def _placeholder_png(path: Path, size: tuple[int, int], *, photo: bool) -> None:
    """A sample picture, marked so `check` can tell it was never replaced."""
    w, h = size
    img = Image.new("RGB", size, (200, 16, 46))
    draw = ImageDraw.Draw(img)
    if photo:
        for y in range(0, h, 8):
            shade = 120 + (y * 100) // h
            draw.rectangle([0, y, w, y + 8], fill=(shade, 140, 170))
        draw.ellipse([w // 3, h // 4, 2 * w // 3, 3 * h // 4], fill=(242, 193, 78))
    else:
        m = w // 16
        draw.ellipse([m, m, w - m, h - m], outline=(242, 193, 78), width=max(4, w // 40))
        c, r = w / 2, w / 4
        star = []
        for i in range(10):
            radius = r if i % 2 == 0 else r / 2.5
            angle = math.radians(-90 + 36 * i)
            star.append((c + radius * math.cos(angle), c + radius * math.sin(angle)))
        draw.polygon(star, fill=(242, 193, 78))
    info = PngImagePlugin.PngInfo()
    info.add_text(PLACEHOLDER_IMAGE_KEY, "1")
    img.save(path, "PNG", pnginfo=info)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def create_project(folder: Path) -> list[Path]:
    """Create a filled-in-by-placeholder project folder; the files created, relative to it.

    Built in a temporary sibling folder and renamed into place, so a failure
    leaves nothing half-made. Raises ScaffoldError when `folder` has files already.
    """
    created: list[Path] = []

    def fill(tmp: Path) -> None:
        _write(tmp / "project.yml", project_yml_text())
        _write(tmp / SCHEMA_FILE, schema_json())
        _placeholder_png(tmp / "logo.png", (512, 512), photo=False)
        _write(tmp / "cases" / f"{SAMPLE_CASE}.md", CASE_TEXT)
        (tmp / "cases" / SAMPLE_CASE).mkdir(parents=True)
        _placeholder_png(tmp / "cases" / SAMPLE_CASE / "01-示例图片.png", (1200, 800), photo=True)
        _write(tmp / "photos" / SAMPLE_ALBUM / "album.yml", ALBUM_TEXT)
        _placeholder_png(tmp / "photos" / SAMPLE_ALBUM / "01-示例照片.png", (1200, 800), photo=True)
        _write(tmp / "plans" / f"{SAMPLE_PLAN}.md", PLAN_TEXT)
        created.extend(sorted(p.relative_to(tmp) for p in tmp.rglob("*") if p.is_file()))

    try:
        create_folder(Path(folder), fill)
    except FolderExists:
        raise ScaffoldError(f"“{folder}”已存在且不是空文件夹，没有改动任何文件") from None
    except OSError as exc:
        raise ScaffoldError(f"无法新建“{folder}”：{exc.strerror or exc}") from exc
    return created


def run_new(folder: Path) -> int:
    """`showcase new`: create the folder and say what to do next (exit code)."""
    try:
        created = create_project(folder)
    except ScaffoldError as exc:
        click.echo(str(exc), err=True)
        return 1
    click.echo(f"已新建项目文件夹“{folder}”：")
    for path in created:
        click.echo(f"  {path.as_posix()}")
    click.echo(
        "下一步：\n"
        f"  1. 打开 project.yml，把带“{PLACEHOLDER}”的内容改成本支部的实际情况；\n"
        "  2. 把 logo.png 换成本支部的标识，示例案例、相册、计划改写或删除；\n"
        f'  3. 运行 showcase check "{folder}" 检查，直到没有错误。'
    )
    return 0
