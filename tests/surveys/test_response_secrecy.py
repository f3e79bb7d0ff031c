"""Issue 10 §1: identified respondents (signed-in deputies, personal codes) are linked to
no answer by a database reader, while the survey is open or after it closes.

The same reader as tests/appraisal/test_ballot_links.py: system columns, ids, order of
rows, raw pages. Every respondent gives a different free-text answer, so a link shows
as a respondent whose candidate responses all carry their text.
"""

from __future__ import annotations

import itertools

import pytest

from surveys.models import Answer, Response, SealedResponse, Survey, SurveyCode, SurveyRespondent
from surveys.questionnaires import services
from surveys.questionnaires.services import SurveyError
from tests import factories
from tests.appraisal.test_ballot_links import (
    POSTGRES,
    _ctid,
    _page_xids,
    _revealed,
    _rows,
    _system,
    kendall_tau_b,
    needs_postgres,
    order_links,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Enough for an order that follows the respondents to stand out from chance (see order_links).
RESPONDENTS = 40


def build(world, access):
    survey = services.survey_save(
        campaign=world.campaign, appraisal=world.appraisal_a, actor=world.leader, title="代表问卷",
        intro="", audience="deputies", access=access, opens_on=None, closes_on=None,
    )  # fmt: skip
    q = {
        "sat": services.question_save(survey=survey, actor=world.leader, kind="satisfaction", text="总体满意度", required=True, options="", max_choices=None),
        "multi": services.question_save(survey=survey, actor=world.leader, kind="multiple", text="主要问题", required=False, options="排队久\n材料多\n态度差", max_choices=3),
        "text": services.question_save(survey=survey, actor=world.leader, kind="text", text="意见建议", required=False, options="", max_choices=None),
    }  # fmt: skip
    services.survey_set_state(survey=survey, actor=world.leader, state="open")
    survey.refresh_from_db()
    return survey, q


def answer_everyone(world, access) -> tuple[Survey, dict[str, str]]:
    """Each respondent in their own transaction; returns person -> their free text."""
    survey, q = build(world, access)
    truth = {}
    if access == Survey.Access.CODES:
        services.survey_codes_generate(survey=survey, actor=world.leader, count=RESPONDENTS)
        people = [("c", c) for c in SurveyCode.objects.filter(survey=survey)]
    else:
        group = factories.VoterGroupFactory(campaign=world.campaign)
        people = [
            ("u", factories.VoterFactory(voter_group=group, user__username=f"r{i}").user)
            for i in range(RESPONDENTS)
        ]
    multi = itertools.cycle([[], ["排队久"], ["材料多", "态度差"]])
    for i, (kind, who) in enumerate(people):
        text = "意见" * (i % 5 + 1) + f"第{i}条"  # texts of different lengths
        answers = {q["sat"].pk: ["满意"], q["multi"].pk: next(multi), q["text"].pk: text}
        if kind == "u":
            services.response_submit(survey=survey, answers=answers, user=who)
            truth[f"u{who.pk}"] = text
        else:
            services.response_submit(survey=survey, answers=answers, code=who.code)
            truth[f"c{who.code}"] = text
    return survey, truth


def respondent_side(survey: Survey) -> dict[str, dict]:
    people = {}
    system = "xmin::text::bigint, xmax::text::bigint, ctid::text" if POSTGRES else "0, 0, rowid"
    for user_id, xmin, xmax, ctid, pk in _rows(
        f"SELECT user_id, {system}, id FROM surveys_surveyrespondent WHERE survey_id = %s",
        [survey.pk],
    ):
        people[f"u{user_id}"] = {"xmin": xmin, "xmax": xmax, "ctid": ctid, "id": str(pk)}
    for code, xmin, xmax, ctid, pk in _rows(
        f"SELECT code, {system}, id FROM surveys_surveycode WHERE survey_id = %s AND used",
        [survey.pk],
    ):
        people[f"c{code}"] = {"xmin": xmin, "xmax": xmax, "ctid": ctid, "id": str(pk)}
    if POSTGRES:
        for values in people.values():
            values["ctid"] = _ctid(values["ctid"])
    return people


def response_side(survey: Survey) -> dict[str, dict]:
    """Per stored response: its free text (the content) and every column to join or order by."""
    responses: dict[str, dict] = {}
    for pk, xmin, xmax, cmin, ctid in _rows(
        f"SELECT r.id, {_system('r')} FROM surveys_response r WHERE r.survey_id = %s", [survey.pk]
    ):
        responses[str(pk)] = {"xmin": xmin, "xmax": xmax, "cmin": cmin, "id": str(pk),
                              "ctid": _ctid(ctid) if POSTGRES else ctid, "answers": []}  # fmt: skip
    for response_id, answer_id, text, xmin, xmax, cmin, ctid in _rows(
        f"SELECT a.response_id, a.id, a.text, {_system('a')} FROM surveys_answer a"
        " JOIN surveys_response r ON r.id = a.response_id WHERE r.survey_id = %s",
        [survey.pk],
    ):
        r = responses[str(response_id)]
        if text:
            r["content"] = text
        r["answers"].append((answer_id, xmin, xmax, cmin, _ctid(ctid) if POSTGRES else ctid))
    for r in responses.values():
        first = sorted(r.pop("answers"))[0]
        r["answer_id"], r["answer_xmin"], r["answer_xmax"], r["answer_cmin"], r["answer_ctid"] = (
            first
        )
    return responses


NUMERIC = ("xmin", "xmax", "cmin", "answer_xmin", "answer_xmax", "answer_cmin")


def assert_no_links(survey: Survey, truth: dict[str, str]) -> None:
    people, responses = respondent_side(survey), response_side(survey)
    assert len(people) == len(truth)
    joins = {}
    for vk, rk in itertools.product(("xmin", "xmax"), NUMERIC):
        for k in (0, 1, 2, 5):
            joins[f"{vk}~{rk}±{k}"] = sum(
                _revealed(
                    [r for r in responses.values() if r[rk] and abs(r[rk] - v[vk]) <= k],
                    truth[p],
                )
                for p, v in people.items()
                if v[vk]
            )
    assert {m: n for m, n in joins.items() if n} == {}
    by_content = {r["content"]: r for r in responses.values()}
    taus = {}
    for vk, rk in itertools.product(
        ("xmin", "ctid", "id"),
        ("xmin", "cmin", "ctid", "id", "answer_id", "answer_xmin", "answer_cmin", "answer_ctid"),
    ):
        pairs = [
            (v[vk], by_content[truth[p]][rk])
            for p, v in people.items()
            if truth[p] in by_content and v[vk] is not None and by_content[truth[p]][rk] is not None
        ]
        if len(pairs) >= 8:
            taus[f"{vk}/{rk}"] = kendall_tau_b(pairs)
    assert order_links(taus, len(people)) == {}


@pytest.mark.parametrize("access", [Survey.Access.LOGIN, Survey.Access.CODES])
def test_no_respondent_is_linked_to_answers_while_open_or_after_close(world, access):
    survey, truth = answer_everyone(world, access)
    assert not Response.objects.exists() and not Answer.objects.exists()
    sealed = [bytes(s) for s in SealedResponse.objects.values_list("sealed", flat=True)]
    assert len(sealed) == RESPONDENTS and len({len(s) for s in sealed}) == 1
    assert not any("意见".encode() in s for s in sealed)
    assert_no_links(survey, truth)
    services.survey_set_state(survey=survey, actor=world.leader, state="closed")
    assert not SealedResponse.objects.exists()
    texts = sorted(Answer.objects.exclude(text="").values_list("text", flat=True))
    assert texts == sorted(truth.values())
    assert Response.objects.count() == RESPONDENTS
    assert_no_links(survey, truth)


@needs_postgres
def test_after_close_no_row_version_of_a_respondents_transaction_is_left(world):
    try:
        _rows("CREATE EXTENSION IF NOT EXISTS pageinspect")
    except Exception:  # pragma: no cover - the contrib package is missing
        pytest.skip("pageinspect is not installed")
    survey, _truth = answer_everyone(world, Survey.Access.LOGIN)
    xids = {
        x
        for (x,) in _rows(
            "SELECT xmin::text::bigint FROM surveys_surveyrespondent WHERE survey_id = %s",
            [survey.pk],
        )
    }
    assert len(xids) == RESPONDENTS
    services.survey_set_state(survey=survey, actor=world.leader, state="closed")
    for table in ("surveys_surveyrespondent", "surveys_sealedresponse", "surveys_response",
                  "surveys_answer", "surveys_surveycode"):  # fmt: skip
        assert not _page_xids(table) & xids, table


def test_a_rotated_key_opens_and_a_lost_key_stops_the_close(world, settings):
    survey, _truth = answer_everyone(world, Survey.Access.CODES)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "rotated-" + "k" * 50
    with pytest.raises(SurveyError) as refused:
        services.survey_set_state(survey=survey, actor=world.leader, state="closed")
    assert any(
        str(pk) in refused.value.message
        for pk in SealedResponse.objects.values_list("pk", flat=True)
    )
    survey.refresh_from_db()
    assert survey.state == "open" and SealedResponse.objects.count() == RESPONDENTS
    assert not Response.objects.exists()
    assert (
        SurveyRespondent.objects.count() == 0
        and SurveyCode.objects.filter(used=True).count() == RESPONDENTS
    )
    settings.SECRET_KEY_FALLBACKS = [old]
    services.survey_set_state(survey=survey, actor=world.leader, state="closed")
    assert Response.objects.count() == RESPONDENTS


def test_the_results_page_says_sealed_answers_count_at_the_close(world, login):
    survey, _truth = answer_everyone(world, Survey.Access.CODES)
    from django.urls import reverse

    page = login(world.leader).get(reverse("surveys:survey_results", args=[survey.pk]))
    assert page.context["sealed"] == RESPONDENTS and page.context["total"] == 0
    services.survey_set_state(survey=survey, actor=world.leader, state="closed")
    page = login(world.leader).get(reverse("surveys:survey_results", args=[survey.pk]))
    assert page.context["sealed"] == 0 and page.context["total"] == RESPONDENTS
