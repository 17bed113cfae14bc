"""officeimages: pictures inside Office files lose EXIF/GPS; the documents still open."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image, ImageChops, ImageOps, PngImagePlugin
from showcase.office.officeimages import (
    clean_member,
    image_kind,
    metadata_of,
    strip_image,
    strip_package,
)


def picture() -> Image.Image:
    img = Image.new("RGB", (120, 80), (200, 16, 46))
    img.paste((242, 193, 78), (30, 20, 90, 60))
    return img


def exif(orientation: int = 6) -> Image.Exif:
    data = Image.Exif()
    data[0x0112] = orientation
    data[0x010F] = "FakePhoneMaker"
    data[0x0110] = "FakePhone 12"
    data[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}
    return data


def gps_jpeg(**options) -> bytes:
    out = io.BytesIO()
    picture().save(out, "JPEG", exif=exif(), comment=b"zhang", **options)
    return out.getvalue()


def test_jpeg_loses_exif_gps_and_comment_losslessly_keeping_orientation():
    data = gps_jpeg()
    assert metadata_of(data) == {"exif": True, "gps": True, "xmp": False, "comment": True}
    cleaned = strip_image(data)
    assert cleaned.status == "stripped" and {"EXIF", "comment"} <= set(cleaned.removed)
    assert metadata_of(cleaned.data) == {
        "exif": False,
        "gps": False,
        "xmp": False,
        "comment": False,
    }
    assert b"FakePhone" not in cleaned.data
    with Image.open(io.BytesIO(data)) as before, Image.open(io.BytesIO(cleaned.data)) as after:
        assert after.getexif().get(0x0112) == 6  # shown the same way up
        assert ImageChops.difference(before.convert("RGB"), after.convert("RGB")).getbbox() is None


def test_progressive_jpeg_xmp_and_trailing_video_go_too():
    xmp = b"<x:xmpmeta><GPSLatitude>30</GPSLatitude></x:xmpmeta>"
    out = io.BytesIO()
    picture().save(out, "JPEG", exif=exif(1), progressive=True, xmp=xmp)
    data = out.getvalue() + b"motion-photo video bytes"
    cleaned = strip_image(data)
    assert {"EXIF", "XMP", "trailer"} <= set(cleaned.removed)
    assert b"GPSLatitude" not in cleaned.data and not cleaned.data.endswith(b"bytes")
    with Image.open(io.BytesIO(cleaned.data)) as img:
        img.load()
        assert 0x0112 not in img.getexif()


def test_png_webp_gif_tiff_heif():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "张老师")
    info.add_itxt("XML:com.adobe.xmp", "<x/>")
    out = io.BytesIO()
    picture().save(out, "PNG", pnginfo=info, exif=exif())
    samples = {"png": out.getvalue()}
    out = io.BytesIO()
    picture().save(out, "WEBP", exif=exif(), xmp=b"<x/>")
    samples["webp"] = out.getvalue()
    out = io.BytesIO()
    picture().save(out, "GIF", comment=b"zhang")
    samples["gif"] = out.getvalue()
    tiff_exif = Image.Exif()
    tiff_exif[0x010F] = "FakePhoneMaker"
    tiff_exif[0x013B] = "张老师"
    out = io.BytesIO()
    picture().save(out, "TIFF", exif=tiff_exif)
    samples["tiff"] = out.getvalue()
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    picture().save(out, "HEIF", exif=exif().tobytes())
    samples["heif"] = out.getvalue()
    for kind, data in samples.items():
        assert image_kind(data) == kind
        # the sample really carries what is to go: a Pillow that stopped writing it
        # would leave nothing to strip, and the test would pass without testing
        assert any(metadata_of(data).values()) or b"FakePhone" in data, kind
        cleaned = strip_image(data)
        assert cleaned.status in ("stripped", "reencoded"), kind
        assert metadata_of(cleaned.data) == dict.fromkeys(
            ("exif", "gps", "xmp", "comment"), False
        ), kind
        assert b"FakePhone" not in cleaned.data and "张老师".encode() not in cleaned.data, kind
        with Image.open(io.BytesIO(data)) as before, Image.open(io.BytesIO(cleaned.data)) as after:
            shown = ImageOps.exif_transpose(before).size  # HEIF applies its rotation on decoding
            assert ImageOps.exif_transpose(after).size == shown, kind


def test_clean_pictures_and_other_parts_are_left_alone():
    out = io.BytesIO()
    picture().save(out, "JPEG")
    assert strip_image(out.getvalue()).status == "clean"
    assert strip_image(b"<?xml version='1.0'?><a/>").status == "other"
    assert clean_member("word/document.xml", b"<w:document/>") is None


@pytest.mark.parametrize("damage", ["truncated-header", "bad-length"])
def test_a_picture_that_cannot_be_parsed_is_replaced(damage):
    data = gps_jpeg()
    data = data[:40] if damage == "truncated-header" else data[:4] + b"\xff\xff" + data[6:]
    cleaned = strip_image(data)
    assert cleaned.status == "replaced"
    with Image.open(io.BytesIO(cleaned.data)) as img:
        assert img.size == (1, 1)


def _docx(photo: bytes) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("工作室成立仪式")
    document.add_picture(io.BytesIO(photo))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx(photo: bytes) -> bytes:
    import openpyxl
    from openpyxl.drawing.image import Image as SheetImage

    book = openpyxl.Workbook()
    book.active["A1"] = "成员分工"
    book.active.add_image(SheetImage(io.BytesIO(photo)), "B2")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _pptx(photo: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("ppt/slides/slide1.xml", "<p:sld/>")
        package.writestr("ppt/media/image1.jpeg", photo)
    return out.getvalue()


@pytest.mark.parametrize("make", [_docx, _xlsx, _pptx])
def test_office_packages_lose_their_pictures_metadata_and_still_open(make):
    original = make(gps_jpeg())
    cleaned, report = strip_package(original)
    assert any("/media/" in name for name in report.parts)
    with (
        zipfile.ZipFile(io.BytesIO(original)) as before,
        zipfile.ZipFile(io.BytesIO(cleaned)) as after,
    ):
        assert before.namelist() == after.namelist()
        for name in after.namelist():
            data = after.read(name)
            if "/media/" in name:
                assert metadata_of(data)["gps"] is False and b"FakePhone" not in data
            elif name not in report.parts:
                assert data == before.read(name), name
    if make is _docx:
        import docx

        assert docx.Document(io.BytesIO(cleaned)).paragraphs[0].text == "工作室成立仪式"
    if make is _xlsx:
        import openpyxl

        assert openpyxl.load_workbook(io.BytesIO(cleaned)).active["A1"].value == "成员分工"


def test_a_workbook_embedded_in_a_document_is_cleaned_too():
    inner = _xlsx(gps_jpeg())
    outer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx(gps_jpeg()))) as src, zipfile.ZipFile(outer, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("word/embeddings/Microsoft_Excel_Worksheet.xlsx", inner)
    cleaned, report = strip_package(outer.getvalue())
    assert report.parts["word/embeddings/Microsoft_Excel_Worksheet.xlsx"] == "stripped"
    with zipfile.ZipFile(io.BytesIO(cleaned)) as package:
        nested = package.read("word/embeddings/Microsoft_Excel_Worksheet.xlsx")
    with zipfile.ZipFile(io.BytesIO(nested)) as package:
        media = [n for n in package.namelist() if "/media/" in n]
        assert media and all(b"FakePhone" not in package.read(n) for n in media)


def test_not_a_zip_is_the_callers_to_handle():
    with pytest.raises(zipfile.BadZipFile):
        strip_package(b"PK\x03\x04 broken")
