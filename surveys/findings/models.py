"""Investigation activities and findings (调研活动, 问题/意见建议).

A finding stays with the work group and the office until it is verified; only a
verified finding that has been forwarded reaches the unit, and never with who
raised it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from appraisal.models import Appraisal, ScheduledEvent, User, WorkGroupMember
from appraisal.uploads import stored_name
from units.models import UnitTeamMember

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class InvestigationActivity(models.Model):
    class Kind(models.TextChoices):
        SYMPOSIUM = "symposium", _("Symposium")
        UNANNOUNCED_VISIT = "unannounced_visit", _("Unannounced visit")
        FIELD_INSPECTION = "field_inspection", _("Field inspection")
        DOCUMENT_REVIEW = "document_review", _("Document review")
        QUESTIONNAIRE = "questionnaire", _("Questionnaire")

    appraisal = models.ForeignKey(
        Appraisal, on_delete=models.CASCADE, related_name="activities", verbose_name=_("appraisal")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.TextField(_("participants"), max_length=2000, blank=True)
    summary = models.TextField(_("summary"), max_length=10000)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # The scheduled event this activity was recorded from ("record as held"), if any.
    event = models.OneToOneField(
        ScheduledEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity",
        verbose_name=_("scheduled event"),
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("investigation activity")
        verbose_name_plural = _("investigation activities")

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}"


class FindingQuerySet(models.QuerySet["Finding"]):
    def visible_to(self, user: User | AnonymousUser) -> FindingQuerySet:
        """Office: all. Work group: every finding of its appraisals. Unit: the verified
        findings forwarded to it. Anyone else: none (deputies follow their own through
        ``submitted_by``)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_office:
            return self.all()
        in_group = WorkGroupMember.objects.filter(
            work_group=OuterRef("appraisal__work_group"), user=user
        )
        in_unit = UnitTeamMember.objects.filter(unit=OuterRef("appraisal__unit"), user=user)
        return self.filter(
            Q(Exists(in_group))
            | (Q(Exists(in_unit)) & Q(status=Finding.Status.VERIFIED, forwarded_at__isnull=False))
        )


class Finding(models.Model):
    """A problem or suggestion (问题/意见建议) heard from any channel."""

    class Source(models.TextChoices):
        ACTIVITY = "activity", _("Investigation activity")
        DEPUTY = "deputy", _("Deputy")
        PUBLIC = "public", _("The public")
        SURVEY = "survey", _("Questionnaire")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        VERIFYING = "verifying", _("Being verified")
        VERIFIED = "verified", _("Verified")
        UNFOUNDED = "unfounded", _("Not substantiated")

    # Verification moves forward; a verdict (verified / unfounded) is final.
    TRANSITIONS: dict[str, set[str]] = {
        Status.RECEIVED: {Status.VERIFYING, Status.VERIFIED, Status.UNFOUNDED},
        Status.VERIFYING: {Status.VERIFIED, Status.UNFOUNDED},
    }

    class Topic(models.TextChoices):
        SERVICE = "service", _("Service and efficiency")
        LAW = "law", _("Law-based administration")
        LIVELIHOOD = "livelihood", _("People's livelihood")
        CONDUCT = "conduct", _("Work style and conduct")
        INTEGRITY = "integrity", _("Integrity")
        OTHER = "other", _("Other")

    appraisal = models.ForeignKey(
        Appraisal, on_delete=models.CASCADE, related_name="findings", verbose_name=_("appraisal")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    activity = models.ForeignKey(
        InvestigationActivity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("activity"),
    )
    text = models.TextField(_("content"), max_length=2000)
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices, default=Topic.OTHER)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    prominent = models.BooleanField(_("prominent problem (突出问题)"), default=False)
    verification_note = models.TextField(_("verification note"), max_length=2000, blank=True)
    verified_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded to the unit at"), null=True, blank=True)
    # Who raised it: seen by the work group and the office only, never by the unit.
    submitted_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_findings",
        verbose_name=_("submitted by"),
    )
    contact = models.CharField(_("contact (optional)"), max_length=100, blank=True)
    receipt_code = models.CharField(
        _("receipt code"), max_length=12, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.text[:40]

    def get_absolute_url(self) -> str:
        return reverse("surveys:finding", args=[self.pk])

    @property
    def public_status(self) -> str:
        """What a member of the public is told when they look up their receipt code."""
        if self.status == self.Status.UNFOUNDED:
            return str(_("Not substantiated"))
        if self.status == self.Status.VERIFIED and self.forwarded_at:
            return str(_("Verified and forwarded to the unit"))
        if self.status == self.Status.RECEIVED:
            return str(_("Received"))
        return str(_("Being verified"))


class PublicSubmissionThrottle(models.Model):
    """How many public submissions came from one (hashed) address in one window: the
    hour for opinions, the day (``hour`` holds its midnight) for a survey's public link,
    whose key also names the survey.

    Kept apart from the findings and responses, which store no address at all.
    """

    key = models.CharField(max_length=64)
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("public submission limit")
        verbose_name_plural = _("public submission limits")
        constraints = [models.UniqueConstraint(fields=["key", "hour"], name="throttle_key_hour")]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H} {self.count}"


class Attachment(models.Model):
    """A file of an investigation activity: minutes, photos, documents reviewed."""

    activity = models.ForeignKey(
        InvestigationActivity, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=stored_name)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("surveys:attachment", args=[self.pk])
