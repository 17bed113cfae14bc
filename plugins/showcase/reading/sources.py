"""Sources: the `sources:` entries → project folders on disk, with findings.

An entry is a folder of project folders, a single project folder, a `.zip`
submission or a folder of them, or a git URL (`URL`, `URL#ref` or
`{git: URL, ref: main}`). Zips are extracted and repositories cloned into
the sources cache. Whatever cannot be read becomes a finding; nothing
here raises.
"""

from __future__ import annotations

from pathlib import Path

from ..core.findings import Finding, Findings
from ..core.settings import Settings
from .archives import zip_source
from .git import git_source, is_git_url
from .tree import ProjectSource, SourceEntry, is_project_folder, list_children, non_empty


def _parse_entry(entry: object, findings: Findings) -> SourceEntry | None:
    if isinstance(entry, str):
        text = entry.strip()
        if not text:
            findings.error("sources 里有一项是空的")
            return None
        if is_git_url(text):
            url, _, ref = text.partition("#")
            return SourceEntry("git", url, ref)
        return SourceEntry("path", text)
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
            return SourceEntry("git", entry["git"].strip(), str(ref).strip())
        if isinstance(entry.get("path"), str) and entry["path"].strip():
            return SourceEntry("path", entry["path"].strip())
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
                projects.extend(git_source(entry, settings, findings))
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
        return zip_source(path, text, settings, findings)
    findings.error(f"来源“{text}”既不是文件夹，也不是 zip 文件", file=path)
    return []


def _folder_projects(
    folder: Path, label: str, settings: Settings, findings: Findings
) -> list[ProjectSource]:
    """A project folder, or a folder of project folders and/or zip submissions."""
    if is_project_folder(folder):
        return [ProjectSource(folder, label)]
    children = list_children(folder, findings)
    if children is None:
        return []
    out = []
    for child in children:
        if child.is_dir():
            if is_project_folder(child):
                out.append(ProjectSource(child, label))
            elif non_empty(child):
                findings.warning("这个文件夹里没有 project.yml，不是项目文件夹，已跳过", file=child)
        elif child.suffix.lower() == ".zip" and child.is_file():
            out.extend(zip_source(child, f"{label.rstrip('/')}/{child.name}", settings, findings))
    return out


def prune_sources(settings: Settings, used_folders: list[Path]) -> tuple[int, int]:
    """Delete unpacked zips and clones that no current source uses; (entries removed, bytes freed)."""
    import shutil

    cache = settings.sources_cache
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
