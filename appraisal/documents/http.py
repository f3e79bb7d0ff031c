"""Downloads: Chinese file names with RFC 5987/6266 Content-Disposition."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]+')


def safe_filename(name: str) -> str:
    """A file name any system accepts: no path separators, quotes or control characters."""
    name = _UNSAFE.sub("_", name).strip(" .")
    return name[:150] or "document"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266 §4.3, RFC 5987)."""
    name = safe_filename(filename)
    # An old client that reads only the fallback gets the whole name when it is ASCII, else
    # "document" with the extension (not the digits and dots left of a Chinese name).
    extension = name[name.rfind(".") :] if "." in name else ""
    if not extension.isascii():
        extension = ""
    ascii_name = (name if name.isascii() else "document" + extension).replace(" ", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
