"""Pagefind's word index cut into small chunks, so a query fetches about what it needs.

Pagefind writes its word index in chunks of about 20,000 word positions, cut in word
order. Our search documents make every Chinese character a word; at district size each
character of a query then falls in a chunk of its own, and a rare character (柳, on 69
pages) brings a chunk of 20 KB of its neighbours in code-point order (杖 … 校) that the
query never reads. A phone pays for it twice: the download, and the WebAssembly decoding
the whole chunk. So after Pagefind has run, the words are cut again into chunks of
about TARGET bytes: a rare character's chunk shrinks to a few kilobytes, a common one
(党, 学) keeps a chunk of its own.

The bundle's format is Pagefind's (gzip of `pagefind_dcd` + CBOR); only the chunking,
the chunk list in the metadata file and that file's name change, and the lookup rule
Pagefind's engine applies to the chunk list (`from <= word <= to`, with boundaries cut to
the shortest distinguishing prefixes) is kept exactly.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"


TARGET = 6000
"""Bytes of CBOR (before gzip, about 2.5 KB after) at which a chunk is closed."""


class BundleError(Exception):
    """The bundle is not laid out as this module expects (another Pagefind version)."""


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise BundleError(f"{path.name}: not a Pagefind file")
    return cbor2.loads(raw[len(SIGNATURE) :])


def _encode(data: Any) -> tuple[bytes, bytes]:
    """(CBOR, the file's bytes): gzip without a time stamp, so a rebuild is identical."""
    body = cbor2.dumps(data)
    return body, gzip.compress(SIGNATURE + body, 9, mtime=0)


def _name(prefix: str, body: bytes, taken: set[str], length: int) -> str:
    digest = hashlib.sha256(body).hexdigest()
    while f"{prefix}_{digest[:length]}" in taken and length < len(digest):
        length += 1  # a collision of short hashes: one character more, as Pagefind does
    return f"{prefix}_{digest[:length]}"


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """Pagefind's chunk boundaries: the end of one chunk and the start of the next, each
    cut one character past their common prefix."""
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return a[: common + 1], b[: common + 1]


def cut(words: list[Any], target: int = TARGET) -> list[list[Any]]:
    """Words (in order) in runs of about `target` encoded bytes; a big word alone."""
    chunks: list[list[Any]] = []
    current: list[Any] = []
    size = 0
    for word in words:
        length = len(cbor2.dumps(word))
        if current and size + length > target:
            chunks.append(current)
            current, size = [], 0
        current.append(word)
        size += length
    if current:
        chunks.append(current)
    return chunks


def rechunk(bundle: Path, target: int = TARGET) -> int:
    """Cut the word index of the Pagefind bundle at `bundle` again; the number of chunks.

    Files are written before the metadata that names them and the entry file that names
    the metadata, and the old ones removed last: a reader loading meanwhile gets either
    index whole.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    written: list[Path] = []  # the new index's files
    old: list[Path] = []  # Pagefind's, removed once the new ones are in place
    total = 0
    for language in entry.get("languages", {}).values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_path)
        if not (isinstance(meta, list) and len(meta) > 2 and isinstance(meta[2], list)):
            raise BundleError(f"{meta_path.name}: unexpected layout")
        prefix = language["hash"].split("_")[0]
        words: list[Any] = []
        for _from, _to, chunk_hash in meta[2]:
            chunk_path = bundle / "index" / f"{chunk_hash}.pf_index"
            data = _read(chunk_path)
            words.extend(data[0])
            old.append(chunk_path)
        words.sort(key=lambda w: w[0])
        chunks = cut(words, target)
        names: set[str] = set()
        table: list[list[str]] = []
        for chunk in chunks:
            body, payload = _encode([chunk])
            name = _name(prefix, body, names, 7)
            names.add(name)
            path = bundle / "index" / f"{name}.pf_index"
            path.write_bytes(payload)
            written.append(path)
            table.append([chunk[0][0], chunk[-1][0], name])
        for i in range(len(table) - 1):
            table[i][1], table[i + 1][0] = _prefixes(table[i][1], table[i + 1][0])
        meta[2] = table
        body, payload = _encode(meta)
        meta_name = _name(prefix, body, set(), 11)
        new_meta = bundle / f"pagefind.{meta_name}.pf_meta"
        new_meta.write_bytes(payload)
        written.append(new_meta)
        old.append(meta_path)
        language["hash"] = meta_name
        total += len(table)
    tmp = entry_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")
    tmp.replace(entry_path)
    for path in set(old) - set(written):
        path.unlink(missing_ok=True)
    return total
