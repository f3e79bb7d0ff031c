"""Writes of questionnaires: building, opening and closing, codes, and answering."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.access import is_investigator, roles_of
from appraisal.audit import audit_log
from appraisal.codes import new_code
from appraisal.errors import DomainError, NotAllowed
from appraisal.models import Appraisal, Campaign, User
from surveys import throttle
from surveys.models import (
    Answer,
    Question,
    Response,
    Survey,
    SurveyCode,
    SurveyRespondent,
)


class SurveyError(DomainError):
    pass


class AlreadyAnswered(SurveyError):
    pass


class LinkLimitReached(SurveyError):
    pass


def link_limit_message() -> str:
    return _(
        "This survey has taken as many answers from your network this hour as its work "
        "group allows. Please try again in an hour, or ask the work group for a one-time code."
    )


def _require_builder(actor: User, appraisal: Appraisal | None) -> None:
    """An appraisal's surveys: the office and its work group; campaign surveys: the office."""
    allowed = is_investigator(actor, appraisal) if appraisal is not None else actor.is_office
    if not allowed:
        raise NotAllowed(_("Only the office and this appraisal's work group manage its surveys."))


def _require_editable(survey: Survey) -> None:
    if survey.responses.exists():
        raise SurveyError(_("The survey has answers and cannot change; make a copy instead."))


def survey_save(
    *,
    campaign: Campaign,
    appraisal: Appraisal | None,
    actor: User,
    survey: Survey | None = None,
    **fields: Any,
) -> Survey:
    if appraisal is not None and appraisal.campaign_id != campaign.pk:
        raise SurveyError(_("That appraisal belongs to another campaign."))
    _require_builder(actor, appraisal)
    with transaction.atomic():
        if survey is None:
            survey = Survey(
                campaign=campaign,
                appraisal=appraisal,
                created_by=actor,
                token=secrets.token_urlsafe(12),
            )
            action = "surveys.survey.created"
        else:
            _require_editable(survey)
            action = "surveys.survey.changed"
        for name, value in fields.items():
            setattr(survey, name, value)
        survey.save()
        audit_log(actor=actor, action=action, obj=survey, campaign=campaign)
    return survey


def question_save(
    *, survey: Survey, actor: User, question: Question | None = None, **fields: Any
) -> Question:
    _require_builder(actor, survey.appraisal)
    with transaction.atomic():
        _require_editable(survey)
        if question is None:
            last = survey.questions.aggregate(m=Max("position"))["m"]
            question = Question(survey=survey, position=(last or 0) + 1)
        for name, value in fields.items():
            setattr(question, name, value)
        if (
            question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
            and len(question.option_list()) < 2
        ):
            raise SurveyError(_("A choice question needs at least two options, one per line."))
        question.save()
        audit_log(
            actor=actor,
            action="surveys.question.saved",
            obj=question,
            campaign=survey.campaign,
        )
    return question


def question_delete(*, question: Question, actor: User) -> None:
    survey = question.survey
    _require_builder(actor, survey.appraisal)
    with transaction.atomic():
        _require_editable(survey)
        audit_log(
            actor=actor,
            action="surveys.question.deleted",
            obj=question,
            campaign=survey.campaign,
        )
        question.delete()


def question_move(*, question: Question, actor: User, up: bool) -> None:
    survey = question.survey
    _require_builder(actor, survey.appraisal)
    with transaction.atomic():
        _require_editable(survey)
        questions = list(survey.questions.order_by("position", "id"))
        i = questions.index(question)
        j = i - 1 if up else i + 1
        if not 0 <= j < len(questions):
            return
        questions[i], questions[j] = questions[j], questions[i]
        for position, q in enumerate(questions, start=1):
            if q.position != position:
                q.position = position
                q.save(update_fields=["position"])
        audit_log(
            actor=actor,
            action="surveys.question.moved",
            obj=question,
            campaign=survey.campaign,
            data={"to": j + 1},
        )


def survey_set_state(*, survey: Survey, actor: User, state: str) -> Survey:
    """The one move function of a survey, along ``Survey.TRANSITIONS``: draft → open →
    closed."""
    _require_builder(actor, survey.appraisal)
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if Survey.TRANSITIONS.get(locked.state) != state:
            raise SurveyError(
                _("The survey cannot go from “%(state)s” there.")
                % {"state": locked.get_state_display()}
            )
        if state == Survey.State.OPEN and not locked.questions.exists():
            raise SurveyError(_("Add at least one question before opening."))
        locked.state = state
        locked.save(update_fields=["state"])
        audit_log(
            actor=actor,
            action=f"surveys.survey.{state}",
            obj=locked,
            campaign=locked.campaign,
        )
    return locked


def survey_set_link_limit(*, survey: Survey, actor: User, limit: int) -> Survey:
    """The ceiling on public-link answers per network address and hour; changes any time,
    answers or not (it says who may answer, not what was asked)."""
    _require_builder(actor, survey.appraisal)
    if not 1 <= limit <= 100_000:
        raise SurveyError(_("Allow between 1 and 100000 answers an hour."))
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        before = locked.link_limit_per_hour
        locked.link_limit_per_hour = limit
        locked.save(update_fields=["link_limit_per_hour"])
        audit_log(
            actor=actor,
            action="surveys.survey.link_limit_changed",
            obj=locked,
            campaign=locked.campaign,
            data={"from": before, "to": limit},
        )
    return locked


def survey_copy(*, survey: Survey, actor: User) -> Survey:
    """A draft copy of a survey and its questions, to change what can no longer change."""
    _require_builder(actor, survey.appraisal)
    with transaction.atomic():
        copy = Survey.objects.create(
            campaign=survey.campaign,
            appraisal=survey.appraisal,
            title=_("%(title)s (copy)") % {"title": survey.title},
            intro=survey.intro,
            audience=survey.audience,
            access=survey.access,
            link_limit_per_hour=survey.link_limit_per_hour,
            created_by=actor,
            token=secrets.token_urlsafe(12),
        )
        Question.objects.bulk_create(
            Question(
                survey=copy, position=q.position, kind=q.kind, text=q.text, required=q.required,
                options=q.options, max_choices=q.max_choices,
            )
            for q in survey.questions.all()
        )  # fmt: skip
        audit_log(
            actor=actor,
            action="surveys.survey.copied",
            obj=copy,
            campaign=survey.campaign,
            data={"from": survey.pk},
        )
    return copy


def survey_codes_generate(*, survey: Survey, actor: User, count: int) -> int:
    _require_builder(actor, survey.appraisal)
    if not 1 <= count <= 2000:
        raise SurveyError(_("Generate between 1 and 2000 codes at a time."))
    with transaction.atomic():
        SurveyCode.objects.bulk_create(
            SurveyCode(survey=survey, code=new_code()) for _ in range(count)
        )
        audit_log(
            actor=actor,
            action="surveys.survey.codes_generated",
            obj=survey,
            campaign=survey.campaign,
            data={"count": count},
        )
    return count


def response_submit(
    *,
    survey: Survey,
    answers: Mapping[int, list[str] | str],
    user: User | None = None,
    code: str | None = None,
    address: str = "",
) -> Response:
    """Store one response; who answered is recorded apart (roll or code), never on it."""
    today = timezone.localdate()
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if not locked.accepting_on(today):
            raise SurveyError(_("This survey is not taking answers now."))
        if locked.access == Survey.Access.LOGIN:
            if user is None or not roles_of(user).voter:
                raise NotAllowed(_("Sign in as a deputy to answer this survey."))
            try:
                with transaction.atomic():
                    SurveyRespondent.objects.create(survey=locked, user=user)
            except IntegrityError:
                raise AlreadyAnswered(_("You have already answered this survey.")) from None
        elif locked.access == Survey.Access.CODES:
            if not code or not SurveyCode.objects.filter(survey=locked, code=code).exists():
                raise SurveyError(_("This code is not valid for this survey."))
            if not SurveyCode.objects.filter(survey=locked, code=code, used=False).update(
                used=True
            ):
                raise AlreadyAnswered(_("This code has already been used."))
        elif not throttle.take(
            key=throttle.survey_link_key(locked.pk, address), limit=locked.link_limit_per_hour
        ):
            raise LinkLimitReached(link_limit_message())
        response = Response.objects.create(survey=locked, submitted_on=today)
        rows = []
        for question_id, value in answers.items():
            if isinstance(value, list):
                rows += [Answer(response=response, question_id=question_id, value=v) for v in value]
            elif value:
                rows.append(Answer(response=response, question_id=question_id, text=value))
        Answer.objects.bulk_create(rows)
    return response
