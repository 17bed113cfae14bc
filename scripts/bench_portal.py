"""Benchmark: many teachers saving at once through the district portal.

Makes a fresh portal in a temporary folder (the real `showcase portal init` code), one
school account per teacher, starts the real `showcase portal serve` on 127.0.0.1, and lets
N teachers (threads, each with its own session) save their own project in a loop for S
seconds: each save changes the brief, sends the form state the page would send and takes
the new state from the answer. Reports saves per second, median and p95 latency, errors,
and lost saves: every save answered 200 must be a commit by its teacher, and each
project's file must hold the last brief its teacher saved.

The baseline is one teacher saving alone in the same run; the ratio says how much the
server gains (or loses) under concurrency.

    .venv/bin/python scripts/bench_portal.py --teachers 50 --seconds 60

Bounded: at most 100 teachers, 300 s, and 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

MAX_TEACHERS, MAX_SECONDS = 100, 300
PASSWORD = "Bench-password-2025"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Teacher:
    def __init__(self, base: str, login: str, folder: str) -> None:
        self.base, self.login, self.folder = base, login, folder
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = ""
        self.state: dict = {}
        self.ok: list[str] = []
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.conflicts = 0

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=120) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def log_in(self) -> None:
        _, page = self.request("/login")
        form = page.decode().split('action="/login"', 1)[1]
        token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode({"login": self.login, "password": PASSWORD, "csrf": token})
        status, page = self.request("/login", body.encode(), {"Origin": self.base})
        _, page = self.request("/password")
        self.csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.decode()).group(1)
        path = f"/p/{urllib.parse.quote(self.folder)}/state"
        self.state = json.loads(self.request(path)[1])

    def save(self, n: int) -> None:
        state = dict(self.state)
        text = f"{self.login} 第 {n} 次保存的简介"
        state["fields"] = {**state["fields"], "summary": text}
        path = f"/p/{urllib.parse.quote(self.folder)}/save"
        headers = {"Content-Type": "application/json", "X-CSRF-Token": self.csrf}
        start = time.perf_counter()
        status, body = self.request(path, json.dumps(state).encode(), headers)
        self.latencies.append(time.perf_counter() - start)
        if status == 200:
            self.state = json.loads(body)["state"]
            self.ok.append(text)
        elif status == 409:
            self.conflicts += 1
        else:
            self.errors.append(f"{status}: {body[:200]!r}")

    def run(self, until: float, think: float = 0.0) -> None:
        if think:  # teachers do not all press 保存 in the same second
            time.sleep(random.uniform(0, think))
        n = 0
        while time.monotonic() < until:
            n += 1
            try:
                self.save(n)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                self.errors.append(f"{type(exc).__name__}: {exc}")
            if think:  # a teacher typing between two saves
                time.sleep(min(think, max(0.0, until - time.monotonic())))


def make_portal(root: Path, teachers: int) -> list[tuple[str, str]]:
    from showcase.commands.portal import passwords
    from showcase.commands.portal.service import Portal

    portal, _ = Portal.create(root)
    out = []
    for i in range(teachers):
        login = f"school{i:03d}"
        portal.add_account(login, "school", f"第{i + 1}小学")
        # the production KDF, as the real one-time passwords have: login costs what it costs
        portal.store.set_password(login, passwords.hash_password(PASSWORD), False)
        out.append((login, f"第{i + 1}小学"))
    return out


def phase(base: str, accounts: list[tuple[str, str]], seconds: float, think: float = 0) -> dict:
    teachers = [Teacher(base, login, folder) for login, folder in accounts]
    threads = [threading.Thread(target=t.log_in) for t in teachers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    until = time.monotonic() + seconds
    start = time.perf_counter()
    threads = [threading.Thread(target=t.run, args=(until, think)) for t in teachers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies = sorted(x for t in teachers for x in t.latencies)
    saves = sum(len(t.ok) for t in teachers)
    return {
        "teachers": len(teachers),
        "seconds": round(elapsed, 1),
        "saves": saves,
        "saves_per_s": round(saves / elapsed, 2),
        "p50_ms": round(statistics.median(latencies) * 1000) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000) if latencies else None,
        "errors": sum(len(t.errors) for t in teachers),
        "conflicts": sum(t.conflicts for t in teachers),
        "first_errors": [e for t in teachers for e in t.errors][:3],
        "_teachers": teachers,
    }


def lost_saves(root: Path, teachers: list[Teacher]) -> int:
    """Saves answered 200 that are not in git, or a project not holding its last save."""
    from showcase.commands.portal.repo import Repo

    repo = Repo(root / "projects")
    lost = 0
    for t in teachers:
        commits = [v for v in repo.log(t.folder, 100_000) if v.author == t.login]
        lost += max(0, len(t.ok) - len(commits))
        text = (root / "projects" / t.folder / "project.yml").read_text(encoding="utf-8")
        if t.ok and t.ok[-1] not in text:
            lost += 1
    return lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teachers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=10)
    parser.add_argument(
        "--think", type=float, default=0, help="seconds each teacher waits between saves (0: none)"
    )
    args = parser.parse_args()
    teachers = max(1, min(args.teachers, MAX_TEACHERS))
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))
    with tempfile.TemporaryDirectory(prefix="bench-portal-") as tmp:
        root = Path(tmp) / "portal"
        accounts = make_portal(root, teachers + 1)
        port = free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
        server = subprocess.Popen(
            [sys.executable, "-m", "showcase.commands.cli", "portal", "serve", str(root)]
            + ["--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        try:
            assert server.stdout is not None
            server.stdout.readline()  # "区门户已启动：…" once it listens
            base = f"http://127.0.0.1:{port}"
            baseline = phase(base, accounts[-1:], min(args.baseline_seconds, seconds))
            loaded = phase(base, accounts[:teachers], seconds, max(0.0, min(args.think, 60)))
            lost = lost_saves(root, baseline.pop("_teachers") + loaded.pop("_teachers"))
        finally:
            server.terminate()
            server.wait(timeout=30)
    ratio = loaded["saves_per_s"] / baseline["saves_per_s"] if baseline["saves_per_s"] else 0
    print(
        json.dumps(
            {"baseline_1_teacher": baseline, "concurrent": loaded}, ensure_ascii=False, indent=2
        )
    )
    print(
        f"\n{loaded['teachers']} teachers × {loaded['seconds']} s (think {args.think} s): "
        f"{loaded['saves_per_s']} saves/s "
        f"(×{ratio:.2f} of one teacher alone), p50 {loaded['p50_ms']} ms, "
        f"p95 {loaded['p95_ms']} ms, errors {loaded['errors']}, "
        f"conflicts {loaded['conflicts']}, lost saves {lost}"
    )
    return 0 if lost == 0 and loaded["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
