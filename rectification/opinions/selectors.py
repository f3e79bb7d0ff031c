"""Reads of the appraisal opinions: the overview column and the campaign summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from appraisal.models import Appraisal, Campaign, User, Voter
from appraisal.stages import Link, StageStatus
from rectification.opinions.models import AppraisalOpinion, OpinionItem


def opinion_default_title(appraisal: Appraisal) -> str:
    return f"关于对{appraisal.unit.name}{appraisal.campaign.year}年度工作评议的意见"


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


def campaign_summary(campaign: Campaign) -> dict[str, Any]:
    """Every appraisal's status in each phase, findings by topic and status, and the
    opinions issued and acknowledged. A fixed number of queries whatever the size."""
    from appraisal.selfreview.models import SelfReview
    from surveys.models import Finding, InvestigationReport

    appraisals = list(campaign.appraisals.select_related("unit", "work_group"))
    ids = [a.pk for a in appraisals]
    self_reviews = dict(
        SelfReview.objects.filter(appraisal__in=ids).values_list("appraisal_id", "status")
    )
    reports = dict(
        InvestigationReport.objects.filter(appraisal__in=ids).values_list("appraisal_id", "status")
    )
    opinions = {
        o.appraisal_id: o
        for o in AppraisalOpinion.objects.filter(appraisal__in=ids).annotate(n=Count("items"))
    }
    topics = dict(Finding.Topic.choices)
    statuses = dict(Finding.Status.choices)
    counts: dict[tuple[int, str, str], int] = {}
    for row in (
        Finding.objects.filter(appraisal__in=ids)
        .values("appraisal_id", "topic", "status")
        .annotate(n=Count("id"))
    ):
        counts[(row["appraisal_id"], row["topic"], row["status"])] = row["n"]
    sr_labels = dict(SelfReview.Status.choices)
    rp_labels = dict(InvestigationReport.Status.choices)
    rows = []
    for a in appraisals:
        opinion = opinions.get(a.pk)
        by_topic: list[dict[str, Any]] = []
        for topic, label in topics.items():
            cells = [counts.get((a.pk, topic, s), 0) for s in statuses]
            if any(cells):
                by_topic.append({"topic": label, "cells": cells, "total": sum(cells)})
        rows.append(
            {
                "appraisal": a,
                "self_review": sr_labels.get(self_reviews.get(a.pk, ""), "—"),
                "self_review_status": self_reviews.get(a.pk, ""),
                "report": rp_labels.get(reports.get(a.pk, ""), "—"),
                "report_status": reports.get(a.pk, ""),
                "opinion": opinion,
                "findings": by_topic,
                "findings_total": sum(int(t["total"]) for t in by_topic),
            }
        )
    totals = issued_counts(campaign)
    return {
        "campaign": campaign,
        "rows": rows,
        "statuses": list(statuses.values()),
        "status_codes": list(statuses),
        "issued": totals["issued"],
        "acknowledged": totals["acknowledged"],
    }


def progress_for_voter(user: User) -> list[dict[str, Any]]:
    """What a deputy follows: for each appraisal of the campaigns they vote in, whether the
    unit submitted its self-review and it was accepted, and the committee's opinion once
    the office has shown it to deputies. Never a draft, never the report's text."""
    from appraisal.selfreview.models import SelfReview

    campaign_ids = Voter.objects.filter(user=user).values("voter_group__campaign")
    appraisals = list(
        Appraisal.objects.filter(campaign__in=campaign_ids)
        .select_related("campaign", "unit")
        .order_by("-campaign__year", "sort_order", "id")
    )
    ids = [a.pk for a in appraisals]
    reviews = dict(
        SelfReview.objects.filter(appraisal__in=ids)
        .exclude(status=SelfReview.Status.DRAFT)
        .values_list("appraisal_id", "status")
    )
    opinions = {
        o.appraisal_id: o
        for o in AppraisalOpinion.objects.filter(appraisal__in=ids, published_at__isnull=False)
    }
    labels: dict[str, str] = {
        SelfReview.Status.SUBMITTED: _("Submitted"),
        SelfReview.Status.RETURNED: _("Submitted"),  # being revised: still shown as submitted
        SelfReview.Status.ACCEPTED: _("Accepted"),
    }
    return [
        {
            "appraisal": a,
            "self_review": labels.get(reviews.get(a.pk, ""), ""),
            "opinion": opinions.get(a.pk),
        }
        for a in appraisals
    ]


def campaign_links(user: User, campaign: Campaign) -> list[Link]:
    """The office overview's way to the campaign summary."""
    if not getattr(user, "is_office", False):
        return []
    return [
        Link(
            _("Progress summary (PDF)"),
            reverse("rectification:campaign_summary", args=[campaign.pk]),
        )
    ]


def deputy_links(user: User) -> list[Link]:
    """A deputy follows each unit's self-review and the opinions shown to deputies."""
    return [
        Link(
            _("Progress of each unit"),
            reverse("rectification:deputy_progress"),
            note=_(
                "How each appraised unit reviews itself and what the committee asks of it. "
                "The committee's opinions appear here once the office shows them to deputies."
            ),
        )
    ]
