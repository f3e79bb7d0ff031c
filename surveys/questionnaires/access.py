"""Who may build, read and answer a questionnaire: object or 404/403, as in
``appraisal.access``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from appraisal.access import get_appraisal_for_investigator, roles_of
from appraisal.forms import parse_id
from appraisal.models import User
from surveys.models import Question, Survey

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def get_survey_for_user(user: User | AnonymousUser, pk: int, *, write: bool = False) -> Survey:
    """A survey its builders may read (results, preview, share) or, with ``write``, change.

    An appraisal's survey belongs to the office and that work group: 404 for those who
    cannot see the appraisal, 403 for its unit's team; a campaign's survey to the office.
    Reading and writing need the same people today; ``write`` names the intent so a view
    says which it does, and a later reader role (e.g. the unit seeing results) fits here.
    """
    survey = (
        Survey.objects.select_related("campaign", "appraisal__unit", "appraisal__campaign")
        .filter(pk=pk)
        .first()
    )
    if survey is None:
        raise Http404
    if survey.appraisal_id:
        get_appraisal_for_investigator(user, survey.appraisal_id)
    elif not roles_of(user).office:
        raise PermissionDenied
    return survey


def get_survey_for_respondent(token: str) -> Survey:
    """The survey behind a public link, whoever asks; 404 for an unknown token."""
    survey = (
        Survey.objects.filter(token=token).select_related("campaign", "appraisal__unit").first()
    )
    if survey is None:
        raise Http404
    return survey


def get_question_for_builder(survey: Survey, question_id: str) -> Question:
    """One of this survey's questions from a posted id, else 404."""
    pk = parse_id(question_id)
    question = survey.questions.filter(pk=pk).first() if pk is not None else None
    if question is None:
        raise Http404
    return question
