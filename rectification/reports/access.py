"""Who reads and writes a rectification report (DESIGN.md §5): object or 404/403.

The unit's team reads and writes its own; the appraisal's work group and the office read
every version and review them. A voter on the roll of an open second round reads the
submitted versions of each unit that round scores (and nothing else of the report: not
the draft, not the review). Nobody else sees anything here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from appraisal.access import get_appraisal_for_user, is_investigator
from appraisal.models import Appraisal, ScoringRound, User, VotingCode
from appraisal.selfreview.access import is_unit_head, is_unit_member
from rectification.reports.models import RectificationReportVersion

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

__all__ = ["is_investigator", "is_unit_head", "is_unit_member"]


def get_appraisal_for_report(user: User | AnonymousUser, pk: int) -> Appraisal:
    """The working page: the unit's team, the work group, the office; 404 for anyone else."""
    return get_appraisal_for_user(user, pk)


def get_appraisal_for_report_writer(user: User | AnonymousUser, pk: int) -> Appraisal:
    """Generate, edit, approve, submit: the unit's own team (404 if unseen, 403 otherwise)."""
    appraisal = get_appraisal_for_user(user, pk)
    if not is_unit_member(user, appraisal):
        raise PermissionDenied
    return appraisal


def get_appraisal_for_report_reviewer(user: User | AnonymousUser, pk: int) -> Appraisal:
    appraisal = get_appraisal_for_user(user, pk)
    if not is_investigator(user, appraisal):
        raise PermissionDenied
    return appraisal


def scores_in_open_second_round(user: User | AnonymousUser, appraisal_pk: int) -> bool:
    """On the roll of an open second round whose ballot has this unit."""
    if not user.is_authenticated or not user.is_active:
        return False
    return ScoringRound.objects.filter(
        kind=ScoringRound.Kind.SECOND,
        state=ScoringRound.State.OPEN,
        appraisals=appraisal_pk,
        groups__voter_group__voters__user=user,
    ).exists()


def get_version_for_user(
    user: User | AnonymousUser, pk: int, number: int
) -> tuple[RectificationReportVersion, bool]:
    """A submitted version and whether the person reads it only as a voter."""
    if number > 32767 or not user.is_authenticated:
        raise Http404
    as_voter = not Appraisal.objects.visible_to(user).filter(pk=pk).exists()
    if as_voter and not scores_in_open_second_round(user, pk):
        raise Http404
    version = (
        RectificationReportVersion.objects.select_related(
            "report__appraisal__unit",
            "report__appraisal__campaign",
            "submitted_by",
            "approved_by",
            "reviewed_by",
        )
        .filter(report__appraisal=pk, number=number)
        .first()
    )
    if version is None:
        raise Http404
    return version, as_voter


def can_review(user: User | AnonymousUser, appraisal: Appraisal) -> bool:
    return is_investigator(user, appraisal)


def get_version_for_code(code: str, pk: int, number: int) -> RectificationReportVersion:
    """A voter without an account: the one-time code of an open second round whose ballot
    has this unit (used or not: reading it before or after voting reveals nothing)."""
    if number > 32767:
        raise Http404
    valid = VotingCode.objects.filter(
        code=code.upper(),
        round__kind=ScoringRound.Kind.SECOND,
        round__state=ScoringRound.State.OPEN,
        round__appraisals=pk,
    ).exists()
    version = (
        RectificationReportVersion.objects.select_related(
            "report__appraisal__unit", "report__appraisal__campaign"
        )
        .filter(report__appraisal=pk, number=number)
        .first()
        if valid
        else None
    )
    if version is None:
        raise Http404
    return version
