"""Real bad files for the checking tests: broken and hostile images, Office files, PDFs.

Each is a real file made with the real library (Pillow, python-docx, openpyxl) and then
damaged the way files get damaged on the way from a teacher's phone to the district.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from conftest import make_image

# Fictional numbers (see domain.md): a mobile number and ID-card numbers with a valid
# and a wrong check digit.
PHONE = "13800000000"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(base17: str = "11010519491231002") -> str:
    """An 18-digit ID-card number with its GB 11643 check digit."""
    total = sum(int(d) * w for d, w in zip(base17, _WEIGHTS, strict=True))
    return base17 + "10X98765432"[total % 11]


ID_CARD = id_number()
BAD_ID_CARD = ID_CARD[:-1] + ("0" if ID_CARD[-1] != "0" else "1")


def empty(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


def truncated(path: Path, fmt: str = "JPEG", keep: float = 0.5) -> Path:
    """A real photo cut off part-way, as after an interrupted copy."""
    make_image(path, (800, 600), fmt=fmt)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def corrupt_png(path: Path) -> Path:
    """A PNG whose compressed data was overwritten: header fine, checksums wrong."""
    make_image(path, (300, 200), fmt="PNG")
    data = bytearray(path.read_bytes())
    start = data.index(b"IDAT") + 8
    for i in range(start, min(start + 200, len(data) - 20)):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def not_an_image(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("这其实是一份文字材料，只是被改成了 .jpg 的名字。\n", encoding="utf-8")
    return path


def bomb_png(path: Path, width: int = 30000, height: int = 30000) -> Path:
    """A tiny PNG whose header claims `width`×`height` pixels (a decompression bomb)."""
    make_image(path, (1, 1), fmt="PNG")
    data = bytearray(path.read_bytes())
    i = data.index(b"IHDR")
    data[i + 4 : i + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[i : i + 17])) & 0xFFFFFFFF
    data[i + 17 : i + 21] = struct.pack(">I", crc)
    path.write_bytes(bytes(data))
    return path


def docx_with(path: Path, *paragraphs: str, table: list[list[str]] | None = None) -> Path:
    import docx

    path.parent.mkdir(parents=True, exist_ok=True)
    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
    doc.save(str(path))
    return path


def xlsx_with(path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "成员分工"
    for row in rows:
        sheet.append(row)
    book.save(str(path))
    return path


def pdf_with(path: Path, text: str) -> Path:
    """A one-page PDF with `text` (ASCII) in Helvetica, written object by object."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(out))
    return path
