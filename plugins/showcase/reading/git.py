"""Git sources: a shallow clone into the cache, fetched again on each build.

No text from mkdocs.yml ever becomes a git option; a timeout bounds every command;
the last good copy is kept when a fetch fails.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..core.findings import Findings
from ..core.settings import Settings
from .tree import ProjectSource, SourceEntry, find_in_tree, safe_folder_name

_GIT_SCHEMES = ("http://", "https://", "ssh://", "git://", "file://")


_SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:(?!//)")


_BAD_REF = re.compile(r"[\s~^:?*\[\\\x00-\x1f\x7f]|\.\.|@\{|^[-/.]|[/.]$|\.lock$")


def is_git_url(text: str) -> bool:
    return text.lower().startswith(_GIT_SCHEMES) or bool(_SCP_LIKE.match(text))


def _display_url(url: str) -> str:
    """The URL without a password, for messages and labels."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password:
        netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def _git(args: list[str], timeout: int, cwd: Path | None = None) -> tuple[bool, str]:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GCM_INTERACTIVE="never", LC_ALL="C", LANG="C")
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    cmd = [
        "git",
        *("-c", "protocol.ext.allow=never", "-c", "core.askPass="),
        *("-c", "core.symlinks=false"),  # a clone holds no links: each is a small plain file
        *args,
    ]
    try:
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        return False, "找不到 git 命令：请先安装 Git"
    except subprocess.TimeoutExpired:
        return False, f"git 操作超过 {timeout} 秒仍未完成，已中止"
    except OSError as exc:
        return False, f"无法运行 git：{exc.strerror or exc}"
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        return False, lines[-1].strip() if lines else f"git 退出码 {proc.returncode}"
    return True, ""


def git_source(entry: SourceEntry, settings: Settings, findings: Findings) -> list[ProjectSource]:
    url, ref = entry.text, entry.ref
    label = _display_url(url) + (f"#{ref}" if ref else "")
    if url.startswith("-") or "::" in url or re.search(r"[\s\x00-\x1f]", url):
        findings.error(
            f"git 地址“{label}”无效", hint="地址应以 https://、ssh://、git:// 或 file:// 开头"
        )
        return []
    if ref and _BAD_REF.search(ref):
        findings.error(f"git 分支或标签名“{ref}”无效", hint=f"来源 {label}")
        return []
    timeout = max(5, int(settings.git_timeout))
    key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    # the clone's folder is named like the repository: a repository that is itself one
    # project folder then gets its URL name from the repository, not from our cache
    repo_name = re.sub(r"\.git$", "", url.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1])
    dest = settings.sources_cache / f"git-{key}" / safe_folder_name(repo_name)
    if (dest / ".git").is_dir():
        ok, error = _git(
            ["fetch", "--quiet", "--depth", "1", "--", "origin", ref or "HEAD"], timeout, dest
        )
        if ok:
            ok, error = _git(["reset", "--quiet", "--hard", "FETCH_HEAD"], timeout, dest)
        if ok:
            _git(["clean", "-qffdx"], timeout, dest)
            _stamp_commit_time(dest, timeout)
        else:
            findings.warning(f"无法更新 git 仓库“{label}”，使用上次获取的内容：{error}")
    else:
        if dest.exists():
            shutil.rmtree(dest, ignore_errors=True)
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-git-", dir=dest.parent))
        try:
            args = ["clone", "--quiet", "--depth", "1", "--no-tags"]
            if ref:
                args.append(f"--branch={ref}")
            ok, error = _git([*args, "--", url, str(tmp / "repo")], timeout)
            if not ok:
                findings.error(
                    f"无法获取 git 仓库“{label}”：{error}",
                    hint="检查地址、分支名和网络；私有仓库需先配置好访问权限",
                )
                return []
            _stamp_commit_time(tmp / "repo", timeout)
            os.rename(tmp / "repo", dest)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    found = find_in_tree(dest, label, findings)
    if not found:
        findings.error(f"git 仓库“{label}”里没有找到项目文件夹（含 project.yml 的文件夹）")
    return found


def _stamp_commit_time(work_tree: Path, timeout: int) -> None:
    """Date the checked-out files by the commit, so "last changed" on the review page is the
    school's commit, not the moment we fetched it."""
    env = dict(os.environ, LC_ALL="C")
    try:
        proc = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=work_tree,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        stamp = int(proc.stdout.strip() or 0)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return
    if not stamp:
        return
    for root, dirs, files in os.walk(work_tree):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in files:
            try:
                os.utime(os.path.join(root, name), (stamp, stamp), follow_symlinks=False)
            except OSError:
                continue
