"""Issue 19: what a fresh clone installs is what was tested, and building prints only our own
messages: no Python warning, no traceback."""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, make_project, make_site

sys.path.insert(0, str(ROOT / "scripts"))
from lockdiff import differences, normalize  # noqa: E402

PYTHON_NOISE = re.compile(r"\b\w*Warning: |Traceback \(most recent call last\)")


@pytest.mark.skipif(
    os.environ.get("SHOWCASE_UNLOCKED") == "1", reason="scripts/test_latest.sh: newest, not locked"
)
def test_the_environment_holds_exactly_the_locked_versions():
    installed = {
        (dist.metadata["Name"], dist.version)
        for dist in importlib.metadata.distributions()
        if dist.metadata["Name"] and normalize(dist.metadata["Name"]) != "showcase"
    }
    assert len(installed) > 40  # the whole environment was read, not an empty list
    assert differences(installed, ROOT / "uv.lock") == []
    names = {normalize(name) for name, _ in installed}
    assert {"markdown", "mkdocs", "mkdocs-material", "pytest", "playwright"} <= names


def _build_output(site: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHONWARNINGS")}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(site.parent / "out")],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout + done.stderr


def test_building_the_demo_prints_no_python_warning(tmp_path):
    site = tmp_path / "demo"
    site.mkdir()
    for name in ("mkdocs.yml", "docs", "projects"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, site / name)
    config = site / "mkdocs.yml"  # the repository's image cache: no image is derived again
    cache = (ROOT / ".cache" / "showcase").as_posix()
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "cache_dir: .cache/showcase", f"cache_dir: {cache}"
        ),
        encoding="utf-8",
    )
    output = _build_output(site)
    assert "Documentation built" in output
    assert not PYTHON_NOISE.search(output), output[-3000:]


def test_a_site_made_by_init_builds_without_python_warnings(tmp_path):
    site = tmp_path / "新网站"
    made = subprocess.run(
        [sys.executable, "-m", "showcase.commands.cli", "init", str(site)],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    make_project(site / "projects", "qinghe")
    output = _build_output(site)
    assert "没有填写 site_url" in output  # our own notice, once, in Chinese
    assert not PYTHON_NOISE.search(output), output[-3000:]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_log(site: Path) -> str:
    """What `mkdocs serve` prints until its first build is served."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "--no-livereload"],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Serving on" in line:
                break
    finally:
        proc.terminate()
        proc.wait(10)
    return "".join(lines)


@pytest.mark.parametrize("declared", [True, False])
def test_serve_tells_about_site_url_only_when_mkdocs_yml_lacks_it(site_root: Path, declared):
    make_project(site_root / "projects", "qinghe")
    extra = {"site_url": "https://example.edu.cn/dangjian/"} if declared else None
    make_site(site_root, extra=extra)
    log = _serve_log(site_root)
    assert "Serving on" in log, log[-3000:]
    assert ("没有填写 site_url" in log) is not declared, log[-3000:]
    assert not PYTHON_NOISE.search(log), log[-3000:]
