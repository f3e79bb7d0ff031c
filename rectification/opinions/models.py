"""Appraisal opinions (评议意见).

The office drafts one opinion per appraisal: numbered items (problem + requirement),
each resting on verified findings, and a reply deadline. Issuing allocates the
campaign's next document number (once, never reused), freezes the text and shows it to
that unit alone; the unit acknowledges receipt once. Item numbers are frozen at issue:
the rectification ledger is built from them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from appraisal.models import Appraisal, Campaign, User
from surveys.models import Finding


class AppraisalOpinion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged by the unit")

    # The moves ``opinion_move`` allows; nothing else changes ``status``.
    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.ISSUED},
        Status.ISSUED: {Status.ACKNOWLEDGED},
    }

    appraisal = models.OneToOneField(
        Appraisal, on_delete=models.CASCADE, related_name="opinion", verbose_name=_("appraisal")
    )
    # Kept beside the appraisal so the database can hold document numbers unique per campaign.
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="+", verbose_name=_("campaign")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    preamble = models.TextField(_("opening paragraph"), max_length=5000, blank=True)
    reply_deadline = models.DateField(_("reply deadline"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    issue_date = models.DateField(_("date of issue"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Deputies see the committee's opinions once the office publishes them to them.
    published_at = models.DateTimeField(_("shown to deputies at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["campaign", "appraisal__sort_order", "id"]
        verbose_name = _("appraisal opinion")
        verbose_name_plural = _("appraisal opinions")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"],
                condition=Q(number__isnull=False),
                name="opinion_unique_number_per_campaign",
            )
        ]

    def __str__(self) -> str:
        return self.document_number or self.title

    def get_absolute_url(self) -> str:
        return reverse("rectification:opinion", args=[self.appraisal_id])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class OpinionItem(models.Model):
    """One numbered item: the problem and what the committee requires."""

    opinion = models.ForeignKey(
        AppraisalOpinion, on_delete=models.CASCADE, related_name="items", verbose_name=_("opinion")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    problem = models.TextField(_("problem"), max_length=4000)
    requirement = models.TextField(_("requirement"), max_length=4000)
    findings = models.ManyToManyField(
        Finding, blank=True, related_name="opinion_items", verbose_name=_("findings")
    )
    report_passage = models.TextField(_("report passage it rests on"), max_length=2000, blank=True)

    class Meta:
        ordering = ["opinion", "number"]
        verbose_name = _("opinion item")
        verbose_name_plural = _("opinion items")
        constraints = [
            models.UniqueConstraint(fields=["opinion", "number"], name="opinionitem_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.opinion} · {self.number}"
