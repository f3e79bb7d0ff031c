"""Who may see and act on findings and activity files: object or 404/403, as in
``appraisal.access``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from appraisal.access import get_appraisal_for_investigator, is_investigator
from appraisal.models import User
from surveys.models import Attachment, Finding, InvestigationActivity

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def get_finding_for_user(user: User | AnonymousUser, pk: int, *, write: bool = False) -> Finding:
    """A finding the person may see (``Finding.objects.visible_to``), else 404. With
    ``write``, only those who investigate its appraisal: 403 for a unit that sees it."""
    finding = (
        Finding.objects.visible_to(user)
        .select_related("appraisal__unit", "appraisal__campaign", "activity", "submitted_by")
        .filter(pk=pk)
        .first()
    )
    if finding is None:
        raise Http404
    if write and not is_investigator(user, finding.appraisal):
        raise PermissionDenied
    return finding


def get_activity_for_recorder(user: User | AnonymousUser, pk: int) -> InvestigationActivity:
    """An activity its recorder (or the office) may correct: 404 for anyone else who cannot
    see the appraisal or did not record it, 403 for the appraisal's unit."""
    activity = (
        InvestigationActivity.objects.select_related("appraisal__unit", "appraisal__campaign")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404
    activity.appraisal = get_appraisal_for_investigator(user, activity.appraisal_id)
    if not (user.pk == activity.recorded_by_id or getattr(user, "is_office", False)):
        raise Http404
    return activity


def get_attachment_for_user(user: User | AnonymousUser, pk: int) -> Attachment:
    """An activity's file, for those who investigate its appraisal (404 for those who
    cannot see the appraisal, 403 for its unit's team)."""
    attachment = Attachment.objects.select_related("activity").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    get_appraisal_for_investigator(user, attachment.activity.appraisal_id)
    return attachment
