"""QR codes for slips, posters and share pages (segno)."""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, scale: int = 4) -> SafeString:
    """An inline SVG QR code (no XML declaration), safe to place in a template."""
    out = BytesIO()
    segno.make(data, error="m").save(
        out, kind="svg", scale=scale, xmldecl=False, svgns=True, border=2
    )
    # segno writes the whole SVG itself; the only input is the URL it encodes.
    return mark_safe(out.getvalue().decode())


def qr_png(data: str, *, scale: int = 10) -> bytes:
    out = BytesIO()
    segno.make(data, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


@lru_cache(maxsize=4096)
def qr_data_uri(data: str, *, scale: int = 4) -> str:
    """A PNG data URI: WeasyPrint lays out an <img> far faster than an inline SVG path."""
    return segno.make(data, error="m").png_data_uri(scale=scale, border=2)
