"""Start the real `showcase edit` command for a test, and stop it again."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def start_editor(path: Path, *extra: str) -> Iterator[tuple[str, int, list[str]]]:
    """`showcase edit PATH --port N --no-browser`: yields (URL with token, port, output lines)."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "showcase.commands.cli",
            "edit",
            str(path),
            "--port",
            str(port),
            "--no-browser",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: list[str] = []
    found: list[str] = []

    def drain() -> None:
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            m = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)
            if m and not found:
                found.append(m.group())

    threading.Thread(target=drain, daemon=True).start()
    deadline = time.monotonic() + 30
    while not found and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    try:
        assert found, "showcase edit printed no URL:\n" + "\n".join(lines)
        yield found[0], port, lines
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
