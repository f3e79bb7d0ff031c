"""Who sees an appraisal opinion (DESIGN.md §5): object or 404.

Office: every opinion, drafts included. Work group: the drafts and issued opinions of
its appraisals. Unit: its own opinion once issued — never a draft. Deputies: issued
opinions the office has shown to them. Nobody else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from appraisal.access import is_investigator, roles_of
from appraisal.models import Appraisal, User, Voter
from appraisal.selfreview.access import is_unit_member
from rectification.opinions.models import AppraisalOpinion, OpinionItem

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def _voter_of(user: User, appraisal: Appraisal) -> bool:
    return Voter.objects.filter(user=user, voter_group__campaign=appraisal.campaign_id).exists()


def get_opinion_for_user(user: User | AnonymousUser, appraisal_pk: int) -> AppraisalOpinion:
    if not user.is_authenticated or not user.is_active:
        raise Http404
    opinion = (
        AppraisalOpinion.objects.select_related(
            "appraisal__unit", "appraisal__campaign", "appraisal__work_group", "issued_by"
        )
        .filter(appraisal_id=appraisal_pk)
        .first()
    )
    if opinion is None:
        raise Http404
    appraisal = opinion.appraisal
    if is_investigator(user, appraisal):
        return opinion
    if opinion.is_draft:
        raise Http404
    if is_unit_member(user, appraisal):
        return opinion
    if opinion.published_at and _voter_of(user, appraisal):  # type: ignore[arg-type]
        return opinion
    raise Http404


def get_appraisal_for_opinion_office(user: User | AnonymousUser, appraisal_pk: int) -> Appraisal:
    """Drafting and issuing are the office's."""
    if not roles_of(user).office:
        raise PermissionDenied
    appraisal = (
        Appraisal.objects.select_related("campaign", "unit", "work_group")
        .filter(pk=appraisal_pk)
        .first()
    )
    if appraisal is None:
        raise Http404
    return appraisal


def get_opinion_item_for_office(user: User | AnonymousUser, pk: int) -> OpinionItem:
    """An opinion item for the office to edit, or 403 for anyone else, 404 if none."""
    if not roles_of(user).office:
        raise PermissionDenied
    item = OpinionItem.objects.select_related("opinion__appraisal__unit").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item
