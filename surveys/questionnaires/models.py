"""Questionnaires (问卷调查): surveys, their questions, codes and anonymous responses."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from appraisal.models import Appraisal, Campaign, User

if TYPE_CHECKING:
    pass


LINK_LIMIT_PER_HOUR = 300


class Survey(models.Model):
    """A questionnaire (问卷) to one audience, about one appraisal or the whole campaign."""

    class Audience(models.TextChoices):
        DEPUTIES = "deputies", _("Deputies")
        SERVICE_RECIPIENTS = "service_recipients", _("Service recipients")
        # Not the findings' "The public" (群众反映): as an audience it reads 社会公众.
        PUBLIC = "public", pgettext_lazy("survey audience", "The public")

    class Access(models.TextChoices):
        LOGIN = "login", _("Signed-in deputies, once each")
        CODES = "codes", _("One-time codes (QR slips)")
        LINK = "link", _("Public link (weaker: limited per browser and address)")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    # The only moves a survey makes, all through ``services.survey_set_state``.
    TRANSITIONS: dict[str, str] = {
        State.DRAFT: State.OPEN,
        State.OPEN: State.CLOSED,
    }

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
    # A meeting hall on one Wi-Fi or a carrier's NAT is one address for many people: the
    # ceiling on answers per address and hour is the owner's to set, generous by default.
    link_limit_per_hour = models.PositiveIntegerField(
        _("answers per hour from one network address"),
        default=LINK_LIMIT_PER_HOUR,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
    )
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


class SealedResponse(models.Model):
    """The answers of an identified respondent (signed-in deputy or personal code) while the
    survey is open: sealed like a ballot (``appraisal.sealing``), with the day.

    Written in the respondent's transaction with ``SurveyRespondent`` or the code's
    ``used`` flag; closing the survey opens them all and writes ``Response`` and
    ``Answer`` rows in random order (README, "Security: ballot secrecy").
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("sealed response")
        verbose_name_plural = _("sealed responses")

    def __str__(self) -> str:
        return str(_("sealed response"))


class Answer(models.Model):
    """One chosen option (a multiple choice has one row per option) or one free text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.CharField(max_length=200, blank=True)
    text = models.TextField(max_length=2000, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "value"], name="answer_question_value")]

    def __str__(self) -> str:
        return self.value or self.text[:40]


class SurveyCode(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=16, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("questionnaire code")
        verbose_name_plural = _("questionnaire codes")

    def __str__(self) -> str:
        return self.code


class SurveyRespondent(models.Model):
    """That a signed-in deputy has answered: one response each, nothing that links to it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("deputy who answered")
        verbose_name_plural = _("deputies who answered")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="respondent_once_per_survey")
        ]

    def __str__(self) -> str:
        return str(self.user)
