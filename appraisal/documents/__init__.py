"""The document layer: every PDF and workbook the system makes goes through here.

- ``pdf``: WeasyPrint rendering with role fonts, a loud ``MissingGlyph`` and metadata;
  the GB/T 9704 templates live in ``templates/documents/official/``.
- ``official``: the head of an issued document (版头, 署名, 版记) from the issuing
  settings and the register of issued documents (``models``, ``services``).
- ``excel``: the one workbook helper (title rows, typed cells, print setup, no formulas
  from user text).
- ``http``: downloads with Chinese file names; ``qr``: QR codes.
"""

from appraisal.documents.excel import Column, Sheet, workbook_bytes
from appraisal.documents.http import PDF, XLSX, content_disposition, download
from appraisal.documents.pdf import MissingGlyph, pdf_bytes
from appraisal.documents.qr import qr_data_uri, qr_png, qr_svg
from appraisal.documents.slips import Slip, code_slips_pdf

__all__ = [
    "PDF",
    "XLSX",
    "Column",
    "MissingGlyph",
    "Sheet",
    "Slip",
    "code_slips_pdf",
    "content_disposition",
    "download",
    "pdf_bytes",
    "qr_data_uri",
    "qr_png",
    "qr_svg",
    "workbook_bytes",
]
