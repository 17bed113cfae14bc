"""Sources: the `sources:` entries → project folders on disk, with findings.

An entry is a folder of project folders, a single project folder, a `.zip`
submission or a folder of them, or a git URL (`URL`, `URL#ref` or
`{git: URL, ref: main}`). Zips are extracted and repositories cloned into
`<cache_dir>/sources/`. Whatever cannot be read becomes a finding; nothing
here raises.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import shutil
import stat
import struct
import subprocess
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit, urlunsplit

from .findings import Finding, Findings
from .settings import Settings

ZIP_RATIO_MAX = 200
"""An entry expanding more than this many times (and past 1 MB) is treated as a zip bomb."""
ZIP_MAX_ENTRIES = 50_000
SKIPPED_DIRS = frozenset({"__macosx", ".git", ".svn"})
_GIT_SCHEMES = ("http://", "https://", "ssh://", "git://", "file://")
_SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:(?!//)")
_BAD_REF = re.compile(r"[\s~^:?*\[\\\x00-\x1f\x7f]|\.\.|@\{|^[-/.]|[/.]$|\.lock$")


@dataclass(frozen=True)
class ProjectSource:
    folder: Path
    label: str
    """What a person recognises: the folder, the zip or the git URL it came from."""


def is_project_folder(path: Path) -> bool:
    return (path / "project.yml").is_file() or (path / "project.yaml").is_file()


# --- entries -----------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    kind: str
    """`path` or `git`"""
    text: str
    ref: str = ""


def _is_git_url(text: str) -> bool:
    return text.lower().startswith(_GIT_SCHEMES) or bool(_SCP_LIKE.match(text))


def _parse_entry(entry: object, findings: Findings) -> _Entry | None:
    if isinstance(entry, str):
        text = entry.strip()
        if not text:
            findings.error("sources 里有一项是空的")
            return None
        if _is_git_url(text):
            url, _, ref = text.partition("#")
            return _Entry("git", url, ref)
        return _Entry("path", text)
    if isinstance(entry, dict):
        unknown = sorted(str(k) for k in entry if k not in ("git", "ref", "path"))
        if unknown:
            findings.error(
                f"sources 里的“{entry}”有不认识的键：{'、'.join(unknown)}",
                hint="git 仓库写成 {git: 地址, ref: 分支}，文件夹或 zip 写成 {path: 路径}",
            )
            return None
        if isinstance(entry.get("git"), str) and entry["git"].strip():
            ref = entry.get("ref") or ""
            if not isinstance(ref, (str, int, float)):
                findings.error(f"sources 里 {entry['git']} 的 ref 应是分支名或标签名")
                return None
            return _Entry("git", entry["git"].strip(), str(ref).strip())
        if isinstance(entry.get("path"), str) and entry["path"].strip():
            return _Entry("path", entry["path"].strip())
    findings.error(
        f"sources 里的“{entry}”应是文件夹路径、zip 文件或 git 地址",
        hint="例如 projects、submissions/青禾路小学.zip、https://example.org/school.git#main",
    )
    return None


def watch_paths(settings: Settings) -> list[Path]:
    """Local folders and zip files `mkdocs serve` should watch (git sources cannot be watched)."""
    out = []
    for entry in _entries(settings):
        parsed = _parse_entry(entry, Findings())
        if parsed is not None and parsed.kind == "path":
            out.append(settings.resolve(parsed.text))
    return out


def _entries(settings: Settings) -> list:
    raw = settings.sources
    if raw is None:
        return []
    return [raw] if isinstance(raw, (str, dict)) else list(raw)


def resolve_sources(settings: Settings) -> tuple[list[ProjectSource], list[Finding]]:
    """Every source entry → project folders (zips extracted, repositories fetched), with findings."""
    findings = Findings()
    projects: list[ProjectSource] = []
    for raw in _entries(settings):
        entry = _parse_entry(raw, findings)
        if entry is None:
            continue
        try:
            if entry.kind == "git":
                projects.extend(_git_source(entry, settings, findings))
            else:
                projects.extend(_path_source(entry.text, settings, findings))
        except OSError as exc:  # a disk problem in the cache must not crash the build
            findings.error(f"读取来源“{entry.text}”时出错：{exc.strerror or exc}")
    return projects, list(findings)


def _path_source(text: str, settings: Settings, findings: Findings) -> list[ProjectSource]:
    path = settings.resolve(text)
    if not path.exists():
        findings.error(
            f"找不到来源“{text}”", file=path, hint="检查 mkdocs.yml 中 sources 的路径是否写对"
        )
        return []
    if path.is_dir():
        return _folder_projects(path, text, settings, findings)
    if path.suffix.lower() == ".zip":
        return _zip_source(path, text, settings, findings)
    findings.error(f"来源“{text}”既不是文件夹，也不是 zip 文件", file=path)
    return []


def _children(folder: Path, findings: Findings) -> list[Path] | None:
    try:
        children = sorted(
            p
            for p in folder.iterdir()
            if not p.name.startswith((".", "_")) and p.name.lower() not in SKIPPED_DIRS
        )
    except OSError as exc:
        findings.error(f"无法读取来源文件夹：{exc.strerror or exc}", file=folder)
        return None
    out = []
    for child in children:
        try:
            child.name.encode("utf-8")
        except UnicodeEncodeError:  # a name in an unknown encoding cannot go into pages or JSON
            shown = os.fsencode(child.name).decode("utf-8", "replace")
            findings.error(f"“{shown}”的名称编码无法识别，已跳过（请改成正常的中文或英文名）", file=folder)
            continue
        out.append(child)
    return out


def _folder_projects(
    folder: Path, label: str, settings: Settings, findings: Findings
) -> list[ProjectSource]:
    """A project folder, or a folder of project folders and/or zip submissions."""
    if is_project_folder(folder):
        return [ProjectSource(folder, label)]
    children = _children(folder, findings)
    if children is None:
        return []
    out = []
    for child in children:
        if child.is_dir():
            if is_project_folder(child):
                out.append(ProjectSource(child, label))
            elif _non_empty(child):
                findings.warning("这个文件夹里没有 project.yml，不是项目文件夹，已跳过", file=child)
        elif child.suffix.lower() == ".zip" and child.is_file():
            out.extend(_zip_source(child, f"{label.rstrip('/')}/{child.name}", settings, findings))
    return out


def _non_empty(folder: Path) -> bool:
    try:
        return any(folder.iterdir())
    except OSError:
        return False


def _find_in_tree(
    root: Path, label: str, findings: Findings, depth: int = 0
) -> list[ProjectSource]:
    """Projects in an extracted archive or a clone: the root, its child folders, or under one wrapper folder."""
    if is_project_folder(root):
        return [ProjectSource(root, label)]
    children = [c for c in (_children(root, findings) or []) if c.is_dir()]
    found = [ProjectSource(c, label) for c in children if is_project_folder(c)]
    if not found and len(children) == 1 and depth < 3:
        return _find_in_tree(children[0], label, findings, depth + 1)
    if found:
        for c in children:
            if not is_project_folder(c):
                findings.warning(f"“{label}”里的文件夹“{c.name}”没有 project.yml，已跳过", file=c)
    return found


def _sources_cache(settings: Settings) -> Path:
    return settings.resolve(settings.cache_dir) / "sources"


def prune_sources(settings: Settings, used_folders: list[Path]) -> tuple[int, int]:
    """Delete unpacked zips and clones that no current source uses; (entries removed, bytes freed)."""
    import shutil

    cache = _sources_cache(settings)
    if not cache.is_dir():
        return 0, 0
    used = {p.resolve() for p in used_folders}
    removed = freed = 0
    for entry in cache.iterdir():
        root = entry.resolve()
        if any(root == u or root in u.parents for u in used):
            continue
        size = sum(f.stat().st_size for f in entry.rglob("*") if f.is_file() and not f.is_symlink())
        shutil.rmtree(entry, ignore_errors=True)
        removed, freed = removed + 1, freed + size
    return removed, freed


# --- zip submissions ---------------------------------------------------------


def _unicode_path_extra(info: zipfile.ZipInfo) -> str | None:
    """The Info-ZIP Unicode Path extra field (0x7075), which 7-Zip and WinRAR add."""
    extra = info.extra
    i = 0
    while i + 4 <= len(extra):
        kind, size = struct.unpack("<HH", extra[i : i + 4])
        body = extra[i + 4 : i + 4 + size]
        if kind == 0x7075 and len(body) > 5 and body[0] == 1:
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
        i += 4 + size
    return None


def entry_name(info: zipfile.ZipInfo) -> str:
    """An entry's real name: Windows zip tools write GBK without setting the UTF-8 flag (bit 11)."""
    name = info.filename
    if not info.flag_bits & 0x800:
        unicode_name = _unicode_path_extra(info)
        if unicode_name:
            name = unicode_name
        else:
            try:
                raw = name.encode("cp437")  # zipfile decoded the raw bytes as cp437
            except UnicodeEncodeError:
                raw = None
            if raw is not None:
                for encoding in ("utf-8", "gb18030"):
                    try:
                        name = raw.decode(encoding)
                        break
                    except UnicodeDecodeError:
                        continue
    return name.replace("\\", "/")


def _unsafe_name(name: str) -> bool:
    if "\x00" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    return any(part == ".." for part in name.split("/"))


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _zip_source(
    path: Path, label: str, settings: Settings, findings: Findings
) -> list[ProjectSource]:
    limit = max(1, settings.max_zip_mb) * 1024 * 1024
    hint = "如确需处理更大的压缩包，请调大 mkdocs.yml 中的 max_zip_mb"
    try:
        size = path.stat().st_size
    except OSError as exc:
        findings.error(f"无法读取 zip 文件：{exc.strerror or exc}", file=path)
        return []
    if size > limit:
        findings.error(
            f"zip 文件有 {_mb(size)}，超过 {settings.max_zip_mb} MB 上限，已拒绝",
            file=path,
            hint=hint,
        )
        return []
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            plan = _plan_zip(infos, path, limit, settings, findings)
            if plan is None:
                return []
            digest = _file_digest(path)
            dest = _sources_cache(settings) / f"zip-{digest}"
            if not dest.is_dir() and not _extract(zf, plan, dest, path, findings):
                return []
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        findings.error(
            f"不是有效的 zip 文件，或文件已损坏（{type(exc).__name__}）",
            file=path,
            hint="请对方重新压缩后发送",
        )
        return []
    except OSError as exc:  # reading the zip or writing the cache (a full disk, permissions)
        findings.error(f"无法读取或解压 zip 文件：{exc.strerror or exc}", file=path)
        return []
    found = _find_in_tree(dest, label, findings)
    if not found:
        findings.error("zip 里没有找到项目文件夹（含 project.yml 的文件夹）", file=path)
    return found


def _plan_zip(
    infos: list[zipfile.ZipInfo], path: Path, limit: int, settings: Settings, findings: Findings
) -> list[tuple[zipfile.ZipInfo, str]] | None:
    """The entries to extract, or None when the whole archive is refused."""
    if len(infos) > ZIP_MAX_ENTRIES:
        findings.error(
            f"zip 里有 {len(infos)} 个文件，超过 {ZIP_MAX_ENTRIES} 个上限，已拒绝", file=path
        )
        return None
    total = sum(i.file_size for i in infos)
    if total > limit:
        findings.error(
            f"zip 解压后有 {_mb(total)}，超过 {settings.max_zip_mb} MB 上限，已拒绝",
            file=path,
            hint="如确需处理更大的压缩包，请调大 mkdocs.yml 中的 max_zip_mb",
        )
        return None
    plan: list[tuple[zipfile.ZipInfo, str]] = []
    for info in infos:
        name = entry_name(info)
        if _unsafe_name(name):
            findings.error(
                f"zip 中的“{name}”指向解压文件夹以外（绝对路径或“..”），已拒绝解压这一项",
                file=path,
                hint="可能是恶意压缩包；请对方重新压缩项目文件夹",
            )
            continue
        if _is_symlink(info):
            findings.warning(f"zip 中的“{name}”是符号链接，已跳过", file=path)
            continue
        if info.is_dir() or name.endswith("/"):
            continue
        if info.file_size > 1024 * 1024 and info.file_size > ZIP_RATIO_MAX * max(
            1, info.compress_size
        ):
            findings.error(
                f"zip 中的“{name}”压缩比异常（{_mb(info.compress_size)} 解压为 {_mb(info.file_size)}），"
                "可能是“压缩炸弹”，已拒绝整个压缩包",
                file=path,
            )
            return None
        if info.flag_bits & 0x1:
            findings.error(
                f"zip 中的“{name}”设置了密码，无法解压",
                file=path,
                hint="请对方发送不加密码的压缩包",
            )
            continue
        parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
        if parts and not any(p.lower() in SKIPPED_DIRS for p in parts):
            plan.append((info, "/".join(parts)))
    if any(name.lower() in ("project.yml", "project.yaml") for _, name in plan):
        # a project zipped from inside its folder: give it a folder named like the zip,
        # so its URL name comes from the school, not from our cache
        plan = [(info, f"{_safe_folder_name(path.stem)}/{name}") for info, name in plan]
    return plan


def _safe_folder_name(text: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .")
    return name or "project"


def _file_digest(path: Path) -> str:
    h = hashlib.sha256(b"layout-2\0")  # bump when the extracted layout changes
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:24]


def _extract(
    zf: zipfile.ZipFile,
    plan: list[tuple[zipfile.ZipInfo, str]],
    dest: Path,
    path: Path,
    findings: Findings,
) -> bool:
    """Extract into a temporary folder beside `dest`, then rename: a crash never leaves half a tree."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-zip-", dir=dest.parent))
    try:
        root = tmp.resolve()
        for info, name in plan:
            out = tmp / name
            if root not in out.resolve().parents:
                continue  # belt and braces: _unsafe_name already refused it
            out.parent.mkdir(parents=True, exist_ok=True)
            # ZipExtFile stops at the declared size, so the size checks above bound the output
            with zf.open(info) as src, out.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            try:  # keep the zip's dates: the review page shows when the school last changed it
                stamp = _dt.datetime(*info.date_time).timestamp()
                os.utime(out, (stamp, stamp))
            except (ValueError, OverflowError, OSError):
                pass
        try:
            os.rename(tmp, dest)
        except OSError:
            if not dest.is_dir():  # another build won the race: use its copy
                raise
        return True
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
        ValueError,
    ) as exc:
        findings.error(
            f"zip 文件已损坏或使用了不支持的压缩方式，无法解压（{type(exc).__name__}）",
            file=path,
            hint="请对方用常见的 zip 格式重新压缩",
        )
        return False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --- git repositories --------------------------------------------------------


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
    cmd = ["git", "-c", "protocol.ext.allow=never", "-c", "core.askPass=", *args]
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


def _git_source(entry: _Entry, settings: Settings, findings: Findings) -> list[ProjectSource]:
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
    dest = _sources_cache(settings) / f"git-{key}" / _safe_folder_name(repo_name)
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
    found = _find_in_tree(dest, label, findings)
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
