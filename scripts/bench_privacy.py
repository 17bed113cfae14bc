"""Issue 22 (1, 4, 5, 6, 8): time, peak memory and what leaks, per hostile file, in a real build.

    .venv/bin/python scripts/bench_privacy.py                      # this checkout
    PYTHONPATH=/tmp/before/plugins .venv/bin/python scripts/bench_privacy.py --timeout 60
        # the same cases against another checkout's package (e.g. `git archive` of main)

Each case is `bench_hostile.make_site`'s one-school site plus one file; `mkdocs build`
runs in a child process with a hard timeout (`bench_hostile.run`). Reported: exit code
(None: killed), wall seconds, peak RSS, the showcase findings naming the file, and
`leaks`: secrets of the input (a phone number, a name, "FakePhone" EXIF, GPS, a URL)
still present anywhere in the built site (nested zips opened, entities decoded).
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_hostile as hostile  # noqa: E402

NAME = "王秘密"
PHONE = "13800005555"
SECRETS = [NAME, PHONE, "FakePhone", "127.0.0.1:8899", "fileserver"]


def _gps_jpeg() -> bytes:
    from PIL import Image

    img = Image.new("RGB", (320, 240), (200, 16, 46))
    exif = Image.Exif()
    exif[0x0110] = "FakePhone 12"
    exif[0x010E] = f"{NAME} {PHONE}"
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _logo(svg: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        (folder / "logo.png").unlink()
        (folder / "logo.svg").write_text(svg, encoding="utf-8")
        text = (folder / "project.yml").read_text(encoding="utf-8")
        (folder / "project.yml").write_text(text + "logo: logo.svg\n", encoding="utf-8")

    return setup


def _appendix(name: str, make: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        hostile._write(folder / "cases" / "案例.md", "---\ntitle: 案例\n---\n正文。\n")
        (folder / "cases" / "案例").mkdir(parents=True, exist_ok=True)
        make(folder / "cases" / "案例" / name)

    return setup


def _pdf_photo(path: Path) -> None:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    image = pikepdf.Stream(pdf, _gps_jpeg())
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = 320, 240, 8
    image.ColorSpace, image.Filter = pikepdf.Name.DeviceRGB, pikepdf.Name.DCTDecode
    pdf.pages[0].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    pdf.pages[0].Contents = pikepdf.Stream(pdf, b"q 320 0 0 240 0 0 cm /Im0 Do Q")
    pdf.docinfo["/Author"] = NAME
    pdf.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.JavaScript, JS=pikepdf.String(f"app.alert('{PHONE}')")
    )
    pdf.attachments["a.txt"] = pikepdf.AttachedFileSpec(pdf, PHONE.encode())
    pdf.save(path)


def _docx_hidden(path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from test_attachments_private import hidden_docx

    hidden_docx(path)


TURBULENCE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><filter id="t">'
    '<feTurbulence baseFrequency="0.9" numOctaves="100000000"/></filter>'
    '<rect width="100" height="100" filter="url(#t)"/></svg>'
)
CSS_ESCAPE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    "<style>rect{fill:u\\72l(http://127.0.0.1:8899/x.png)}</style>"
    '<rect width="100" height="100"/></svg>'
)
DATA_URI = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><image width="64" '
    f'height="48" href="data:image/jpeg;base64,{base64.b64encode(_gps_jpeg()).decode()}"/></svg>'
)
RENDERED = "\n\n".join(
    [
        "139**1234**5678",
        "&#49;&#51;&#57;12345678",
        "139<span>1234</span>5678",
        "139`1234`5678",
        "139\\-1234\\-5678",
        "139/1234/5678",
        "139，1234，5678",
        "一三九一二三四五六七八",
    ]
)

CASES: dict[str, Callable[[Path], None]] = {
    "baseline": lambda folder: None,
    "svg-turbulence": _logo(TURBULENCE),
    "svg-css-escape": _logo(CSS_ESCAPE),
    "svg-data-uri-gps": _logo(DATA_URI),
    "pdf-photo-js-attachment": _appendix("简报.pdf", _pdf_photo),
    "docx-hidden-places": _appendix("方案.docx", _docx_hidden),
    "rendered-pii": hostile._case_body(RENDERED),
}


def _site_text(site: Path) -> str:
    """Everything a visitor can download, unzipped and decoded, as one text."""
    out: list[str] = []

    def add(data: bytes, depth: int = 0) -> None:
        if data[:2] == b"PK" and depth < 3:
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as zf:
                    for name in zf.namelist():
                        add(zf.read(name), depth + 1)
                return
            except zipfile.BadZipFile:
                pass
        text = data.decode("utf-8", "ignore")
        out.append(html.unescape(text))
        for b64 in re.findall(r"base64,([A-Za-z0-9+/=]+)", text):
            out.append(base64.b64decode(b64).decode("latin-1"))

    for path in site.rglob("*"):
        if path.is_file():
            add(path.read_bytes())
    return "\n".join(out)


def _leaks(site: Path, case: str) -> list[str]:
    text = _site_text(site)
    found = [s for s in SECRETS if s in text]
    if case == "rendered-pii":
        digits = re.sub(r"\D", "", text.translate(str.maketrans("一二三四五六七八九", "123456789")))
        if "13912345678" in digits:
            found.append("13912345678")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--only", default="")
    args = parser.parse_args(argv)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    print(f"{'case':26} {'rc':>4} {'s':>7} {'MB':>6}  findings / leaks")
    for name, setup in CASES.items():
        if args.only and not name.startswith(args.only):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            setup(hostile.make_site(root))
            code, seconds, peak, text = hostile.run(
                [*hostile.executable("mkdocs"), "build"], root, args.timeout, env
            )
            lines = [
                ln.split("showcase", 1)[1][:110]
                for ln in text.splitlines()
                if "showcase" in ln and ("案例" in ln or "logo" in ln)
            ]
            leaks = _leaks(root / "site", name) if (root / "site").is_dir() else ["(no site)"]
            print(f"{name:26} {code!s:>4} {seconds:7.1f} {peak:6.0f}  leaks={leaks}")
            for line in lines[:6]:
                print(f"{'':46}{line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
