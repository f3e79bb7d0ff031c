"""Self-review reports (自查自评报告).

The unit's team writes a draft in sections; its head approves the draft; the
liaison submits it, which freezes a numbered ``SelfReviewVersion``. The work group
returns a version with comments per section or accepts it. Versions are never
changed: a revision is the next version, with a note on what changed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from appraisal.models.core import Appraisal, User
from appraisal.uploads import stored_name

# The sections of the report, in the order the report prints them.
SECTIONS: list[tuple[str, Any]] = [
    ("basics", _("Basic situation")),
    ("achievements", _("Achievements")),
    ("problems", _("Problems")),
    ("causes", _("Causes")),
    ("measures", _("Rectification measures")),
    ("fixed", _("Problems already fixed while reviewing")),
]
SECTION_KEYS = [key for key, _label in SECTIONS]
SECTION_MAX = 20000


class SelfReview(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for revision")
        ACCEPTED = "accepted", _("Accepted")

    # The moves ``selfreview_move`` allows; nothing else changes ``status``.
    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.RETURNED, Status.ACCEPTED},
        Status.RETURNED: {Status.SUBMITTED},
    }
    EDITABLE = {Status.DRAFT, Status.RETURNED}

    appraisal = models.OneToOneField(
        Appraisal, on_delete=models.CASCADE, related_name="self_review", verbose_name=_("appraisal")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    basics = models.TextField(_("Basic situation"), blank=True)
    achievements = models.TextField(_("Achievements"), blank=True)
    problems = models.TextField(_("Problems"), blank=True)
    causes = models.TextField(_("Causes"), blank=True)
    measures = models.TextField(_("Rectification measures"), blank=True)
    fixed = models.TextField(_("Problems already fixed while reviewing"), blank=True)
    # The head's approval holds for the exact draft approved: any edit clears it.
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
        verbose_name = _("self-review report")
        verbose_name_plural = _("self-review reports")

    def __str__(self) -> str:
        return f"{self.appraisal} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("appraisal:self_review", args=[self.appraisal_id])

    @property
    def editable(self) -> bool:
        return self.status in self.EDITABLE

    def content(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in SECTION_KEYS}

    def digest(self) -> str:
        """What the head approves: the text and what the layers above freeze with it (the
        answers to forwarded findings); without such additions, the text alone."""
        from appraisal.selfreview import snapshots  # the registry imports this module

        extra = snapshots.collect(self)
        if not any(extra.values()):
            return content_digest(self.content())
        payload: dict[str, Any] = {**self.content(), "_extra": extra}
        return content_digest(payload)

    @property
    def approval_current(self) -> bool:
        return bool(self.approved_at and self.approved_digest == self.digest())


def content_digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


class SelfReviewVersion(models.Model):
    """One submitted, frozen version. Its content never changes; the work group's review
    (outcome and comments per section) is recorded on it once."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Awaiting review")
        RETURNED = "returned", _("Returned for revision")
        ACCEPTED = "accepted", _("Accepted")

    self_review = models.ForeignKey(
        SelfReview, on_delete=models.CASCADE, related_name="versions", verbose_name=_("self-review")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    content: models.JSONField[dict[str, str]] = models.JSONField(_("content"), default=dict)
    # Answers to forwarded findings as they stood at submission (filled by the layers above).
    extra: models.JSONField[dict[str, Any]] = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("what changed"), max_length=2000, blank=True)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved at"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True, default=""
    )
    comments: models.JSONField[dict[str, str]] = models.JSONField(default=dict, blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["self_review", "number"]
        verbose_name = _("self-review version")
        verbose_name_plural = _("self-review versions")
        constraints = [
            models.UniqueConstraint(
                fields=["self_review", "number"], name="selfreviewversion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.self_review.appraisal} · v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "appraisal:self_review_version", args=[self.self_review.appraisal_id, self.number]
        )

    def sections(self) -> list[tuple[str, Any, str, str]]:
        """(key, label, text, the work group's comment) for each section."""
        return [
            (key, label, self.content.get(key, ""), self.comments.get(key, ""))
            for key, label in SECTIONS
        ]


class SelfReviewAttachment(models.Model):
    """A file of the self-review. Added to the draft; frozen with the version it was
    submitted in (``version_number``), after which nobody removes it."""

    self_review = models.ForeignKey(
        SelfReview, on_delete=models.CASCADE, related_name="attachments"
    )
    version_number = models.PositiveSmallIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=stored_name)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("self-review attachment")
        verbose_name_plural = _("self-review attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("appraisal:self_review_attachment", args=[self.pk])
