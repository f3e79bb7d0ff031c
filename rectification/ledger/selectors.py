"""Reads of the rectification ledger. Every page takes a fixed number of queries whatever
the number of items: rows come with their unit, opinion item and evidence count in one
query, and the roll-ups are SQL aggregates."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from appraisal.audit_labels import action_label
from appraisal.models import Appraisal, AuditEvent
from rectification.ledger.models import Evidence, RectificationItem, Reminder
from rectification.opinions.models import AppraisalOpinion, OpinionItem

Status = RectificationItem.Status
# Work no longer waits on the unit: done (awaiting the check), closed or explained.
NOT_OPEN = {Status.DONE, Status.CLOSED, Status.EXPLAINED}


@dataclass
class Filters:
    status: str = ""
    category: str = ""
    overdue: bool = False
    department: str = ""
    opinion_item: int | None = None

    @classmethod
    def from_query(cls, data: Any) -> Filters:
        status = data.get("status", "")
        category = data.get("category", "")
        item = data.get("opinion_item", "")
        return cls(
            status=status if status in Status.values else "",
            category=category if category in RectificationItem.Category.values else "",
            overdue=data.get("overdue") == "1",
            department=data.get("department", "")[:60],
            opinion_item=int(item) if re.fullmatch(r"[0-9]{1,18}", item) else None,
        )

    def as_query(self) -> str:
        from urllib.parse import urlencode

        pairs = {
            "status": self.status,
            "category": self.category,
            "overdue": "1" if self.overdue else "",
            "department": self.department,
            "opinion_item": self.opinion_item or "",
        }
        return urlencode({k: v for k, v in pairs.items() if v})


def overdue_q(today: date) -> Q:
    return Q(deadline__lt=today) & ~Q(status__in=NOT_OPEN)


def due_soon_q(today: date) -> Q:
    horizon = today + timedelta(days=settings.LEDGER_DUE_SOON_DAYS)
    return Q(deadline__gte=today, deadline__lte=horizon) & ~Q(status__in=NOT_OPEN)


def filtered(
    items: QuerySet[RectificationItem], filters: Filters, today: date
) -> QuerySet[RectificationItem]:
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.category:
        items = items.filter(category=filters.category)
    if filters.overdue:
        items = items.filter(overdue_q(today))
    if filters.department:
        items = items.filter(responsible_department=filters.department)
    if filters.opinion_item:
        items = items.filter(opinion_item=filters.opinion_item)
    return items


@dataclass
class Row:
    item: RectificationItem
    number: int
    overdue: bool
    due_soon: bool
    days_left: int | None

    @property
    def days_late(self) -> int:
        return -(self.days_left or 0)


@dataclass
class Ledger:
    rows: list[Row]
    departments: list[str]
    opinion_items: list[OpinionItem]
    rollups: dict[int, dict[str, Any]] = field(default_factory=dict)
    totals: dict[str, Any] = field(default_factory=dict)
    page: Any = None  # a Paginator page when the ledger is paged


def evidence_count() -> Coalesce:
    """A correlated count, computed only for the rows shown (a join and GROUP BY would
    count the evidence of every item before the page is cut)."""
    return Coalesce(
        Subquery(
            Evidence.objects.filter(item=OuterRef("pk"))
            .order_by()
            .values("item")
            .annotate(n=Count("id"))
            .values("n")
        ),
        0,
    )


def ordered(items: QuerySet[RectificationItem]) -> QuerySet[RectificationItem]:
    return items.order_by("appraisal__sort_order", "opinion_item__number", "id")


def rows_of(items: Any, today: date, offset: int = 0) -> list[Row]:
    """Rows of a queryset (or a page of one) with their unit, opinion item and evidence
    count in one query."""
    horizon = settings.LEDGER_DUE_SOON_DAYS
    rows = []
    for n, item in enumerate(items, start=offset):
        left = item.days_left(today)
        open_ = item.status not in NOT_OPEN
        rows.append(
            Row(
                item=item,
                number=n + 1,
                overdue=open_ and left is not None and left < 0,
                due_soon=open_ and left is not None and 0 <= left <= horizon,
                days_left=left,
            )
        )
    return rows


def rollups(items: QuerySet[RectificationItem], today: date) -> dict[int, dict[str, Any]]:
    """Per opinion item: how many items, how many closed / explained / done / overdue, and
    the mean progress."""
    out = {}
    for r in (
        items.order_by()
        .values("opinion_item")
        .annotate(
            total=Count("id"),
            closed=Count("id", filter=Q(status=Status.CLOSED)),
            explained=Count("id", filter=Q(status=Status.EXPLAINED)),
            done=Count("id", filter=Q(status=Status.DONE)),
            overdue=Count("id", filter=overdue_q(today)),
            percent=Avg("percent"),
        )
    ):
        # Rounded down, as on the public page: the mean reaches 100 % only when every item
        # is at 100 % (a returned item at 99 % beside a done one is not “100 % on average”).
        r["percent"] = math.floor(r["percent"] or 0)
        r["finished"] = r["closed"] + r["explained"]
        out[r["opinion_item"]] = r
    return out


def totals(items: QuerySet[RectificationItem], today: date) -> dict[str, Any]:
    return items.aggregate(
        total=Count("id"),
        closed=Count("id", filter=Q(status=Status.CLOSED)),
        explained=Count("id", filter=Q(status=Status.EXPLAINED)),
        done=Count("id", filter=Q(status=Status.DONE)),
        overdue=Count("id", filter=overdue_q(today)),
        due_soon=Count("id", filter=due_soon_q(today)),
    )


def ledger(
    items: QuerySet[RectificationItem],
    opinion_items: QuerySet[OpinionItem],
    filters: Filters,
    today: date | None = None,
    *,
    page: str | None = None,
    per_page: int | None = None,
) -> Ledger:
    """The ledger of ``items``: the filtered rows (a page of them if ``per_page``), the
    filters' choices, the roll-up per opinion item and the totals, over all ``items``."""
    today = today or timezone.localdate()
    qs = ordered(filtered(items, filters, today)).select_related(
        "appraisal__unit", "opinion_item", "closed_by"
    )
    qs = qs.annotate(evidence_count=evidence_count())
    current = None
    if per_page:
        current = Paginator(qs, per_page).get_page(page)
        rows = rows_of(current.object_list, today, offset=current.start_index() - 1)
    else:
        rows = rows_of(qs, today)
    return Ledger(
        page=current,
        rows=rows,
        departments=sorted(
            set(items.order_by().values_list("responsible_department", flat=True).distinct())
        ),
        opinion_items=list(
            opinion_items.select_related("opinion__appraisal__unit").order_by(
                "opinion__appraisal__sort_order", "number"
            )
        ),
        rollups=rollups(items, today),
        totals=totals(items, today),
    )


def reminders_of(user: Any) -> QuerySet[Reminder]:
    return (
        Reminder.objects.filter(person=user)
        .select_related("item__appraisal__unit")
        .order_by("-day", "kind", "item_id")[:300]
    )


def ledger_stage(campaign: Any, appraisals: Any) -> dict[int, Any]:
    """The overview's ledger column: closed or explained of all, and how many overdue."""
    from django.utils.translation import gettext as _

    from appraisal.stages import StageStatus

    today = timezone.localdate()
    rows = {
        r["appraisal_id"]: r
        for r in RectificationItem.objects.filter(appraisal__in=[a.pk for a in appraisals])
        .values("appraisal_id")
        .annotate(
            total=Count("id"),
            n_finished=Count("id", filter=Q(status__in=RectificationItem.FINISHED)),
            overdue=Count("id", filter=overdue_q(today)),
        )
    }
    out = {}
    for a in appraisals:
        r = rows.get(a.pk)
        if r is None:
            out[a.pk] = StageStatus("todo", _("No rectification item yet"))
            continue
        text = _("%(f)d of %(n)d closed") % {"f": r["n_finished"], "n": r["total"]}
        if r["overdue"]:
            text += " · " + _("%(n)d overdue") % {"n": r["overdue"]}
        state = "done" if r["n_finished"] == r["total"] else "progress"
        out[a.pk] = StageStatus("alert" if r["overdue"] else state, text)
    return out


def items_of_appraisal(appraisal: Appraisal) -> QuerySet[RectificationItem]:
    return RectificationItem.objects.filter(appraisal=appraisal)


def issued_opinion_items(
    appraisals: QuerySet[Appraisal] | Sequence[Appraisal],
) -> QuerySet[OpinionItem]:
    """The items of the issued opinions of these appraisals (a draft's are nobody's yet)."""
    return OpinionItem.objects.filter(opinion__appraisal__in=appraisals).exclude(
        opinion__status=AppraisalOpinion.Status.DRAFT
    )


# The item's own record of who did what: its moves, not the progress reports (the page
# lists those, with their evidence, on their own).
HISTORY_SKIPS = {"rectification.item.progress"}


def item_history(item: RectificationItem) -> list[AuditEvent]:
    """The item's audit rows, oldest first, each with its ``label`` in words: who asked
    for the check (标记为已完成), who closed or returned it, and why. One query."""
    events = list(
        AuditEvent.objects.filter(
            object_type=item._meta.label_lower,
            object_id=str(item.pk),
            action__startswith="rectification.item.",
        )
        .exclude(action__in=HISTORY_SKIPS)
        .select_related("actor")
        .order_by("created_at", "id")
    )
    for e in events:
        e.label = action_label(e.action)  # type: ignore[attr-defined]
    return events
