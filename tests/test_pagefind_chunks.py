"""Pagefind's word index re-cut into small chunks: same words, found by Pagefind's own rule."""

from __future__ import annotations

import gzip
import json
import random
import shutil
from pathlib import Path

import cbor2
import pytest
from showcase.site import pagefindchunks, searchindex

BINARY = searchindex.pagefind_binary()

pytestmark = pytest.mark.skipif(BINARY is None, reason="Pagefind binary not installed")


def _load(path: Path):
    raw = gzip.decompress(path.read_bytes())
    assert raw.startswith(b"pagefind_dcd")
    return cbor2.loads(raw[12:])


def _bundle_words(bundle: Path) -> tuple[dict, list]:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language,) = entry["languages"].values()
    meta = _load(bundle / f"pagefind.{language['hash']}.pf_meta")
    words = {}
    for _from, _to, name in meta[2]:
        for word in _load(bundle / "index" / f"{name}.pf_index")[0]:
            words[word[0]] = word
    return words, meta


def _chunk_for(meta: list, term: str) -> str | None:
    """Pagefind's engine (pagefind_web, lib.rs): the first chunk with from <= term <= to;
    if none, the first whose boundaries, cut to the term's length, hold it."""
    for start, end, name in meta[2]:
        if start <= term <= end:
            return name
    for start, end, name in meta[2]:
        if term[: len(start)] >= start[: len(term)] and term[: len(end)] <= end[: len(term)]:
            return name
    return None


@pytest.fixture(scope="module")
def raw_bundle(tmp_path_factory) -> Path:
    """Pagefind's own output (not re-cut) for 80 pages of varied Chinese and Latin words."""
    root = tmp_path_factory.mktemp("chunks")
    rng = random.Random(7)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 900)]
    latin = ["liutangwan", "liutang", "fmszx", "2345", "1‿5", "xiaoxue", "ltwxx"]
    docs = root / "docs"
    for i in range(80):
        words = rng.choices(chars[:60], k=300) + rng.choices(chars, k=300) + rng.sample(latin, 3)
        rng.shuffle(words)
        page = docs / f"p{i:03d}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            '<!doctype html><html lang="und"><head><meta charset="utf-8"></head><body>'
            f"<main data-pagefind-body><h1>第 {i} 页</h1><p>{' '.join(words)}</p></main>"
            "</body></html>",
            encoding="utf-8",
        )
    out = root / "bundle"
    original = searchindex.rechunk
    searchindex.rechunk = lambda bundle: 0  # Pagefind's chunks as it wrote them
    try:
        assert searchindex.run_pagefind(BINARY, docs, out) is None
    finally:
        searchindex.rechunk = original
    return out


def test_rechunk_keeps_every_word_and_pagefinds_lookup_finds_it(raw_bundle, tmp_path):
    before, old_meta = _bundle_words(raw_bundle)
    bundle = tmp_path / "bundle"
    shutil.copytree(raw_bundle, bundle)
    count = pagefindchunks.rechunk(bundle, target=1500)
    after, meta = _bundle_words(bundle)

    assert after == before  # every word, page and position, unchanged
    assert count == len(meta[2]) > len(old_meta[2])
    assert meta[1] == old_meta[1]  # the pages (fragments) untouched
    for word in after:  # Pagefind's engine picks the chunk that holds the word
        name = _chunk_for(meta, word)
        assert name is not None, word
        assert word in {w[0] for w in _load(bundle / "index" / f"{name}.pf_index")[0]}
    for _start, _end, name in meta[2]:  # small chunks, unless one word is bigger alone
        words = _load(bundle / "index" / f"{name}.pf_index")[0]
        assert len(words) == 1 or len(cbor2.dumps(words)) <= 1500 + 50
    # the entry file names the new metadata; nothing of Pagefind's chunks is left over
    assert len(list(bundle.glob("pagefind.*.pf_meta"))) == 1
    named = {f"{name}.pf_index" for _s, _e, name in meta[2]}
    assert {p.name for p in (bundle / "index").iterdir()} == named


def test_rechunk_is_reproducible(raw_bundle, tmp_path):
    names = []
    for run in ("a", "b"):
        bundle = tmp_path / run
        shutil.copytree(raw_bundle, bundle)
        pagefindchunks.rechunk(bundle)
        names.append(sorted(p.name for p in bundle.rglob("*") if p.is_file()))
        digest = {p.name: p.read_bytes() for p in (bundle / "index").iterdir()}
        names.append(sorted(digest))
    assert names[0] == names[2] and names[1] == names[3]


def test_a_bundle_of_another_layout_is_refused_untouched(tmp_path):
    bundle = tmp_path / "bundle"
    (bundle / "index").mkdir(parents=True)
    meta = gzip.compress(b"pagefind_dcd" + cbor2.dumps({"not": "a list"}))
    (bundle / "pagefind.und_abc.pf_meta").write_bytes(meta)
    entry = {"version": "9", "languages": {"und": {"hash": "und_abc", "page_count": 0}}}
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")
    with pytest.raises(pagefindchunks.BundleError):
        pagefindchunks.rechunk(bundle)
    assert (bundle / "pagefind.und_abc.pf_meta").read_bytes() == meta
    assert json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8")) == entry
