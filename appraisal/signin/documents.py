from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from appraisal import documents
from appraisal.signin.services import Letter


def letter_link(request: HttpRequest, letter: Letter) -> str:
    return request.build_absolute_uri(reverse("appraisal:signin_letter", args=[letter.token]))


def letters_response(request: HttpRequest, letters: Sequence[Letter]) -> HttpResponse:
    """One A4 page per person: name, account, the one-time link and its QR code."""
    pages = []
    for letter in letters:
        link = letter_link(request, letter)
        pages.append({"letter": letter, "link": link, "qr": documents.qr_svg(link, scale=5)})
    login = request.build_absolute_uri(reverse("login"))
    pdf = documents.pdf_bytes(
        "documents/signin_letters.html",
        {"pages": pages, "login": login, "today": timezone.localdate()},
    )
    return documents.download(pdf, "application/pdf", "signin-letters.pdf")
