"""A project folder ⇄ the editor's form state (plain JSON), and saving it safely.

Reading keeps every value as the teacher typed it (a wrong value is shown, not dropped,
so saving never loses it); the checker judges it. Saving plans every file operation
first, compares each file it would touch with the fingerprint it had when the form was
loaded, and refuses (nothing written) if any changed on disk meanwhile. Files are written
atomically; deleted files go to the system's recycle bin.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .. import textutil
from ..fields import BY_KEY, FIELDS, FieldType, lookup, normalize_label
from ..load import (
    ATTACHMENT_EXTS,
    IMAGE_EXTS,
    LOGO_EXTS,
    META_ALIASES,
    _natural_key,
    default_logo,
    is_inside,
    split_front_matter,
)
from . import roundtrip as rt

YML = "project.yml"
TEXT_SUFFIXES = (".yml", ".yaml", ".md", ".markdown")
HEADER = (
    "# 党建精品项目登记信息（project.yml），由“showcase edit”填写页面保存。\n"
    "# 也可以直接用记事本修改：每行“字段名: 内容”，以 # 开头的行是说明。\n"
)
_ORDINAL = re.compile(r"^[\s\d０-９]+[\s._\-—、，,．)）]*")
_BAD_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}
NAME_MAX = 80


class SaveConflict(Exception):
    """Files changed on disk since the form was loaded (relative paths)."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(", ".join(paths))
        self.paths = paths


class SaveError(Exception):
    """A reason, in Chinese, why saving stopped (nothing or only whole files written)."""


# --- small helpers --------------------------------------------------------------------------


def fingerprint(path: Path) -> str | None:
    """Content hash of a text file; size and modification time of anything else."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        if path.suffix.lower() in TEXT_SUFFIXES:
            return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        st = path.stat()
        return f"stat:{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        return None


def safe_name(name: str, fallback: str = "文件") -> str:
    """A file name that is safe on Windows and here: no folders, no reserved names, not too long."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    name = _BAD_NAME.sub("_", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem.strip(" .") or fallback
    if stem.lower() in _RESERVED:
        stem = "_" + stem
    ext = re.sub(r"[^A-Za-z0-9]", "", ext)[:8]
    stem = stem[:NAME_MAX]
    return f"{stem}.{ext}" if ext else stem


def unique_name(folder: Path, name: str, taken: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, n = name, 2
    while candidate.lower() in taken or (folder / candidate).exists():
        candidate = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
        n += 1
    taken.add(candidate.lower())
    return candidate


def _text(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return "" if value is None else ("是" if value else "否")
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, (list, tuple)):
        return "、".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "、".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def _number(text: str) -> Any:
    """`20` → 20, `12.5` → 12.5; anything else stays text (the checker names it)."""
    text = text.strip()
    norm = unicodedata.normalize("NFKC", text)
    if re.fullmatch(r"-?\d+", norm):
        return int(norm)
    if re.fullmatch(r"-?\d+\.\d+", norm):
        return float(norm)
    return text


def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,，、;；\n]", text or "") if p.strip()]


def _date_value(text: str) -> Any:
    text = (text or "").strip()
    if not text:
        return None
    return textutil.as_date(text) or text


def _rel(folder: Path, path: Path) -> str:
    return path.relative_to(folder).as_posix()


def _listing(folder: Path) -> list[Path]:
    try:
        entries = [
            p
            for p in folder.iterdir()
            if not p.name.startswith((".", "~$"))
            and p.name.lower() not in ("thumbs.db", "desktop.ini")
        ]
    except OSError:
        return []
    return sorted(entries, key=_natural_key)


# --- key names ------------------------------------------------------------------------------

_IND_KEYS = {
    "explicit": "explicit",
    "显性指标": "explicit",
    "显性": "explicit",
    "implicit": "implicit",
    "隐性指标": "implicit",
    "隐性": "implicit",
    "text": "text",
    "target": "target",
    "unit": "unit",
    "actual": "actual",
}
_OPINION_KEYS = {
    "text": "text",
    "意见": "text",
    "signed_by": "signed_by",
    "签字": "signed_by",
    "签字人": "signed_by",
    "书记": "signed_by",
    "date": "date",
    "日期": "date",
}


def _indicator_key(raw: Any) -> Any:
    text = str(raw).strip()
    if text in _IND_KEYS:
        return _IND_KEYS[text]
    return int(text) if re.fullmatch(r"\d{4}", text) else None


def _opinion_key(raw: Any) -> Any:
    return _OPINION_KEYS.get(str(raw).strip())


def _meta_key(allowed: set[str]):
    def key_of(raw: Any) -> Any:
        norm = normalize_label(raw)
        key = META_ALIASES.get(norm, norm)
        return key if key in allowed else None

    return key_of


# --- reading ----------------------------------------------------------------------------------


@dataclass
class Loaded:
    """project.yml as a ruamel document, with how the file was stored."""

    path: Path
    file: rt.TextFile | None
    data: CommentedMap
    yaml: Any
    error: str | None = None


def load_yml(folder: Path) -> Loaded:
    path = folder / YML
    if not path.is_file() and (folder / "project.yaml").is_file():
        path = folder / "project.yaml"
    if not path.is_file():
        data, y = rt.load_map("")
        return Loaded(folder / YML, None, data, y)
    try:
        tf = rt.TextFile.read(path)
        data, y = rt.load_map(tf.text)
    except Exception as exc:  # noqa: BLE001 - shown to the teacher; the file is left alone
        data, y = rt.load_map("")
        return Loaded(path, None, data, y, error=f"project.yml 无法读取（{type(exc).__name__}）")
    return Loaded(path, tf, data, y)


def _raw_fields(data: CommentedMap) -> dict[str, tuple[Any, Any]]:
    """Field key → (raw key, value) for the keys the field table knows (first of each)."""
    out: dict[str, tuple[Any, Any]] = {}
    for raw, value in data.items():
        field = lookup(raw)
        if field is not None and field.key not in out:
            out[field.key] = (raw, value)
    return out


def form_value(ftype: FieldType, value: Any) -> tuple[Any, bool]:
    """The form's value for a raw YAML value, and whether the form can show it faithfully."""
    if ftype is FieldType.INDICATORS:
        rows: dict[str, list] = {"explicit": [], "implicit": []}
        if value is None:
            return rows, True
        groups = [("explicit", value)] if isinstance(value, list) else None
        if isinstance(value, dict):
            groups = [(_IND_KEYS.get(str(k).strip()), v) for k, v in value.items()]
        if groups is None or any(kind not in ("explicit", "implicit") for kind, _ in groups):
            return rows, False
        for kind, items in groups:
            items = [items] if isinstance(items, str) else items
            if not isinstance(items, list):
                return rows, False
            for item in items:
                if isinstance(item, dict):
                    if any(
                        _indicator_key(k) not in ("text", "target", "unit", "actual") for k in item
                    ):
                        return rows, False
                    got = {_indicator_key(k): v for k, v in item.items()}
                    actual = got.get("actual") or {}
                    if not isinstance(actual, dict):
                        return rows, False
                    rows[kind].append(
                        {
                            "text": _text(got.get("text")),
                            "target": _text(got.get("target")),
                            "unit": _text(got.get("unit")),
                            "actual": [
                                {"year": _text(y), "value": _text(v)} for y, v in actual.items()
                            ],
                        }
                    )
                elif isinstance(item, (dict, list)):
                    return rows, False
                else:
                    rows[kind].append({"text": _text(item), "target": "", "unit": "", "actual": []})
        return rows, True
    if ftype is FieldType.OPINION:
        empty = {"text": "", "signed_by": "", "date": ""}
        if value is None:
            return empty, True
        if isinstance(value, dict):
            if any(_opinion_key(k) is None for k in value):
                return empty, False
            return {**empty, **{_opinion_key(k): _text(v) for k, v in value.items()}}, True
        if isinstance(value, (list,)):
            return empty, False
        return {**empty, "text": _text(value)}, True
    if isinstance(value, dict) or (isinstance(value, list) and ftype is not FieldType.LIST):
        return _text(value), False
    return _text(value), True


def read_state(folder: Path) -> dict:
    """Everything the form shows, as JSON, with the fingerprint of every file it came from."""
    folder = Path(folder)
    loaded = load_yml(folder)
    base: dict[str, str | None] = {YML: fingerprint(loaded.path) if loaded.file else None}
    raw = _raw_fields(loaded.data)
    values: dict[str, Any] = {}
    locked: list[str] = []
    sources: dict[str, str] = {}
    for f in FIELDS:
        value, ok = form_value(f.type, raw.get(f.key, (None, None))[1])
        values[f.key] = value
        if not ok:
            locked.append(f.key)
        if f.type is FieldType.MARKDOWN:
            md = folder / f"{f.key}.md"
            base[f"{f.key}.md"] = fingerprint(md)
            if md.is_file() and not raw.get(f.key, (None, None))[1]:
                sources[f.key] = "file"
                try:
                    values[f.key] = rt.TextFile.read(md).text.strip("\n")
                except (OSError, ValueError):
                    locked.append(f.key)
    logo = folder / str(values.get("logo") or "") if values.get("logo") else default_logo(folder)
    logo_name = ""
    if logo is not None and logo.is_file() and is_inside(logo, folder):
        logo_name = _rel(folder, logo)
        base[logo_name] = fingerprint(logo)
    state = {
        "folder": folder.name,
        "fields": values,
        "locked": locked,
        "sources": sources,
        "logo": {"file": logo_name, "upload": None},
        "cases": [_read_case(folder, p, base) for p in _md_files(folder / "cases")],
        "albums": [_read_album(folder, p, base) for p in _dirs(folder / "photos")],
        "plans": [_read_plan(folder, p, base) for p in _md_files(folder / "plans")],
        "base": base,
        "yml_error": loaded.error,
    }
    return state


def _md_files(folder: Path) -> list[Path]:
    return [p for p in _listing(folder) if p.is_file() and p.suffix.lower() in (".md", ".markdown")]


def _dirs(folder: Path) -> list[Path]:
    return [p for p in _listing(folder) if p.is_dir() and not p.is_symlink()]


def _front(path: Path) -> tuple[rt.TextFile, CommentedMap, Any, str]:
    tf = rt.TextFile.read(path)
    yaml_text, body, _ = split_front_matter(tf.text)
    data, y = rt.load_map(yaml_text or "")
    return tf, data, y, body


def _meta(data: CommentedMap, allowed: set[str]) -> dict[str, Any]:
    key_of = _meta_key(allowed)
    out: dict[str, Any] = {}
    for raw, value in data.items():
        key = key_of(raw)
        if key is not None and key not in out:
            out[key] = value
    return out


def _read_case(folder: Path, path: Path, base: dict) -> dict:
    rel = _rel(folder, path)
    base[rel] = fingerprint(path)
    try:
        _, data, _, body = _front(path)
        meta = _meta(data, {"title", "date", "authors", "tags", "summary"})
    except Exception:  # noqa: BLE001 - an unreadable case is shown locked, never rewritten
        return {"file": rel, "locked": True, "title": path.stem, "appendix": []}
    appendix = []
    adir = path.with_suffix("")
    if adir.is_dir() and is_inside(adir, folder):
        for entry in _listing(adir):
            if entry.is_file():
                arel = _rel(folder, entry)
                base[arel] = fingerprint(entry)
                appendix.append(
                    {
                        "file": arel,
                        "name": entry.name,
                        "size": textutil.human_size(entry.stat().st_size),
                        "image": entry.suffix.lower() in IMAGE_EXTS,
                    }
                )
    return {
        "file": rel,
        "locked": False,
        "title": _text(meta.get("title")),
        "date": _text(meta.get("date")),
        "authors": _text(meta.get("authors")),
        "tags": _text(meta.get("tags")),
        "summary": _text(meta.get("summary")),
        "body": body.lstrip("\n"),
        "appendix": appendix,
    }


def _read_album(folder: Path, path: Path, base: dict) -> dict:
    date, title = textutil.split_dated_name(path.name)
    meta: dict[str, Any] = {}
    yml = path / "album.yml"
    rel_yml = _rel(folder, yml)
    base[rel_yml] = fingerprint(yml)
    locked = False
    if yml.is_file():
        try:
            tf = rt.TextFile.read(yml)
            data, _ = rt.load_map(tf.text)
            meta = _meta(data, {"title", "date", "description", "cover", "captions"})
        except Exception:  # noqa: BLE001
            locked = True
    captions = meta.get("captions") if isinstance(meta.get("captions"), dict) else {}
    photos = []
    for entry in _listing(path):
        if entry.is_file() and entry.suffix.lower() in IMAGE_EXTS:
            rel = _rel(folder, entry)
            base[rel] = fingerprint(entry)
            caption = captions.get(entry.name)
            photos.append(
                {
                    "file": rel,
                    "name": entry.name,
                    "caption": _text(caption)
                    if caption
                    else textutil.caption_from_filename(entry.name),
                }
            )
    return {
        "folder": _rel(folder, path),
        "locked": locked,
        "title": _text(meta.get("title")) or title,
        "date": _text(meta.get("date")) or (date.isoformat() if date else ""),
        "description": _text(meta.get("description")),
        "photos": photos,
    }


def _read_plan(folder: Path, path: Path, base: dict) -> dict:
    rel = _rel(folder, path)
    base[rel] = fingerprint(path)
    try:
        _, data, _, body = _front(path)
        meta = _meta(data, {"title", "year", "schedule", "date", "summary"})
    except Exception:  # noqa: BLE001
        return {"file": rel, "locked": True, "title": path.stem, "schedule": {}}
    schedule: dict[str, str] = {}
    raw = meta.get("schedule")
    locked = raw is not None and not isinstance(raw, dict)
    for key, items in (raw or {}).items() if isinstance(raw, dict) else ():
        month = textutil.parse_month(key)
        if month is None or isinstance(items, dict):
            locked = True
            continue
        lines = [_text(i) for i in items] if isinstance(items, list) else [_text(items)]
        schedule[str(month)] = "\n".join(x for x in [schedule.get(str(month), ""), *lines] if x)
    return {
        "file": rel,
        "locked": locked,
        "title": _text(meta.get("title")),
        "year": _text(meta.get("year")),
        "schedule": schedule,
        "body": body.lstrip("\n"),
    }


# --- form → YAML values -----------------------------------------------------------------------


def yaml_value(ftype: FieldType, value: Any, key: str = "") -> Any:
    """The value written for a form value; None means empty."""
    if ftype is FieldType.INDICATORS:
        out: dict[str, list] = {}
        for kind in ("explicit", "implicit"):
            items = []
            for row in (value or {}).get(kind) or []:
                text = str(row.get("text") or "").strip()
                target = str(row.get("target") or "").strip()
                unit = str(row.get("unit") or "").strip()
                actual = {}
                for pair in row.get("actual") or []:
                    year, number = (
                        str(pair.get("year") or "").strip(),
                        str(pair.get("value") or "").strip(),
                    )
                    if year or number:
                        actual[_number(year)] = _number(number)
                if not (text or target or unit or actual):
                    continue
                if not (target or unit or actual):
                    items.append(text)
                    continue
                item: dict[str, Any] = {"text": text}
                if target:
                    item["target"] = _number(target)
                if unit:
                    item["unit"] = unit
                if actual:
                    item["actual"] = actual
                items.append(item)
            if items:
                out[kind] = items
        return out or None
    if ftype is FieldType.OPINION:
        value = value or {}
        out = {k: str(value.get(k) or "").strip() for k in ("text", "signed_by", "date")}
        result = {k: (_date_value(v) if k == "date" else v) for k, v in out.items() if v}
        return result or None
    if ftype is FieldType.LIST:
        items = _split(value if isinstance(value, str) else "、".join(value or []))
        return items or None
    text = str(value or "").replace("\r\n", "\n").strip()
    if not text:
        return None
    if ftype is FieldType.INTEGER:
        return _number(text)
    if ftype is FieldType.MARKDOWN or key == "summary":
        return text
    return re.sub(r"\s*\n\s*", " ", text)  # one-line fields: a pasted line break is a space


def _uses_labels(data: CommentedMap) -> bool:
    """True when most known keys are Chinese labels: new keys are then written the same way."""
    known = [raw for raw in data if lookup(raw) is not None]
    chinese = [raw for raw in known if str(raw) != lookup(raw).key]
    return bool(known) and len(chinese) * 2 > len(known)


def _insert_at(data: CommentedMap, key: str) -> int:
    """Position for a new field: before the first existing key that follows it in the table."""
    order = [f.key for f in FIELDS]
    mine = order.index(key)
    for i, raw in enumerate(data):
        field = lookup(raw)
        if field is not None and order.index(field.key) > mine:
            return i
    return len(data)


def apply_fields(data: CommentedMap, state: dict) -> bool:
    """Write the form's field values into project.yml's document; True when anything changed."""
    values = state.get("fields") or {}
    locked = set(state.get("locked") or [])
    sources = state.get("sources") or {}
    raw = _raw_fields(data)
    labels = _uses_labels(data)
    changed = False
    for f in FIELDS:
        if f.key in locked or f.key not in values or sources.get(f.key) == "file":
            continue
        if f.key == "logo":
            continue  # the logo field follows the logo file (see plan_logo)
        new = yaml_value(f.type, values[f.key], f.key)
        if f.key in raw:
            key, old = raw[f.key]
            if new is None:
                if old not in (None, ""):
                    data[key] = None  # kept as `key:`: its comment hangs on the key before
                    changed = True
                continue
            key_of = (
                _indicator_key
                if f.type is FieldType.INDICATORS
                else (_opinion_key if f.type is FieldType.OPINION else (lambda k: k))
            )
            if f.type is FieldType.OPINION and isinstance(old, str) and set(new) == {"text"}:
                new = new["text"]  # a one-line opinion stays one line
            if not rt.same(old, new, key_of):
                data[key] = rt.merge(old, new, key_of)
                changed = True
        elif new is not None:
            data.insert(_insert_at(data, f.key), f.label if labels else f.key, rt.fresh(new))
            changed = True
    return changed


# --- the save plan ------------------------------------------------------------------------------


@dataclass
class Op:
    kind: str
    """write | copy | rename | trash | mkdir"""
    path: Path
    data: bytes | None = None
    source: Path | None = None


@dataclass
class Plan:
    folder: Path
    base: dict
    ops: list[Op] = field(default_factory=list)
    expect: dict[str, str | None] = field(default_factory=dict)
    """Relative path → fingerprint it must still have (None: must not exist)."""
    taken: dict[Path, set[str]] = field(default_factory=dict)

    def touch(self, path: Path) -> None:
        rel = _rel(self.folder, path)
        self.expect.setdefault(rel, self.base.get(rel))

    def write(self, path: Path, data: bytes) -> None:
        self.touch(path)
        self.ops.append(Op("write", path, data=data))

    def names(self, folder: Path) -> set[str]:
        return self.taken.setdefault(folder, set())


@dataclass
class Staged:
    path: Path
    name: str


def _check_inside(folder: Path, path: Path) -> None:
    if not is_inside(path.parent if not path.exists() else path, folder) or path.is_symlink():
        raise SaveError(f"“{path.name}”指向项目文件夹以外，已拒绝写入")


def render_project_yml(folder: Path, state: dict) -> tuple[Path, bytes | None, Loaded]:
    """project.yml's new bytes (None when unchanged)."""
    loaded = load_yml(folder)
    if loaded.error:
        raise SaveError(f"{loaded.error}：请先用记事本修正 project.yml，再在这里保存")
    changed = apply_fields(loaded.data, state)
    logo_name = plan_logo_name(folder, state)
    if logo_name is not None:
        raw = _raw_fields(loaded.data)
        if "logo" in raw and raw["logo"][1] != logo_name:
            loaded.data[raw["logo"][0]] = logo_name
            changed = True
    if not changed and loaded.file is not None:
        return loaded.path, None, loaded
    text = rt.dump(loaded.data, loaded.yaml)
    tf = loaded.file or rt.TextFile()
    if loaded.file is None:
        text = HEADER + "\n" + text
    return loaded.path, tf.encode(text), loaded


def render_long_texts(folder: Path, state: dict) -> dict[Path, bytes]:
    """The long texts kept in their own .md files, where they changed."""
    out: dict[Path, bytes] = {}
    values = state.get("fields") or {}
    for key, where in (state.get("sources") or {}).items():
        if where != "file" or key in (state.get("locked") or []) or BY_KEY.get(key) is None:
            continue
        path = folder / f"{key}.md"
        tf = rt.TextFile.read(path) if path.is_file() else rt.TextFile()
        new = str(values.get(key) or "").replace("\r\n", "\n").strip("\n")
        if new.strip() != tf.text.strip():
            out[path] = tf.encode(new + "\n" if new else "")
    return out


def plan_logo_name(folder: Path, state: dict) -> str | None:
    upload = (state.get("logo") or {}).get("upload")
    if not upload:
        return None
    ext = Path(str(upload.get("name") or "")).suffix.lower()
    return f"logo{ext}"


def plan_save(folder: Path, state: dict, staging: dict[str, Staged]) -> Plan:
    """Every file operation of a save, and the fingerprints they rely on."""
    folder = Path(folder)
    plan = Plan(folder, dict(state.get("base") or {}))
    yml_path, yml_bytes, _ = render_project_yml(folder, state)
    if yml_bytes is not None:
        plan.write(yml_path, yml_bytes)
    for path, data in render_long_texts(folder, state).items():
        plan.write(path, data)
    _plan_logo(plan, state, staging)
    for album in state.get("albums") or []:
        _plan_album(plan, album, staging)
    for case in state.get("cases") or []:
        _plan_case(plan, case, staging)
    for doc in state.get("plans") or []:
        _plan_plan(plan, doc)
    return plan


def _staged(staging: dict[str, Staged], upload: Any, exts: frozenset | tuple) -> Staged:
    sid = upload.get("id") if isinstance(upload, dict) else upload
    item = staging.get(str(sid))
    if item is None:
        raise SaveError("上传的文件已失效（编辑器重新启动过？），请重新选择文件")
    if Path(item.name).suffix.lower() not in exts:
        raise SaveError(f"“{item.name}”不是可以放在这里的文件类型")
    return item


def _plan_logo(plan: Plan, state: dict, staging: dict[str, Staged]) -> None:
    logo = state.get("logo") or {}
    if not logo.get("upload"):
        return
    item = _staged(staging, logo["upload"], LOGO_EXTS)
    target = plan.folder / f"logo{Path(item.name).suffix.lower()}"
    current = logo.get("file")
    if current and current != _rel(plan.folder, target):
        old = plan.folder / current
        plan.touch(old)
        plan.ops.append(Op("trash", old))  # the replaced logo goes to the recycle bin
    for ext in LOGO_EXTS:  # another logo.* would be chosen before it by default
        other = plan.folder / f"logo{ext}"
        if other != target and other.exists() and _rel(plan.folder, other) != current:
            raise SaveError(f"项目文件夹里还有 {other.name}，请先删除或改名，再上传新的标识")
    plan.touch(target)
    plan.ops.append(Op("copy", target, source=item.path))


def _folder_name(text: str, fallback: str) -> str:
    name = safe_name(text.replace(".", "．"), fallback)  # no extension split for folders
    return name


def _plan_photos(
    plan: Plan, album_dir: Path, photos: list[dict], staging: dict[str, Staged]
) -> tuple[dict[str, str], dict[str, str]]:
    """Deletes, renames and uploads of one album: (final name → caption, old name → final name)."""
    keep: list[tuple[dict, str]] = []  # (photo state, current or wished name)
    taken = plan.names(album_dir)
    for photo in photos:
        if photo.get("deleted"):
            if photo.get("file"):
                path = plan.folder / photo["file"]
                plan.touch(path)
                plan.ops.append(Op("trash", path))
            continue
        if photo.get("file"):
            keep.append((photo, Path(photo["file"]).name))
        elif photo.get("upload"):
            item = _staged(staging, photo["upload"], IMAGE_EXTS)
            keep.append((photo, safe_name(item.name, "照片")))
    names = [name for _, name in keep]
    in_order = sorted(names, key=lambda n: _natural_key(Path(n))) == names
    if (
        in_order
        and len({n.lower() for n in names}) == len(names)
        and not any(not p.get("file") and (album_dir / n).exists() for p, n in keep)
    ):
        final = names
    else:  # the teacher's order, kept by ordinal prefixes (01-, 02-, …)
        width = max(2, len(str(len(keep))))
        final = []
        for i, (_, name) in enumerate(keep, 1):
            stem, ext = Path(name).stem, Path(name).suffix
            rest = _ORDINAL.sub("", stem)
            final.append(f"{i:0{width}d}-{rest}{ext}" if rest else f"{i:0{width}d}{ext}")
    captions: dict[str, str] = {}
    renamed: dict[str, str] = {}
    renames: list[tuple[Path, Path]] = []
    for (photo, _), name in zip(keep, final, strict=True):
        target = album_dir / name
        taken.add(name.lower())
        if photo.get("file"):
            source = plan.folder / photo["file"]
            plan.touch(source)
            renamed[source.name] = name
            if source != target:
                renames.append((source, target))
        else:
            item = _staged(staging, photo["upload"], IMAGE_EXTS)
            plan.touch(target)
            plan.ops.append(Op("copy", target, source=item.path))
        captions[name] = str(photo.get("caption") or "").strip()
    moving = {source for source, _ in renames}
    for i, (source, target) in enumerate(renames):
        # two steps, so 01-a → 02-a and 02-b → 01-b never overwrite each other
        temp = source.with_name(f".~showcase-{i}-{source.name}")
        plan.ops.append(Op("rename", temp, source=source))
        if target not in moving:
            plan.touch(target)  # a file that appeared meanwhile under that name is a conflict
    for i, (source, target) in enumerate(renames):
        plan.ops.append(
            Op("rename", target, source=source.with_name(f".~showcase-{i}-{source.name}"))
        )
    # uploads go in after the renames have freed their names
    plan.ops.sort(key=lambda op: op.kind == "copy" and op.path.parent == album_dir)
    return captions, renamed


def _plan_album(plan: Plan, album: dict, staging: dict[str, Staged]) -> None:
    if album.get("locked"):
        return
    title = str(album.get("title") or "").strip()
    date = str(album.get("date") or "").strip()
    if album.get("folder"):
        album_dir = plan.folder / album["folder"]
        _check_inside(plan.folder, album_dir)
        if album.get("deleted"):
            for rel in [r for r in plan.base if r.startswith(album["folder"] + "/")]:
                plan.touch(plan.folder / rel)
            plan.ops.append(Op("trash", album_dir))
            return
    else:
        if album.get("deleted"):
            return
        photos_dir = plan.folder / "photos"
        name = _folder_name(f"{date} {title}".strip() or "新相册", "新相册")
        album_dir = photos_dir / unique_name(photos_dir, name, plan.names(photos_dir))
        plan.ops.append(Op("mkdir", album_dir))
    captions, renamed = _plan_photos(plan, album_dir, album.get("photos") or [], staging)
    folder_date, folder_title = textutil.split_dated_name(album_dir.name)
    yml = album_dir / "album.yml"
    tf = rt.TextFile.read(yml) if yml.is_file() else None
    data, y = rt.load_map(tf.text if tf else "")
    meta_key = _meta_key({"title", "date", "description", "cover", "captions"})
    present = {meta_key(k): k for k in data if meta_key(k)}
    wanted: dict[str, Any] = {}
    if title and (title != folder_title or "title" in present):
        wanted["title"] = title
    parsed = textutil.as_date(date)
    if date and ("date" in present or parsed != folder_date):
        wanted["date"] = parsed or date
    description = str(album.get("description") or "").strip()
    if description or "description" in present:
        wanted["description"] = description or None
    own = {n: c for n, c in captions.items() if c and c != textutil.caption_from_filename(n)}
    if own or "captions" in present:
        wanted["captions"] = own or None
    if "cover" in present:
        wanted["cover"] = renamed.get(str(data[present["cover"]] or ""))
    changed = False
    for key, value in wanted.items():
        raw = present.get(key)
        if raw is None:
            if value is not None:
                data[key] = rt.fresh(value)
                changed = True
        elif not rt.same(data[raw], value):
            data[raw] = rt.merge(data[raw], value, lambda k: k) if value is not None else None
            changed = True
    if changed:
        plan.write(yml, (tf or rt.TextFile()).encode(rt.dump(data, y)))


def _front_doc(
    plan: Plan, path: Path, wanted: dict[str, Any], body: str, allowed: set[str], merge_keys=None
) -> None:
    """Write a case or plan file: its front matter merged, its body replaced."""
    tf = rt.TextFile.read(path) if path.is_file() else None
    if tf is not None:
        yaml_text, old_body, _ = split_front_matter(tf.text)
        data, y = rt.load_map(yaml_text or "")
    else:
        old_body, (data, y) = "", rt.load_map("")
    key_of = _meta_key(allowed)
    present = {key_of(k): k for k in data if key_of(k)}
    changed = tf is None
    for key, value in wanted.items():
        raw = present.get(key)
        if raw is None:
            if value not in (None, "", []):
                data[key] = rt.fresh(value)
                changed = True
        elif merge_keys and key in merge_keys:
            changed |= merge_keys[key](data, raw, value)
        elif not rt.same(data[raw], value):
            data[raw] = rt.merge(data[raw], value) if value not in (None, "", []) else None
            changed = True
    body = body.replace("\r\n", "\n").strip("\n")
    if body.strip() != old_body.strip():
        changed = True
    if not changed:
        return
    text = "---\n" + rt.dump(data, y) + "---\n\n" + (body + "\n" if body else "")
    plan.write(path, (tf or rt.TextFile()).encode(text))


def _plan_case(plan: Plan, case: dict, staging: dict[str, Staged]) -> None:
    if case.get("locked"):
        return
    cases_dir = plan.folder / "cases"
    if case.get("file"):
        path = plan.folder / case["file"]
        _check_inside(plan.folder, path)
        if case.get("deleted"):
            plan.touch(path)
            plan.ops.append(Op("trash", path))
            adir = path.with_suffix("")
            if adir.is_dir():
                for rel in [r for r in plan.base if r.startswith(_rel(plan.folder, adir) + "/")]:
                    plan.touch(plan.folder / rel)
                plan.ops.append(Op("trash", adir))
            return
    else:
        if case.get("deleted"):
            return
        name = safe_name(str(case.get("title") or "新案例").strip()[:40] + ".md", "新案例")
        path = cases_dir / unique_name(cases_dir, name, plan.names(cases_dir))
        plan.touch(path)
    wanted = {
        "title": str(case.get("title") or "").strip(),
        "date": _date_value(case.get("date") or ""),
        "authors": _split(case.get("authors") or ""),
        "tags": _split(case.get("tags") or ""),
        "summary": str(case.get("summary") or "").strip(),
    }
    _front_doc(
        plan,
        path,
        wanted,
        str(case.get("body") or ""),
        {"title", "date", "authors", "tags", "summary"},
    )
    adir = path.with_suffix("")
    taken = plan.names(adir)
    for item in case.get("appendix") or []:
        if item.get("file"):
            if item.get("deleted"):
                target = plan.folder / item["file"]
                plan.touch(target)
                plan.ops.append(Op("trash", target))
            continue
        if item.get("deleted") or not item.get("upload"):
            continue
        staged = _staged(staging, item["upload"], IMAGE_EXTS | ATTACHMENT_EXTS)
        name = unique_name(adir, safe_name(staged.name), taken)
        target = adir / name
        plan.touch(target)
        plan.ops.append(Op("copy", target, source=staged.path))


def _merge_schedule(data: CommentedMap, raw: Any, new: dict[int, list[str]] | None) -> bool:
    old = data[raw]
    if not new:
        if old:
            data[raw] = None
            return True
        return False
    if not isinstance(old, CommentedMap):
        data[raw] = rt.fresh({f"{m}月": v for m, v in sorted(new.items())})
        return True
    changed = False
    by_month = {textutil.parse_month(k): k for k in old}
    for month, items in sorted(new.items()):
        key = by_month.get(month)
        if key is None:
            pos = sum(1 for k in old if (textutil.parse_month(k) or 0) < month)
            old.insert(pos, f"{month}月", rt.fresh(items))
            changed = True
        elif isinstance(old[key], str) and len(items) == 1:
            if old[key].strip() != items[0]:
                old[key] = items[0]
                changed = True
        elif not rt.same(old[key], items):
            old[key] = (
                rt.merge(old[key], items) if isinstance(old[key], CommentedSeq) else rt.fresh(items)
            )
            changed = True
    for key in list(old):
        if textutil.parse_month(key) not in new:
            del old[key]
            changed = True
    return changed


def _plan_plan(plan: Plan, doc: dict) -> None:
    if doc.get("locked"):
        return
    plans_dir = plan.folder / "plans"
    if doc.get("file"):
        path = plan.folder / doc["file"]
        _check_inside(plan.folder, path)
        if doc.get("deleted"):
            plan.touch(path)
            plan.ops.append(Op("trash", path))
            return
    else:
        if doc.get("deleted"):
            return
        name = safe_name(str(doc.get("title") or "工作计划").strip()[:40] + ".md", "工作计划")
        path = plans_dir / unique_name(plans_dir, name, plan.names(plans_dir))
        plan.touch(path)
    schedule: dict[int, list[str]] = {}
    for month, text in (doc.get("schedule") or {}).items():
        m = textutil.parse_month(month)
        lines = [line.strip() for line in str(text or "").split("\n") if line.strip()]
        if m and lines:
            schedule[m] = lines
    year = str(doc.get("year") or "").strip()
    wanted = {
        "title": str(doc.get("title") or "").strip(),
        "year": _number(year) if year else None,
        "schedule": schedule or None,
    }
    _front_doc(
        plan,
        path,
        {k: v for k, v in wanted.items() if k != "schedule"} | {"schedule": wanted["schedule"]},
        str(doc.get("body") or ""),
        {"title", "year", "schedule", "date", "summary"},
        merge_keys={"schedule": _merge_schedule},
    )


# --- running the plan -----------------------------------------------------------------------------


def conflicts(plan: Plan) -> list[str]:
    """Files that are no longer as they were when the form was loaded."""
    return sorted(
        rel for rel, want in plan.expect.items() if fingerprint(plan.folder / rel) != want
    )


def execute(plan: Plan, trash) -> list[str]:
    """Carry the plan out (after `conflicts` found none); the relative paths touched."""
    done: list[str] = []
    for op in plan.ops:
        _check_inside(plan.folder, op.path)
        if op.kind == "mkdir":
            op.path.mkdir(parents=True, exist_ok=True)
        elif op.kind == "write":
            rt.write_atomic(op.path, op.data or b"")
        elif op.kind == "copy":
            op.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = op.path.with_name(f".~showcase-up-{op.path.name}")
            shutil.copyfile(op.source, tmp)  # the uploaded bytes, unchanged
            os.replace(tmp, op.path)
        elif op.kind == "rename":
            if op.path.exists() and op.path != op.source:
                raise SaveError(f"“{op.path.name}”已存在，没有覆盖")
            os.rename(op.source, op.path)
        elif op.kind == "trash" and op.path.exists():
            trash(op.path)
        done.append(_rel(plan.folder, op.path))
    return done
