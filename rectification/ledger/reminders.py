"""Reminders about the ledger (``manage.py send_reminders``), idempotent per day.

Liaisons hear of deadlines that approach (``LEDGER_DUE_SOON_DAYS``) and of overdue
items; the work group hears of items done and waiting for its check. A person is
reminded of an item at most once per kind every ``LEDGER_REMIND_EVERY_DAYS`` days; the
``Reminder`` rows are written first (unique per person, item, kind and day, so a
concurrent second run fails instead of doubling) and mailed after, one message per
person; a row is marked sent only once its message went out, so a failed mail is retried
by the next run. Everyone sees what was sent to them on their reminders page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.audit import audit_log
from appraisal.models import WorkGroupMember
from rectification.feedback.mail import mail_unsent_notices
from rectification.ledger import selectors
from rectification.ledger.models import RectificationItem, Reminder
from rectification.ledger.services import WORK_PHASES
from units.models import UnitTeamMember

Kind = Reminder.Kind


@dataclass
class Outcome:
    created: int = 0
    mailed: int = 0
    messages: int = 0
    notices: int = 0  # closure notices mailed to those who raised a problem


def _candidates(today: date) -> list[tuple[int, int, str]]:
    items = RectificationItem.objects.filter(appraisal__campaign__phase__in=WORK_PHASES)
    liaisons: dict[int, list[int]] = defaultdict(list)
    for unit_id, user_id in UnitTeamMember.objects.filter(
        role=UnitTeamMember.Role.LIAISON, user__is_active=True
    ).values_list("unit_id", "user_id"):
        liaisons[unit_id].append(user_id)
    members: dict[int, list[int]] = defaultdict(list)
    for group_id, user_id in WorkGroupMember.objects.filter(user__is_active=True).values_list(
        "work_group_id", "user_id"
    ):
        members[group_id].append(user_id)
    out: list[tuple[int, int, str]] = []
    for kind, q, who in (
        (Kind.DUE_SOON, selectors.due_soon_q(today), "unit"),
        (Kind.OVERDUE, selectors.overdue_q(today), "unit"),
        (Kind.TO_CHECK, None, "group"),
    ):
        qs = (
            items.filter(q) if q is not None else items.filter(status=RectificationItem.Status.DONE)
        )
        for item_id, unit_id, group_id in qs.values_list(
            "id", "appraisal__unit_id", "appraisal__work_group_id"
        ):
            people = liaisons.get(unit_id, []) if who == "unit" else members.get(group_id, [])
            out.extend((person, item_id, kind) for person in people)
    return out


def send_reminders(*, today: date | None = None) -> Outcome:
    today = today or timezone.localdate()
    outcome = Outcome()
    window_start = today - timedelta(days=max(settings.LEDGER_REMIND_EVERY_DAYS, 1) - 1)
    recent = set(
        Reminder.objects.filter(day__gte=window_start, day__lte=today).values_list(
            "person_id", "item_id", "kind"
        )
    )
    new = [
        Reminder(person_id=p, item_id=i, kind=k, day=today)
        for p, i, k in _candidates(today)
        if (p, i, k) not in recent
    ]
    if new:
        try:
            with transaction.atomic():
                Reminder.objects.bulk_create(new, batch_size=500)
                audit_log(
                    actor=None,
                    action="rectification.reminders.created",
                    data={"day": today.isoformat(), "count": len(new)},
                )
        except IntegrityError:
            # Another run wrote today's reminders at the same moment; it mails them.
            new = []
        outcome.created = len(new)
    _mail_unsent(outcome)
    outcome.notices = mail_unsent_notices()
    return outcome


def _mail_unsent(outcome: Outcome) -> None:
    pending = list(
        Reminder.objects.filter(sent_at__isnull=True)
        .exclude(person__email="")
        .select_related("person", "item__appraisal__unit")
        .order_by("person_id", "kind", "item__deadline", "item_id")
    )
    by_person: dict[int, list[Reminder]] = defaultdict(list)
    for r in pending:
        by_person[r.person_id].append(r)
    site = getattr(settings, "SITE_URL", "")
    if not by_person:
        return
    # One message per person, each marked sent as soon as it went out: a failure halfway
    # leaves only the people not yet mailed for the next run.
    with get_connection() as connection:
        for rows in by_person.values():
            person = rows[0].person
            lines = [_("The following rectification items need your attention:"), ""]
            for r in rows:
                item = r.item
                deadline = item.deadline.isoformat() if item.deadline else "—"
                lines.append(
                    f"【{r.get_kind_display()}】{item.appraisal.unit.name} · {item.problem[:60]} · "
                    + _("deadline")
                    + f" {deadline}  {site}{item.get_absolute_url()}"
                )
            lines += ["", _("This message was sent by the appraisal system; do not reply.")]
            message = EmailMessage(
                subject=_("Rectification ledger: %(n)d items need attention") % {"n": len(rows)},
                body="\n".join(lines),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[person.email],
                connection=connection,
            )
            message.send()
            Reminder.objects.filter(pk__in=[r.pk for r in rows]).update(sent_at=timezone.now())
            outcome.mailed += len(rows)
            outcome.messages += 1
