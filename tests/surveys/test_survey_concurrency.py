"""Races of questionnaires, on PostgreSQL (SQLite serialises every write, so it cannot race):
one answer per survey code, one answer per signed-in deputy."""

import pytest
from django.db import connection

from surveys.models import SurveyCode, SurveyRespondent
from surveys.questionnaires import services
from surveys.questionnaires.selectors import response_count
from surveys.questionnaires.services import AlreadyAnswered
from tests.appraisal.test_ballot_concurrency import race
from tests.surveys.test_questionnaires import build

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL"
    ),
]


def test_thirty_answers_with_one_code_store_one(world):
    survey, q = build(world, access="codes")
    services.survey_codes_generate(survey=survey, actor=world.leader, count=2)
    code, spare = SurveyCode.objects.values_list("code", flat=True)
    answers = {q["sat"].pk: ["满意"], q["rate"].pk: ["5"]}
    outcomes = race(
        [lambda: services.response_submit(survey=survey, answers=answers, code=code)] * 30
    )
    assert sum(1 for o in outcomes if not isinstance(o, Exception)) == 1
    assert all(isinstance(o, AlreadyAnswered) for o in outcomes if isinstance(o, Exception))
    assert response_count(survey) == 1  # one (sealed) response
    assert list(SurveyCode.objects.filter(used=True).values_list("code", flat=True)) == [code]
    assert SurveyCode.objects.get(code=spare).used is False


def test_thirty_answers_from_one_deputy_store_one(world):
    survey, q = build(world, access="login", audience="deputies")
    answers = {q["sat"].pk: ["基本满意"], q["rate"].pk: ["3"]}
    outcomes = race(
        [lambda: services.response_submit(survey=survey, answers=answers, user=world.deputy)] * 30
    )
    assert sum(1 for o in outcomes if not isinstance(o, Exception)) == 1
    assert all(isinstance(o, AlreadyAnswered) for o in outcomes if isinstance(o, Exception))
    assert response_count(survey) == 1 == SurveyRespondent.objects.count()
