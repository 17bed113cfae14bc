"""Benchmark reader search: Pagefind (ours) against Material's built-in search, same site.

    .venv/bin/python scripts/bench_search.py            # 30 and 300 projects
    .venv/bin/python scripts/bench_search.py 30
    .venv/bin/python scripts/bench_search.py 300 --keep /tmp/bench-search

For each N the district benchmark site of `bench_district.py` is built twice: with our
search (`search_engine: pagefind`, the default) and with Material's (`search_engine:
material`). Images are cached, so the second build only renders pages. Reported per engine:

- index size on disk (ours: site/pagefind/, all of it; Material: search/search_index.json);
- bytes a browser fetches to open a project page, then to answer a first and a second
  query typed into the header box (headless chromium, the site served with gzip like an
  ordinary web server; Pagefind's files are compressed already);
- per kind of query (QUERY_KINDS: two characters, a school's name, unspaced school +
  activity, a long phrase, a wrong character, traditional characters, pinyin): bytes for
  the page + that query as the first one (gzip and not), time from typing it (right after
  the page loaded, 390 px, CPU slowed 4× like a phone) to its first result, and the rank of
  the page it should find (— when not in the first 10);
- build time spent on indexing, as CPU time (the machine may be shared): ours = writing the
  search documents plus the Pagefind run, cold and on a warm rebuild (where an unchanged
  site reuses the cached bundle); Material = its search plugin's page and post-build events.

Bytes are counted by the server (so requests from workers count too), with gzip as nginx
or Apache serve text, and without it (IIS does not compress .json by default); "search"
is the share of index, engine and glue script. The site is bench_district's, plus a
measures.md of 1,500 characters of its own per project (words drawn by frequency from
jieba's dictionary): a search index over 300 copies of one text (which gzip also squeezes to
nothing) would measure neither engine fairly.

Targets (issue 15): ours at 300 projects ≤ 1.2× ours at 30 for page + first query, and
≤ 1/10 of Material's at 300.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from bench_district import make_district  # noqa: E402
from search_district import rename_district  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
QUERIES = ("双培双树", "骨干教师")
QUERY_KINDS = (
    # (kind, query, the project whose pages should come first: its number)
    ("两字", "茶艺", 2),
    ("校名", "凤鸣山中学", 2),
    ("不加空格", "柳塘湾应急演练", 1),
    ("长句（8 字）", "柳塘湾小学党支部", 1),
    ("错一个字", "柳塘弯小学", 1),
    ("繁体", "鳳鳴山中學", 2),
    ("拼音", "liutangwan", 1),
    ("拼音首字母", "fmszx", 2),
)
PROJECT_PAGE = "projects/school-{:04d}/"
_COMPRESS = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv"}
# what each engine fetches for search: index, engine, our glue script
_SEARCH_PATHS = (
    "/pagefind/",
    "/search/",
    "/workers/search",
    "/javascripts/lunr/",
    "/showcase/search.js",
)


# --- child process: one build, timed -------------------------------------------------------


# Real submissions differ from school to school; the district generator writes the same
# sentences for every project, which no search index ever sees (and which gzip squeezes to
# nothing, flattering an index that is downloaded whole). So each project also gets a
# measures.md of its own text: words drawn by their frequency from jieba's dictionary (the
# one Material's search segments with), so its characters are as varied as real prose.
def _vocabulary() -> tuple[list[str], list[float]]:
    import re

    import jieba

    words, weights = [], []
    dictionary = Path(jieba.__file__).with_name("dict.txt")
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        word, freq, *_ = line.split(" ")
        if re.fullmatch(r"[\u4e00-\u9fff]{1,4}", word) and int(freq) >= 20:
            words.append(word)
            weights.append(int(freq))
    return words, weights


def vary_text(projects: Path, n: int, chars: int = 1500) -> None:
    import random

    words, weights = _vocabulary()
    for i in range(1, n + 1):
        rng = random.Random(i)
        paragraphs, text = [], ""
        while len("".join(paragraphs)) < chars:
            sentence = "".join(rng.choices(words, weights, k=rng.randint(6, 16)))
            text += sentence + rng.choice("，，，。。；")
            if len(text) > 180:
                paragraphs.append(text.rstrip("，；") + "。")
                text = ""
        (projects / f"school-{i:04d}" / "measures.md").write_text(
            "\n\n".join(paragraphs) + "\n", encoding="utf-8"
        )


def run_build(config_file: str) -> None:
    """Child: `mkdocs build` with timers around both engines' indexing; prints JSON."""
    import logging
    import resource

    from material.plugins.search.plugin import SearchPlugin
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from showcase.site import searchindex as search

    spent = {"material": 0.0, "documents": 0.0, "ours": 0.0}

    def cpu() -> float:  # this process and the indexer it ran
        own = time.process_time()
        child = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own + child.ru_utime + child.ru_stime

    def timed(owner, name, key):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            start = cpu()
            try:
                return original(*args, **kwargs)
            finally:
                spent[key] += cpu() - start

        setattr(owner, name, wrapper)

    timed(SearchPlugin, "on_page_context", "material")
    timed(SearchPlugin, "on_post_build", "material")
    timed(search.SiteSearch, "collect", "ours")
    timed(search.SiteSearch, "finish", "ours")

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    start = time.perf_counter()
    cfg = load_config(config_file)
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    plugin = cfg.plugins["showcase"]
    last = plugin.search.index.last if plugin.search.index else None
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - start,
                "site": cfg.site_dir,
                "material_index_cpu_s": spent["material"],
                "ours_index_cpu_s": spent["ours"],
                "pagefind_s": last.seconds if last else 0.0,
                "pagefind_cached": bool(last and last.cached),
                "pagefind_pages": last.pages if last else 0,
            }
        )
    )


def _child(config_file: Path) -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    out = subprocess.run(
        [sys.executable, __file__, "--run", str(config_file)],
        capture_output=True,
        env=env,
        cwd=config_file.parent,
        check=False,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr.decode("utf-8", "replace")[-3000:])
        raise SystemExit(f"构建失败（退出码 {out.returncode}）")
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def _variant(config: Path, engine: str) -> Path:
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    for plugin in data["plugins"]:
        if isinstance(plugin, dict) and "showcase" in plugin:
            plugin["showcase"]["search_engine"] = engine
    data["site_dir"] = f"site-{engine}"
    target = config.with_name(f"mkdocs-{engine}.yml")
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


# --- the browser: bytes and time -------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """A static server that gzips text as an ordinary web server (nginx, IIS) does."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".json": "application/json",
        ".webp": "image/webp",
        ".svg": "image/svg+xml",
    }

    sent = {"bytes": 0, "search": 0}
    """Body bytes sent, whoever asked (the page or a worker); `search`: the search's share."""
    gzip = True

    def send_header(self, keyword, value):
        if keyword.lower() == "content-length":
            _Handler.sent["bytes"] += int(value)
            if any(part in self.path for part in _SEARCH_PATHS):
                _Handler.sent["search"] += int(value)
        super().send_header(keyword, value)

    def send_head(self):  # noqa: D401 - http.server API
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            path.is_file()
            and path.suffix in _COMPRESS
            and _Handler.gzip
            and "gzip" in self.headers.get("Accept-Encoding", "")
        ):
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            import io

            return io.BytesIO(body)
        return super().send_head()

    def log_message(self, *args) -> None:
        pass


def _wait_results(page, engine: str, query: str) -> None:
    if engine == "pagefind":  # its first result (or “none”) is shown; the rest may follow
        page.wait_for_function(
            "q => document.querySelector('[data-sc-search]').getAttribute('data-sc-shown') === q",
            arg=query,
            timeout=120_000,
        )
    else:  # Material: results shown, or its “no results” line
        page.wait_for_function(
            "() => document.querySelectorAll('.md-search-result__item').length > 0"
            " || /没有找到/.test(document.querySelector('.md-search-result__meta').textContent)",
            timeout=120_000,
        )


def _type(page, engine: str, query: str) -> float:
    """Type `query` into the header box; seconds until its first result (or none) is shown."""
    box = page.locator("input.md-search__input")
    box.click()
    start = time.perf_counter()
    box.fill(query)
    box.press("End")  # Material reads the box on keyup
    _wait_results(page, engine, query)
    return time.perf_counter() - start


def _rank(page, engine: str, project: int) -> int | None:
    """Where the first page of project `project` is among the first 10 results (1-based)."""
    if engine == "pagefind":  # all of the first results shown
        page.wait_for_function("() => document.querySelector('[data-sc-search][data-sc-done]')")
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > a:first-child", "els => els.map(e => e.getAttribute('href'))"
    )
    want = PROJECT_PAGE.format(project)
    for i, href in enumerate(hrefs[:10]):
        if want in href:
            return i + 1
    return None


def _open(browser, throttle: int = 1):
    """A fresh page: an empty cache, and optionally a CPU slowed like a phone's."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    if throttle > 1:
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    return context, page


def _open_search(page) -> None:
    if not page.evaluate("matchMedia('(min-width: 60em)').matches"):
        page.locator("label.md-header__button[for=__search]").click()


def measure_browser(site: Path, engine: str, n: int) -> dict:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/" + PROJECT_PAGE.format(max(1, n // 2))
    out: dict = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            # bytes: open the page and let it settle, then each query on its own;
            # served with gzip (nginx, Apache) and without (IIS does not compress .json)
            sent = _Handler.sent
            for gz, suffix in ((True, ""), (False, "_raw")):
                _Handler.gzip = gz
                context, page = _open(browser)
                sent["bytes"] = sent["search"] = 0
                page.goto(url, wait_until="load")
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(500)
                out["open_bytes" + suffix] = sent["bytes"]
                _open_search(page)
                for i, query in enumerate(QUERIES):
                    before = sent["bytes"]
                    _type(page, engine, query)
                    _rank(page, engine, 1)  # all of the first results shown, not only the first
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(300)
                    out[f"query{i + 1}_bytes" + suffix] = sent["bytes"] - before
                    if i == 0:
                        out["search_first_bytes" + suffix] = sent["search"]
                context.close()
            _Handler.gzip = True
            # time: the reader types as soon as the page has loaded
            for throttle, key in ((1, "first_result_s"), (4, "first_result_phone_s")):
                context, page = _open(browser, throttle)
                page.goto(url, wait_until="load")
                _open_search(page)
                out[key] = _type(page, engine, QUERIES[0])
                context.close()
            # each kind of query as the first one: bytes (gzip and not), phone time, rank
            for kind, query, project in QUERY_KINDS:
                for gz, suffix in ((True, ""), (False, "_raw")):
                    _Handler.gzip = gz
                    context, page = _open(browser, 4 if gz else 1)
                    sent["bytes"] = 0
                    page.goto(url, wait_until="load")
                    _open_search(page)
                    seconds = _type(page, engine, query)
                    rank = _rank(page, engine, project)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(300)
                    out[f"kind_bytes{suffix}:{kind}"] = sent["bytes"]
                    if gz:
                        out[f"kind_phone_s:{kind}"] = seconds
                        out[f"kind_rank:{kind}"] = rank
                    context.close()
            _Handler.gzip = True
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --- one N -------------------------------------------------------------------------------------


def bench(n: int, root: Path) -> dict:
    config = root / "mkdocs.yml"
    if not config.is_file():
        t = time.perf_counter()
        make_district(root, n)
        vary_text(root / "projects", n)
        rename_district(root / "projects", n)
        print(f"生成 {n} 个项目：{time.perf_counter() - t:.1f} 秒（{root}）", flush=True)
    result: dict = {"n": n}
    ours_cfg, theirs_cfg = _variant(config, "pagefind"), _variant(config, "material")
    for engine, cfg in (("pagefind", ours_cfg), ("material", theirs_cfg)):
        for target in (root / ".cache" / "showcase" / "search",):
            if engine == "pagefind":
                shutil.rmtree(target, ignore_errors=True)  # a cold index
        print(f"[{n}] 构建（{engine}）……", flush=True)
        cold = _child(cfg)
        warm = _child(cfg) if engine == "pagefind" else None
        site = Path(cold["site"])
        stats = {"pages": cold["pagefind_pages"], "build_s": round(cold["seconds"], 2)}
        if engine == "pagefind":
            stats["index_cold_s"] = round(cold["ours_index_cpu_s"], 3)
            stats["index_warm_s"] = round(warm["ours_index_cpu_s"], 3)
            stats["warm_cached"] = warm["pagefind_cached"]
            stats["index_disk_bytes"] = _size(site / "pagefind")
        else:
            stats["index_cold_s"] = round(cold["material_index_cpu_s"], 3)
            stats["index_disk_bytes"] = _size(site / "search" / "search_index.json")
        print(f"[{n}] 浏览器测量（{engine}）……", flush=True)
        stats.update(measure_browser(site, engine, n))
        for suffix in ("", "_raw"):
            stats["page_plus_first_bytes" + suffix] = (
                stats["open_bytes" + suffix] + stats["query1_bytes" + suffix]
            )
        result[engine] = stats
    return result


def _kb(b: int) -> str:
    return f"{b / 1024:,.1f} KB"


def report(results: list[dict]) -> None:
    rows = [
        ("索引占用磁盘", "index_disk_bytes", _kb),
        ("打开项目页下载", "open_bytes", _kb),
        ("第一次搜索下载", "query1_bytes", _kb),
        ("第二次搜索下载", "query2_bytes", _kb),
        ("打开页面 + 第一次搜索", "page_plus_first_bytes", _kb),
        ("  其中搜索所占", "search_first_bytes", _kb),
        ("同上，服务器不压缩", "page_plus_first_bytes_raw", _kb),
        ("  其中搜索所占", "search_first_bytes_raw", _kb),
        ("输入到首个结果", "first_result_s", lambda s: f"{s:.2f} 秒"),
        ("同上，CPU 降速 4 倍", "first_result_phone_s", lambda s: f"{s:.2f} 秒"),
        ("构建：建索引 CPU 时间（冷）", "index_cold_s", lambda s: f"{s:.2f} 秒"),
        ("构建：建索引 CPU 时间（热）", "index_warm_s", lambda s: f"{s:.2f} 秒"),
    ]
    for r in results:
        print(f"\n== {r['n']} 个项目（{r['pagefind']['pages']} 个页面）")
        print(f"{'':<22}{'Pagefind（本项目）':>20}{'Material 自带搜索':>20}")
        for label, key, fmt in rows:
            ours = r["pagefind"].get(key)
            theirs = r["material"].get(key)
            print(
                f"{label:<22}{fmt(ours) if ours is not None else '—':>20}"
                f"{fmt(theirs) if theirs is not None else '—':>20}"
            )
    print("\n== 各类查询：作为第一次搜索（CPU 降速 4 倍，390 px）")
    for r in results:
        print(f"\n-- {r['n']} 个项目")
        print(
            f"{'':<14}{'查询':<12}{'首个结果（本项目 / Material）':>24}{'排名':>12}"
            f"{'页面+搜索 gzip':>22}{'不压缩':>22}"
        )
        for kind, query, _project in QUERY_KINDS:
            ours, theirs = r["pagefind"], r["material"]

            def pair(key, fmt, ours=ours, theirs=theirs):
                a, b = ours.get(key), theirs.get(key)
                return f"{fmt(a) if a is not None else '—'} / {fmt(b) if b is not None else '—'}"

            print(
                f"{kind:<14}{query:<12}"
                f"{pair('kind_phone_s:' + kind, lambda v: f'{v:.2f} 秒'):>24}"
                f"{pair('kind_rank:' + kind, str):>12}"
                f"{pair('kind_bytes:' + kind, _kb):>22}"
                f"{pair('kind_bytes_raw:' + kind, _kb):>22}"
            )
    by_n = {r["n"]: r for r in results}
    if 30 in by_n and 300 in by_n:
        print("\n页面 + 第一次搜索，300 个项目 / 30 个项目（目标 ≤ 1.2）：")
        for kind, query, _project in QUERY_KINDS:
            growth = [
                by_n[300][engine][f"kind_bytes{sfx}:{kind}"]
                / by_n[30][engine][f"kind_bytes{sfx}:{kind}"]
                for engine in ("pagefind", "material")
                for sfx in ("", "_raw")
            ]
            print(
                f"  {kind:<12}{query:<12}本项目 {growth[0]:.2f}（gzip） {growth[1]:.2f}（不压缩）"
                f"   Material {growth[2]:.2f} / {growth[3]:.2f}"
            )
        ours30 = by_n[30]["pagefind"]["page_plus_first_bytes"]
        ours300 = by_n[300]["pagefind"]["page_plus_first_bytes"]
        mat300 = by_n[300]["material"]["page_plus_first_bytes"]
        growth, share = ours300 / ours30, ours300 / mat300
        s_ours = by_n[300]["pagefind"]["search_first_bytes"]
        s_mat = by_n[300]["material"]["search_first_bytes"]
        r_ours = by_n[300]["pagefind"]["search_first_bytes_raw"]
        r_mat = by_n[300]["material"]["search_first_bytes_raw"]
        print(
            f"\n打开页面 + 第一次搜索，300 个项目 / 30 个项目：{growth:.2f} 倍（目标 ≤ 1.2）"
            f"\n300 个项目时 本项目 / Material，打开页面 + 第一次搜索：{share:.3f}"
            f"\n300 个项目时 本项目 / Material，其中搜索所占：{s_ours / s_mat:.3f}（gzip），"
            f"{r_ours / r_mat:.3f}（不压缩）（目标 ≤ 0.1）"
        )
    print(json.dumps(results, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", type=int, nargs="*", default=[30, 300], help="numbers of projects")
    parser.add_argument("--keep", type=Path, help="build under this folder (N/ each) and keep it")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_build(args.run)
        return
    results = []
    for n in args.n:
        root = (
            (args.keep / str(n))
            if args.keep
            else Path(tempfile.mkdtemp(prefix=f"bench-search-{n}-"))
        )
        root.mkdir(parents=True, exist_ok=True)
        try:
            results.append(bench(n, root))
        finally:
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)
    report(results)


if __name__ == "__main__":
    main()
