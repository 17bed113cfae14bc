"""The public site: built from approved versions only, in the background, one build at a
time, and swapped in atomically.

Each build exports every approved commit of every approved project into a work folder,
runs the real `mkdocs build` in a child process (a crash there cannot take the portal
down), and then points the `current` symlink at the new site with one rename, so a
reader never sees a half-built site. The previous site stays until the next build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .repo import Repo

BUILD_TIMEOUT = 1800


@dataclass
class BuildState:
    running: bool = False
    pending: bool = False
    last_ok: str = ""
    last_error: str = ""
    last_projects: list[str] = field(default_factory=list)
    builds: int = 0


class Publisher:
    def __init__(self, site_root: Path, data: Path, repo: Repo, approved, on_done=None) -> None:
        """`approved()` → [(folder, commit)] of the projects to publish; `on_done(ok, text)`."""
        self.site_root = Path(site_root)
        self.data = Path(data)
        self.repo = repo
        self.approved = approved
        self.on_done = on_done
        self.state = BuildState()
        self._cond = threading.Condition()
        self._worker = False
        """A worker thread is on duty (decided under the condition's lock, never by is_alive)."""

    @property
    def current(self) -> Path:
        return self.data / "published" / "current"

    def site_dir(self) -> Path | None:
        """The folder the public site is served from now (None before the first build)."""
        try:
            return self.current.resolve(strict=True)
        except OSError:
            return None

    def request(self) -> None:
        """Ask for a build; requests during a build coalesce into one more build."""
        with self._cond:
            self.state.pending = True
            if not self._worker:
                self._worker = True
                threading.Thread(target=self._work, name="publish", daemon=True).start()
            self._cond.notify_all()

    def wait(self, timeout: float = 600) -> bool:
        """Until no build runs or waits (for tests and the command line)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.state.running or self.state.pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def _work(self) -> None:
        while True:
            with self._cond:
                if not self.state.pending:
                    self._worker = False
                    return
                self.state.pending = False
                self.state.running = True
            try:
                self.build_once()
                if self.on_done:
                    self.on_done(True, f"{len(self.state.last_projects)} 个项目")
            except Exception as exc:  # noqa: BLE001 - shown on the district's page
                self.state.last_error = f"{type(exc).__name__}: {exc}"
                if self.on_done:
                    self.on_done(False, self.state.last_error[:500])
            finally:
                with self._cond:
                    self.state.running = False
                    self._cond.notify_all()

    def build_once(self) -> Path:
        work = self.data / "build-work"
        stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{self.state.builds + 1}"
        out = self.data / "published" / f"site-{stamp}"
        projects = work / "projects"
        if projects.exists():
            shutil.rmtree(projects)
        projects.mkdir(parents=True)
        for name in ("docs", "overrides"):
            src = self.site_root / name
            if src.is_dir():
                shutil.rmtree(work / name, ignore_errors=True)
                shutil.copytree(src, work / name)
        shutil.copyfile(self.site_root / "mkdocs.yml", work / "mkdocs.yml")
        listed = []
        for folder, commit in self.approved():
            self.repo.export(commit, folder, projects)
            listed.append(folder)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", str(out)],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT,
            check=False,
        )
        if result.returncode != 0 or not (out / "index.html").is_file():
            shutil.rmtree(out, ignore_errors=True)
            tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
            raise RuntimeError("网站生成失败：" + " / ".join(tail))
        previous = self.site_dir()
        link = self.current.with_name(f".current-{stamp}")
        link.symlink_to(out.name)
        os.replace(link, self.current)  # one rename: readers see the old site or the new one
        for old in (self.data / "published").glob("site-*"):
            if old not in (out, previous):  # the previous one may still be being read
                shutil.rmtree(old, ignore_errors=True)
        self.state.builds += 1
        self.state.last_ok = time.strftime("%Y-%m-%d %H:%M:%S")
        self.state.last_error = ""
        self.state.last_projects = listed
        return out
