"""The bytes of case documents: what type they are (sniffed from the bytes, never taken from
the browser or the file name), and where they are kept.

Files go to ``settings.CSE_PRIVATE_STORAGE_ROOT / "case-documents"`` under a random name:
outside STATIC_ROOT and every URL, so nothing but the audited download view
(``casework.documents.case_document_read``) ever hands them out. The uploader's file name is
kept on the row, never on the file system.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage

logger = logging.getLogger(__name__)

FOLDER = "case-documents"
FIELD = "upload"  # the form field the messages below are shown next to

ERROR_TYPE = (
    "The file must be a PDF, a PNG or JPEG image, a Word (.docx), Excel (.xlsx) or "
    "OpenDocument text (.odt) document, or plain text."
)
ERROR_SIZE = "The file must be smaller than {limit}."
ERROR_EMPTY = "The selected file is empty."

# How much of the start of a file the sniffers look at.
HEAD_BYTES = 64
# OpenDocument text names its type in a first, uncompressed member called "mimetype".
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str  # the one a download's file name ends with


PDF = FileType("application/pdf", "pdf")
PNG = FileType("image/png", "png")
JPEG = FileType("image/jpeg", "jpg")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
ODT = FileType("application/vnd.oasis.opendocument.text", "odt")
TEXT = FileType("text/plain; charset=utf-8", "txt")


@dataclass(frozen=True)
class CheckedFile:
    file_type: FileType
    size: int
    sha256: str


def size_label(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"


def _zip_type(upload: IO[bytes]) -> FileType | None:
    """Which office document a ZIP container is, from its member names (and ODT's mimetype
    member, a few dozen bytes); nothing is decompressed beyond that."""
    try:
        with zipfile.ZipFile(upload) as container:
            names = set(container.namelist())
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                return XLSX
            if "mimetype" in names and container.getinfo("mimetype").file_size < 100:
                if container.read("mimetype").strip() == ODT_MIMETYPE:
                    return ODT
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, NotImplementedError):
        return None
    return None


def _is_text(content: bytes) -> bool:
    """UTF-8 (or ASCII) text: decodes, and holds no control character but tab, line breaks
    and form feed (a binary file of another kind fails this)."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 32 and c not in "\t\n\r\f" or c == "\x7f" for c in text)


def sniff(head: bytes, upload: IO[bytes], read_all: Any) -> FileType | None:
    """The type of the file whose first bytes are ``head``; None when it is none we accept."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        return _zip_type(upload)
    return TEXT if _is_text(read_all()) else None


def check_upload(upload: Any) -> CheckedFile:
    """The size limit (settings.CSE_DOCUMENT_MAX_BYTES), the type sniffed from the bytes and
    the SHA-256 of an uploaded file. Raises ValidationError keyed to the form's field."""
    limit = settings.CSE_DOCUMENT_MAX_BYTES
    too_big = ValidationError({FIELD: ERROR_SIZE.format(limit=size_label(limit))})
    if upload.size is not None and upload.size > limit:
        raise too_big
    digest = hashlib.sha256()
    size = 0
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
        if size > limit:
            raise too_big
    if size == 0:
        raise ValidationError({FIELD: ERROR_EMPTY})

    def read_all() -> bytes:
        upload.seek(0)
        return b"".join(upload.chunks())

    file_type = sniff(head, upload, read_all)
    upload.seek(0)
    if file_type is None:
        raise ValidationError({FIELD: ERROR_TYPE})
    return CheckedFile(file_type=file_type, size=size, sha256=digest.hexdigest())


def file_type_of(content_type: str) -> FileType:
    known = (PDF, PNG, JPEG, DOCX, XLSX, ODT, TEXT)
    return next((t for t in known if t.content_type == content_type), TEXT)


# --- Private storage ------------------------------------------------------------------


def storage() -> FileSystemStorage:
    """The case documents' folder, read from the setting each time (tests point it at a
    temporary folder). No base URL: a stored file has no address on the web."""
    return FileSystemStorage(
        location=Path(settings.CSE_PRIVATE_STORAGE_ROOT) / FOLDER,
        base_url=None,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


def store(upload: Any) -> str:
    """Write the upload under a new random name; returns that name."""
    wanted = secrets.token_hex(16)
    upload.seek(0)
    name = storage().save(wanted, upload)
    if name != wanted:  # a clash of 128 random bits: never, but never serve the wrong file
        remove(name)
        raise FileExistsError(wanted)
    return name


def read(name: str) -> bytes:
    """The stored bytes (FileNotFoundError when the file is gone)."""
    with storage().open(name, "rb") as handle:
        return handle.read()


def remove(name: str) -> None:
    """Delete a stored file; a file already gone is not an error. Logged if it cannot be."""
    try:
        storage().delete(name)
    except OSError:
        logger.exception("could not remove the case document file %s", name)


def stored_names() -> list[str]:
    """Every file in the folder (tests, and a check for files no row names)."""
    files = storage()
    try:
        return sorted(files.listdir("")[1])
    except FileNotFoundError:
        return []
