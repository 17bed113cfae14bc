"""Precision of the pupil check (checking/pupils.py) on real or demo texts.

    python scripts/pupil_check.py [--true NAME ...] PATH ...

PATH: text files (.txt, .md: the whole text is checked) or project folders (the texts the
site publishes, as `showcase check` reads them). Every sentence the check flags is
printed; names given with --true are the pupils a reader found named next to an illness,
hardship or discipline, so the script can say how many flags were right (precision) and
how many of those pupils were caught (recall). Used for the figures in docs/guide.md:

    python scripts/pupil_check.py --true 宋小田 /work/shared/seeds/0*.txt projects/*
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from showcase.checking.pupils import SENSITIVE, find_mentions
from showcase.checking.texts import public_texts
from showcase.reading.load import load_project


def texts_of(path: Path) -> list[tuple[str, str]]:
    """(where, text) pairs of a file or a project folder."""
    if path.is_dir():
        project = load_project(path)
        return [(f"{item.file}:{item.line or ''}", item.text) for item in public_texts(project)]
    return [(str(path), path.read_text(encoding="utf-8-sig"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--true", action="append", default=[], help="a pupil truly named")
    args = parser.parse_args(argv)
    truth = set(args.true)
    flagged = right = candidates = 0
    sensitive = re.compile("|".join(re.escape(w) for ws in SENSITIVE.values() for w in ws))
    caught: set[str] = set()
    for path in args.paths:
        texts = texts_of(path)
        found = [(where, m) for where, text in texts for m in find_mentions(text)]
        with_word = sum(
            1
            for _, text in texts
            for s in re.split(r"[。！？；!?;\n]", text)
            if sensitive.search(s)
        )
        candidates += with_word
        print(f"{path}: {len(found)} 条报警（{with_word} 句含敏感词）")
        for where, m in found:
            ok = m.name in truth
            flagged += 1
            right += ok
            if ok:
                caught.add(m.name)
            mark = "对" if ok else "误"
            print(f"  [{mark}] {m.name} + {m.word}（{m.kind}） {where}  {m.sentence[:60]}")
    precision = f"{right}/{flagged} = {right / flagged:.0%}" if flagged else "—（没有报警）"
    print(
        f"含敏感词的句子 {candidates} 句；报警 {flagged} 条，其中正确 {right} 条：精确率 {precision}"
    )
    if truth:
        print(
            f"已知 {len(truth)} 名学生，查出 {len(caught)} 名：{'、'.join(sorted(caught)) or '无'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
