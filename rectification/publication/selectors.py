"""What the public reads of a unit's rectification: only once the office has published
it, and then only status, progress and deadlines (no comments, evidence or names)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.models import Appraisal, Campaign, User
from appraisal.stages import Link
from rectification.ledger.models import RectificationItem
from rectification.opinions.models import OpinionItem
from rectification.publication.models import ProgressPublication

Status = RectificationItem.Status
# A plan not yet approved is the unit's draft: not the committee's to publish.
PUBLIC_STATUSES = [
    Status.PLANNED,
    Status.IN_PROGRESS,
    Status.DONE,
    Status.RETURNED,
    Status.CLOSED,
    Status.EXPLAINED,
]


@dataclass
class PublicItem:
    problem: str
    measures: str
    category: str
    status: str
    status_code: str
    percent: int
    deadline: date | None
    closed_on: date | None
    overdue: bool
    explanation: bool = False


@dataclass
class PublicOpinionItem:
    number: int
    problem: str
    requirement: str
    items: list[PublicItem] = field(default_factory=list)

    @property
    def finished(self) -> int:
        return sum(1 for i in self.items if i.status_code in (Status.CLOSED, Status.EXPLAINED))

    @property
    def percent(self) -> int:
        # An explanation is not work in progress: it has no percentage to average. Rounded
        # down, as in the ledger: 100 % only when every item is at 100 %.
        worked = [i.percent for i in self.items if not i.explanation]
        return sum(worked) // len(worked) if worked else 0


def publication_of(appraisal: Appraisal) -> ProgressPublication | None:
    return ProgressPublication.objects.filter(appraisal=appraisal).first()


def is_published(appraisal: Appraisal) -> bool:
    return ProgressPublication.objects.filter(
        appraisal=appraisal, state=ProgressPublication.State.PUBLISHED
    ).exists()


def published_appraisal_ids(campaign: Campaign) -> set[int]:
    return set(
        ProgressPublication.objects.filter(
            appraisal__campaign=campaign, state=ProgressPublication.State.PUBLISHED
        ).values_list("appraisal_id", flat=True)
    )


def progress_items(appraisal: Appraisal, today: date | None = None) -> list[PublicOpinionItem]:
    """The opinion items of the appraisal's issued opinion, each with the public fields
    of its rectification items past plan approval. Two queries, whatever the size. The
    caller decides whether it may be shown (``public_progress`` does)."""
    today = today or timezone.localdate()
    opinion_items: QuerySet[OpinionItem] = OpinionItem.objects.filter(
        opinion__appraisal=appraisal, opinion__issued_at__isnull=False
    ).order_by("number")
    out = {o.pk: PublicOpinionItem(o.number, o.problem, o.requirement) for o in opinion_items}
    items = RectificationItem.objects.filter(
        appraisal=appraisal, opinion_item__in=list(out), status__in=PUBLIC_STATUSES
    ).order_by("opinion_item__number", "id")
    for item in items:
        finished = item.status in RectificationItem.FINISHED
        out[item.opinion_item_id].items.append(
            PublicItem(
                problem=item.problem,
                measures=item.measures or item.explanation,
                category=item.get_category_display(),
                status=item.get_status_display(),
                status_code=item.status,
                percent=100 if item.status == Status.CLOSED else item.percent,
                deadline=item.deadline,
                closed_on=item.closed_on,
                overdue=not finished and item.deadline is not None and item.deadline < today,
                explanation=item.category == RectificationItem.Category.EXPLANATION,
            )
        )
    return list(out.values())


def public_progress(appraisal: Appraisal) -> list[PublicOpinionItem] | None:
    """The published progress, or None while the office has not published it."""
    if not is_published(appraisal):
        return None
    return progress_items(appraisal)


def publication_links(user: User, appraisal: Appraisal) -> list[Link]:
    """The appraisal page's way for the office to publish the progress on the portal."""
    if not getattr(user, "is_office", False):
        return []
    publication = publication_of(appraisal)
    state: Any = publication.get_state_display() if publication else _("Not published")
    return [
        Link(
            _("Public rectification progress"),
            reverse("rectification:progress_publication", args=[appraisal.pk]),
            summary=str(state),
        )
    ]
