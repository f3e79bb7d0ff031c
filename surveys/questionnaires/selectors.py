"""Reads of questionnaires: results aggregated in SQL, exports streamed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.access import is_investigator
from appraisal.figures import percent
from appraisal.models import Appraisal, Campaign, User
from appraisal.stages import Link
from surveys.models import Answer, Question, SealedResponse, Survey, SurveyCode, SurveyRespondent

SATISFIED, BASIC, UNSATISFIED = Question.SATISFACTION_OPTIONS[:3]


def sealed_count(survey: Survey) -> int:
    """Responses of identified respondents still sealed: counted when the survey closes."""
    return SealedResponse.objects.filter(survey=survey).count()


def response_count(survey: Survey) -> int:
    return survey.responses.count() + sealed_count(survey)


def survey_results(survey: Survey, *, text_filter: str = "") -> dict[str, Any]:
    """Counts and percentages per question, satisfaction index, rating average, free texts.

    Seven queries whatever the number of responses.
    """
    questions = list(survey.questions.order_by("position", "id"))
    total = survey.responses.count()
    sealed = sealed_count(survey)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for q in questions:
        by_kind[q.kind].append(q.pk)
    # Filtering on question ids (not a join to the survey) lets each query use the
    # (question, value) index and read only the rows it needs.
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for count in (
        Answer.objects.filter(question_id__in=[q.pk for q in questions])
        .exclude(question_id__in=by_kind[Question.Kind.TEXT])
        .values("question_id", "value")
        .annotate(n=Count("id"))
    ):
        counts[count["question_id"]][count["value"]] = count["n"]
    # One answer row per person, except multiple choice (a row per option) and free text.
    one_row_each = (Question.Kind.SINGLE, Question.Kind.SATISFACTION, Question.Kind.RATING)
    answered: dict[int, int] = {
        q.pk: sum(counts[q.pk].values()) for q in questions if q.kind in one_row_each
    }
    for per_question in (
        Answer.objects.filter(question_id__in=by_kind[Question.Kind.MULTIPLE])
        .values("question_id")
        .annotate(n=Count("response_id", distinct=True))
    ):
        answered[per_question["question_id"]] = per_question["n"]
    texts = Answer.objects.filter(question_id__in=by_kind[Question.Kind.TEXT]).exclude(text="")
    if text_filter:
        texts = texts.filter(text__icontains=text_filter)
    text_rows: dict[int, list[tuple[int, str]]] = defaultdict(list)
    # In id order: the order of arrival for a public link, a random order for the sealed
    # responses of identified respondents (written in random order at the close).
    for answer_id, question_id, text in texts.order_by("id").values_list(
        "id", "question_id", "text"
    )[:500]:
        text_rows[question_id].append((answer_id, text))
    for per_question in (
        Answer.objects.filter(question_id__in=by_kind[Question.Kind.TEXT])
        .exclude(text="")
        .values("question_id")
        .annotate(n=Count("id"))
    ):
        answered[per_question["question_id"]] = per_question["n"]
    rows = []
    for q in questions:
        people = answered.get(q.pk, 0)
        options = [
            {
                "option": o,
                "n": counts[q.pk].get(o, 0),
                "percent": percent(counts[q.pk].get(o, 0), people),
            }
            for o in q.option_list()
        ]
        row: dict[str, Any] = {"question": q, "answered": people, "options": options}
        if q.kind == Question.Kind.SATISFACTION:
            c = counts[q.pk]
            judged = c.get(SATISFIED, 0) + c.get(BASIC, 0) + c.get(UNSATISFIED, 0)
            # 满意度 = (满意 + 基本满意) ÷ (those who judged: 不了解 left out)
            row["index"] = percent(c.get(SATISFIED, 0) + c.get(BASIC, 0), judged)
        if q.kind == Question.Kind.RATING:
            n = sum(counts[q.pk].values())
            total_points = sum(int(v) * k for v, k in counts[q.pk].items() if v.isdigit())
            row["average"] = (Decimal(total_points) / n).quantize(Decimal("0.01")) if n else None
        if q.kind == Question.Kind.TEXT:
            row["texts"] = text_rows[q.pk]
        rows.append(row)
    return {
        "survey": survey,
        "total": total,
        "sealed": sealed,
        "rows": rows,
        "text_filter": text_filter,
    }


def response_rows(survey: Survey) -> tuple[list[str], Iterator[list[Any]]]:
    """Header and one row per response, streamed in chunks: memory stays flat."""
    questions = list(survey.questions.order_by("position", "id"))
    header = ["#", "日期", *[q.text for q in questions]]
    column = {q.pk: i for i, q in enumerate(questions)}
    # Ratings go into Excel as numbers, so the office can average and chart them there.
    ratings = {q.pk for q in questions if q.kind == Question.Kind.RATING}

    def rows() -> Iterator[list[Any]]:
        cells: list[str | int] = [""] * len(questions)
        current, day, number = None, None, 0
        answers = (
            Answer.objects.filter(response__survey=survey)
            .order_by("response_id", "id")
            .values_list("response_id", "response__submitted_on", "question_id", "value", "text")
            .iterator(chunk_size=5000)
        )
        for response_id, submitted_on, question_id, value, text in answers:
            if response_id != current:
                if current is not None:
                    yield [number, day, *cells]
                current, cells, day, number = (
                    response_id,
                    [""] * len(questions),
                    submitted_on,
                    number + 1,
                )
            i = column[question_id]
            if question_id in ratings and value.isascii() and value.isdigit():
                cells[i] = int(value)
                continue
            piece = value or text
            cells[i] = f"{cells[i]}；{piece}" if cells[i] else piece
        if current is not None:
            yield [number, day, *cells]

    return header, rows()


def surveys_of(campaign: Campaign, appraisal: Appraisal | None) -> QuerySet[Survey]:
    """An appraisal's surveys, or the campaign's own (``appraisal`` None)."""
    return (
        Survey.objects.filter(campaign=campaign, appraisal=appraisal)
        .annotate(answer_count=Count("responses"))
        .order_by("-created_at")
    )


def questions_of(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position", "id"))


def survey_code_counts(survey: Survey) -> dict[str, int]:
    """How many one-time codes the survey has and how many were used: one query."""
    return SurveyCode.objects.filter(survey=survey).aggregate(
        total=Count("id"), used=Count("id", filter=Q(used=True))
    )


def unused_survey_codes(survey: Survey) -> list[str]:
    return list(SurveyCode.objects.filter(survey=survey, used=False).values_list("code", flat=True))


def open_surveys_for_deputy(user: User) -> list[Survey]:
    today = timezone.localdate()
    surveys = (
        Survey.objects.filter(access=Survey.Access.LOGIN, state=Survey.State.OPEN)
        .select_related("campaign", "appraisal__unit")
        .annotate(
            answered=Exists(SurveyRespondent.objects.filter(survey=OuterRef("pk"), user=user))
        )
        .order_by("-created_at")
    )
    return [s for s in surveys if s.accepting_on(today)]


def appraisal_survey_links(user: User, appraisal: Appraisal) -> list[Link]:
    if not is_investigator(user, appraisal):
        return []
    n = Survey.objects.filter(appraisal=appraisal).count()
    return [Link(_("Questionnaires"), reverse("surveys:survey_list", args=[appraisal.pk]), str(n))]


def campaign_survey_links(user: User, campaign: Campaign) -> list[Link]:
    """The office overview's way to the questionnaires about the whole campaign."""
    n = Survey.objects.filter(campaign=campaign, appraisal=None).count()
    return [
        Link(_("Questionnaires"), reverse("surveys:campaign_surveys", args=[campaign.pk]), str(n))
    ]


def deputy_survey_links(user: User) -> list[Link]:
    waiting = sum(1 for s in open_surveys_for_deputy(user) if not getattr(s, "answered", True))
    return [
        Link(
            _("Questionnaires open for deputies"),
            reverse("surveys:deputy_surveys"),
            _("%(n)d to answer") % {"n": waiting} if waiting else "",
            heading=_("Questionnaires"),
            primary=bool(waiting),
        )
    ]


def open_public_surveys(campaign: Campaign) -> list[Survey]:
    """Questionnaires anyone may answer by their public link, open today: the portal's."""
    today = timezone.localdate()
    surveys = (
        Survey.objects.filter(campaign=campaign, access=Survey.Access.LINK, state=Survey.State.OPEN)
        .filter(Q(opens_on__isnull=True) | Q(opens_on__lte=today))
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .select_related("appraisal__unit")
        .order_by("-created_at", "-id")
    )
    return list(surveys)
