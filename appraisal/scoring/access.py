"""Who may see and run a scoring round: object or 404, as in ``appraisal.access``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from appraisal.access import roles_of
from appraisal.models import User, VoterGroup
from appraisal.scoring.models import ScoringRound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def get_round_for_office(user: User | AnonymousUser, pk: int) -> ScoringRound:
    if not roles_of(user).office:
        raise PermissionDenied
    try:
        return ScoringRound.objects.select_related("campaign").get(pk=pk)
    except ScoringRound.DoesNotExist:
        raise Http404 from None


def get_round_for_ballot(pk: int) -> ScoringRound:
    """The round behind a ballot page, whoever asks: the page then says whether they may
    vote (the ballot itself is checked again under lock when cast)."""
    try:
        return ScoringRound.objects.get(pk=pk)
    except ScoringRound.DoesNotExist:
        raise Http404 from None


def get_voter_group_of_round(round: ScoringRound, pk: int) -> VoterGroup:
    """A voter group of the round's campaign, else 404."""
    try:
        return VoterGroup.objects.get(pk=pk, campaign=round.campaign_id)
    except VoterGroup.DoesNotExist:
        raise Http404 from None


def get_round_results_for_user(user: User | AnonymousUser, pk: int) -> ScoringRound:
    """Results are public once published; before that only the office sees them, and only
    after the round has closed. An open round has no results for anyone."""
    states = [ScoringRound.State.PUBLISHED]
    if roles_of(user).office:
        states.append(ScoringRound.State.CLOSED)
    try:
        return ScoringRound.objects.select_related("campaign").get(pk=pk, state__in=states)
    except ScoringRound.DoesNotExist:
        raise Http404 from None
