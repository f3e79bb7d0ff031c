"""QR codes for slips, posters and share pages (segno)."""

from __future__ import annotations

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


def qr_data_uri(data: str) -> str:
    """A one-pixel-per-module PNG data URI for slips printed by the thousand: an <img>
    lays out far faster than an SVG path, and the PDF scales it without smoothing
    (``image-rendering: pixelated``). The mask is fixed: choosing the best of eight
    costs five times the encoding and any mask reads the same."""
    return segno.make_qr(data, error="m", mask=2, boost_error=False).png_data_uri(scale=1, border=2)
