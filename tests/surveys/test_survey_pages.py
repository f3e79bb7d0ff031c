"""What was untested: the per-address limit of a public link, a draft's link, the
survey settings, preview and code-slip pages and who may open them."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from surveys.models import Response, Survey, SurveyCode
from surveys.questionnaires import services
from surveys.questionnaires.services import LinkLimitReached
from tests.surveys.test_questionnaires import build, post_answers

pytestmark = pytest.mark.django_db

OUTSIDERS = ["liaison_a", "liaison_b", "deputy", "outsider"]


LIMIT = 3


def _limited(world):
    survey, q = build(world)
    survey = services.survey_set_link_limit(survey=survey, actor=world.leader, limit=LIMIT)
    return survey, q


def test_a_public_link_takes_as_many_answers_per_address_as_its_setting(world, client):
    survey, q = _limited(world)
    answers = {q["sat"].pk: ["满意"], q["rate"].pk: ["4"]}
    for _ in range(LIMIT):
        services.response_submit(survey=survey, answers=answers, address="203.0.113.5")
    with pytest.raises(LinkLimitReached):
        services.response_submit(survey=survey, answers=answers, address="203.0.113.5")
    # Another address still answers; the limit is per survey, too.
    services.response_submit(survey=survey, answers=answers, address="203.0.113.6")
    other, other_q = _limited(world)
    services.response_submit(
        survey=other, answers={other_q["sat"].pk: ["满意"]}, address="203.0.113.5"
    )
    assert Response.objects.filter(survey=survey).count() == LIMIT + 1


def test_the_limit_refuses_a_new_browser_behind_the_same_address(world, client):
    survey, q = _limited(world)
    for _ in range(LIMIT):
        client.cookies.clear()  # a different browser each time, one address
        assert post_answers(client, survey, q).status_code == 200
    client.cookies.clear()
    told = client.get(reverse("surveys:answer", args=[survey.token]))  # before filling in
    assert told.status_code == 409 and q["sat"].text not in told.content.decode()
    refused = post_answers(client, survey, q)
    assert refused.status_code in (409, 429)
    assert Response.objects.count() == LIMIT


@pytest.mark.parametrize("state", ["draft", "closed"])
def test_a_survey_that_is_not_open_shows_no_questions_on_its_link(world, client, state):
    survey, q = build(world)
    if state == "draft":
        Survey.objects.filter(pk=survey.pk).update(state="draft")
    else:
        services.survey_set_state(survey=survey, actor=world.leader, state="closed")
    page = client.get(reverse("surveys:answer", args=[survey.token]))
    html = page.content.decode()
    assert page.status_code == 409 and "当前不在作答时间" in html
    assert q["sat"].text not in html and "<form" not in html.split("<main")[-1]
    assert post_answers(client, survey, q).status_code == 409
    assert not Response.objects.exists()


def test_the_survey_settings_save_through_the_form(world, login):
    survey, _q = build(world)
    Survey.objects.filter(pk=survey.pk).update(state="draft")
    client = login(world.leader)
    url = reverse("surveys:survey", args=[survey.pk])
    data = {"save_survey": "1", "title": "改过的标题", "intro": "说明", "audience": "public"}
    response = client.post(url, {**data, "access": "codes", "closes_on": "2026-12-31"})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.title, survey.access, str(survey.closes_on)) == (
        "改过的标题",
        "codes",
        "2026-12-31",
    )
    for who in OUTSIDERS:
        refused = login(getattr(world, who)).post(url, {**data, "title": "篡改"})
        assert refused.status_code in (403, 404), who
    survey.refresh_from_db()
    assert survey.title == "改过的标题"


def test_the_preview_shows_the_questions_and_saves_nothing(world, login):
    survey, q = build(world)
    url = reverse("surveys:survey_preview", args=[survey.pk])
    html = login(world.leader).get(url).content.decode()
    assert q["sat"].text in html and "预览" in html and "提交</button>" not in html
    for who in OUTSIDERS:
        assert login(getattr(world, who)).get(url).status_code in (403, 404), who


def test_code_slips_are_for_the_builders_only(world, login):
    survey, _q = build(world, access="codes")
    services.survey_codes_generate(survey=survey, actor=world.leader, count=3)
    url = reverse("surveys:survey_share", args=[survey.pk])
    pdf = login(world.leader).get(url, {"download": "slips"})
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert all(code in text for code in SurveyCode.objects.values_list("code", flat=True))
    for who in OUTSIDERS:
        response = login(getattr(world, who)).get(url, {"download": "slips"})
        assert response.status_code in (403, 404), who
        assert not response.content.startswith(b"%PDF"), who
    # Making codes is theirs alone too.
    for who in OUTSIDERS:
        login(getattr(world, who)).post(url, {"count": 5})
    assert SurveyCode.objects.count() == 3


def pdf_text(content: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    run = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return run.stdout.decode()
