"""Helpers for the schedule's tests: events of every kind for the shared ``world``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from appraisal.models import Appraisal, ScheduledEvent, User, WorkGroupMember
from appraisal.schedule import services
from tests import factories
from tests.conftest import World

K = ScheduledEvent.Kind


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def soon(days: int = 3) -> date:
    return timezone.localdate() + timedelta(days=days)


def schedule(
    world: World,
    *,
    kind: str,
    appraisal: Appraisal | None = None,
    actor: User | None = None,
    title: str = "",
    days: int = 3,
    audience: str = "",
    place: str = "",
    notes: str = "",
) -> ScheduledEvent:
    day = soon(days)
    return services.event_save(
        actor=actor or world.office,
        campaign=world.campaign,
        appraisal=appraisal,
        kind=kind,
        title=title,
        starts_at=at(day, 9),
        ends_at=at(day, 11),
        place=place,
        notes=notes,
        audience=audience,
    )


@dataclass
class Agenda:
    visit_a: ScheduledEvent  # unannounced visit to A: office + group A only
    symposium_a: ScheduledEvent  # with A's unit
    symposium_b: ScheduledEvent  # with B's unit
    group_only_a: ScheduledEvent  # a field inspection of A kept to the group
    meeting: ScheduledEvent  # campaign-wide, everyone
    self_review_due: ScheduledEvent  # campaign-wide, units
    office_internal: ScheduledEvent  # campaign-wide, groups only
    other_leader: User  # leads appraisal B's group


def agenda(world: World) -> Agenda:
    other_leader = factories.UserFactory(username="other_leader")
    factories.WorkGroupMemberFactory(
        work_group=world.appraisal_b.work_group, user=other_leader, role=WorkGroupMember.Role.LEADER
    )
    return Agenda(
        visit_a=schedule(
            world,
            kind=K.UNANNOUNCED_VISIT,
            appraisal=world.appraisal_a,
            actor=world.leader,
            title="暗访住建窗口",
            audience="all",
            days=2,
        ),
        symposium_a=schedule(
            world,
            kind=K.SYMPOSIUM,
            appraisal=world.appraisal_a,
            actor=world.leader,
            title="住建座谈会",
            audience="unit",
            days=4,
        ),
        symposium_b=schedule(
            world,
            kind=K.SYMPOSIUM,
            appraisal=world.appraisal_b,
            actor=other_leader,
            title="交通座谈会",
            audience="unit",
            days=5,
        ),
        group_only_a=schedule(
            world,
            kind=K.FIELD_INSPECTION,
            appraisal=world.appraisal_a,
            actor=world.leader,
            title="内部察看",
            audience="group",
            days=6,
        ),
        meeting=schedule(world, kind=K.MEETING, title="集中评议会议", days=20),
        self_review_due=schedule(world, kind=K.SELF_REVIEW_DUE, title="自查报告截止", days=10),
        office_internal=schedule(
            world, kind=K.OTHER, title="工作组组长碰头会", audience="group", days=7
        ),
        other_leader=other_leader,
    )
