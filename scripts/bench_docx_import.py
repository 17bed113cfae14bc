"""Benchmark `import-docx --into` on Word files in the seeds' layouts, against alternatives.

    .venv/bin/python scripts/bench_docx_import.py [--repeat 5] [FILE.docx …]

Without files it builds the test suite's documents (tests/wordfiles.py: two cases, a plan)
plus one long document (3000 numbered sections). Prints, per document, milliseconds for:
plain python-docx reading (the baseline: open the file, read every paragraph's text), our
import (python-docx plus shaping: headings, lists, tables, appendix, schedule, debris), and
mammoth and pandoc (pypandoc-binary) converting to Markdown when they are installed (they are
not dependencies: `pip install mammoth pypandoc-binary` into a scratch venv to compare), with
the headings each output has. Times are ratios against the baseline of the same run.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def _baseline(path: Path) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def _ours(path: Path) -> str:
    from showcase.office.docimport import front_matter, import_text

    doc = import_text(path)
    return front_matter(doc) + doc.body


def _mammoth(path: Path) -> str:
    import mammoth

    with path.open("rb") as fh:
        return mammoth.convert_to_markdown(fh).value


def _pandoc(path: Path) -> str:
    import pypandoc

    return pypandoc.convert_file(str(path), "gfm", extra_args=["--wrap=none"])


def _available() -> dict:
    routes = {"python-docx (baseline)": _baseline, "ours": _ours}
    for name, module, func in (("mammoth", "mammoth", _mammoth), ("pandoc", "pypandoc", _pandoc)):
        try:
            __import__(module)
        except ImportError:
            print(f"（{name} 未安装，跳过）")
            continue
        routes[name] = func
    return routes


def _documents(folder: Path) -> list[Path]:
    from docx import Document
    from wordfiles import case_with_appendix, plan_with_schedule

    docs = [
        case_with_appendix(folder / "case-styled.docx", styled=True),
        case_with_appendix(folder / "case-typed.docx", styled=False),
        plan_with_schedule(folder / "plan.docx"),
    ]
    long = Document()
    long.add_paragraph("一份很长的经验材料")
    for n in range(3000):
        long.add_paragraph(f"{'一二三四五六七八九'[n % 9]}、第{n}部分")
        long.add_paragraph("这是正文的一句话。" * 15)
    long.save(str(folder / "long.docx"))
    return [*docs, folder / "long.docx"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    routes = _available()
    with tempfile.TemporaryDirectory() as tmp:
        files = args.files or _documents(Path(tmp))
        print(f"{'document':28}" + "".join(f"{name:>32}" for name in routes))
        for path in files:
            cells = []
            base = None
            for func in routes.values():
                func(path)  # warm: imports, caches
                start = time.perf_counter()
                for _ in range(args.repeat):
                    out = func(path)
                ms = (time.perf_counter() - start) / args.repeat * 1000
                base = base or ms
                heads = len(re.findall(r"^#{1,6} ", out, re.M))
                cells.append(f"{ms:8.1f} ms ×{ms / base:5.1f} h{heads:5d}")
            print(f"{path.name[:28]:28}" + "".join(f"{c:>32}" for c in cells))


if __name__ == "__main__":
    main()
