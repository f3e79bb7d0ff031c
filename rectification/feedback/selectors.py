"""Reads for the feedback to those who raised a problem: the progress lines of the items
built on the opinion items their findings rest on, and a deputy's closure notices. Each a
fixed number of queries, whatever the number of findings or items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from rectification.feedback.models import ClosureNotice
from rectification.ledger.models import RectificationItem
from rectification.opinions.models import AppraisalOpinion, OpinionItem
from surveys.feedback import ProgressLine
from surveys.models import Finding

Status = RectificationItem.Status
# A plan is shown once the work group approved it (or accepted the explanation): drafts
# and plans awaiting approval are the unit's and the work group's business.
HIDDEN = {Status.DRAFT, Status.SUBMITTED}


def opinion_label(opinion: AppraisalOpinion, number: int) -> str:
    return _("%(doc)s, item %(n)d") % {"doc": opinion.document_number or opinion.title, "n": number}


def progress_lines(findings: Sequence[Finding]) -> dict[int, list[ProgressLine]]:
    """For each finding, the items built on the issued opinion items that rest on it, in
    opinion-item order. Two queries. Only the status, percent and closing note of an item
    leave here: never the work group's comments, the evidence, or who else raised it."""
    appraisal_of = {f.pk: f.appraisal_id for f in findings}
    links = OpinionItem.findings.through.objects.filter(finding_id__in=list(appraisal_of)).exclude(
        opinionitem__opinion__status=AppraisalOpinion.Status.DRAFT
    )
    by_opinion_item: dict[int, list[int]] = defaultdict(list)
    for finding_id, opinion_item_id in links.values_list("finding_id", "opinionitem_id"):
        by_opinion_item[opinion_item_id].append(finding_id)
    if not by_opinion_item:
        return {}
    items = (
        RectificationItem.objects.filter(opinion_item__in=list(by_opinion_item))
        .exclude(status__in=HIDDEN)
        .exclude(opinion_item__opinion__status=AppraisalOpinion.Status.DRAFT)
        .select_related("opinion_item__opinion")
        .order_by("opinion_item__number", "id")
    )
    labels = dict(Status.choices)
    out: dict[int, list[ProgressLine]] = defaultdict(list)
    for item in items:
        line = ProgressLine(
            opinion=opinion_label(item.opinion_item.opinion, item.opinion_item.number),
            problem=item.problem,
            status=item.status,
            status_label=str(labels[item.status]),
            percent=item.percent,
            closed=item.status == Status.CLOSED,
            closed_on=item.closed_on if item.finished else None,
            closing_note=item.closing_note if item.finished else "",
        )
        for finding_id in by_opinion_item[item.opinion_item_id]:
            # An opinion item rests only on its own appraisal's findings; checked again here
            # so that no other unit's item could ever reach a raiser.
            if appraisal_of[finding_id] == item.appraisal_id:
                out[finding_id].append(line)
    return dict(out)


def raisers_of(item: RectificationItem) -> list[int]:
    """The deputies (active accounts) who raised a finding the item's opinion item rests
    on. The public hear of a closure on their receipt page, not by a notice."""
    return list(
        Finding.objects.filter(
            opinion_items=item.opinion_item_id,
            appraisal=item.appraisal_id,
            source=Finding.Source.DEPUTY,
            submitted_by__isnull=False,
            submitted_by__is_active=True,
        )
        .order_by("submitted_by_id")
        .values_list("submitted_by_id", flat=True)
        .distinct()
    )


def notices_of(user: Any, limit: int = 200) -> QuerySet[ClosureNotice]:
    return ClosureNotice.objects.filter(person=user).select_related(
        "item__appraisal__unit", "item__opinion_item__opinion"
    )[:limit]


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return ClosureNotice.objects.filter(person=user, read_at__isnull=True).count()


def deputy_sections(user: Any) -> list[Any]:
    """The deputy's page: a line when closures they have not read yet were sent to them
    (one query); the list itself is on the reminders page."""
    from appraisal.homes import Section

    n = unread_count(user)
    if not n:
        return []
    return [Section("rectification/feedback/_unread.html", {"unread": n})]
