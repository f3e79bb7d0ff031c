"""PDF rendering (WeasyPrint): fonts per role, a loud error for a missing glyph, metadata."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.db import models
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from appraisal.documents import fonts
from appraisal.errors import DomainError


class MissingGlyph(DomainError):
    """A character that no installed font can print; the message names it and its field."""

    def __init__(self, char: str, where: str) -> None:
        self.char = char
        self.where = where
        super().__init__(
            _(
                "The character “%(char)s” (U+%(code)04X) in %(where)s cannot be printed: "
                "no installed font has it. Install a font that covers it (e.g. the Debian "
                "package fonts-hanazono or fonts-babelstone-han) or change the text."
            )
            % {"char": char, "code": ord(char), "where": where}
        )


class _Text(HTMLParser):
    """The text a reader sees: everything outside <style>, <script> and <svg>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("style", "script", "svg"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "svg") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def _strings(value: Any, label: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    """(where, text) for every string reachable from a template context, labelled for
    the office: a model field reads as “<model> <field>”."""
    if depth > 5:
        return
    if isinstance(value, str):
        yield label, value
    elif isinstance(value, models.Model):
        for f in value._meta.concrete_fields:
            if isinstance(f, models.CharField | models.TextField):
                text = getattr(value, f.attname, "")
                if text:
                    yield f"{value._meta.verbose_name}“{f.verbose_name}”（{text[:40]}）", text
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, str(k), depth + 1)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v, label, depth + 1)
    elif hasattr(value, "__dataclass_fields__"):
        for k in value.__dataclass_fields__:
            yield from _strings(getattr(value, k), k, depth + 1)


def locate(char: str, context: dict[str, Any]) -> str:
    for where, text in _strings(context, ""):
        if char in text:
            return where or _("the document")
    return _("the document")


@dataclass
class PdfOptions:
    title: str = ""
    author: str = ""
    date: dt.date | None = None
    archive: bool = False  # PDF/A-3b for the archive
    extra: dict[str, Any] = field(default_factory=dict)


def render_html(template: str, context: dict[str, Any]) -> str:
    context = {**context, "doc_fonts": {role: fonts.css_family(role) for role in fonts.ROLE_LABELS}}
    return render_to_string(template, context)


def check_glyphs(text: str, context: dict[str, Any]) -> None:
    missing = fonts.missing(text)
    if missing:
        raise MissingGlyph(missing[0], locate(missing[0], context))


def pdf_bytes(
    template: str,
    context: dict[str, Any],
    *,
    archive: bool = False,
    tagged: bool = True,
    text: str | None = None,
) -> bytes:
    """Render a document template to PDF. Raises ``MissingGlyph`` rather than print a box.

    The title, author, language and date come from the template's <title>, <meta
    name="author">, <html lang> and <meta name="dcterms.created">. ``text``, when given,
    is all the text the document prints (cheaper to check than the whole HTML)."""
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    html = render_html(template, context)
    check_glyphs(visible_text(html) if text is None else text, context)
    options: dict[str, Any] = {"pdf_tags": tagged}
    if archive:
        options["pdf_variant"] = "pdf/a-3b"
    return HTML(string=html).write_pdf(**options)  # type: ignore[no-any-return]
