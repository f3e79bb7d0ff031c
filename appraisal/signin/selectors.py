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
    three queries whatever the size. Staff accounts are left out."""
    sections: dict[str, list[User]] = {}
    voters = (
        Voter.objects.filter(voter_group__campaign=campaign, user__is_staff=False)
        .select_related("user", "voter_group")
        .order_by("voter_group__sort_order", "voter_group__name", "user__username")
    )
    for v in voters:
        sections.setdefault(v.voter_group.name, []).append(v.user)
    members = (
        WorkGroupMember.objects.filter(work_group__campaign=campaign, user__is_staff=False)
        .select_related("user", "work_group")
        .order_by("work_group__name", "user__username")
    )
    for m in members:
        sections.setdefault(m.work_group.name, []).append(m.user)
    units = Appraisal.objects.filter(campaign=campaign).values("unit_id")
    teams = (
        UnitTeamMember.objects.filter(unit__in=units, user__is_staff=False)
        .select_related("user", "unit")
        .order_by("unit__name", "user__username")
    )
    for t in teams:
        title = _("%(unit)s · unit team") % {"unit": t.unit.name}
        sections.setdefault(title, []).append(t.user)
    return [Section(title, people) for title, people in sections.items()]


def campaign_people_queryset(campaign: Campaign) -> QuerySet[User]:
    ids = {u.pk for section in campaign_people(campaign) for u in section.people}
    return User.objects.filter(pk__in=ids, is_active=True, is_staff=False).order_by("username")
