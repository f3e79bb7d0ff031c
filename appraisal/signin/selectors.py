from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from appraisal.models import Appraisal, Campaign, User, Voter, WorkGroupMember
from units.models import UnitTeamMember


@dataclass
class Section:
    title: str
    people: list[User]


def campaign_people(campaign: Campaign) -> list[Section]:
    """Who of the campaign may get a letter, by voter group, work group and unit team:
    four queries whatever the size. Staff and deactivated accounts are left out. Work
    groups and units come in the campaign's order of appraisals (as the roster lists
    them), not by name: by name 第三 sorts before 第二."""
    sections: dict[str, list[User]] = {}
    order: dict[tuple[str, int], int] = {}
    for a in Appraisal.objects.filter(campaign=campaign).order_by("sort_order", "id"):
        order.setdefault(("unit", a.unit_id), len(order))
        if a.work_group_id is not None:
            order.setdefault(("group", a.work_group_id), len(order))
    last = len(order)
    voters = (
        Voter.objects.filter(
            voter_group__campaign=campaign, user__is_staff=False, user__is_active=True
        )
        .select_related("user", "voter_group")
        .order_by("voter_group__sort_order", "voter_group__name", "user__username")
    )
    for v in voters:
        sections.setdefault(v.voter_group.name, []).append(v.user)
    members = sorted(
        WorkGroupMember.objects.filter(
            work_group__campaign=campaign, user__is_staff=False, user__is_active=True
        )
        .select_related("user", "work_group")
        .order_by("work_group_id", "user__username"),
        key=lambda m: (order.get(("group", m.work_group_id), last), m.work_group_id),
    )
    for m in members:
        sections.setdefault(m.work_group.name, []).append(m.user)
    units = [unit for kind, unit in order if kind == "unit"]
    teams = sorted(
        UnitTeamMember.objects.filter(unit__in=units, user__is_staff=False, user__is_active=True)
        .select_related("user", "unit")
        .order_by("unit_id", "user__username"),
        key=lambda t: (order[("unit", t.unit_id)], t.unit_id),
    )
    for t in teams:
        title = _("%(unit)s · unit team") % {"unit": t.unit.name}
        sections.setdefault(title, []).append(t.user)
    return [Section(title, people) for title, people in sections.items()]


def campaign_people_queryset(campaign: Campaign) -> QuerySet[User]:
    ids = {u.pk for section in campaign_people(campaign) for u in section.people}
    return User.objects.filter(pk__in=ids, is_active=True, is_staff=False).order_by("username")
