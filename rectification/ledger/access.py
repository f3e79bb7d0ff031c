"""Who sees and writes the ledger (DESIGN.md §5), decided here: object or 404/403.

Unit team: its own unit's items only (reads and writes). Work group: the items of the
appraisals it covers (reads; checks and closes). Office: every item. Deputies and the
public: nothing here (their feedback view is separate).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from appraisal.access import get_appraisal_for_user, is_investigator
from appraisal.models import Appraisal, Campaign, User
from appraisal.selfreview.access import is_unit_member
from rectification.ledger.models import Evidence, RectificationItem

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def appraisals_visible_to(user: User | AnonymousUser) -> QuerySet[Appraisal]:
    return Appraisal.objects.visible_to(user)


def items_visible_to(user: User | AnonymousUser) -> QuerySet[RectificationItem]:
    return RectificationItem.objects.filter(appraisal__in=appraisals_visible_to(user))


def get_appraisal_for_ledger(user: User | AnonymousUser, pk: int) -> Appraisal:
    """Read the ledger: the unit's team, the work group, the office; 404 for anyone else."""
    return get_appraisal_for_user(user, pk)


def get_appraisal_for_ledger_writer(user: User | AnonymousUser, pk: int) -> Appraisal:
    """Build items: the unit's own team only (404 if unseen, 403 for investigators)."""
    appraisal = get_appraisal_for_user(user, pk)
    if not is_unit_member(user, appraisal):
        raise PermissionDenied
    return appraisal


def get_appraisal_for_ledger_importer(user: User | AnonymousUser, pk: int) -> Appraisal:
    """Import a ledger: the unit's own team, or the office on its behalf (404 if unseen,
    403 for the work group)."""
    appraisal = get_appraisal_for_user(user, pk)
    if not (is_unit_member(user, appraisal) or getattr(user, "is_office", False)):
        raise PermissionDenied
    return appraisal


def get_campaign_for_ledger(user: User | AnonymousUser, pk: int) -> Campaign:
    """A campaign in which the person sees at least one appraisal."""
    campaign = Campaign.objects.filter(
        pk=pk, appraisals__in=Appraisal.objects.visible_to(user)
    ).first()
    if campaign is None:
        raise Http404
    return campaign


def get_item_for_user(user: User | AnonymousUser, pk: int) -> RectificationItem:
    item = (
        items_visible_to(user)
        .select_related(
            "appraisal__unit", "appraisal__campaign", "opinion_item__opinion", "closed_by"
        )
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    return item


def get_item_for_unit_writer(user: User | AnonymousUser, pk: int) -> RectificationItem:
    item = get_item_for_user(user, pk)
    if not is_unit_member(user, item.appraisal):
        raise PermissionDenied
    return item


def get_evidence_for_user(user: User | AnonymousUser, pk: int) -> Evidence:
    evidence = (
        Evidence.objects.filter(pk=pk, item__in=items_visible_to(user))
        .select_related("item")
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence


def can_check(user: User | AnonymousUser, item: RectificationItem) -> bool:
    """Approve plans, close and return items: the appraisal's work group or the office."""
    return is_investigator(user, item.appraisal)
