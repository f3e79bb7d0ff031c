"""What people stumbled on in questionnaires (issue 7 §4)."""

import pytest
from django.urls import reverse

from appraisal.models import AuditEvent
from surveys.models import Question, SurveyCode
from surveys.questionnaires import services
from surveys.questionnaires.services import SurveyError
from tests.surveys.test_questionnaires import build, post_answers

pytestmark = pytest.mark.django_db


def draft(world, access="link"):
    return services.survey_save(
        campaign=world.campaign, appraisal=world.appraisal_a, actor=world.leader, title="问卷",
        intro="", audience="public", access=access, opens_on=None, closes_on=None,
    )  # fmt: skip


def _question_post(**over):
    data = {"kind": "multiple", "text": "主要问题", "required": "on",
            "options": "排队久\n材料多\n态度差\n收费乱", "max_choices": "2"}  # fmt: skip
    data.update(over)
    return data


def test_at_most_cannot_exceed_the_number_of_options(world, login):
    survey = draft(world)
    client = login(world.leader)
    response = client.post(survey.get_absolute_url(), {**_question_post(max_choices="9"),
                                                       "add_question": "1"})  # fmt: skip
    assert response.status_code == 200
    assert "“最多可选”须在 1 至选项个数（4）之间" in response.content.decode()
    assert not Question.objects.exists()
    with pytest.raises(SurveyError):
        services.question_save(
            survey=survey, actor=world.leader, kind="multiple", text="x", required=True,
            options="a\nb\nc\nd", max_choices=9,
        )  # fmt: skip
    assert not Question.objects.exists()
    ok = client.post(survey.get_absolute_url(), {**_question_post(max_choices="4"),
                                                 "add_question": "1"})  # fmt: skip
    assert ok.status_code == 302 and Question.objects.get().max_choices == 4


def test_answer_form_marks_the_maximum_for_the_browser_and_the_server_checks(world, client):
    survey, q = build(world)
    html = client.get(reverse("surveys:answer", args=[survey.token])).content.decode()
    assert 'data-max-choices="2"' in html and "js/forms.js" in html
    refused = post_answers(client, survey, q, multi=("排队久", "材料多", "态度差"))
    assert refused.status_code == 400


def test_questions_can_be_edited_until_the_first_answer(world, login, client):
    survey = draft(world)
    question = services.question_save(
        survey=survey, actor=world.leader, kind="single", text="旧题目", required=True,
        options="是\n否", max_choices=None,
    )  # fmt: skip
    leader = login(world.leader)
    url = reverse("surveys:question_edit", args=[survey.pk, question.pk])
    detail = leader.get(survey.get_absolute_url()).content.decode()
    assert url in detail
    response = leader.post(url, {"kind": "single", "text": "新题目", "required": "on",
                                 "options": "是\n否\n不清楚"})  # fmt: skip
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "新题目" and question.option_list() == ["是", "否", "不清楚"]
    assert AuditEvent.objects.filter(action="surveys.question.saved", data__changed=True).exists()
    # Someone else, or a question of another survey, is refused.
    assert login(world.liaison_a).get(url).status_code in (403, 404)
    other = draft(world)
    assert (
        login(world.leader)
        .get(reverse("surveys:question_edit", args=[other.pk, question.pk]))
        .status_code
        == 404
    )


def test_no_edit_after_the_first_answer(world, login, client):
    survey, q = build(world)
    assert post_answers(client, survey, q).status_code == 200
    leader = login(world.leader)
    url = reverse("surveys:question_edit", args=[survey.pk, q["sat"].pk])
    response = leader.post(url, {"kind": "text", "text": "改了", "required": "on"})
    assert response.status_code == 302
    q["sat"].refresh_from_db()
    assert q["sat"].text == "总体满意度"


def test_deleting_a_question_asks_for_confirmation(world, login):
    survey = draft(world)
    services.question_save(
        survey=survey, actor=world.leader, kind="text", text="意见", required=False,
        options="", max_choices=None,
    )  # fmt: skip
    html = login(world.leader).get(survey.get_absolute_url()).content.decode()
    delete = html[: html.find('name="delete"')]
    form = delete[delete.rfind("<form") :]
    assert "data-confirm=" in form and 'name="up"' not in form


def test_wording_public_audience_results_and_survey_codes(world, login):
    survey, _q = build(world, access="codes")
    leader = login(world.leader)
    detail = leader.get(survey.get_absolute_url()).content.decode()
    detail = detail[detail.find("<main") :]  # the top bar links to the published 测评结果
    assert "社会公众" in detail and "群众反映" not in detail
    assert "问卷结果" in detail and "测评结果" not in detail
    made = leader.post(reverse("surveys:survey_share", args=[survey.pk]), {"count": 3}, follow=True)
    page = made.content.decode()
    page = page[page.find("<main") :]
    assert "答卷码" in page and "测评码" not in page


def test_a_used_survey_code_is_called_a_survey_code(world, client):
    survey, q = build(world, access="codes")
    services.survey_codes_generate(survey=survey, actor=world.leader, count=1)
    code = SurveyCode.objects.get().code
    post_answers(client, survey, q, code=code)
    again = post_answers(client, survey, q, code=code).content.decode()
    again = again[again.find("<main") :]
    assert "该答卷码已经使用过" in again and "测评码" not in again


def test_survey_list_shows_answer_counts(world, login, client, django_assert_max_num_queries):
    survey, q = build(world)
    post_answers(client, survey, q)
    client.cookies.clear()
    post_answers(client, survey, q)
    draft(world)
    leader = login(world.leader)
    url = reverse("surveys:survey_list", args=[world.appraisal_a.pk])
    html = leader.get(url).content.decode()
    assert "2 份答卷" in html and "0 份答卷" in html


def test_ratings_are_numbers_in_the_excel_export(world, login, client):
    from io import BytesIO

    from openpyxl import load_workbook

    survey, q = build(world)
    for rate in ("4", "2"):
        client.cookies.clear()
        post_answers(client, survey, q, rate=rate)
    xlsx = login(world.leader).get(reverse("surveys:survey_xlsx", args=[survey.pk]))
    sheet = load_workbook(BytesIO(xlsx.content)).worksheets[0]
    header = next(r for r in range(1, 6) if sheet.cell(r, 1).value == "#")  # below the title rows
    column = [c.value for c in sheet[header]].index("窗口服务评分")
    cells = [row[column] for row in sheet.iter_rows(min_row=header + 1)]
    assert sorted(c.value for c in cells) == [2, 4]
    assert all(c.data_type == "n" for c in cells)
