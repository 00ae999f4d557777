"""Files made in the tests: good ones of each accepted type and a bad one for each rule."""

from __future__ import annotations

import io
import zipfile
import zlib

from fixtures.documents import pdf_bytes

MB = 1024 * 1024


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["支出内訳書", "金額"])
    sheet.append(["受講料", 120000])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/>'
    "</Types>"
)
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def docx_bytes(*, main: str = _DOCX_MAIN, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _DOCX_TYPES.format(main=main))
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>推薦書</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docm_bytes() -> bytes:
    return docx_bytes(main=_DOCM_MAIN, extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})


def xlsm_bytes() -> bytes:
    """A workbook carrying a VBA project, with the ordinary workbook content type."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            archive.writestr(entry, source.read(entry))
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return buffer.getvalue()


def zip_bomb_xlsx() -> bytes:
    """A workbook with one entry of 60 MB of zeros, a few dozen KB packed."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            archive.writestr(entry, source.read(entry))
        archive.writestr("xl/media/padding.bin", bytes(60 * MB))
    return buffer.getvalue()


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF from numbered object bodies, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def pdf_bomb() -> bytes:
    """A one-page PDF whose content stream inflates to 64 MB (the tests cap inflation at 16)."""
    packed = zlib.compress(b" " * (64 * MB), 9)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
            + packed
            + b"\nendstream",
        ]
    )


def pdf_many_pages() -> bytes:
    """A small PDF whose page tree claims 100,000 pages."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 100000 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def pdf_with_javascript() -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /S /JavaScript /JS (app.alert(1)) >>",
        ]
    )


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200) + b"This program"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


def polyglot_png() -> bytes:
    """A real PNG (noise, so its head is long) with a web page after its end."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise((64, 64), 80).convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue() + HTML


def polyglot_pdf() -> bytes:
    """A PDF whose head is also read as a web page."""
    good = pdf_bytes("polyglot")
    return good[:9] + b"<html><script>alert(1)</script></html>\n" + good[9:]


# name, content, expected code: each refused upload in the corpus
BAD = [
    ("setup.pdf", EXE, "file_type_not_allowed"),
    ("page.html", HTML, "file_type_not_allowed"),
    ("logo.svg", SVG, "file_type_not_allowed"),
    ("page.pdf", HTML, "file_type_not_allowed"),
    ("bomb.pdf", None, "pdf_too_complex"),  # pdf_bomb(), made lazily
    ("pages.pdf", None, "pdf_too_complex"),  # pdf_many_pages()
    ("script.pdf", None, "pdf_active_content"),
    ("支出内訳書.xlsx", None, "office_too_complex"),  # zip_bomb_xlsx()
    ("macro.docm", None, "office_macro_not_allowed"),
    ("macro.xlsx", None, "office_macro_not_allowed"),  # xlsm with an xlsx name
    ("poly.png", None, "file_type_not_allowed"),
    ("poly.pdf", None, "file_type_not_allowed"),
    ("empty.pdf", b"", "file_empty"),
    ("broken.pdf", b"%PDF-1.4\nnot really", "pdf_unreadable"),
    ("photo.pdf", None, "file_extension_mismatch"),  # a JPEG named .pdf
]

_MAKERS = {
    "bomb.pdf": pdf_bomb,
    "pages.pdf": pdf_many_pages,
    "script.pdf": pdf_with_javascript,
    "支出内訳書.xlsx": zip_bomb_xlsx,
    "macro.docm": docm_bytes,
    "macro.xlsx": xlsm_bytes,
    "poly.png": polyglot_png,
    "poly.pdf": polyglot_pdf,
    "photo.pdf": jpeg_bytes,
}


def bad_content(name: str, content: bytes | None) -> bytes:
    return content if content is not None else _MAKERS[name]()


GOOD = [
    ("申請書.pdf", lambda: pdf_bytes("application"), "application/pdf"),
    ("写真.png", png_bytes, "image/png"),
    ("photo.JPG", jpeg_bytes, "image/jpeg"),
    (
        "支出内訳書.xlsx",
        xlsx_bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "推薦書.docx",
        docx_bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
]
