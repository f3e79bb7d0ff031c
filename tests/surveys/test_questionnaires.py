"""Questionnaires: building, answering once, results in SQL, exports."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from surveys.models import Question, Response, SealedResponse, Survey, SurveyCode
from surveys.questionnaires import selectors as survey_selectors
from surveys.questionnaires import services
from surveys.questionnaires.services import AlreadyAnswered, SurveyError

pytestmark = pytest.mark.django_db


def build(world, access="link", audience="public"):
    survey = services.survey_save(
        campaign=world.campaign, appraisal=world.appraisal_a, actor=world.leader, title="办事群众满意度调查",
        intro="", audience=audience, access=access, opens_on=None, closes_on=None,
    )  # fmt: skip
    q = {
        "sat": services.question_save(survey=survey, actor=world.leader, kind="satisfaction", text="总体满意度", required=True, options="", max_choices=None),
        "multi": services.question_save(survey=survey, actor=world.leader, kind="multiple", text="主要问题", required=False, options="排队久\n材料多\n态度差", max_choices=2),
        "rate": services.question_save(survey=survey, actor=world.leader, kind="rating", text="窗口服务评分", required=True, options="", max_choices=None),
        "text": services.question_save(survey=survey, actor=world.leader, kind="text", text="意见建议", required=False, options="", max_choices=None),
    }  # fmt: skip
    services.survey_set_state(survey=survey, actor=world.leader, state="open")
    survey.refresh_from_db()
    return survey, q


def post_answers(client, survey, q, sat="满意", multi=("排队久",), rate="4", text="", **extra):
    data = {f"q{q['sat'].pk}": sat, f"q{q['rate'].pk}": rate, f"q{q['text'].pk}": text}
    data[f"q{q['multi'].pk}"] = list(multi)
    return client.post(reverse("surveys:answer", args=[survey.token]), {**data, **extra}, **({}))


def test_public_link_answers_are_stored_without_who_and_limited_per_browser(world, client):
    survey, q = build(world)
    response = post_answers(client, survey, q, text="希望增加周末窗口")
    assert response.status_code == 200 and "谢谢" in response.content.decode()
    stored = Response.objects.get()
    assert stored.submitted_on == timezone.localdate()
    assert {f.name for f in Response._meta.concrete_fields} == {"id", "survey", "submitted_on"}
    again = post_answers(client, survey, q)
    assert again.status_code == 409 and Response.objects.count() == 1


def test_validation_messages_sit_next_to_the_question(world, client):
    survey, q = build(world)
    response = post_answers(client, survey, q, sat="", multi=("排队久", "材料多", "态度差"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "请回答此题" in html and "最多选择 2 项" in html
    assert not Response.objects.exists()


def test_a_one_time_code_answers_once(world, client):
    survey, q = build(world, access="codes")
    services.survey_codes_generate(survey=survey, actor=world.leader, count=1)
    code = SurveyCode.objects.get().code
    assert post_answers(client, survey, q, code=code).status_code == 200
    second = post_answers(client, survey, q, code=code)
    assert second.status_code == 409 and "已经使用过" in second.content.decode()
    assert post_answers(client, survey, q).status_code == 409  # no code at all
    assert SealedResponse.objects.count() == 1 and not Response.objects.exists()
    services.survey_set_state(survey=survey, actor=world.leader, state="closed")
    assert Response.objects.count() == 1 and not SealedResponse.objects.exists()


def test_deputies_answer_signed_in_once_each(world, login):
    survey, q = build(world, access="login", audience="deputies")
    client = login(world.deputy)
    assert post_answers(client, survey, q).status_code == 200
    assert post_answers(client, survey, q).status_code == 409
    with pytest.raises(AlreadyAnswered):
        services.response_submit(survey=survey, answers={}, user=world.deputy)
    assert SealedResponse.objects.count() == 1 and not Response.objects.exists()
    services.survey_set_state(survey=survey, actor=world.leader, state="closed")
    assert Response.objects.count() == 1 and not SealedResponse.objects.exists()


def test_a_closed_or_not_yet_open_survey_refuses_answers(world, client):
    survey, q = build(world)
    Survey.objects.filter(pk=survey.pk).update(opens_on=timezone.localdate() + timedelta(days=1))
    assert post_answers(client, survey, q).status_code == 409
    Survey.objects.filter(pk=survey.pk).update(opens_on=None)
    services.survey_set_state(survey=survey, actor=world.leader, state="closed")
    assert post_answers(client, survey, q).status_code == 409
    assert not Response.objects.exists()


def test_a_survey_with_answers_cannot_be_edited_but_can_be_copied(world, client):
    survey, q = build(world)
    post_answers(client, survey, q)
    with pytest.raises(SurveyError):
        services.question_save(survey=survey, actor=world.leader, kind="text", text="新问题", required=False, options="", max_choices=None)  # fmt: skip
    with pytest.raises(SurveyError):
        services.question_delete(question=q["sat"], actor=world.leader)
    copy = services.survey_copy(survey=survey, actor=world.leader)
    assert copy.state == "draft" and copy.questions.count() == 4
    services.question_delete(question=copy.questions.first(), actor=world.leader)


def test_results_counts_percentages_index_and_export(
    world, client, login, django_assert_num_queries
):
    survey, q = build(world)
    answers = [("满意", "5"), ("满意", "4"), ("基本满意", "3"), ("不满意", "2"), ("不了解", "1")]
    for i, (sat, rate) in enumerate(answers):
        services.response_submit(
            survey=survey,
            answers={q["sat"].pk: [sat], q["multi"].pk: ["排队久", "材料多"] if i % 2 else ["排队久"], q["rate"].pk: [rate], q["text"].pk: f"意见{i}"},
            address=f"10.0.0.{i}",
        )  # fmt: skip
    office = login(world.leader)
    url = reverse("surveys:survey_results", args=[survey.pk])
    with django_assert_num_queries(7):  # as survey_results promises
        survey_selectors.survey_results(survey)
    office.get("/")  # the session's first request refreshes it: not part of the page
    page = office.get(url)
    data = page.context
    rows = {row["question"].kind: row for row in data["rows"]}
    assert data["total"] == 5
    sat = {o["option"]: (o["n"], str(o["percent"])) for o in rows["satisfaction"]["options"]}
    assert sat["满意"] == (2, "40.00")
    assert str(rows["satisfaction"]["index"]) == "75.00"  # (2 + 1) / 4: 不了解 left out
    assert str(rows["rating"]["average"]) == "3.00"
    assert {o["option"]: o["n"] for o in rows["multiple"]["options"]}["材料多"] == 2
    filtered = office.get(url, {"q": "意见3"}).context["rows"]
    assert next(r for r in filtered if r["question"].kind == "text")["texts"][0][1] == "意见3"

    xlsx = office.get(reverse("surveys:survey_xlsx", args=[survey.pk]))
    sheet = load_workbook(BytesIO(xlsx.content)).worksheets[0]
    table = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(table) if row[0] == "#")  # below the title rows
    assert table[header][2:] == ("总体满意度", "主要问题", "窗口服务评分", "意见建议")
    assert len(table) == header + 6
    assert any(row[3] == "排队久；材料多" for row in table[header + 1 :])
    assert office.get(reverse("surveys:survey_pdf", args=[survey.pk])).content.startswith(b"%PDF")

    # A free-text answer becomes a finding, pending like any other.
    answer_id = next(r for r in filtered if r["question"].kind == "text")["texts"][0][0]
    promoted = office.post(url, {"answer": answer_id})
    from surveys.models import Finding

    finding = Finding.objects.get()
    assert promoted.url == finding.get_absolute_url()
    assert (finding.source, finding.status, finding.text) == ("survey", "received", "意见3")
    assert login(world.liaison_a).post(url, {"answer": answer_id}).status_code == 403


@pytest.mark.parametrize("who", ["liaison_a", "liaison_b", "deputy", "outsider"])
def test_only_investigators_build_and_read_surveys(world, login, who):
    survey, _q = build(world)
    client = login(getattr(world, who))
    for name in (
        "surveys:survey",
        "surveys:survey_results",
        "surveys:survey_share",
        "surveys:survey_xlsx",
    ):
        assert client.get(reverse(name, args=[survey.pk])).status_code in (403, 404), name
    assert client.get(reverse("surveys:survey_list", args=[world.appraisal_a.pk])).status_code in (
        403,
        404,
    )


def test_share_page_offers_qr_and_poster(world, login):
    survey, _q = build(world)
    client = login(world.leader)
    url = reverse("surveys:survey_share", args=[survey.pk])
    assert "<svg" in client.get(url).content.decode()
    assert client.get(url, {"download": "png"}).content.startswith(b"\x89PNG")
    assert client.get(url, {"download": "poster"}).content.startswith(b"%PDF")


def test_the_builder_pages_work_through_forms(world, login):
    client = login(world.leader)
    response = client.post(
        reverse("surveys:survey_list", args=[world.appraisal_a.pk]),
        {"title": "代表问卷", "intro": "", "audience": "deputies", "access": "login"},
    )
    survey = Survey.objects.get()
    assert response.status_code == 302
    detail = reverse("surveys:survey", args=[survey.pk])
    bad = client.post(detail, {"add_question": "1", "kind": "single", "text": "选一项", "required": "on", "options": "只有一项"}, follow=True)  # fmt: skip
    assert "至少需要两个选项" in bad.content.decode() and not Question.objects.exists()
    client.post(detail, {"add_question": "1", "kind": "single", "text": "选一项", "required": "on", "options": "甲\n乙"})  # fmt: skip
    client.post(detail, {"add_question": "1", "kind": "text", "text": "补充说明", "options": ""})
    _first, second = survey.questions.order_by("position")
    client.post(detail, {"question": second.pk, "up": "1"})
    assert list(survey.questions.order_by("position").values_list("text", flat=True)) == [
        "补充说明",
        "选一项",
    ]
    client.post(detail, {"state": "open"})
    survey.refresh_from_db()
    assert survey.state == "open"
    # The public sees the questions in the order the builder set.
    page = client.get(reverse("surveys:answer", args=[survey.token])).content.decode()
    assert 0 < page.index("补充说明") < page.index("选一项")


def test_deputies_find_their_open_questionnaires(world, login):
    survey, _q = build(world, access="login", audience="deputies")
    client = login(world.deputy)
    page = client.get(reverse("surveys:deputy_surveys")).content.decode()
    assert survey.title in page and survey.token in page
    services.response_submit(survey=survey, answers={}, user=world.deputy)
    page = client.get(reverse("surveys:deputy_surveys")).content.decode()
    assert "已作答" in page and survey.token not in page
    assert login(world.outsider).get(reverse("surveys:deputy_surveys")).status_code == 403


def test_the_office_runs_surveys_about_the_whole_campaign(world, login):
    office = login(world.office)
    url = reverse("surveys:campaign_surveys", args=[world.campaign.pk])
    response = office.post(
        url, {"title": "全市营商环境问卷", "intro": "", "audience": "public", "access": "link"}
    )
    survey = Survey.objects.get()
    assert (
        response.status_code == 302
        and survey.appraisal is None
        and survey.campaign == world.campaign
    )
    assert office.get(survey.get_absolute_url()).status_code == 200
    for who in ["leader", "liaison_a", "deputy"]:
        client = login(getattr(world, who))
        assert client.get(url).status_code == 403, who
        assert client.get(survey.get_absolute_url()).status_code == 403, who
    from appraisal.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.survey_save(
            campaign=world.campaign,
            appraisal=None,
            actor=world.leader,
            title="x",
            intro="",
            audience="public",
            access="link",
            opens_on=None,
            closes_on=None,
        )


def test_a_code_survey_typed_by_hand(world, client):
    survey, q = build(world, access="codes")
    services.survey_codes_generate(survey=survey, actor=world.leader, count=1)
    code = SurveyCode.objects.get().code
    page = client.get(reverse("surveys:answer", args=[survey.token])).content.decode()
    assert 'name="code"' in page  # no code in the link: the form asks for it
    assert post_answers(client, survey, q, code=f" {code.lower()} ").status_code == 200


def test_garbage_builder_posts_get_a_4xx(world, login):
    survey, _q = build(world)
    detail = reverse("surveys:survey", args=[survey.pk])
    assert login(world.leader).post(detail, {"question": "abc", "delete": "1"}).status_code == 404
    assert login(world.leader).post(detail, {"question": "99999", "up": "1"}).status_code == 404
