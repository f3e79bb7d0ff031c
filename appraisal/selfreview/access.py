"""Who may read and write a self-review: object or 404/403, as in ``appraisal.access``.

The unit's team reads and writes its own drafts; the office and the appraisal's work
group read submitted versions and review them. Nobody else sees anything here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from appraisal.access import get_appraisal_for_user, is_investigator
from appraisal.models import Appraisal, User
from appraisal.selfreview.models import SelfReview, SelfReviewAttachment, SelfReviewVersion
from units.models import UnitTeamMember

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def is_unit_member(user: User | AnonymousUser, appraisal: Appraisal) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return UnitTeamMember.objects.filter(unit=appraisal.unit_id, user=user).exists()


def is_unit_head(user: User | AnonymousUser, appraisal: Appraisal) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return UnitTeamMember.objects.filter(
        unit=appraisal.unit_id, user=user, role=UnitTeamMember.Role.HEAD
    ).exists()


def get_appraisal_for_self_review(user: User | AnonymousUser, pk: int) -> Appraisal:
    """Read: the unit's team, the work group and the office (404 for everyone else)."""
    return get_appraisal_for_user(user, pk)


def get_appraisal_for_unit_writer(user: User | AnonymousUser, pk: int) -> Appraisal:
    """Write the draft: the unit's own team only (404 if unseen, 403 for investigators)."""
    appraisal = get_appraisal_for_user(user, pk)
    if not is_unit_member(user, appraisal):
        raise PermissionDenied
    return appraisal


def get_version_for_user(user: User | AnonymousUser, pk: int, number: int) -> SelfReviewVersion:
    appraisal = get_appraisal_for_user(user, pk)
    if number > 32767:
        raise Http404
    version = (
        SelfReviewVersion.objects.select_related(
            "self_review__appraisal__unit",
            "self_review__appraisal__campaign",
            "submitted_by",
            "approved_by",
            "reviewed_by",
        )
        .filter(self_review__appraisal=appraisal, number=number)
        .first()
    )
    if version is None:
        raise Http404
    return version


def get_attachment_for_user(user: User | AnonymousUser, pk: int) -> SelfReviewAttachment:
    """A file: its unit's team always; the work group and office once it was submitted."""
    item = (
        SelfReviewAttachment.objects.select_related("self_review__appraisal")
        .filter(pk=pk, self_review__appraisal__in=Appraisal.objects.visible_to(user))
        .first()
    )
    if item is None:
        raise Http404
    appraisal = item.self_review.appraisal
    if item.version_number is None and not is_unit_member(user, appraisal):
        raise Http404
    return item


def can_review(user: User | AnonymousUser, self_review: SelfReview) -> bool:
    return is_investigator(user, self_review.appraisal)
