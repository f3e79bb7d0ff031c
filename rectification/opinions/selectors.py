"""Reads of the appraisal opinions: the overview column and the campaign summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from appraisal.models import Appraisal, Campaign
from appraisal.stages import StageStatus
from rectification.opinions.models import AppraisalOpinion, OpinionItem


def opinion_of(appraisal: Appraisal) -> AppraisalOpinion | None:
    return AppraisalOpinion.objects.filter(appraisal=appraisal).first()


def items_of(opinion: AppraisalOpinion) -> list[OpinionItem]:
    return list(opinion.items.prefetch_related("findings").order_by("number"))


def opinion_stage(campaign: Campaign, appraisals: Sequence[Appraisal]) -> dict[int, StageStatus]:
    rows = {
        o["appraisal_id"]: o
        for o in AppraisalOpinion.objects.filter(appraisal__in=[a.pk for a in appraisals])
        .values("appraisal_id", "status", "document_number")
        .annotate(n=Count("items"))
    }
    labels = dict(AppraisalOpinion.Status.choices)
    out = {}
    for a in appraisals:
        row = rows.get(a.pk)
        if row is None:
            out[a.pk] = StageStatus("todo", _("Not drafted"))
            continue
        text = f"{labels[row['status']]} · " + _("%(n)d items") % {"n": row["n"]}
        if row["document_number"]:
            text = f"{row['document_number']} · {text}"
        state = "done" if row["status"] == AppraisalOpinion.Status.ACKNOWLEDGED else "progress"
        out[a.pk] = StageStatus(state, text)
    return out


def published_for_voter_count(campaign: Campaign) -> int:
    return AppraisalOpinion.objects.filter(campaign=campaign, published_at__isnull=False).count()


def issued_counts(campaign: Campaign) -> dict[str, Any]:
    return AppraisalOpinion.objects.filter(campaign=campaign).aggregate(
        issued=Count("id", filter=~Q(status=AppraisalOpinion.Status.DRAFT)),
        acknowledged=Count("id", filter=Q(status=AppraisalOpinion.Status.ACKNOWLEDGED)),
    )
