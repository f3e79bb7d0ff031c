"""Reminders about the ledger (``manage.py send_reminders``), idempotent per day.

Liaisons hear of deadlines that approach (``LEDGER_DUE_SOON_DAYS``) and of overdue
items; the work group hears of items done and waiting for its check. A person is
reminded of an item at most once per kind every ``LEDGER_REMIND_EVERY_DAYS`` days; the
``Reminder`` rows are written first (unique per person, item, kind and day, so a
concurrent second run fails instead of doubling) and mailed after, one message per
person; a row is marked sent only once its message went out, so a failed mail is retried
by the next run. Everyone sees what was sent to them on their reminders page.

Once per ISO week — on the first run on or after its Monday, whatever the day — each
office user gets one digest of the ledger of every campaign at work (rectification or
second scoring): per appraisal the items, closed, in progress, overdue, explained and
awaiting check, what became overdue since that person's last digest, and what waits for
a decision of the office or work group (plans and explanations submitted, items done).
The digest is a ``Reminder`` of kind ``digest`` without an item, unique per person and
week, holding the figures it was sent with; it is mailed, and shown, like the others.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.audit import audit_log
from appraisal.models import Appraisal, User, WorkGroupMember
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
    digests: int = 0
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
    outcome.digests = _write_digests(today)
    _mail_unsent(outcome)
    _mail_digests(outcome)
    outcome.notices = mail_unsent_notices()
    return outcome


def _mail_unsent(outcome: Outcome) -> None:
    pending = list(
        Reminder.objects.filter(sent_at__isnull=True, item__isnull=False)
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
                assert item is not None  # digests, which have none, are mailed apart
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


# ---- the office's weekly digest -----------------------------------------------------------

S = RectificationItem.Status
# What the digest counts per appraisal; the names are the keys of its stored figures.
FIGURES = {
    "total": Q(),
    "planning": Q(status__in=[S.DRAFT, S.SUBMITTED]),
    "in_progress": Q(status__in=[S.PLANNED, S.IN_PROGRESS, S.RETURNED]),
    "to_check": Q(status=S.DONE),
    "closed": Q(status=S.CLOSED),
    "explained": Q(status=S.EXPLAINED),
    "plans_waiting": Q(status=S.SUBMITTED) & ~Q(category=RectificationItem.Category.EXPLANATION),
    "explanations_waiting": Q(status=S.SUBMITTED, category=RectificationItem.Category.EXPLANATION),
}
WAITING = ("plans_waiting", "explanations_waiting", "to_check")


def week_of(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def _digest_figures(today: date, since: date) -> list[dict[str, Any]]:
    """Per campaign at work, per appraisal, the digest's figures (one query for the items,
    one for the appraisals)."""
    appraisals = list(
        Appraisal.objects.filter(campaign__phase__in=WORK_PHASES)
        .select_related("campaign", "unit")
        .order_by("campaign__year", "campaign_id", "sort_order", "id")
    )
    overdue = selectors.overdue_q(today)
    counts = {
        r["appraisal_id"]: r
        for r in RectificationItem.objects.filter(appraisal__in=[a.pk for a in appraisals])
        .values("appraisal_id")
        .annotate(
            **{name: Count("id", filter=q) for name, q in FIGURES.items()},
            overdue=Count("id", filter=overdue),
            new_overdue=Count("id", filter=overdue & Q(deadline__gte=since)),
        )
    }
    keys = [*FIGURES, "overdue", "new_overdue"]
    campaigns: dict[int, dict[str, Any]] = {}
    for a in appraisals:
        c = campaigns.setdefault(
            a.campaign_id,
            {
                "title": a.campaign.title,
                "url": reverse("rectification:campaign_ledger", args=[a.campaign_id]),
                "appraisals": [],
                "totals": dict.fromkeys(keys, 0),
            },
        )
        row = {k: counts.get(a.pk, {}).get(k, 0) for k in keys}
        c["appraisals"].append(
            {"unit": a.unit.name, "url": reverse("rectification:ledger", args=[a.pk]), **row}
        )
        for k in keys:
            c["totals"][k] += row[k]
    return list(campaigns.values())


def _write_digests(today: date) -> int:
    """This week's digest row for each office user who has none yet; 0 when no campaign
    is at work or every office user has had this week's."""
    week = week_of(today)
    if not Appraisal.objects.filter(campaign__phase__in=WORK_PHASES).exists():
        return 0
    office = list(
        User.objects.filter(is_office=True, is_active=True)
        .exclude(pk__in=Reminder.objects.filter(kind=Kind.DIGEST, week=week).values("person"))
        .annotate(last=Max("reminders__day", filter=Q(reminders__kind=Kind.DIGEST)))
        .order_by("id")
    )
    if not office:
        return 0
    # What became overdue since the person's last digest (a week, for the first one).
    by_since: dict[date, list[User]] = defaultdict(list)
    for person in office:
        by_since[person.last or today - timedelta(days=7)].append(person)
    rows = []
    for since, people in by_since.items():
        data = {
            "as_of": today.isoformat(),
            "since": since.isoformat(),
            "campaigns": _digest_figures(today, since),
        }
        rows += [
            Reminder(person=p, kind=Kind.DIGEST, day=today, week=week, data=data) for p in people
        ]
    try:
        with transaction.atomic():
            Reminder.objects.bulk_create(rows)
            audit_log(
                actor=None,
                action="rectification.digest.created",
                data={"day": today.isoformat(), "week": week.isoformat(), "count": len(rows)},
            )
    except IntegrityError:
        return 0  # another run wrote this week's digests at the same moment; it mails them
    return len(rows)


def digest_lines(data: dict[str, Any], site: str = "") -> list[str]:
    """The digest as lines of text, for its message."""
    lines = [
        _("The rectification ledger as of %(day)s (new overdue: since %(since)s).")
        % {"day": data.get("as_of", ""), "since": data.get("since", "")},
    ]
    for c in data.get("campaigns", []):
        t = c["totals"]
        lines += ["", f"{c['title']}  {site}{c['url']}"]
        for a in c["appraisals"]:
            lines.append(
                "· "
                + _(
                    "%(unit)s: %(total)d items, %(closed)d closed, %(in_progress)d in "
                    "progress, %(overdue)d overdue (%(new_overdue)d new), %(explained)d "
                    "explained, %(to_check)d awaiting check"
                )
                % a
            )
        lines.append(
            _(
                "Waiting for the office or the work group: %(plans_waiting)d plans to "
                "approve, %(explanations_waiting)d explanations to decide, %(to_check)d "
                "items to check."
            )
            % t
        )
    return lines


def _mail_digests(outcome: Outcome) -> None:
    pending = list(
        Reminder.objects.filter(kind=Kind.DIGEST, sent_at__isnull=True)
        .exclude(person__email="")
        .select_related("person")
        .order_by("person_id", "week")
    )
    if not pending:
        return
    site = getattr(settings, "SITE_URL", "")
    with get_connection() as connection:
        for r in pending:
            iso = r.week.isocalendar() if r.week else r.day.isocalendar()
            lines = digest_lines(r.data, site)
            lines += ["", _("This message was sent by the appraisal system; do not reply.")]
            EmailMessage(
                subject=_("Rectification ledger: weekly digest, week %(week)d of %(year)d")
                % {"week": iso.week, "year": iso.year},
                body="\n".join(lines),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[r.person.email],
                connection=connection,
            ).send()
            Reminder.objects.filter(pk=r.pk).update(sent_at=timezone.now())
            outcome.mailed += 1
            outcome.messages += 1
