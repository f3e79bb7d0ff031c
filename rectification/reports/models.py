"""Rectification reports (整改情况报告).

The unit's team generates the draft from its ledger — one section per opinion item with
what was done, the evidence and what remains — edits it, its head approves it, and the
liaison submits it to the committee. A submission freezes a numbered
``RectificationReportVersion`` with the ledger's counts as they stood; the work group or
the office returns it with a comment (the revision is the next version) or accepts it.
Status changes only through ``reports.services.report_move`` and ``TRANSITIONS``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from appraisal.models import Appraisal, User

TITLE_MAX = 200
SECTION_MAX = 20000
# The counts frozen with a version, in the order the pages show them.
COUNT_FIELDS = ("total", "closed", "in_progress", "overdue", "explained")


class RectificationReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the committee")
        RETURNED = "returned", _("Returned for revision")
        ACCEPTED = "accepted", _("Accepted")

    S = Status
    # to -> the statuses it may come from, and who makes the move ("unit" or "group": the
    # appraisal's work group or the office). ``report_move`` is the only code that changes
    # ``status``.
    TRANSITIONS: dict[str, dict[str, str]] = {
        S.DRAFT: {S.SUBMITTED: "unit"},
        S.SUBMITTED: {S.RETURNED: "group", S.ACCEPTED: "group"},
        S.RETURNED: {S.SUBMITTED: "unit"},
    }
    EDITABLE = {S.DRAFT, S.RETURNED}
    # With one of these a second round may score the unit.
    STANDING = {S.SUBMITTED, S.ACCEPTED}

    appraisal = models.OneToOneField(
        Appraisal,
        on_delete=models.CASCADE,
        related_name="rectification_report",
        verbose_name=_("appraisal"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    # [{"key": "intro" | "item-<n>" | "next", "heading": "…", "text": "…"}, …]
    sections: models.JSONField[list[dict[str, Any]]] = models.JSONField(_("sections"), default=list)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    # The digest of the text as last generated: another digest now means someone wrote in
    # the draft since, and writing it again from the ledger would lose that text.
    generated_digest = models.CharField(max_length=64, blank=True)
    # The head's approval holds for the exact text approved: any edit clears it.
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_digest = models.CharField(max_length=64, blank=True)
    updated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rectification report")
        verbose_name_plural = _("rectification reports")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("rectification:report", args=[self.appraisal_id])

    @property
    def editable(self) -> bool:
        return self.status in self.EDITABLE

    def digest(self) -> str:
        return content_digest(self.title, self.sections)

    @property
    def approval_current(self) -> bool:
        return bool(self.approved_at and self.approved_digest == self.digest())

    @property
    def has_own_text(self) -> bool:
        """Whether the draft holds text that generating it again would replace (a draft
        generated before the digest was kept counts as written in)."""
        return self.digest() != self.generated_digest

    @property
    def awaiting_submission(self) -> bool:
        """Approved by the head and not yet submitted (a draft or a returned revision)."""
        return self.editable and self.approval_current

    def state_display(self) -> str:
        """The status in words, with the head's approval of an editable draft: a draft the
        head approved waits for the liaison to submit it."""
        if self.awaiting_submission:
            return str(_("Approved, awaiting submission"))
        return str(self.get_status_display())


def content_digest(title: str, sections: list[dict[str, Any]]) -> str:
    payload = json.dumps([title, sections], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


class RectificationReportVersion(models.Model):
    """One submitted, frozen version: its text and the ledger's counts at submission never
    change; the review (outcome and comment) is recorded on it once."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Awaiting review")
        RETURNED = "returned", _("Returned for revision")
        ACCEPTED = "accepted", _("Accepted")

    report = models.ForeignKey(
        RectificationReport,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("rectification report"),
    )
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    sections: models.JSONField[list[dict[str, Any]]] = models.JSONField(_("sections"), default=list)
    note = models.TextField(_("what changed"), max_length=2000, blank=True)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved at"))
    # The opinion's reply deadline at submission, and whether the submission came after it.
    deadline = models.DateField(_("reply deadline"), null=True, blank=True)
    late = models.BooleanField(_("submitted late"), default=False)
    # The ledger at submission: every item, and how many were closed (销号), still being
    # worked on, overdue and explained (these four add up to the total).
    total = models.PositiveIntegerField(_("items"), default=0)
    closed = models.PositiveIntegerField(_("closed"), default=0)
    in_progress = models.PositiveIntegerField(_("in progress"), default=0)
    overdue = models.PositiveIntegerField(_("overdue"), default=0)
    explained = models.PositiveIntegerField(_("explained"), default=0)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True, default=""
    )
    comment = models.TextField(_("comment"), max_length=4000, blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("rectification report version")
        verbose_name_plural = _("rectification report versions")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="rectreportversion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} · v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("rectification:report_version", args=[self.report.appraisal_id, self.number])

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNT_FIELDS}
