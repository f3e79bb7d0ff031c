"""Rendering helpers for the documents the system hands out: PDF (WeasyPrint), Excel, QR."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

import segno
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pdf_bytes(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    html = render_to_string(template, context)
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def qr_svg(data: str, *, scale: int = 4) -> SafeString:
    """An inline SVG QR code (no XML declaration), safe to place in a template."""
    out = BytesIO()
    segno.make(data, error="m").save(
        out, kind="svg", scale=scale, xmldecl=False, svgns=True, border=2
    )
    # segno writes the whole SVG itself; the only input is the URL it encodes.
    return mark_safe(out.getvalue().decode())


def workbook_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A write-only workbook: one sheet per (title, header, rows)."""
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title[:31])
        cells = []
        for text in header:
            cell = WriteOnlyCell(ws, value=str(text))
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True)
            cells.append(cell)
        ws.append(cells)
        for row in rows:
            ws.append([str(v) if isinstance(v, Promise) else v for v in row])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def qr_png(data: str, *, scale: int = 10) -> bytes:
    out = BytesIO()
    segno.make(data, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()
