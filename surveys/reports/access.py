"""Who sees and writes an investigation report: object or 404/403.

Read: the office and the members of the appraisal's work group (its deputies
included). Never the unit, never other deputies. Write the draft: the work group's
members. Move it on: its leader. Review: the office.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from appraisal.access import get_appraisal_for_investigator
from appraisal.models import Appraisal, User, Voter, WorkGroupMember

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def get_appraisal_for_report(user: User | AnonymousUser, pk: int) -> Appraisal:
    """404 if the person cannot see the appraisal, 403 if they see it but do not
    investigate it (the unit's team)."""
    return get_appraisal_for_investigator(user, pk)


def is_group_member(user: User | AnonymousUser, appraisal: Appraisal) -> bool:
    if not user.is_authenticated or not appraisal.work_group_id:
        return False
    return WorkGroupMember.objects.filter(work_group=appraisal.work_group_id, user=user).exists()


def is_group_leader(user: User | AnonymousUser, appraisal: Appraisal) -> bool:
    if not user.is_authenticated or not appraisal.work_group_id:
        return False
    return WorkGroupMember.objects.filter(
        work_group=appraisal.work_group_id, user=user, role=WorkGroupMember.Role.LEADER
    ).exists()


def signers(appraisal: Appraisal) -> list[User]:
    """The deputies among the work group's members (not its leader, who sends the report
    on): each signs the text or records a dissent."""
    if not appraisal.work_group_id:
        return []
    voters = Voter.objects.filter(voter_group__campaign=appraisal.campaign_id).values("user_id")
    return [
        m.user
        for m in WorkGroupMember.objects.filter(
            work_group=appraisal.work_group_id,
            role=WorkGroupMember.Role.MEMBER,
            user__in=voters,
        )
        .select_related("user")
        .order_by("user__username")
    ]


def require_group_member(user: User | AnonymousUser, appraisal: Appraisal) -> None:
    if not is_group_member(user, appraisal):
        raise PermissionDenied
