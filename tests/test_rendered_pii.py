"""Issue 22 (6): the PII scan reads what readers see, and the published page is masked.

Each written form renders as one number on the page; each is a different number here, so
each finding and each masked place can be checked on its own. The control school beside
it is published as before.
"""

from __future__ import annotations

import html as _html
import logging
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import build, make_image, make_project, make_site, read, write
from showcase.core.pii import find_personal
from showcase.site.pagepii import mask_html

EVIL = {"branch": "白杨小学党支部", "school": "白杨小学", "name": "红烛工程", "summary": "摘要。"}

FORMS = {
    "bold": ("139**1234**5601", "13912345601"),
    "entities": ("&#49;&#51;&#57;12345602", "13912345602"),
    "span": ("139<span>1234</span>5603", "13912345603"),
    "code": ("139`1234`5604", "13912345604"),
    "escapes": ("139\\-1234\\-5605", "13912345605"),
    "slashes": ("139/1234/5606", "13912345606"),
    "full-width-commas": ("139，1234，5607", "13912345607"),
    "chinese-numerals": ("一三九一二三四五六零八", "13912345608"),
    "strike": ("139~~1234~~5609", "13912345609"),
}
_NUMERALS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def digits_of(text: str) -> str:
    """Every digit a reader sees, in order (entities decoded, Chinese numerals as digits)."""
    text = unicodedata.normalize("NFKC", _html.unescape(text))
    return re.sub(r"\D", "", text.translate(_NUMERALS))


@pytest.mark.parametrize("name", FORMS)
def test_each_form_is_found_and_masked_in_rendered_html(name: str):
    written, number = FORMS[name]
    import markdown

    html = markdown.markdown(f"联系：{written}", extensions=["pymdownx.tilde"])
    assert number in digits_of(html)  # the reader sees the number
    masked, found = mask_html(html)
    assert found == [f"{number[:3]}****{number[-4:]}"]
    assert number not in digits_of(masked)
    assert number[-4:] in digits_of(masked)


def test_numbers_in_separate_blocks_are_not_joined():
    masked, found = mask_html("<p>第 139 页</p><p>12345678 元</p>")
    assert found == [] and "139" in masked


def test_new_separators_need_no_rendering():
    for written in ("139/1234/5678", "139，1234，5678", "一三九一二三四五六七八"):
        assert [m.masked for m in find_personal(written)] == ["139****5678"], written
    for not_a_number in ("2024/12/06", "1/3", "139****5678", "第1，2，3条"):
        assert find_personal(not_a_number) == [], not_a_number


def test_published_pages_never_show_a_number_in_any_form(site_root: Path, caplog):
    make_project(site_root / "projects", "qinghe")  # the control school
    evil = make_project(
        site_root / "projects", "baiyang", {**EVIL, "summary": "摘要，联系 139/1234/5612。"}
    )
    body = "\n\n".join(f"{name}：{written}" for name, (written, _) in FORMS.items())
    write(
        evil / "cases" / "联系.md",
        "---\ntitle: 联系方式 139**1234**5610\n---\n"
        + body
        + "\n\n![合影 139`1234`5611](联系/photo.jpg)\n",
    )
    make_image(evil / "cases" / "联系" / "photo.jpg")
    make_site(site_root, {"allow_raw_html": True})
    caplog.set_level(logging.INFO)
    site = build(site_root / "mkdocs.yml")
    lines = [r.getMessage() for r in caplog.records if "showcase" in r.name]

    assert "青禾路小学" in read(site, "projects/qinghe/")
    page = read(site, "projects/baiyang/cases/lianxi/")
    assert "139****" in page
    numbers = [number for _, number in FORMS.values()]
    numbers += ["13912345610", "13912345611", "13912345612"]
    for path in site.rglob("*"):
        if path.suffix in (".html", ".json", ".xml", ".js", ".csv", ".txt"):
            text = digits_of(path.read_text(encoding="utf-8", errors="ignore"))
            for number in numbers:
                assert number not in text, (path, number)
    import openpyxl

    sheet = openpyxl.load_workbook(site / "registry.xlsx").active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    assert "13912345612" not in digits_of(cells) and "139/****/5612" in cells
    for number in numbers:
        masked = f"{number[:3]}****{number[-4:]}"
        source = "project.yml" if number.endswith("5612") else "联系.md"
        assert any(source in ln and masked in ln for ln in lines), (masked, lines)


def test_addresses_keep_their_digits_and_numbers_in_them_are_still_masked():
    """A content hash or a date in a file name is no phone number: masking it broke a photo
    link. A `tel:` link, an anchor and what a reader sees are masked."""
    from showcase.site.pagepii import mask_html

    hashed = "../../assets/showcase/img/bb/bbf13be48ef03781233195d82cdaaeeb-1200.webp"
    page = (
        f'<a href="{hashed}"><img src="{hashed}" alt="合影"></a>'
        f'<meta property="og:image" content="https://example.edu.cn/{hashed[6:]}">'
        '<div data-src="photos/2024-0378123319.jpg"></div>'
        '<a href="tel:13912345678">13912345678</a><a href="case.html#13912345678">见</a>'
    )
    masked, found = mask_html(page)
    assert hashed in masked and masked.count("bbf13be48ef03781233195d82cdaaeeb") == 3
    assert "2024-0378123319.jpg" in masked
    assert "13912345678" not in masked and masked.count("139****5678") == 3
    assert found
