"""Code slips (测评码 / 答卷码): eight to an A4 page, each with its round or survey, the
code in large type, its QR code and the address to type the code at; cut along the
dashed lines. Drawn by ``slipwriter`` (2,000 slips in seconds, not minutes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from appraisal.documents import slipwriter
from appraisal.documents.pdf import MissingGlyph, check_glyphs

PER_PAGE = slipwriter.PER_PAGE


@dataclass(frozen=True)
class Slip:
    code: str
    url: str  # what the QR code holds


def code_slips_pdf(
    *,
    title: str,
    subtitle: str,
    kind_label: str,
    entry_url: str,
    hint: str,
    slips: Sequence[Slip],
) -> bytes:
    text = slipwriter.SlipText(
        title=title,
        subtitle=subtitle,
        kind_label=kind_label,
        entry_label=_("Or open this address and type the code:"),
        entry_url=entry_url,
        hint=hint,
    )
    context = {"title": title, "subtitle": subtitle, "kind_label": kind_label, "hint": hint}
    check_glyphs(" ".join([*context.values(), text.entry_label, entry_url]), context)
    try:
        return slipwriter.write(
            text, [(s.code, s.url) for s in slips], doc_title=f"{title} {subtitle} {kind_label}"
        )
    except LookupError as e:  # a code or URL character no font has
        raise MissingGlyph(str(e.args[0])[:1] or "?", _("the codes")) from e
