"""Every file a user uploads passes here, whichever programme it is for: its size and the
record's quota, its type judged by its content (never its name), then one copy stored under its
SHA-256. Services call :func:`upload_accept`; views and the API only translate its refusals."""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

from .errors import ValidationFailed

# The limits, each overridable in settings (config/settings.py, "# Uploads").
DEFAULTS: dict[str, int] = {
    "KOFU_UPLOAD_MAX_FILE_BYTES": 20 * 1024 * 1024,
    "KOFU_UPLOAD_QUOTA_BYTES": 200 * 1024 * 1024,  # per application or nomination
    "KOFU_UPLOAD_MAX_FILES": 50,  # per application or nomination
    "KOFU_UPLOAD_PDF_MAX_PAGES": 500,
    "KOFU_UPLOAD_PDF_MAX_OBJECTS": 100_000,
    "KOFU_UPLOAD_MAX_EXPANDED_BYTES": 200 * 1024 * 1024,  # inflated: PDF streams, Office zip
    "KOFU_UPLOAD_IMAGE_MAX_PIXELS": 50_000_000,
    "KOFU_UPLOAD_ZIP_MAX_ENTRIES": 2_000,
    "KOFU_UPLOAD_ZIP_MAX_RATIO": 200,
}


def limit(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


class UploadRefused(ValidationFailed):
    """A file refused before anything is stored; ``code`` names the rule it broke."""

    code = "file_type_not_allowed"

    def __init__(self, code: str, message: Any, *, field: str = "file") -> None:
        super().__init__(message, field=field, code=code)


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind("PDF", "application/pdf", (".pdf",))
PNG = Kind("PNG", "image/png", (".png",))
JPEG = Kind("JPEG", "image/jpeg", (".jpg", ".jpeg"))
XLSX = Kind(
    "Excel (xlsx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
DOCX = Kind(
    "Word (docx)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
ALLOWED = (PDF, PNG, JPEG, XLSX, DOCX)


def kind_label(content_type: str) -> str:
    """What people call a stored file's type (PDF, Excel (xlsx), …); empty for another type."""
    return next((kind.label for kind in ALLOWED if kind.content_type == content_type), "")


# The main part an Office file must declare, by the content type [Content_Types].xml gives it.
_OFFICE_MAIN = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        XLSX,
        "/xl/workbook.xml",
    ),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        DOCX,
        "/word/document.xml",
    ),
}
# What a browser would take for a page: refused at the head of any file (polyglots included).
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|script|svg|body|iframe)", re.IGNORECASE)


@dataclass(frozen=True)
class Accepted:
    """A checked file: what to show, what it is, and where its one stored copy lives."""

    name: str
    sha256: str
    size: int
    content_type: str
    storage_name: str


def _refuse(code: str, name: str, rule: Any) -> UploadRefused:
    return UploadRefused(code, _("“%(name)s”: %(rule)s") % {"name": name, "rule": rule})


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def display_name(name: str | None) -> str:
    """The applicant's file name without any folder, kept only for display."""
    base = posixpath.basename((name or "").replace("\\", "/")).strip()
    return base[:255] or "upload"


# --- the content checks ---------------------------------------------------------------------


def _check_pdf(data: bytes, name: str) -> None:
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, IndirectObject, NameObject, StreamObject

    too_complex = _("the PDF is too complex to accept (%(what)s).")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _refuse("pdf_unreadable", name, _("an encrypted PDF cannot be checked."))
        objects = sum(len(entries) for entries in reader.xref.values()) + len(reader.xref_objStm)
        if objects > limit("KOFU_UPLOAD_PDF_MAX_OBJECTS"):
            raise _refuse("pdf_too_complex", name, too_complex % {"what": f"{objects} objects"})
        pages = reader.trailer["/Root"]["/Pages"]
        claimed = pages.get_object().get("/Count", 0)
        claimed = claimed.get_object() if hasattr(claimed, "get_object") else claimed
        max_pages = limit("KOFU_UPLOAD_PDF_MAX_PAGES")
        if not isinstance(claimed, int) or claimed > max_pages or claimed < 0:
            raise _refuse(
                "pdf_too_complex",
                name,
                too_complex
                % {"what": _("%(n)s pages, at most %(max)s") % {"n": claimed, "max": max_pages}},
            )
        budget = limit("KOFU_UPLOAD_MAX_EXPANDED_BYTES")
        for generation, entries in [*list(reader.xref.items()), (0, reader.xref_objStm)]:
            for number in entries:
                obj = reader.get_object(IndirectObject(number, generation, reader))
                if isinstance(obj, DictionaryObject) and (
                    obj.get("/S") == NameObject("/JavaScript")
                    or "/JS" in obj
                    or (obj.get("/S") == NameObject("/Launch"))
                ):
                    raise _refuse(
                        "pdf_active_content", name, _("a PDF with scripts is not accepted.")
                    )
                if isinstance(obj, StreamObject):
                    budget -= _stream_size(obj, budget)
                    if budget < 0:
                        raise _refuse(
                            "pdf_too_complex",
                            name,
                            too_complex
                            % {
                                "what": _("its content inflates beyond %(max)s")
                                % {"max": _megabytes(limit("KOFU_UPLOAD_MAX_EXPANDED_BYTES"))}
                            },
                        )
        if len(reader.pages) > max_pages:
            raise _refuse("pdf_too_complex", name, too_complex % {"what": _("too many pages")})
    except UploadRefused:
        raise
    except Exception as error:
        raise _refuse("pdf_unreadable", name, _("this is not a readable PDF.")) from error


def _stream_size(stream: Any, budget: int) -> int:
    """The stream's inflated size, inflating it piece by piece and stopping past ``budget``."""
    raw = getattr(stream, "_data", b"") or b""
    filters = stream.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, list) else [str(filters or "")]
    if names[0] not in ("/FlateDecode", "/Fl"):
        return len(raw)
    inflater = zlib.decompressobj()
    size = 0
    pending = raw
    try:
        while pending and size <= budget:
            size += len(inflater.decompress(pending, _PIECE))
            pending = inflater.unconsumed_tail
    except zlib.error:
        return max(size, len(raw))
    return size


_PIECE = 1024 * 1024


def _check_image(data: bytes, name: str, kind: Kind) -> None:
    from PIL import Image

    max_pixels = limit("KOFU_UPLOAD_IMAGE_MAX_PIXELS")
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != ("PNG" if kind is PNG else "JPEG"):
                    raise ValueError(image.format)
                if image.width * image.height > max_pixels:
                    raise Image.DecompressionBombError("too many pixels")
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _refuse(
            "image_too_large",
            name,
            _("the image has more than %(max)s pixels.") % {"max": f"{max_pixels:,}"},
        ) from error
    except Exception as error:
        raise _refuse(
            "image_unreadable",
            name,
            _("this is not a readable %(kind)s image.") % {"kind": kind.label},
        ) from error
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    if kind is PNG and not data.rstrip(b"\0").endswith(b"IEND\xaeB`\x82"):
        raise _refuse("file_type_not_allowed", name, _("the image carries data after its end."))
    if kind is JPEG and not data.rstrip(b"\0\r\n").endswith(b"\xff\xd9"):
        raise _refuse("file_type_not_allowed", name, _("the image carries data after its end."))


def _check_office(data: bytes, name: str) -> Kind:
    too_complex = _("the file unpacks beyond the limits (%(what)s).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _refuse(
            "office_unreadable", name, _("this is not a readable Office file.")
        ) from error
    if len(entries) > limit("KOFU_UPLOAD_ZIP_MAX_ENTRIES"):
        raise _refuse("office_too_complex", name, too_complex % {"what": f"{len(entries)} entries"})
    total = 0
    ratio = limit("KOFU_UPLOAD_ZIP_MAX_RATIO")
    for entry in entries:
        total += entry.file_size
        if entry.flag_bits & 0x1:
            raise _refuse(
                "office_unreadable", name, _("an encrypted Office file cannot be checked.")
            )
        if entry.file_size > 1024 * 1024 and entry.file_size > ratio * max(entry.compress_size, 1):
            raise _refuse(
                "office_too_complex", name, too_complex % {"what": _("compression ratio")}
            )
        lowered = entry.filename.lower()
        if lowered.endswith("vbaproject.bin") or (lowered.endswith(".bin") and "vba" in lowered):
            raise _refuse(
                "office_macro_not_allowed", name, _("files with macros (xlsm, docm) are refused.")
            )
    if total > limit("KOFU_UPLOAD_MAX_EXPANDED_BYTES"):
        raise _refuse(
            "office_too_complex",
            name,
            too_complex % {"what": _megabytes(total)},
        )
    try:
        types = _read_capped(archive, "[Content_Types].xml", 1024 * 1024).decode("utf-8")
    except KeyError as error:
        raise _refuse(
            "office_unreadable", name, _("the Office file has no [Content_Types].xml.")
        ) from error
    except (zipfile.BadZipFile, ValueError, OSError, UnicodeDecodeError) as error:
        raise _refuse(
            "office_unreadable", name, _("this is not a readable Office file.")
        ) from error
    if "macroenabled" in types.lower() or "vbaproject" in types.lower():
        raise _refuse(
            "office_macro_not_allowed", name, _("files with macros (xlsm, docm) are refused.")
        )
    present = {"/" + entry.filename for entry in entries}
    for override in re.findall(r"<Override\b[^>]*>", types):
        part = re.search(r'PartName="([^"]*)"', override)
        content_type = re.search(r'ContentType="([^"]*)"', override)
        main = _OFFICE_MAIN.get(content_type.group(1) if content_type else "")
        if main and part and part.group(1) == main[1] and main[1] in present:
            return main[0]
    raise _refuse(
        "file_type_not_allowed",
        name,
        _("only xlsx and docx Office files are accepted, with their main part."),
    )


def _read_capped(archive: zipfile.ZipFile, member: str, cap: int) -> bytes:
    with archive.open(member) as stream:
        data = stream.read(cap + 1)
    if len(data) > cap:
        raise ValueError("part too large")
    return data


def _kind_of(data: bytes, name: str) -> Kind:
    """The file's type from its bytes; anything not on the allow-list is refused."""
    if _MARKUP.search(data[:1024]):
        raise _refuse(
            "file_type_not_allowed", name, _("web pages, SVG images and scripts are refused.")
        )
    if data.startswith(b"%PDF-"):
        _check_pdf(data, name)
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_image(data, name, PNG)
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        _check_image(data, name, JPEG)
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _check_office(data, name)
    raise _refuse("file_type_not_allowed", name, allowed_types_message())


def allowed_types_message() -> str:
    return str(_("only PDF, PNG, JPEG, Excel (xlsx) and Word (docx) files are accepted."))


# --- the one entry point ----------------------------------------------------------------------


def upload_accept(*, file: UploadedFile, used_bytes: int, used_files: int) -> Accepted:
    """Check ``file`` against the size cap, the record's quota (``used_bytes`` in
    ``used_files`` already) and the allow-list, then store it once under its SHA-256.

    Raises :class:`UploadRefused` before anything is written to its final place."""
    name = display_name(file.name)
    max_bytes = limit("KOFU_UPLOAD_MAX_FILE_BYTES")
    if getattr(file, "oversized", False) or (file.size or 0) > max_bytes:
        raise _refuse(
            "file_too_large",
            name,
            _("a file may be at most %(max)s.") % {"max": _megabytes(max_bytes)},
        )
    if used_files + 1 > limit("KOFU_UPLOAD_MAX_FILES"):
        raise _refuse(
            "too_many_files",
            name,
            _("at most %(max)s files may be attached.") % {"max": limit("KOFU_UPLOAD_MAX_FILES")},
        )
    chunks = []
    read = 0
    for chunk in file.chunks():
        read += len(chunk)
        if read > max_bytes:
            raise _refuse(
                "file_too_large",
                name,
                _("a file may be at most %(max)s.") % {"max": _megabytes(max_bytes)},
            )
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise _refuse("file_empty", name, _("the file is empty."))
    quota = limit("KOFU_UPLOAD_QUOTA_BYTES")
    if used_bytes + len(data) > quota:
        raise _refuse(
            "quota_exceeded",
            name,
            _("the documents attached here may total at most %(max)s (%(used)s used).")
            % {"max": _megabytes(quota), "used": _megabytes(used_bytes)},
        )
    kind = _kind_of(data, name)
    extension = posixpath.splitext(name)[1].lower()
    if extension not in kind.extensions:
        raise _refuse(
            "file_extension_mismatch",
            name,
            _("the content is %(kind)s but the name does not end in %(ext)s.")
            % {"kind": kind.label, "ext": " / ".join(kind.extensions)},
        )
    sha256 = hashlib.sha256(data).hexdigest()
    return Accepted(
        name=name,
        sha256=sha256,
        size=len(data),
        content_type=kind.content_type,
        storage_name=blob_store(sha256, data),
    )


def blob_path(sha256: str) -> str:
    """Where the one copy of a content lives: by its hash, never by the name it came with."""
    return f"blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def blob_store(sha256: str, data: bytes) -> str:
    """Write the content unless the same content is stored already; its storage name."""
    path = blob_path(sha256)
    if default_storage.exists(path):
        return path
    saved = default_storage.save(path, ContentFile(data))
    if saved != path:  # written meanwhile by a concurrent identical upload: keep that one
        default_storage.delete(saved)
    return path


# --- the request's own cap ----------------------------------------------------------------------


class OversizedUpload(UploadedFile):
    """Stands for a file the request carried beyond the cap: nothing of it is kept."""

    oversized = True

    def __init__(self, name: str, size: int) -> None:
        super().__init__(io.BytesIO(b""), name=name, content_type="", size=size)


class CappedUploadHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: stops passing a file on to the memory or temporary
    file handlers once it exceeds the per-file cap, so a 250 MB body never lands on disk."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.seen = 0
        self.over = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.seen += len(raw_data)
        if self.seen > limit("KOFU_UPLOAD_MAX_FILE_BYTES"):
            self.over = True
        return None if self.over else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.over:
            return OversizedUpload(self.file_name or "upload", self.seen)
        return None


# --- giving a document back ----------------------------------------------------------------------


INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


def document_response(
    *, file: Any, name: str, content_type: str, sha256: str, inline: bool = False
) -> FileResponse:
    """A stored document under the name it was uploaded with (RFC 5987 ``filename*`` for
    Japanese names), with its checked type, never sniffed: a download, or with ``inline`` and
    a type the browser shows by itself (PDF, PNG, JPEG), opened in the browser's own viewer."""
    inline = inline and content_type in INLINE_TYPES
    response = FileResponse(
        file.open("rb"),
        as_attachment=not inline,
        filename=display_name(name),
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # The document's own scripts never run: PDF viewers and images need none of ours.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; object-src 'self'"
        if inline
        else "default-src 'none'; sandbox"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-SHA256"] = sha256
    return response
