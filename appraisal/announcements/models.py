"""Announcements (公告): notices the office publishes to the public portal."""

from __future__ import annotations

import re
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from appraisal.models.core import Campaign, User
from appraisal.uploads import stored_name


def valid_link(link: str) -> bool:
    """Empty, a path on this site, or an http(s) address without spaces or controls."""
    if not link:
        return True
    if any(c.isspace() or ord(c) < 32 or c in "<>\"'\\" for c in link) or not link.isascii():
        return False
    if link.startswith("/"):
        return not link.startswith("//")
    return bool(re.match(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/.*)?$", link))


class Move(NamedTuple):
    to: str
    reason: bool = False  # the move needs a written reason


class Announcement(models.Model):
    """A notice of the campaign. Drafts are the office's alone; only a published notice
    is on the portal; a withdrawn one leaves it but keeps its row and its history."""

    class Kind(models.TextChoices):
        LAUNCH = "launch", _("Campaign launch")
        QUESTIONNAIRE = "questionnaire", _("Questionnaire call")
        MEETING = "meeting", _("Meeting notice")
        RESULTS = "results", _("Results")
        RECTIFICATION = "rectification", _("Rectification progress")
        OTHER = "other", pgettext_lazy("announcement kind", "Other")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", pgettext_lazy("a notice", "Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    S = State
    # action -> move, per state. ``announcement_move`` is the only code that changes
    # ``state``; ``publish_scheduled`` (cron) uses it too.
    TRANSITIONS: dict[str, dict[str, Move]] = {
        S.DRAFT: {"publish": Move(S.PUBLISHED), "schedule": Move(S.SCHEDULED)},
        S.SCHEDULED: {"publish": Move(S.PUBLISHED), "unschedule": Move(S.DRAFT)},
        S.PUBLISHED: {"withdraw": Move(S.WITHDRAWN, reason=True)},
    }

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="announcements", verbose_name=_("campaign")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"), max_length=10_000)
    # A generic way to what the notice is about (the opinion form, a questionnaire, the
    # results): printed as a QR code on the poster and shown as a button on the portal.
    # A path on this site ("/opinion/") or a full https:// address.
    link = models.CharField(_("link"), max_length=500, blank=True)
    link_label = models.CharField(_("link text"), max_length=40, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=S.DRAFT)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), max_length=2000, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        indexes = [models.Index(fields=["state", "publish_at"], name="announcement_state_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def editable(self) -> bool:
        return self.state == self.State.DRAFT

    def moves(self) -> dict[str, Move]:
        return self.TRANSITIONS.get(self.state, {})


class AnnouncementAttachment(models.Model):
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=stored_name)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["announcement", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name
