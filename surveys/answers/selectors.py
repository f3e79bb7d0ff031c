from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from appraisal.errors import DomainError
from appraisal.models import Appraisal, SelfReview
from surveys.findings.models import Finding


def forwarded_findings(appraisal: Appraisal) -> QuerySet[Finding]:
    """The verified findings forwarded to the unit, with their answers."""
    return (
        Finding.objects.filter(
            appraisal=appraisal, status=Finding.Status.VERIFIED, forwarded_at__isnull=False
        )
        .select_related("answer")
        .order_by("forwarded_at", "id")
    )


def answers_snapshot(self_review: SelfReview) -> list[dict[str, Any]]:
    """What a self-review version freezes; refuses while a forwarded finding has no answer."""
    out = []
    missing = 0
    for finding in forwarded_findings(self_review.appraisal):
        answer = getattr(finding, "answer", None)
        if answer is None:
            missing += 1
            continue
        out.append(
            {
                "finding": finding.pk,
                "finding_text": finding.text,
                "topic": finding.topic,
                "response": answer.response,
                "response_label": str(answer.get_response_display()),
                "text": answer.text,
            }
        )
    if missing:
        raise DomainError(
            _("%(n)d forwarded problem(s) still need an answer before submission.") % {"n": missing}
        )
    return out
