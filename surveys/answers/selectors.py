from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from appraisal.models import Appraisal, SelfReview
from appraisal.selfreview.snapshots import Missing
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
    """What a self-review version freezes (and the head approves): the answers given."""
    out = []
    for finding in forwarded_findings(self_review.appraisal):
        answer = getattr(finding, "answer", None)
        if answer is None:
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
    return out


def answers_missing(self_review: SelfReview) -> list[Missing]:
    """Forwarded findings without an answer stop the submission; the page says so first."""
    missing = sum(
        1 for f in forwarded_findings(self_review.appraisal) if getattr(f, "answer", None) is None
    )
    if not missing:
        return []
    return [
        Missing(
            _("%(n)d forwarded problem(s) still need an answer before submission.")
            % {"n": missing},
            reverse("surveys:finding_answers", args=[self_review.appraisal_id]),
            _("Answers to forwarded problems"),
        )
    ]
