"""The poster of an announcement, through the document layer: title, text, the units
appraised (for a launch notice) and the QR code of its link."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from appraisal.announcements.models import Announcement
from appraisal.documents import pdf_bytes, qr_svg
from appraisal.documents.official import chinese_date, title_of
from appraisal.documents.services import issuing_settings_of

# The portal (above every layer) registers how to reach a notice's public page; the
# layer that owns announcements never names the portal's routes.
_public_path: Callable[[Announcement], str] | None = None


def register_public_path(builder: Callable[[Announcement], str]) -> None:
    global _public_path
    _public_path = builder


def public_path(announcement: Announcement) -> str:
    return _public_path(announcement) if _public_path is not None else "/"


def qr_target(announcement: Announcement, *, absolute: Callable[[str], str]) -> str:
    """What the poster's QR code says: the notice's link, else its page on the portal."""
    link = announcement.link
    if link.startswith("/"):
        return absolute(link)
    return link or absolute(public_path(announcement))


def poster_pdf(announcement: Announcement, *, target: str, units: list[str]) -> bytes:
    settings = issuing_settings_of(announcement.campaign)
    day = timezone.localdate(announcement.published_at or timezone.now())
    return pdf_bytes(
        "documents/announcement_poster.html",
        {
            "a": announcement,
            # 26 pt over 160 mm: 17 characters a line, broken between words.
            "title": title_of(announcement.title, chars=17),
            "paragraphs": [p.strip() for p in announcement.body.splitlines() if p.strip()],
            "units": units if announcement.kind == Announcement.Kind.LAUNCH else [],
            "link": target,
            "qr": qr_svg(target),
            "issuer": settings.issuing_office,
            "author": settings.committee_name,
            "date": chinese_date(day),
            "draft": announcement.state != Announcement.State.PUBLISHED,
        },
    )
