"""Uploaded files: checked by content as well as by name, stored under random names, and
served only through views that check access first (never from MEDIA_URL)."""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Iterator
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

# extension -> (content type, test on the first bytes)
ALLOWED = {
    "pdf": ("application/pdf", lambda head: head.startswith(b"%PDF-")),
    "png": ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda head: head.startswith(b"PK\x03\x04"),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda head: head.startswith(b"PK\x03\x04"),
    ),
}
# An Office Open XML file is a zip holding this folder.
OOXML_FOLDER = {"docx": "word/", "xlsx": "xl/"}


def check_upload(upload: Any) -> tuple[str, str]:
    """Raise ValidationError with a message the person can act on, else return
    (extension, content type)."""
    name = PurePath(upload.name or "").name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(
            _("“%(name)s”: only PDF, JPG, PNG, Word (.docx) and Excel (.xlsx) files are accepted.")
            % {"name": name}
        )
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is larger than %(mb)d MB.") % {"name": name, "mb": settings.MAX_UPLOAD_MB}
        )
    content_type, looks_right = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not looks_right(head):
        raise _not_really(name, extension)
    if extension in OOXML_FOLDER:
        check_ooxml(upload, name=name, extension=extension)
    return extension, content_type


def _not_really(name: str, extension: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is not really a .%(ext)s file (its content says otherwise).")
        % {"name": name, "ext": extension}
    )


# An Office Open XML file is a zip. What it expands to is read from the archive's
# directory without extracting anything (zipfile never inflates a member past its declared
# size), so a small upload cannot turn into gigabytes in openpyxl, Word or a virus scanner.
# Real workbooks and documents expand 3–30 times; a zip bomb, hundreds to thousands.
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 10_000


def check_ooxml(upload: IO[bytes], *, name: str, extension: str) -> None:
    """Raise ValidationError unless the upload is an Office zip of a sane expanded size."""
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_really(name, extension) from None
    finally:
        upload.seek(0)
    if not any(m.filename.startswith(OOXML_FOLDER[extension]) for m in members):
        raise _not_really(name, extension)
    _check_expansion(members, name=name)


def check_expansion(upload: IO[bytes], *, name: str) -> None:
    """Only the expanded-size check, for uploads whose reader reports a broken zip itself."""
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    finally:
        upload.seek(0)
    _check_expansion(members, name=name)


def _check_expansion(members: list[zipfile.ZipInfo], *, name: str) -> None:
    expanded = sum(m.file_size for m in members)
    compressed = sum(m.compress_size for m in members)
    if (
        len(members) > MAX_MEMBERS
        or expanded > MAX_EXPANDED_BYTES
        or expanded > MAX_RATIO * max(compressed, 1024 * 1024)
    ):
        raise ValidationError(
            _(
                "“%(name)s” would expand to %(mb)d MB when opened, far more than a real "
                "document: it is refused as a possible zip bomb. Open it and save it again, "
                "or split it."
            )
            % {"name": name, "mb": expanded // (1024 * 1024)}
        )


# A workbook an import reads: openpyxl holds its shared strings, and walks each sheet, whole.
# No part of a real ledger of 2,000 rows or of a committee's roster comes near this; a small
# file made of millions of tiny strings or empty rows does (and would hold a worker for a
# minute and a gigabyte).
MAX_IMPORT_PART_BYTES = 8 * 1024 * 1024


def check_import_parts(upload: IO[bytes], *, name: str) -> None:
    """Raise ValidationError when a part of the workbook expands beyond what an import
    reads (the zip's directory says so without extracting anything)."""
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # the reader says the file is not a workbook
    finally:
        upload.seek(0)
    big = max(members, key=lambda m: m.file_size, default=None)
    if big is not None and big.file_size > MAX_IMPORT_PART_BYTES:
        raise ValidationError(
            _(
                "“%(name)s” holds far more than an import reads (%(part)s expands to %(mb)d MB). "
                "Copy the rows into the template and upload that."
            )
            % {"name": name, "part": big.filename, "mb": big.file_size // (1024 * 1024)}
        )


def stored_name(instance: Any, filename: str) -> str:
    """A random name: nothing of the uploaded name reaches the file system."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class SheetTooLong(Exception):
    """A workbook's sheet has content below the last row an import reads."""

    def __init__(self, last_row: int) -> None:
        super().__init__(last_row)
        self.last_row = last_row


def sheet_rows(worksheet: Any, *, last_row: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cell values) of a read-only worksheet, rows 1 to ``last_row``.

    Reading stops there, so a sheet padded with millions of empty rows costs no more than a
    full one. Any row below ``last_row``, even one that only looks empty (formatting carried
    down the sheet), raises ``SheetTooLong``: what lies further down is never dropped
    unsaid."""
    rows = worksheet.iter_rows(values_only=True, max_row=last_row + 1)
    for number, cells in enumerate(rows, start=1):
        if number > last_row:
            raise SheetTooLong(last_row)
        yield number, cells


def delete_on_commit(stored: Any) -> None:
    """Remove a stored file once the transaction that dropped its row commits (a rollback
    keeps both)."""
    name, storage = stored.name, stored.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
