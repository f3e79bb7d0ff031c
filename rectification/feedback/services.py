"""Writes of the feedback: the closure notices written with a close (销号), and a deputy
marking theirs read."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from appraisal.audit import audit_log
from appraisal.models import AuditEvent, User
from rectification.feedback.models import ClosureNotice
from rectification.ledger.models import RectificationItem


def closure_notices_create(
    *, item: RectificationItem, closure: AuditEvent, people: list[int]
) -> int:
    """One notice per person for this closure; call it inside the close's transaction
    (``ledger.services.item_move``), whose audit row records how many were notified.
    A second call for the same closure adds nothing (unique per person and closure)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("closure notices are written in the transaction of the close")
    created = ClosureNotice.objects.bulk_create(
        [ClosureNotice(person_id=p, item=item, closure=closure) for p in people],
        ignore_conflicts=True,
    )
    return len(created)


def notices_mark_read(*, person: User) -> int:
    """Mark every unread notice of this person read; returns how many."""
    with transaction.atomic():
        n = ClosureNotice.objects.filter(person=person, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if n:
            audit_log(actor=person, action="rectification.notices.read", data={"count": n})
    return n
