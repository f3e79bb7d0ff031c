"""Uploaded files: checked by content as well as by name, stored under random names, and
served only through views that check access first (never from MEDIA_URL)."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
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
    if not looks_right(head) or (
        extension in OOXML_FOLDER and not _has_folder(upload, OOXML_FOLDER[extension])
    ):
        raise ValidationError(
            _("“%(name)s” is not really a .%(ext)s file (its content says otherwise).")
            % {"name": name, "ext": extension}
        )
    return extension, content_type


def _has_folder(upload: IO[bytes], folder: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            return any(n.startswith(folder) for n in archive.namelist())
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


def stored_name(instance: Any, filename: str) -> str:
    """A random name: nothing of the uploaded name reaches the file system."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"
