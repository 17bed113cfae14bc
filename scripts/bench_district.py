"""Benchmark the district build: N synthetic projects, cold and warm `mkdocs build`.

    .venv/bin/python scripts/bench_district.py 30
    .venv/bin/python scripts/bench_district.py 300 --keep /tmp/bench300

Each project has a logo, 2 albums × 3 photos (1200×900), one case with an
appendix (a photo and a PDF) and one plan with a monthly schedule. Both builds
run in a fresh child process, so peak memory (max RSS) is the build's own.
Prints build times (wall and CPU), milliseconds and HTML bytes per page, peak
memory, and how many images the warm rebuild decoded (it should be 0).

With `--jobs 1` images are derived inside the build process, so its CPU time
covers all the work: the fairest per-page figure on a busy machine. With the
default (all cores) the image workers' CPU time is not counted, only wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DISTRICTS = ("青溪区", "东湖区", "云岭县", "城南区", "北山区")
CATEGORIES = ("队伍建设", "师德师风", "家园共育", "产教融合", "文化育人", "志愿服务")
TAGS = ("名师工作室", "青年教师", "双培双树", "红色教育", "家校共育", "劳动教育", "志愿服务")
GROWING = {
    "index.html",
    "registry/index.html",
    "statistics/index.html",
    "districts/index.html",
    "review/index.html",
    "embed/index.html",
    "404.html",
}
"""Pages that list the whole district, so they necessarily grow with N."""


def _photo(path: Path, seed: int, size=(1200, 900)) -> None:
    from PIL import Image, ImageDraw

    path.parent.mkdir(parents=True, exist_ok=True)
    r, g, b = (seed * 37) % 256, (seed * 91) % 256, (seed * 53) % 256
    img = Image.new("RGB", size, (r, g, b))
    draw = ImageDraw.Draw(img)
    w, h = size
    for y in range(0, h, 30):  # stripes: something for the encoders to do, unique per photo
        draw.rectangle(
            [0, y, w, y + 14], fill=((r + y) % 256, (g + seed) % 256, (b + y // 3) % 256)
        )
    draw.ellipse([w // 4, h // 4, 3 * w // 4, 3 * h // 4], fill=(242, 193, 78))
    draw.text((40, 40), f"photo {seed}", fill=(255, 255, 255))
    img.save(path, "JPEG", quality=80)


def _pdf(path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        writer.write(fh)


def make_project(root: Path, i: int) -> None:
    import yaml
    from PIL import Image, ImageDraw

    folder = root / f"school-{i:04d}"
    folder.mkdir(parents=True)
    data = {
        "branch": f"第{i}小学党支部",
        "school": f"第{i}小学",
        "name": f"“{i % 9 + 1}+{i % 5 + 1}”党建品牌",
        "summary": "以党建引领教师队伍建设，党员教师亮身份、作表率，带动青年教师成长。",
        "members": 10 + i % 90,
        "district": DISTRICTS[i % len(DISTRICTS)],
        "category": CATEGORIES[i % len(CATEGORIES)],
        "year": 2023 + i % 3,
        "tags": [TAGS[i % len(TAGS)], TAGS[(i * 3 + 1) % len(TAGS)]],
        "goals": "培养一支政治过硬、业务精湛的教师队伍。",
        "indicators": {
            "explicit": [
                {
                    "text": "区级学科带头人",
                    "target": 20,
                    "unit": "人",
                    "actual": {2024: 8, 2025: 10 + i % 15},
                },
                {"text": "党员示范课", "target": 12, "unit": "节", "actual": {2025: 6 + i % 10}},
                "零师德投诉",
            ],
            "implicit": ["教师职业认同感增强"],
        },
        "slug": f"school-{i:04d}",
    }
    (folder / "project.yml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    logo = Image.new("RGB", (400, 400), ((i * 17) % 256, 16, 46))
    ImageDraw.Draw(logo).text((20, 20), f"logo {i}", fill=(242, 193, 78))  # unique per project
    logo.save(folder / "logo.png")
    for a, album in enumerate(("2025-03-05 学雷锋志愿服务", "2025-07-01 七一主题党日")):
        for p in range(3):
            _photo(
                folder / "photos" / album / f"{p + 1:02d}-活动照片{p + 1}.jpg", i * 100 + a * 10 + p
            )
    (folder / "cases").mkdir()
    (folder / "cases" / "名师工作室.md").write_text(
        "---\ntitle: 名师工作室建设\ndate: 2025-03-01\nsummary: 以名师工作室带动青年教师成长。\n---\n\n"
        "## 背景\n\n学校青年教师多、骨干教师少。\n\n## 做法\n\n1. 结对帮扶\n2. 示范课\n\n## 成效\n\n培养骨干教师 5 名。\n",
        encoding="utf-8",
    )
    _photo(folder / "cases" / "名师工作室" / "01-揭牌仪式.jpg", i * 100 + 99)
    _pdf(folder / "cases" / "名师工作室" / "成员名单.pdf")
    (folder / "plans").mkdir()
    (folder / "plans" / "年度工作计划.md").write_text(
        "---\ntitle: 2025年度党建工作计划\nyear: 2025\nschedule:\n  3: [制定年度计划]\n  7: [七一主题党日]\n"
        "  9: [教师节表彰]\n  12: [年度考核与总结]\n---\n\n全年工作安排如下。\n",
        encoding="utf-8",
    )


def make_district(root: Path, n: int, jobs: int | None = None) -> Path:
    import yaml

    projects = root / "projects"
    projects.mkdir(parents=True)
    for i in range(1, n + 1):
        make_project(projects, i)
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "showcase" in plugin:
            plugin["showcase"].update(sources=["projects"], cache_dir=".cache/showcase")
            if jobs:
                plugin["showcase"]["jobs"] = jobs
    config["docs_dir"] = "docs"
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return root / "mkdocs.yml"


def run_build(config_file: str) -> None:
    """Child process: one in-process `mkdocs build`; prints its numbers as JSON."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    start = time.perf_counter()
    cfg = load_config(config_file)
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    elapsed = time.perf_counter() - start
    plugin = cfg.plugins["showcase"]
    print(json.dumps({"seconds": elapsed, "decodes": plugin.media.decodes, "site": cfg.site_dir}))


def _child(config_file: Path) -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen(
        [sys.executable, __file__, "--run", str(config_file)],
        stdout=subprocess.PIPE,
        env=env,
        cwd=config_file.parent,
    )
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"构建失败（退出码 {proc.returncode}）")
    result = json.loads(out.decode().strip().splitlines()[-1])
    # ru_maxrss is in KiB on Linux; CPU time includes the image workers the build waited for
    result["peak_mb"] = usage.ru_maxrss / 1024
    result["cpu"] = usage.ru_utime + usage.ru_stime
    return result


def html_sizes(site: Path) -> tuple[int, int, list[int]]:
    """(pages, total bytes, sizes of pages that do not list the district)."""
    total, count, flat = 0, 0, []
    for path in site.rglob("*.html"):
        size = path.stat().st_size
        total += size
        count += 1
        if path.relative_to(site).as_posix() not in GROWING:
            flat.append(size)
    return count, total, flat


def _line(name: str, r: dict, pages: int) -> str:
    return (
        f"{name}  {r['seconds']:.2f} 秒（CPU {r['cpu']:.2f} 秒），"
        f"{r['seconds'] * 1000 / pages:.2f} 毫秒/页（CPU {r['cpu'] * 1000 / pages:.2f}），"
        f"峰值内存 {r['peak_mb']:.0f} MB，解码图片 {r['decodes']} 张"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", type=int, nargs="?", default=30, help="number of projects")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument(
        "--warm-only", action="store_true", help="with --keep: reuse its projects and cache"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        help="image worker processes (1: all work in the build process, so CPU time counts it all)",
    )
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_build(args.run)
        return
    root = args.keep or Path(tempfile.mkdtemp(prefix=f"bench-district-{args.n}-"))
    reuse = bool(args.keep and args.warm_only and (root / "mkdocs.yml").is_file())
    if args.keep and root.exists() and not reuse:
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    try:
        config = root / "mkdocs.yml"
        if not reuse:
            t = time.perf_counter()
            make_district(root, args.n, args.jobs)
            print(f"生成 {args.n} 个项目：{time.perf_counter() - t:.1f} 秒（{root}）")
        cold = None if reuse else _child(config)
        warm = _child(config)
        pages, total, flat = html_sizes(Path(warm["site"]))
        print(f"项目数 N  {args.n}")
        print(f"页面数    {pages}")
        if cold:
            print(_line("冷构建", cold, pages))
        print(_line("热构建", warm, pages))
        print(f"HTML 总量 {total / 1024 / 1024:.1f} MB，平均 {total / pages / 1024:.1f} KB/页")
        print(
            f"不随 N 增长的页面 HTML：中位数 {statistics.median(flat) / 1024:.1f} KB，"
            f"最大 {max(flat) / 1024:.1f} KB"
        )
        summary = {"n": args.n, "pages": pages}
        for name, r in (("cold", cold), ("warm", warm)):
            if r:
                summary[f"{name}_s"] = round(r["seconds"], 2)
                summary[f"{name}_ms_per_page"] = round(r["seconds"] * 1000 / pages, 2)
                summary[f"{name}_cpu_ms_per_page"] = round(r["cpu"] * 1000 / pages, 2)
                summary[f"{name}_peak_mb"] = round(r["peak_mb"])
        summary["warm_decodes"] = warm["decodes"]
        summary["html_kb_per_page"] = round(total / pages / 1024, 1)
        summary["flat_page_kb_median"] = round(statistics.median(flat) / 1024, 1)
        print(json.dumps(summary, ensure_ascii=False))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
