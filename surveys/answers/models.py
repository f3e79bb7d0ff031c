"""A unit's answer to a forwarded finding: accepted, partly accepted or explained, and what
it did. Edited with the self-review draft; each submitted self-review version keeps a
copy of the answers as they stood."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from appraisal.models import User
from surveys.findings.models import Finding


class FindingAnswer(models.Model):
    class Response(models.TextChoices):
        # Not the review outcome "Accepted" (已通过): the unit accepts the finding (认可).
        ACCEPTED = "accepted", pgettext_lazy("answer to a finding", "Accepted")
        PARTLY = "partly", _("Partly accepted")
        EXPLAINED = "explained", _("Explained")

    finding = models.OneToOneField(
        Finding, on_delete=models.CASCADE, related_name="answer", verbose_name=_("finding")
    )
    response = models.CharField(_("response"), max_length=10, choices=Response.choices)
    text = models.TextField(_("what the unit did"), max_length=4000)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("answer to a finding")
        verbose_name_plural = _("answers to findings")

    def __str__(self) -> str:
        return f"{self.finding} · {self.get_response_display()}"
