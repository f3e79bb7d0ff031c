"""Code slips (测评码 / 答卷码): eight to an A4 page, each with its round or survey, the
code in large type, its QR code and the address to type the code at; cut along the
dashed lines.

2,000 slips must print well inside a worker's timeout: each QR is a small PNG (an
<img> lays out far faster than an SVG path) and each page is a fixed grid of
absolutely sized boxes, so layout does no flex or table work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from appraisal.documents.pdf import pdf_bytes
from appraisal.documents.qr import qr_data_uri

PER_PAGE = 8


@dataclass(frozen=True)
class Slip:
    code: str
    url: str  # what the QR code holds

    @property
    def qr(self) -> str:
        return qr_data_uri(self.url)


def code_slips_pdf(
    *,
    title: str,
    subtitle: str,
    kind_label: str,
    entry_url: str,
    hint: str,
    slips: Sequence[Slip],
) -> bytes:
    entry_label = _("Or open this address and type the code:")
    sheets = [list(slips[i : i + PER_PAGE]) for i in range(0, len(slips), PER_PAGE)]
    return pdf_bytes(
        "documents/code_slips.html",
        {
            "title": title,
            "subtitle": subtitle,
            "kind_label": kind_label,
            "entry_url": entry_url,
            "hint": hint,
            "sheets": sheets,
            "entry_label": entry_label,
        },
        # Tagging 2,000 images and re-reading the whole HTML for glyphs cost seconds; the
        # slips print only these strings.
        tagged=False,
        text=" ".join(
            [title, subtitle, kind_label, entry_url, hint, entry_label, *(s.code for s in slips)]
        ),
    )
