"""Reads for the appraisal pages: a fixed number of queries, whatever the data's size."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from appraisal import stages
from appraisal.models import (
    Appraisal,
    AuditEvent,
    Campaign,
    User,
    Voter,
    WorkGroupMember,
)
from units.models import UnitTeamMember

_leaders = Prefetch(
    "work_group__members",
    queryset=WorkGroupMember.objects.filter(role=WorkGroupMember.Role.LEADER).select_related(
        "user"
    ),
    to_attr="leaders",
)


def campaign_exists() -> bool:
    return Campaign.objects.exists()


def campaigns() -> QuerySet[Campaign]:
    """Every campaign, newest year first (the public portal's current year and past years)."""
    return Campaign.objects.order_by("-year")


def campaign_by_year(year: int) -> Campaign | None:
    return Campaign.objects.filter(year=year).first()


def public_appraisal(pk: int) -> Appraisal | None:
    """An appraisal as the public may know it: which unit, in which campaign. Which units
    are appraised is public from the campaign's launch."""
    return Appraisal.objects.select_related("unit", "campaign").filter(pk=pk).first()


def appraisals_of(campaign: Campaign) -> QuerySet[Appraisal]:
    """The campaign's appraisals with their units, in the campaign's order (what is public:
    which units are appraised)."""
    return campaign.appraisals.select_related("unit").order_by("sort_order", "id")


def open_before_leaving(campaign: Campaign) -> list[stages.OpenItem]:
    """What is still open in the campaign's current phase, unit by unit (the stages')."""
    appraisals = list(campaign.appraisals.select_related("unit").order_by("sort_order", "id"))
    return stages.open_before_leaving(campaign, appraisals)


def office_overview(campaign: Campaign) -> dict[str, Any]:
    appraisals = list(
        campaign.appraisals.select_related("unit", "work_group").prefetch_related(_leaders)
    )
    stage_list, stage_cells = stages.stage_rows(campaign, appraisals)
    voter_groups = campaign.voter_groups.annotate(n=Count("voters")).order_by("sort_order")
    phases = [
        {"value": value, "label": label, "index": i}
        for i, (value, label) in enumerate(Campaign.Phase.choices)
    ]
    labels = dict(Campaign.Phase.choices)
    history = [
        {
            "at": e.created_at,
            "actor": e.actor.get_full_name() if e.actor else "",
            "from": labels.get(e.data.get("from"), e.data.get("from")),
            "to": labels.get(e.data.get("to"), e.data.get("to")),
        }
        for e in AuditEvent.objects.filter(
            campaign=campaign, action="appraisal.campaign.phase_changed"
        ).select_related("actor")[:10]
    ]
    return {
        "campaign": campaign,
        "campaigns": Campaign.objects.only("pk", "year", "title"),
        "phases": phases,
        "stages": stage_list,
        "rows": [(a, stage_cells[a.pk]) for a in appraisals],
        "voter_groups": voter_groups,
        "history": history,
    }


def appraisals_for_work_group_member(user: User) -> QuerySet[Appraisal]:
    return (
        Appraisal.objects.for_work_group_member(user)
        .select_related("campaign", "unit", "work_group")
        .prefetch_related(_leaders)
        .order_by("-campaign__year", "sort_order")
    )


def appraisals_for_unit_member(user: User) -> QuerySet[Appraisal]:
    return (
        Appraisal.objects.for_unit_member(user)
        .select_related("campaign", "unit", "work_group")
        .prefetch_related(_leaders)
        .order_by("-campaign__year")
    )


def voter_entries(user: User) -> QuerySet[Voter]:
    return (
        Voter.objects.filter(user=user)
        .select_related("voter_group__campaign")
        .order_by("-voter_group__campaign__year")
    )


def appraisal_detail(appraisal: Appraisal) -> dict[str, Any]:
    group_members = (
        WorkGroupMember.objects.filter(work_group=appraisal.work_group_id)
        .select_related("user")
        .order_by("role", "user__full_name")
        if appraisal.work_group_id
        else WorkGroupMember.objects.none()
    )
    team = (
        UnitTeamMember.objects.filter(unit=appraisal.unit_id)
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    return {
        "appraisal": appraisal,
        "campaign": appraisal.campaign,
        "group_members": group_members,
        "team": team,
    }
