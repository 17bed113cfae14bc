"""The projects repository: every save a git commit with the account as author.

Only the portal writes here, one writer at a time (the save lock), so a stale
`index.lock` can only be left by a killed portal, and recovery may remove it. The last
good version of a project is its last commit: `recover` puts the working tree back to
it, so a save killed midway leaves nothing half-written behind.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

PORTAL_NAME = "showcase-portal"


class GitError(Exception):
    """git failed (the message is git's own)."""


@dataclass(frozen=True)
class Version:
    commit: str
    author: str
    email: str
    date: str
    message: str

    @property
    def short(self) -> str:
        return self.commit[:8]


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def git(
        self, *args: str, author: str | None = None, check: bool = True, binary: bool = False
    ) -> subprocess.CompletedProcess:
        env = {
            **os.environ,
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": str(self.root),  # no user's ~/.gitconfig (hooks, signing) applies
            "LC_ALL": "C.UTF-8",
        }
        if author:
            email = f"{author}@portal.invalid"
            env |= {
                "GIT_AUTHOR_NAME": author,
                "GIT_AUTHOR_EMAIL": email,
                "GIT_COMMITTER_NAME": author,
                "GIT_COMMITTER_EMAIL": email,
            }
        result = subprocess.run(
            ["git", "-c", "core.quotepath=false", *args],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=not binary,
            check=False,
        )
        if check and result.returncode != 0:
            raise GitError(
                (result.stderr if not binary else result.stderr.decode(errors="replace")).strip()
            )
        return result

    def init(self) -> None:
        self.git("init", "-q", "-b", "main")
        for key, value in (
            ("user.name", PORTAL_NAME),
            ("user.email", f"{PORTAL_NAME}@portal.invalid"),
            ("commit.gpgsign", "false"),
            ("core.autocrlf", "false"),
            ("gc.autoDetach", "false"),
        ):
            self.git("config", key, value)
        self.git("commit", "-q", "--allow-empty", "-m", "项目仓库", author=PORTAL_NAME)

    def commit(self, folder: str, author: str, message: str) -> str | None:
        """Commit everything changed under `folder`; the new commit, or None when nothing changed."""
        self.git("add", "-A", "--", folder)
        result = self.git("commit", "-q", "-m", message, "--", folder, author=author, check=False)
        if result.returncode != 0:
            if "nothing to commit" in (result.stdout + result.stderr) or "no changes added" in (
                result.stdout + result.stderr
            ):
                return None
            raise GitError(result.stderr.strip() or result.stdout.strip())
        return self.head()

    def head(self) -> str:
        ref = self.root / ".git" / "refs" / "heads" / "main"
        try:  # the loose ref a commit has just written: no process to start
            text = ref.read_text(encoding="ascii").strip()
            if len(text) == 40:
                return text
        except OSError:
            pass
        return self.git("rev-parse", "HEAD").stdout.strip()

    def log(self, folder: str, limit: int = 100) -> list[Version]:
        sep = "\x1f"
        out = self.git(
            "log",
            f"-n{limit}",
            f"--format=%H{sep}%an{sep}%ae{sep}%ad{sep}%s",
            "--date=format-local:%Y-%m-%d %H:%M:%S",
            "--",
            folder,
        ).stdout
        return [Version(*line.split(sep, 4)) for line in out.splitlines() if line.count(sep) == 4]

    def last_version(self, folder: str) -> Version | None:
        found = self.log(folder, 1)
        return found[0] if found else None

    def has(self, commit: str, folder: str) -> bool:
        result = self.git("cat-file", "-e", f"{commit}:{folder}", check=False)
        return result.returncode == 0

    def restore(self, folder: str, commit: str, author: str) -> str | None:
        """The folder as it was in `commit`, as a new commit (history keeps everything)."""
        if not self.has(commit, folder):
            raise GitError(f"版本 {commit[:8]} 里没有 {folder}")
        self.git("rm", "-r", "-q", "--ignore-unmatch", "--", folder)
        self.git("checkout", commit, "--", folder)
        self.git("clean", "-fdq", "--", folder)
        return self.commit(folder, author, f"恢复到 {commit[:8]} 的版本")

    def clear_stale_lock(self) -> None:
        lock = self.root / ".git" / "index.lock"
        if lock.exists():  # left by a killed git: the portal is the only writer
            lock.unlink()

    def recover(self, folder: str | None = None) -> list[str]:
        """Put the working tree (or one folder) back to the last commit; what was changed."""
        self.clear_stale_lock()
        where = ["--", folder] if folder else []
        status = self.git("status", "--porcelain", "--untracked-files=all", *where).stdout
        if not status.strip():
            return []
        self.git("reset", "-q", "--", *(where[1:] or ["."]))
        self.git("checkout", "-f", "HEAD", "--", *(where[1:] or ["."]), check=False)
        self.git("clean", "-fdq", *where)
        return [line[3:] for line in status.splitlines()]

    def export(self, commit: str, folder: str, dest: Path) -> None:
        """The folder as it is in `commit`, written under `dest/folder`."""
        data = self.git("archive", "--format=tar", commit, "--", folder, binary=True).stdout
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            try:
                tar.extractall(dest, filter="data")
            except TypeError:  # Python before 3.10.12 / 3.11.4: check the members ourselves
                for member in tar.getmembers():
                    name = Path(member.name)
                    if (
                        not (member.isfile() or member.isdir())
                        or ".." in name.parts
                        or name.is_absolute()
                    ):
                        raise GitError(f"版本库中有不安全的条目：{member.name}") from None
                tar.extractall(dest)  # noqa: S202 - members checked above
