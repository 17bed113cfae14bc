"""A project folder → the editor's form state (plain JSON), and back to YAML values.

Reading keeps every value as the teacher typed it (a wrong value is shown, not dropped,
so saving never loses it); the checker judges it.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ...core import textutil
from ...core.fields import (
    FIELDS,
    INDICATOR_GROUPS,
    INDICATOR_PARTS,
    OPINION_PARTS,
    FieldType,
    lookup,
    normalize_label,
    part_names,
)
from ...reading.folders import (
    IMAGE_EXTS,
    default_logo,
    is_inside,
    natural_key,
)
from ...reading.parts import META_ALIASES
from ...reading.yamlread import split_front_matter
from . import appendixform
from . import roundtrip as rt

YML = "project.yml"


TEXT_SUFFIXES = (".yml", ".yaml", ".md", ".markdown")


HEADER = (
    "# 党建精品项目登记信息（project.yml），由“showcase edit”填写页面保存。\n"
    "# 也可以直接用记事本修改：每行“字段名: 内容”，以 # 开头的行是说明。\n"
)


ORDINAL = re.compile(r"^[\s\d０-９]+[\s._\-—、，,．)）]*")


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


class SaveError(Exception):
    """A reason, in Chinese, why saving stopped (nothing or only whole files written)."""


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


def as_number(text: str) -> Any:
    """`20` → 20, `12.5` → 12.5; anything else stays text (the checker names it)."""
    text = text.strip()
    norm = unicodedata.normalize("NFKC", text)
    if re.fullmatch(r"-?\d+", norm):
        return int(norm)
    if re.fullmatch(r"-?\d+\.\d+", norm):
        return float(norm)
    return text


def split_items(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,，、;；\n]", text or "") if p.strip()]


def date_value(text: str) -> Any:
    text = (text or "").strip()
    if not text:
        return None
    return textutil.as_date(text) or text


def rel_path(folder: Path, path: Path) -> str:
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
    return sorted(entries, key=natural_key)


_IND_KEYS = {**part_names(INDICATOR_GROUPS), **{k: k for k in INDICATOR_PARTS}}


_OPINION_KEYS = part_names(OPINION_PARTS)


def indicator_key(raw: Any) -> Any:
    text = str(raw).strip()
    if text in _IND_KEYS:
        return _IND_KEYS[text]
    return int(text) if re.fullmatch(r"\d{4}", text) else None


def opinion_key(raw: Any) -> Any:
    return _OPINION_KEYS.get(str(raw).strip())


def meta_key(allowed: set[str]):
    def key_of(raw: Any) -> Any:
        norm = normalize_label(raw)
        key = META_ALIASES.get(norm, norm)
        return key if key in allowed else None

    return key_of


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
        return Loaded(
            path, None, data, y, error=f"项目登记信息文件无法读取（{type(exc).__name__}）"
        )
    return Loaded(path, tf, data, y)


def raw_fields(data: CommentedMap) -> dict[str, tuple[Any, Any]]:
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
                        indicator_key(k) not in ("text", "target", "unit", "actual") for k in item
                    ):
                        return rows, False
                    got = {indicator_key(k): v for k, v in item.items()}
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
            if any(opinion_key(k) is None for k in value):
                return empty, False
            return {**empty, **{opinion_key(k): _text(v) for k, v in value.items()}}, True
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
    raw = raw_fields(loaded.data)
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
        logo_name = rel_path(folder, logo)
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
    key_of = meta_key(allowed)
    out: dict[str, Any] = {}
    for raw, value in data.items():
        key = key_of(raw)
        if key is not None and key not in out:
            out[key] = value
    return out


def _read_case(folder: Path, path: Path, base: dict) -> dict:
    rel = rel_path(folder, path)
    base[rel] = fingerprint(path)
    try:
        _, data, _, body = _front(path)
        meta = _meta(data, {"title", "date", "authors", "tags", "summary", "appendix"})
    except Exception:  # noqa: BLE001 - an unreadable case is shown locked, never rewritten
        return {"file": rel, "locked": True, "title": path.stem, "appendix": []}
    return {
        "file": rel,
        "locked": False,
        "title": _text(meta.get("title")),
        "date": _text(meta.get("date")),
        "authors": _text(meta.get("authors")),
        "tags": _text(meta.get("tags")),
        "summary": _text(meta.get("summary")),
        "body": body.lstrip("\n"),
        "appendix": appendixform.state_items(
            folder, path, _plain(meta.get("appendix")), base, fingerprint
        ),
    }


def _plain(value: Any) -> Any:
    """ruamel's nodes as plain lists, dicts and strings (what the site's reader gets)."""
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, int) else k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _read_album(folder: Path, path: Path, base: dict) -> dict:
    date, title = textutil.split_dated_name(path.name)
    meta: dict[str, Any] = {}
    yml = path / "album.yml"
    rel_yml = rel_path(folder, yml)
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
            rel = rel_path(folder, entry)
            base[rel] = fingerprint(entry)
            caption = captions.get(entry.name)
            photos.append(
                {
                    "file": rel,
                    "name": entry.name,
                    "rotate": 0,
                    "caption": _text(caption)
                    if caption
                    else textutil.caption_from_filename(entry.name),
                }
            )
    return {
        "folder": rel_path(folder, path),
        "locked": locked,
        "title": _text(meta.get("title")) or title,
        "date": _text(meta.get("date")) or (date.isoformat() if date else ""),
        "description": _text(meta.get("description")),
        "photos": photos,
    }


def _read_plan(folder: Path, path: Path, base: dict) -> dict:
    rel = rel_path(folder, path)
    base[rel] = fingerprint(path)
    try:
        _, data, _, body = _front(path)
        meta = _meta(data, PLAN_META)
    except Exception:  # noqa: BLE001
        return {"file": rel, "locked": True, "title": path.stem, "schedule": {}, "timed": []}
    schedule: dict[str, str] = {}
    timed: list[dict] = []
    raw = meta.get("schedule")
    locked = raw is not None and not isinstance(raw, dict)
    for key, items in (raw or {}).items() if isinstance(raw, dict) else ():
        if isinstance(items, dict):
            locked = True
            continue
        lines = [_text(i) for i in items] if isinstance(items, list) else [_text(items)]
        month = textutil.parse_month(key)
        if month is None:  # 每月, 每学期末, 七一前, 教师节: a row of its own
            timed.append({"when": _text(key), "items": "\n".join(x for x in lines if x)})
            continue
        schedule[str(month)] = "\n".join(x for x in [schedule.get(str(month), ""), *lines] if x)
    return {
        "file": rel,
        "locked": locked,
        "title": _text(meta.get("title")),
        "year": _text(meta.get("year")),
        "date": _text(meta.get("date")),
        "issuer": _text(meta.get("issuer")),
        "scope": _text(meta.get("scope")),
        "schedule": schedule,
        "timed": timed,
        "body": body.lstrip("\n"),
    }


PLAN_META = {"title", "year", "schedule", "date", "summary", "scope", "issuer"}
"""A plan's front matter keys the form writes (the site reads the same; reading/parts.py)."""


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
                        actual[as_number(year)] = as_number(number)
                if not (text or target or unit or actual):
                    continue
                if not (target or unit or actual):
                    items.append(text)
                    continue
                item: dict[str, Any] = {"text": text}
                if target:
                    item["target"] = as_number(target)
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
        result = {k: (date_value(v) if k == "date" else v) for k, v in out.items() if v}
        return result or None
    if ftype is FieldType.LIST:
        items = split_items(value if isinstance(value, str) else "、".join(value or []))
        return items or None
    text = str(value or "").replace("\r\n", "\n").strip()
    if not text:
        return None
    if ftype is FieldType.INTEGER:
        return as_number(text)
    if ftype is FieldType.MARKDOWN or key == "summary":
        return text
    return re.sub(r"\s*\n\s*", " ", text)  # one-line fields: a pasted line break is a space


def drop_lost_uploads(state: dict, staging: dict) -> list[str]:
    """Uploads of a restored draft that the editor no longer holds (it was restarted) are
    taken out of the state; their names are returned for the teacher."""
    lost: list[str] = []

    def alive(entry: Any) -> bool:
        upload = entry.get("upload") if isinstance(entry, dict) else None
        if not upload:
            return True
        if str(upload.get("id")) in staging:
            return True
        lost.append(str(upload.get("name") or "文件"))
        return False

    logo = state.get("logo") or {}
    if isinstance(logo, dict) and not alive(logo):
        logo["upload"] = None
    for album in state.get("albums") or []:
        album["photos"] = [p for p in album.get("photos") or [] if alive(p)]
    for case in state.get("cases") or []:
        for item in case.get("appendix") or []:
            item["files"] = [f for f in item.get("files") or [] if alive(f)]
    return lost
