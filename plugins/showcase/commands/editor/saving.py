"""Saving the form safely: every file operation planned first, each file it would touch
compared with the fingerprint it had when the form was loaded, and nothing written if
any changed on disk meanwhile. Files are written atomically; deleted files go to the
system's recycle bin.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ...core import textutil
from ...core.fields import BY_KEY, FIELDS, FieldType, lookup
from ...reading.folders import (
    ATTACHMENT_EXTS,
    IMAGE_EXTS,
    LOGO_EXTS,
    natural_key,
)
from . import planform
from . import roundtrip as rt
from .fileplan import Op, Plan, Staged, check_inside, front_doc
from .state import (
    HEADER,
    ORDINAL,
    Loaded,
    SaveError,
    date_value,
    fingerprint,
    indicator_key,
    load_yml,
    meta_key,
    opinion_key,
    raw_fields,
    rel_path,
    safe_name,
    split_items,
    unique_name,
    yaml_value,
)


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
    raw = raw_fields(data)
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
                indicator_key
                if f.type is FieldType.INDICATORS
                else (opinion_key if f.type is FieldType.OPINION else (lambda k: k))
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


def render_project_yml(folder: Path, state: dict) -> tuple[Path, bytes | None, Loaded]:
    """project.yml's new bytes (None when unchanged)."""
    loaded = load_yml(folder)
    if loaded.error:
        raise SaveError(f"{loaded.error}：请先请懂行的老师用记事本修正它，再在这里保存")
    changed = apply_fields(loaded.data, state)
    logo_name = plan_logo_name(folder, state)
    if logo_name is not None:
        raw = raw_fields(loaded.data)
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
        planform.plan_plan(plan, doc)
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
    if current and current != rel_path(plan.folder, target):
        old = plan.folder / current
        plan.touch(old)
        plan.ops.append(Op("trash", old))  # the replaced logo goes to the recycle bin
    for ext in LOGO_EXTS:  # another logo.* would be chosen before it by default
        other = plan.folder / f"logo{ext}"
        if other != target and other.exists() and rel_path(plan.folder, other) != current:
            raise SaveError(
                "项目文件夹里还有另一张旧的标识图片，请懂行的老师先把它删除或改名，再上传新的标识"
            )
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
    in_order = sorted(names, key=lambda n: natural_key(Path(n))) == names
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
            rest = ORDINAL.sub("", stem)
            final.append(f"{i:0{width}d}-{rest}{ext}" if rest else f"{i:0{width}d}{ext}")
    captions: dict[str, str] = {}
    renamed: dict[str, str] = {}
    renames: list[tuple[Path, Path]] = []
    for (photo, _), name in zip(keep, final, strict=True):
        target = album_dir / name
        taken.add(name.lower())
        turn = int(photo.get("rotate") or 0) % 360
        if photo.get("file"):
            source = plan.folder / photo["file"]
            plan.touch(source)
            renamed[source.name] = name
            if turn:  # turned where it is, before any rename moves it
                plan.write(source, rotated(source, turn))
            if source != target:
                renames.append((source, target))
        else:
            item = _staged(staging, photo["upload"], IMAGE_EXTS)
            plan.touch(target)
            data = rotated(item.path, turn, item.name) if turn else None
            plan.ops.append(Op("copy", target, source=item.path, data=data))
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
        check_inside(plan.folder, album_dir)
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
    key_of = meta_key({"title", "date", "description", "cover", "captions"})
    present = {key_of(k): k for k in data if key_of(k)}
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


def _plan_case(plan: Plan, case: dict, staging: dict[str, Staged]) -> None:
    if case.get("locked"):
        return
    cases_dir = plan.folder / "cases"
    if case.get("file"):
        path = plan.folder / case["file"]
        check_inside(plan.folder, path)
        if case.get("deleted"):
            plan.touch(path)
            plan.ops.append(Op("trash", path))
            adir = path.with_suffix("")
            if adir.is_dir():
                for rel in [
                    r for r in plan.base if r.startswith(rel_path(plan.folder, adir) + "/")
                ]:
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
        "date": date_value(case.get("date") or ""),
        "authors": split_items(case.get("authors") or ""),
        "tags": split_items(case.get("tags") or ""),
        "summary": str(case.get("summary") or "").strip(),
    }
    _plan_appendix(plan, case, path, staging, wanted)
    front_doc(
        plan,
        path,
        wanted,
        str(case.get("body") or ""),
        {"title", "date", "authors", "tags", "summary", "appendix"},
        merge_keys={"appendix": _replace_value},
    )


def _replace_value(data: CommentedMap, raw: Any, new: Any) -> bool:
    """The appendix list is written anew when it changed (`_plan_appendix` compared it)."""
    data[raw] = rt.fresh(new) if new else None
    return True


def _plan_appendix(
    plan: Plan, case: dict, path: Path, staging: dict[str, Staged], wanted: dict
) -> None:
    """Files of the appendix items deleted, uploaded (and rotated); the ordered `appendix:`
    list put into `wanted` when the items differ from what the site reads now."""
    from . import appendixform

    adir = path.with_suffix("")
    taken = plan.names(adir)
    entries = []
    for item in case.get("appendix") or []:
        names, captions = [], []
        for f in item.get("files") or []:
            if f.get("file"):
                source = plan.folder / f["file"]
                if f.get("deleted") or item.get("deleted"):
                    plan.touch(source)
                    plan.ops.append(Op("trash", source))
                    continue
                names.append(source.name)
                captions.append((source.name, " ".join(str(f.get("caption") or "").split())))
                if int(f.get("rotate") or 0) % 360:
                    plan.write(source, rotated(source, int(f["rotate"])))
                continue
            if f.get("deleted") or item.get("deleted") or not f.get("upload"):
                continue
            staged = _staged(staging, f["upload"], IMAGE_EXTS | ATTACHMENT_EXTS)
            name = unique_name(adir, safe_name(staged.name), taken)
            target = adir / name
            plan.touch(target)
            turn = int(f.get("rotate") or 0) % 360
            data = rotated(staged.path, turn, staged.name) if turn else None
            plan.ops.append(Op("copy", target, source=staged.path, data=data))
            names.append(name)
            captions.append((name, " ".join(str(f.get("caption") or "").split())))
        if item.get("deleted"):
            continue
        entries.append(
            {
                "title": " ".join(str(item.get("title") or "").split()),
                "type": " ".join(str(item.get("type") or "").split()),
                "description": str(item.get("description") or "").strip(),
                "names": names,
                "captions": [(n, c) for n, c in captions if Path(n).suffix.lower() in IMAGE_EXTS],
            }
        )
    listing = None
    if path.is_file():
        from .state import _front, _meta, _plain

        _, data, _, _ = _front(path)
        listing = _plain(_meta(data, {"appendix"}).get("appendix"))
    if appendixform.same_as_disk(plan.folder, path, listing, entries):
        wanted.pop("appendix", None)
    else:
        wanted["appendix"] = appendixform.listing_for(entries) or None


def rotated(path: Path, degrees: int, name: str | None = None) -> bytes:
    """The photo turned clockwise by `degrees`, in its own format (the build strips metadata
    and honours the pixels as they are)."""
    import io

    from PIL import ImageOps

    from ...core.imaging import open_image

    fmt = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF"}.get(
        Path(name or path.name).suffix.lower()
    )
    if fmt is None:
        raise SaveError(f"“{Path(name or path.name).name}”这种格式的照片不能在这里旋转")
    try:
        with open_image(path) as img:
            img = ImageOps.exif_transpose(img).rotate(-degrees, expand=True)
            out = io.BytesIO()
            extra: dict[str, Any] = {"quality": 95} if fmt in ("JPEG", "WEBP") else {}
            if fmt == "JPEG" and img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            img.save(out, fmt, **extra)
    except SaveError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken photo is named, nothing is written
        raise SaveError(
            f"“{Path(name or path.name).name}”无法旋转（{type(exc).__name__}）"
        ) from exc
    return out.getvalue()


def conflicts(plan: Plan) -> list[str]:
    """Files that are no longer as they were when the form was loaded."""
    return sorted(
        rel for rel, want in plan.expect.items() if fingerprint(plan.folder / rel) != want
    )


def execute(plan: Plan, trash) -> list[str]:
    """Carry the plan out (after `conflicts` found none); the relative paths touched."""
    done: list[str] = []
    for op in plan.ops:
        check_inside(plan.folder, op.path)
        if op.kind == "mkdir":
            op.path.mkdir(parents=True, exist_ok=True)
        elif op.kind == "write":
            rt.write_atomic(op.path, op.data or b"")
        elif op.kind == "copy":
            op.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = op.path.with_name(f".~showcase-up-{op.path.name}")
            if op.data is not None:  # a photo turned in the form
                tmp.write_bytes(op.data)
            else:
                shutil.copyfile(op.source, tmp)  # the uploaded bytes, unchanged
            os.replace(tmp, op.path)
        elif op.kind == "rename":
            if op.path.exists() and op.path != op.source:
                raise SaveError(f"“{op.path.name}”已存在，没有覆盖")
            os.rename(op.source, op.path)
        elif op.kind == "trash" and op.path.exists():
            trash(op.path)
        done.append(rel_path(plan.folder, op.path))
    return done
