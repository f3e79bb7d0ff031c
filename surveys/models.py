"""Layer 2 — investigation: activities, findings and questionnaires.

A finding stays with the work group and the office until it is verified; only a
verified finding that has been forwarded reaches the unit, and never with who
raised it.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from appraisal.models import Appraisal, Campaign, User, WorkGroupMember
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
    """How many public submissions came from one (hashed) address in one hour.

    Kept apart from the findings, which store no address at all.
    """

    key = models.CharField(max_length=64)
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "hour"], name="throttle_key_hour")]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H} {self.count}"


class Survey(models.Model):
    """A questionnaire (问卷) to one audience, about one appraisal or the whole campaign."""

    class Audience(models.TextChoices):
        DEPUTIES = "deputies", _("Deputies")
        SERVICE_RECIPIENTS = "service_recipients", _("Service recipients")
        PUBLIC = "public", _("The public")

    class Access(models.TextChoices):
        LOGIN = "login", _("Signed-in deputies, once each")
        CODES = "codes", _("One-time codes (QR slips)")
        LINK = "link", _("Public link (weaker: limited per browser and address)")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("campaign")
    )
    # Empty for a survey about the whole campaign (run by the office).
    appraisal = models.ForeignKey(
        Appraisal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("appraisal"),
    )
    title = models.CharField(_("title"), max_length=100)
    intro = models.TextField(_("introduction"), max_length=2000, blank=True)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    access = models.CharField(_("how people answer"), max_length=10, choices=Access.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    token = models.CharField(max_length=24, unique=True, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:survey", args=[self.pk])

    @property
    def subject(self) -> str:
        return self.appraisal.unit.name if self.appraisal else self.campaign.title

    @property
    def list_url(self) -> str:
        if self.appraisal_id:
            return reverse("surveys:survey_list", args=[self.appraisal_id])
        return reverse("surveys:campaign_surveys", args=[self.campaign_id])

    def accepting_on(self, day: date) -> bool:
        return (
            self.state == self.State.OPEN
            and (self.opens_on is None or self.opens_on <= day)
            and (self.closes_on is None or day <= self.closes_on)
        )


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SATISFACTION = "satisfaction", _("Satisfaction scale")
        RATING = "rating", _("Rating 1–5")
        TEXT = "text", _("Free text")

    SATISFACTION_OPTIONS = ("满意", "基本满意", "不满意", "不了解")
    RATING_OPTIONS = ("1", "2", "3", "4", "5")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    required = models.BooleanField(_("required"), default=True)
    options = models.TextField(_("options, one per line"), max_length=3000, blank=True)
    max_choices = models.PositiveSmallIntegerField(
        _("at most (multiple choice)"), null=True, blank=True
    )

    class Meta:
        ordering = ["survey", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    def option_list(self) -> list[str]:
        if self.kind == self.Kind.SATISFACTION:
            return list(self.SATISFACTION_OPTIONS)
        if self.kind == self.Kind.RATING:
            return list(self.RATING_OPTIONS)
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class Response(models.Model):
    """One person's answers: no user, no code, no address; the day only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField(_("submitted on"))

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.survey} · {self.submitted_on}"


class Answer(models.Model):
    """One chosen option (a multiple choice has one row per option) or one free text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.CharField(max_length=200, blank=True)
    text = models.TextField(max_length=2000, blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "value"], name="answer_question_value")]

    def __str__(self) -> str:
        return self.value or self.text[:40]


class SurveyCode(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=16, unique=True)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.code


class SurveyRespondent(models.Model):
    """That a signed-in deputy has answered: one response each, nothing that links to it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="respondent_once_per_survey")
        ]

    def __str__(self) -> str:
        return str(self.user)


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
