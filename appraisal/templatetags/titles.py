"""Titles on pages turn between words on a phone, as they do in print (GB/T 9704 回行时词意
完整): the pieces of ``title_pieces`` joined by <wbr>, with ``h1`` set to keep CJK words
whole (``word-break: keep-all``; ``overflow-wrap: anywhere`` when one piece is too long)."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from appraisal.documents.official import title_pieces

register = template.Library()


@register.filter
def title_breaks(value: object) -> SafeString:
    text = str(value or "")
    return mark_safe("<wbr>".join(conditional_escape(p) for p in title_pieces(text)))
