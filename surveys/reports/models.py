"""Investigation reports (调研报告).

The work group drafts its report from its activities, the verified findings it picks
(grouped by topic), questionnaire results and the unit's answers, then edits the
text. A verified prominent finding may be left out only with a written reason, which
the office sees beside the report (不得故意隐瞒被评议单位存在的突出问题). The text is
frozen while the deputies of the group sign; the leader sends it to the office when
everyone signed or records why someone did not; the office accepts or returns it.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from appraisal.models import Appraisal, User
from surveys.findings.models import Finding


class InvestigationReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNING = "signing", _("Being signed")
        SUBMITTED = "submitted", _("Submitted to the office")
        RETURNED = "returned", _("Returned for revision")
        ACCEPTED = "accepted", _("Accepted")

    # The moves ``report_move`` allows; nothing else changes ``status``.
    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.SIGNING},
        Status.SIGNING: {Status.SUBMITTED, Status.DRAFT},
        Status.SUBMITTED: {Status.RETURNED, Status.ACCEPTED},
        Status.RETURNED: {Status.SIGNING},
    }
    EDITABLE = {Status.DRAFT, Status.RETURNED}

    appraisal = models.OneToOneField(
        Appraisal,
        on_delete=models.CASCADE,
        related_name="investigation_report",
        verbose_name=_("appraisal"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=60000, blank=True)
    # Each time the text goes out for signing it is a new round; signatures belong to one.
    round = models.PositiveSmallIntegerField(_("signing round"), default=0)
    missing_reason = models.TextField(_("why not everyone signed"), max_length=2000, blank=True)
    submitted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_comment = models.TextField(_("office's comment"), max_length=4000, blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("investigation report")
        verbose_name_plural = _("investigation reports")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:report", args=[self.appraisal_id])

    @property
    def editable(self) -> bool:
        return self.status in self.EDITABLE


class ReportFinding(models.Model):
    """A verified finding the report includes, or leaves out with a reason."""

    report = models.ForeignKey(
        InvestigationReport, on_delete=models.CASCADE, related_name="finding_choices"
    )
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="+")
    included = models.BooleanField(_("included"), default=True)
    omission_reason = models.TextField(_("why it is left out"), max_length=2000, blank=True)

    class Meta:
        ordering = ["report", "finding__topic", "finding_id"]
        verbose_name = _("finding in a report")
        verbose_name_plural = _("findings in reports")
        constraints = [
            models.UniqueConstraint(fields=["report", "finding"], name="reportfinding_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.finding}"


class ReportSignoff(models.Model):
    """A deputy of the work group signs the report's text of one round, or dissents."""

    class Decision(models.TextChoices):
        SIGNED = "signed", _("Signed")
        DISSENT = "dissent", _("Dissent")

    report = models.ForeignKey(
        InvestigationReport, on_delete=models.CASCADE, related_name="signoffs"
    )
    round = models.PositiveSmallIntegerField()
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["report", "round", "created_at"]
        verbose_name = _("report sign-off")
        verbose_name_plural = _("report sign-offs")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "round", "user"], name="reportsignoff_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.user} · {self.get_decision_display()}"
