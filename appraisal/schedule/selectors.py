"""Reads of the plan and the schedule: a fixed number of queries, whatever the data's size."""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisal.models import (
    Appraisal,
    AuditEvent,
    CalendarFeed,
    Campaign,
    ImplementationPlan,
    PhasePlan,
    ScheduledEvent,
    User,
)
from appraisal.schedule.access import can_schedule_somewhere
from appraisal.stages import Link

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# How far back a calendar feed reaches: a year of history, and everything ahead.
FEED_HISTORY_DAYS = 400
LIST_LIMIT = 200


def _events(user: User | AnonymousUser) -> QuerySet[ScheduledEvent]:
    return ScheduledEvent.objects.visible_to(user).select_related(
        "campaign", "appraisal__unit", "appraisal__work_group"
    )


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def events_between(user: User | AnonymousUser, first: date, last: date) -> list[ScheduledEvent]:
    """The person's events touching the days ``first``..``last`` (local time)."""
    start, end = day_start(first), day_start(last + timedelta(days=1))
    return list(
        _events(user).filter(
            Q(starts_at__lt=end)
            & (Q(starts_at__gte=start) | Q(ends_at__isnull=False, ends_at__gte=start))
        )[: LIST_LIMIT * 5]
    )


def upcoming_events(user: User | AnonymousUser, *, limit: int = LIST_LIMIT) -> list[ScheduledEvent]:
    """From the start of today on, the next ``limit`` events (cancelled ones too, marked)."""
    today = day_start(timezone.localdate())
    return list(_events(user).filter(Q(starts_at__gte=today) | Q(ends_at__gte=today))[:limit])


def past_events(user: User | AnonymousUser, *, limit: int = LIST_LIMIT) -> list[ScheduledEvent]:
    today = day_start(timezone.localdate())
    return list(
        _events(user)
        .filter(starts_at__lt=today)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__lt=today))
        .order_by("-starts_at", "-id")[:limit]
    )


def appraisal_events(user: User | AnonymousUser, appraisal: Appraisal) -> list[ScheduledEvent]:
    return list(_events(user).filter(appraisal=appraisal)[:LIST_LIMIT])


def feed_events(user: User) -> list[ScheduledEvent]:
    since = timezone.now() - timedelta(days=FEED_HISTORY_DAYS)
    return list(
        _events(user).filter(Q(starts_at__gte=since) | Q(ends_at__gte=since))[: LIST_LIMIT * 5]
    )


def feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def user_for_token(token: str) -> User | None:
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def plan_of(campaign: Campaign) -> ImplementationPlan | None:
    return ImplementationPlan.objects.filter(campaign=campaign).first()


def newest_campaign() -> Campaign | None:
    return Campaign.objects.first()


# ---- the month grid ---------------------------------------------------------------------


@dataclass
class Day:
    day: date
    in_month: bool
    today: bool
    events: list[ScheduledEvent] = field(default_factory=list)


def month_grid(year: int, month: int, events: list[ScheduledEvent]) -> list[list[Day]]:
    """Weeks (Monday first) of the month, each day with the events that touch it."""
    today = timezone.localdate()
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    days = {d: Day(d, d.month == month, d == today) for week in weeks for d in week}
    for event in events:
        first = timezone.localdate(event.starts_at)
        last = timezone.localdate(event.ends_at) if event.ends_at else first
        if event.all_day and event.ends_at and last > first and event.ends_at == day_start(last):
            last -= timedelta(days=1)
        d = first
        while d <= last and d <= weeks[-1][-1]:
            if d in days:
                days[d].events.append(event)
            d += timedelta(days=1)
    return [[days[d] for d in week] for week in weeks]


def by_day(events: list[ScheduledEvent]) -> list[tuple[date, list[ScheduledEvent]]]:
    out: dict[date, list[ScheduledEvent]] = {}
    for event in events:
        out.setdefault(timezone.localdate(event.starts_at), []).append(event)
    return list(out.items())


# ---- planned against actual -------------------------------------------------------------


@dataclass
class PhaseRow:
    phase: str
    label: str
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    state: str  # "done", "current", "future"
    late_days: int = 0
    note: str = ""

    @property
    def late(self) -> bool:
        return self.late_days > 0


def phase_rows(campaign: Campaign, *, today: date | None = None) -> list[PhaseRow]:
    """Each phase's planned dates beside its actual ones (from the recorded phase moves),
    flagging what is late: a phase that ended or started after its plan, the current
    phase past its planned end, a later phase whose planned start has passed."""
    today = today or timezone.localdate()
    plans = {p.phase: p for p in PhasePlan.objects.filter(campaign=campaign)}
    starts: dict[str, date] = {Campaign.Phase.PREPARATION: timezone.localdate(campaign.created_at)}
    ends: dict[str, date] = {}
    moves = AuditEvent.objects.filter(
        campaign=campaign, action="appraisal.campaign.phase_changed"
    ).order_by("created_at", "id")
    for move in moves.only("created_at", "data"):
        day = timezone.localdate(move.created_at)
        if move.data.get("to"):
            starts[move.data["to"]] = day
        if move.data.get("from"):
            ends[move.data["from"]] = day
    current = campaign.phase_index
    rows = []
    for index, (value, label) in enumerate(Campaign.Phase.choices):
        if value == Campaign.Phase.CLOSED:
            continue
        plan = plans.get(value)
        state = "done" if index < current else "current" if index == current else "future"
        row = PhaseRow(
            phase=value,
            label=str(label),
            planned_start=plan.planned_start if plan else None,
            planned_end=plan.planned_end if plan else None,
            actual_start=starts.get(value) if index <= current else None,
            actual_end=ends.get(value) if index < current else None,
            state=state,
        )
        if plan is not None:
            _flag(row, plan, today)
        rows.append(row)
    return rows


def _flag(row: PhaseRow, plan: PhasePlan, today: date) -> None:
    if row.state == "done" and row.actual_end and row.actual_end > plan.planned_end:
        row.late_days = (row.actual_end - plan.planned_end).days
        row.note = _("ended %(n)d days after the plan") % {"n": row.late_days}
    elif row.state == "current" and today > plan.planned_end:
        row.late_days = (today - plan.planned_end).days
        row.note = _("%(n)d days past its planned end") % {"n": row.late_days}
    elif (
        row.state == "current"
        and row.phase != Campaign.Phase.PREPARATION  # begins when the campaign is entered
        and row.actual_start
        and row.actual_start > plan.planned_start
    ):
        row.late_days = (row.actual_start - plan.planned_start).days
        row.note = _("started %(n)d days after the plan") % {"n": row.late_days}
    elif row.state == "future" and today > plan.planned_start:
        row.late_days = (today - plan.planned_start).days
        row.note = _("should have started %(n)d days ago") % {"n": row.late_days}


# ---- what the layer-1 pages gather --------------------------------------------------------


def appraisal_links(user: User, appraisal: Appraisal) -> list[Link]:
    """The appraisal page's button to its schedule, with the number of events to come."""
    today = day_start(timezone.localdate())
    n = (
        ScheduledEvent.objects.visible_to(user)
        .filter(appraisal=appraisal, starts_at__gte=today)
        .exclude(status=ScheduledEvent.Status.CANCELLED)
        .count()
    )
    return [
        Link(
            gettext_lazy("Schedule"),
            reverse("appraisal:appraisal_schedule", args=[appraisal.pk]),
            summary=str(n) if n else "",
        )
    ]


def next_events(user: User | AnonymousUser, limit: int = 5) -> list[ScheduledEvent]:
    """The next few events for a home page panel (not the cancelled ones)."""
    today = day_start(timezone.localdate())
    return list(
        _events(user)
        .filter(Q(starts_at__gte=today) | Q(ends_at__gte=today))
        .exclude(status=ScheduledEvent.Status.CANCELLED)[:limit]
    )


def calendar_context(user: User) -> dict[str, Any]:
    campaign = newest_campaign()
    return {
        "campaign": campaign,
        "can_schedule": bool(campaign and can_schedule_somewhere(user, campaign)),
    }
