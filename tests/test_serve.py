"""`mkdocs serve` watches every source: editing project.yml or adding a photo rebuilds."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import make_image, make_project, make_site
from showcase.core.textutil import slugify


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.time() + seconds
    body = ""
    while time.time() < deadline:
        body = _get(url)
        if text in body:
            return body
        time.sleep(0.5)
    raise AssertionError(f"{text!r} not served at {url} within {seconds}s")


def test_serve_rebuilds_on_source_change(site_root: Path) -> None:
    project = make_project(site_root / "projects", "qinghe")
    make_image(project / "photos" / "2025-09-10 教师节" / "01-颁奖.jpg", (800, 600))
    make_site(site_root)
    port = _free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "--livereload"],
        cwd=site_root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/projects/qinghe/"
        _wait_for(base, "党组织“1+5”建设工程")
        yml = project / "project.yml"
        yml.write_text(
            yml.read_text(encoding="utf-8").replace("“1+5”建设工程", "“1+6”建设工程"),
            encoding="utf-8",
        )
        _wait_for(base, "党组织“1+6”建设工程")
        make_image(project / "photos" / "2025-09-10 教师节" / "02-合影留念.jpg", (800, 600))
        _wait_for(base + f"photos/{slugify('2025-09-10 教师节')}/", "合影留念")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
