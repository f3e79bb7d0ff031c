"""Reads of announcements: the office's list and, for the portal, the published ones."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from appraisal.announcements.models import Announcement, AnnouncementAttachment
from appraisal.audit_labels import action_label
from appraisal.models import AuditEvent, Campaign, User
from appraisal.stages import Link


def announcements_of(campaign: Campaign) -> QuerySet[Announcement]:
    """Every notice of the campaign, for the office: drafts first, then by date."""
    return Announcement.objects.filter(campaign=campaign).order_by(
        "state", "-published_at", "-created_at", "-id"
    )


def published_announcements(campaign: Campaign | None = None) -> QuerySet[Announcement]:
    """What the public sees: published notices only, newest first. A withdrawn notice
    is not here."""
    qs = Announcement.objects.filter(state=Announcement.State.PUBLISHED).select_related("campaign")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.order_by("-published_at", "-id")


def withdrawn_announcement(pk: int) -> Announcement | None:
    """A notice once published and since withdrawn: its title and the day, for whoever
    follows an old link or a printed poster's QR code (never the reason, which is the
    office's)."""
    return (
        Announcement.objects.filter(
            pk=pk, state=Announcement.State.WITHDRAWN, published_at__isnull=False
        )
        .only("title", "withdrawn_at", "published_at")
        .first()
    )


def published_announcement(pk: int) -> Announcement | None:
    return (
        published_announcements()
        .prefetch_related(
            Prefetch("attachments", queryset=AnnouncementAttachment.objects.order_by("id"))
        )
        .filter(pk=pk)
        .first()
    )


def announcement_history(announcement: Announcement) -> list[AuditEvent]:
    """The notice's audit rows, oldest first, each with its ``label`` in words."""
    events = list(
        AuditEvent.objects.filter(
            object_type=announcement._meta.label_lower, object_id=str(announcement.pk)
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
    for e in events:
        e.label = action_label(e.action)  # type: ignore[attr-defined]
    return events


def campaign_links(user: User, campaign: Campaign) -> list[Link]:
    """The office overview's way to the campaign's announcements."""
    if not getattr(user, "is_office", False):
        return []
    published = Announcement.objects.filter(
        campaign=campaign, state=Announcement.State.PUBLISHED
    ).count()
    return [
        Link(
            _("Announcements"),
            reverse("appraisal:announcements", args=[campaign.pk]),
            summary=_("%(n)d published") % {"n": published},
        )
    ]
