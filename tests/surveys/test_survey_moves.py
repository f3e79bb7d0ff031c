"""A survey moves only along ``Survey.TRANSITIONS``, through ``survey_set_state``."""

import pytest

from surveys.models import Survey
from surveys.questionnaires import services
from surveys.questionnaires.services import SurveyError

pytestmark = pytest.mark.django_db


def test_a_survey_moves_only_along_its_transitions(world):
    survey = services.survey_save(
        campaign=world.campaign, appraisal=world.appraisal_a, actor=world.leader, title="问卷",
        intro="", audience="public", access="link", opens_on=None, closes_on=None,
    )  # fmt: skip
    services.question_save(survey=survey, actor=world.leader, kind="text", text="意见", required=False, options="", max_choices=None)  # fmt: skip
    assert Survey.TRANSITIONS == {"draft": "open", "open": "closed"}
    for wrong in ("closed", "draft", "bogus"):
        with pytest.raises(SurveyError):
            services.survey_set_state(survey=survey, actor=world.leader, state=wrong)
    survey = services.survey_set_state(survey=survey, actor=world.leader, state="open")
    with pytest.raises(SurveyError):
        services.survey_set_state(survey=survey, actor=world.leader, state="open")
    survey = services.survey_set_state(survey=survey, actor=world.leader, state="closed")
    for wrong in ("open", "draft"):
        with pytest.raises(SurveyError):
            services.survey_set_state(survey=survey, actor=world.leader, state=wrong)
    survey.refresh_from_db()
    assert survey.state == "closed"


def test_the_survey_page_moves_a_survey_by_its_transitions(world, login):
    survey = services.survey_save(
        campaign=world.campaign, appraisal=world.appraisal_a, actor=world.leader, title="问卷",
        intro="", audience="public", access="link", opens_on=None, closes_on=None,
    )  # fmt: skip
    services.question_save(survey=survey, actor=world.leader, kind="text", text="意见", required=False, options="", max_choices=None)  # fmt: skip
    client = login(world.leader)
    url = survey.get_absolute_url()
    client.post(url, {"state": "closed"})  # not a move from draft
    survey.refresh_from_db()
    assert survey.state == "draft"
    client.post(url, {"state": "open"})
    survey.refresh_from_db()
    assert survey.state == "open"
