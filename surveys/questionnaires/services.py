"""Writes of questionnaires: building, opening and closing, codes, and answering."""

from __future__ import annotations

import secrets
import struct
import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal import sealing
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
    SealedResponse,
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
    if survey.responses.exists() or SealedResponse.objects.filter(survey=survey).exists():
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
        changed = question is not None
        if question is None:
            last = survey.questions.aggregate(m=Max("position"))["m"]
            question = Question(survey=survey, position=(last or 0) + 1)
        elif question.survey_id != survey.pk:
            raise SurveyError(_("That question belongs to another survey."))
        for name, value in fields.items():
            setattr(question, name, value)
        if (
            question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
            and len(question.option_list()) < 2
        ):
            raise SurveyError(_("A choice question needs at least two options, one per line."))
        options = question.option_list()
        twice = next((o for i, o in enumerate(options) if o in options[:i]), None)
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and twice:
            # Answers are kept by option text: two equal options could not be told apart.
            raise SurveyError(
                _("Each option must be different: “%(option)s” is there twice.") % {"option": twice}
            )
        if question.kind != Question.Kind.MULTIPLE:
            question.max_choices = None
        elif question.max_choices is not None and not (
            1 <= question.max_choices <= len(question.option_list())
        ):
            raise SurveyError(
                _("“At most” must be between 1 and the number of options (%(n)d).")
                % {"n": len(question.option_list())}
            )
        question.save()
        audit_log(
            actor=actor,
            action="surveys.question.saved",
            obj=question,
            campaign=survey.campaign,
            data={"changed": changed},
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
        opened = _open_sealed_responses(locked) if state == Survey.State.CLOSED else 0
        locked.state = state
        locked.save(update_fields=["state"])
        audit_log(
            actor=actor,
            action=f"surveys.survey.{state}",
            obj=locked,
            campaign=locked.campaign,
            data={"sealed_responses_opened": opened} if opened else None,
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
        raise SurveyError(_("Generate between 1 and 2000 survey codes at a time."))
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
) -> Response | None:
    """Store one response; who answered is recorded apart (roll or code), never on it.

    A signed-in deputy's or a personal code's answers are sealed until the survey
    closes (``SealedResponse``): the respondent row or the code's ``used`` flag is
    written in the same transaction, so only the sealed envelope pairs with it. An
    answer by public link has no respondent and is stored as it is (returned).
    """
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
                raise AlreadyAnswered(_("This survey code has already been used."))
        elif not throttle.take(
            key=throttle.survey_link_key(locked.pk, address), limit=locked.link_limit_per_hour
        ):
            raise LinkLimitReached(link_limit_message())
        questions = list(locked.questions.order_by("position", "id"))
        if locked.access != Survey.Access.LINK:
            SealedResponse.objects.create(
                survey=locked, sealed=_seal_response(locked, questions, answers, today)
            )
            return None
        response = Response.objects.create(survey=locked, submitted_on=today)
        Answer.objects.bulk_create(_answer_rows(response, answers))
    return response


def _answer_rows(response: Response, answers: Mapping[int, list[str] | str]) -> list[Answer]:
    rows = []
    for question_id, value in answers.items():
        if isinstance(value, list):
            rows += [Answer(response=response, question_id=question_id, value=v) for v in value]
        elif value:
            rows.append(Answer(response=response, question_id=question_id, text=value))
    return rows


# The sealed form of a response: the day, then per question its id and either a bit per
# option (choices) or the text's length and bytes padded to the longest text allowed, so
# every envelope of a survey has the same length whatever was answered.
TEXT_BYTES = 2000 * 4  # 2000 characters of UTF-8
_DAY = struct.Struct(">I")
_QUESTION = struct.Struct(">Q")
_TEXT_LENGTH = struct.Struct(">H")


def _survey_scope(survey_id: int) -> str:
    return f"survey:{survey_id}"


def _answer_size(question: Question) -> int:
    if question.kind == Question.Kind.TEXT:
        return _TEXT_LENGTH.size + TEXT_BYTES
    return max(1, (len(question.option_list()) + 7) // 8)


def _sealed_size(questions: list[Question]) -> int:
    return _DAY.size + sum(_QUESTION.size + _answer_size(q) for q in questions)


def _seal_response(
    survey: Survey,
    questions: list[Question],
    answers: Mapping[int, list[str] | str],
    day: date,
) -> bytes:
    if set(answers) - {q.pk for q in questions}:
        raise SurveyError(_("An answer does not belong to this survey."))
    parts = [_DAY.pack(day.toordinal())]
    for q in questions:
        value = answers.get(q.pk)
        parts.append(_QUESTION.pack(q.pk))
        if q.kind == Question.Kind.TEXT:
            data = (value if isinstance(value, str) else "").encode()
            if len(data) > TEXT_BYTES:
                raise SurveyError(_("An answer is too long."))
            parts.append(_TEXT_LENGTH.pack(len(data)) + data.ljust(TEXT_BYTES, b"\0"))
            continue
        options = q.option_list()
        bits = 0
        for chosen in value if isinstance(value, list) else []:
            if chosen not in options:
                raise SurveyError(_("An answer is not one of the question's options."))
            bits |= 1 << options.index(chosen)
        parts.append(bits.to_bytes(_answer_size(q), "big"))
    return sealing.seal(
        scope=_survey_scope(survey.pk), plaintext=b"".join(parts), size=_sealed_size(questions)
    )


def _unseal_response(
    plaintext: bytes, questions: list[Question]
) -> tuple[date, dict[int, list[str] | str]]:
    if len(plaintext) != _sealed_size(questions):
        raise sealing.Unopenable(_("it does not fit the survey's questions"))
    (ordinal,) = _DAY.unpack_from(plaintext)
    offset = _DAY.size
    answers: dict[int, list[str] | str] = {}
    for q in questions:
        (question_id,) = _QUESTION.unpack_from(plaintext, offset)
        offset += _QUESTION.size
        if question_id != q.pk:
            raise sealing.Unopenable(_("it does not fit the survey's questions"))
        size = _answer_size(q)
        if q.kind == Question.Kind.TEXT:
            (length,) = _TEXT_LENGTH.unpack_from(plaintext, offset)
            text = plaintext[offset + _TEXT_LENGTH.size : offset + _TEXT_LENGTH.size + length]
            answers[q.pk] = text.decode()
        else:
            bits = int.from_bytes(plaintext[offset : offset + size], "big")
            answers[q.pk] = [o for i, o in enumerate(q.option_list()) if bits >> i & 1]
        offset += size
    return date.fromordinal(ordinal), answers


# Tables a respondent's transaction writes, the envelopes last (``sealing.rewrite_tables``).
_RESPONDENT_TABLES = ("surveys_surveyrespondent", "surveys_surveycode", "surveys_sealedresponse")


def _open_sealed_responses(survey: Survey) -> int:
    """Open every sealed response of a survey being closed and store it as answers.

    All in the closing transaction: the responses are written in random order (fresh
    random ids, answer ids in that order), the respondent and code rows are rewritten,
    and the envelopes are gone, so nothing pairs a respondent with answers any more.
    An envelope that cannot be opened stops the close, naming it, and changes nothing.
    """
    opener = sealing.Opener(_survey_scope(survey.pk))
    questions = list(survey.questions.order_by("position", "id"))
    opened = []
    for envelope_id, sealed in SealedResponse.objects.filter(survey=survey).values_list(
        "id", "sealed"
    ):
        try:
            opened.append(_unseal_response(opener.open(sealed), questions))
        except (sealing.Unopenable, UnicodeDecodeError, ValueError) as e:
            reason = e.reason if isinstance(e, sealing.Unopenable) else _("it is damaged")
            raise SurveyError(
                _(
                    "The survey was not closed: sealed response %(id)s cannot be opened "
                    "(%(why)s). Nothing was changed."
                )
                % {"id": envelope_id, "why": reason}
            ) from None
    if not opened:
        return 0
    responses = sorted(
        ((uuid.uuid4(), day, answers) for day, answers in opened), key=lambda r: r[0].hex
    )
    if connection.vendor == "postgresql":
        sealing.rewrite_tables(
            _RESPONDENT_TABLES,
            discard="surveys_sealedresponse",
            column="survey_id",
            value=survey.pk,
        )
    else:
        SealedResponse.objects.filter(survey=survey).delete()
        sealing.checkpoint_after_commit()
        sealing.rewrite_rows(SurveyRespondent.objects.filter(survey=survey))
        sealing.rewrite_rows(SurveyCode.objects.filter(survey=survey))
    stored = Response.objects.bulk_create(
        (Response(id=pk, survey=survey, submitted_on=day) for pk, day, _a in responses),
        batch_size=1000,
    )
    Answer.objects.bulk_create(
        (
            row
            for response, (_pk, _day, answers) in zip(stored, responses, strict=True)
            for row in _answer_rows(response, answers)
        ),
        batch_size=2000,
    )
    return len(opened)
