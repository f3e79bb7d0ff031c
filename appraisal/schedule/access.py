"""Who may see and change the plan and the schedule; the views ask here and nowhere else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from appraisal.access import is_investigator, roles_of
from appraisal.models import (
    Appraisal,
    Campaign,
    ScheduledEvent,
    User,
    Voter,
    WorkGroupMember,
)
from units.models import UnitTeamMember

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def can_schedule(
    user: User | AnonymousUser, campaign: Campaign, appraisal: Appraisal | None, kind: str
) -> bool:
    """The office schedules anything; a work group its own appraisals' activities."""
    if not user.is_authenticated or not user.is_active:
        return False
    if campaign.phase == Campaign.Phase.CLOSED:
        return False
    if user.is_office:
        return True
    return (
        appraisal is not None
        and appraisal.campaign_id == campaign.pk
        and kind in ScheduledEvent.GROUP_KINDS
        and is_investigator(user, appraisal)
    )


def can_schedule_somewhere(user: User | AnonymousUser, campaign: Campaign) -> bool:
    """Whether the person may schedule anything at all in this campaign (the button)."""
    if not user.is_authenticated or not user.is_active or campaign.phase == Campaign.Phase.CLOSED:
        return False
    if user.is_office:
        return True
    return WorkGroupMember.objects.filter(
        user=user, work_group__appraisals__campaign=campaign
    ).exists()


def can_manage_event(user: User | AnonymousUser, event: ScheduledEvent) -> bool:
    return can_schedule(user, event.campaign, event.appraisal, event.kind)


def get_event_for_user(user: User | AnonymousUser, pk: int) -> ScheduledEvent:
    """The event if this person may see it, else 404 (its existence is not revealed)."""
    try:
        return (
            ScheduledEvent.objects.visible_to(user)
            .select_related("campaign", "appraisal__unit", "appraisal__work_group", "created_by")
            .get(pk=pk)
        )
    except ScheduledEvent.DoesNotExist:
        raise Http404 from None


def get_event_for_manager(user: User | AnonymousUser, pk: int) -> ScheduledEvent:
    """An event the person may change: 404 if they cannot see it, 403 if they only see it."""
    event = get_event_for_user(user, pk)
    if not can_manage_event(user, event):
        raise PermissionDenied
    return event


def get_campaign_for_member(user: User | AnonymousUser, pk: int) -> Campaign:
    """A campaign the person takes part in (any role in it), else 404."""
    campaign = Campaign.objects.filter(pk=pk).first()
    if campaign is None or not takes_part(user, campaign):
        raise Http404
    return campaign


def takes_part(user: User | AnonymousUser, campaign: Campaign) -> bool:
    """Office, a work group of the campaign, a team of one of its units, or one of its voters:
    those who read the implementation plan."""
    if not user.is_authenticated or not user.is_active:
        return False
    if roles_of(user).office:
        return True
    return (
        WorkGroupMember.objects.filter(user=user, work_group__campaign=campaign).exists()
        or UnitTeamMember.objects.filter(
            user=user, unit__in=campaign.appraisals.values("unit")
        ).exists()
        or Voter.objects.filter(user=user, voter_group__campaign=campaign).exists()
    )
