"""Questionnaire documents read back: summary report, poster, code slips, responses."""

from io import BytesIO
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from surveys.models import SurveyCode
from surveys.questionnaires import services
from tests.documents import pdfcheck
from tests.surveys.test_questionnaires import build, post_answers

pytestmark = pytest.mark.django_db


def test_survey_code_slips_print_every_unused_code_with_a_qr_that_reads(world, login, client):
    survey, q = build(world, access="codes")
    services.survey_codes_generate(survey=survey, actor=world.leader, count=9)
    used = SurveyCode.objects.order_by("code").first().code
    assert post_answers(client, survey, q, code=used).status_code == 200
    unused = sorted(SurveyCode.objects.filter(used=False).values_list("code", flat=True))
    response = login(world.leader).get(
        reverse("surveys:survey_share", args=[survey.pk]) + "?download=slips"
    )
    pdf = response.content
    text = pdfcheck.flat(pdf)
    link = f"http://testserver{reverse('surveys:answer', args=[survey.token])}"
    assert all(code in text for code in unused) and used not in text
    assert survey.title in text and link in text
    assert sorted(pdfcheck.qr_payloads(pdf)) == sorted(f"{link}?code={c}" for c in unused)


def test_the_poster_says_how_to_answer_and_its_qr_reads(world, login):
    survey, _q = build(world, access="codes")
    pdf = (
        login(world.leader)
        .get(reverse("surveys:survey_share", args=[survey.pk]) + "?download=poster")
        .content
    )
    text = pdfcheck.flat(pdf)
    link = f"http://testserver{reverse('surveys:answer', args=[survey.token])}"
    assert survey.title in text and "答卷码" in text and "如有疑问" in text and link in text
    assert pdfcheck.qr_payloads(pdf) == [link]


def test_the_summary_is_a_report_with_its_parts(world, login, client):
    survey, q = build(world)
    for i in range(3):
        client.cookies.clear()
        post_answers(client, survey, q, text=f"建议{i}：延长窗口时间𠀀", REMOTE_ADDR=f"10.0.0.{i}")
    pdf = login(world.leader).get(reverse("surveys:survey_pdf", args=[survey.pk])).content
    text = pdfcheck.flat(pdf)
    assert f"关于“{survey.title}”情况的报告" in text  # 办事群众满意度调查: 调查 said once
    assert "各题作答情况" in text and "满意度题的满意度" in text
    assert "总体满意度" in text and "窗口服务评分" in text
    assert str(world.appraisal_a.work_group) in text  # the issuer signs it
    assert all(f["emb"] == "yes" for f in pdfcheck.fonts(pdf))


def test_the_responses_workbook_has_ratings_as_numbers_and_user_text_as_text(world, login, client):
    survey, q = build(world)
    post_answers(client, survey, q, rate="4", text='=HYPERLINK("http://x","y")')
    response = login(world.leader).get(reverse("surveys:survey_xlsx", args=[survey.pk]))
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    ws = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = [list(r) for r in ws.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0].value == "#")
    assert ws.freeze_panes == f"A{header + 2}"
    data = rows[header + 1]
    titles = [c.value for c in rows[header]]
    rating = data[titles.index("窗口服务评分")]
    assert rating.value == 4 and rating.data_type == "n"
    assert data[1].is_date
    text = data[titles.index("意见建议")]
    assert text.data_type == "s" and text.value.startswith("'=")


def test_the_summary_title_says_问卷_once_and_turns_after_the_name(world, login):
    survey, _q = build(world)
    survey.title = "人大代表对市住建局工作满意度问卷"
    survey.save(update_fields=["title"])
    response = login(world.leader).get(reverse("surveys:survey_pdf", args=[survey.pk]))
    text = pdfcheck.flat(response.content)
    assert "关于“人大代表对市住建局工作满意度问卷”调查情况的报告" in text
    assert "问卷”问卷" not in text
    disposition = unquote(response["Content-Disposition"].split("filename*=UTF-8''")[1])
    assert disposition == "关于“人大代表对市住建局工作满意度问卷”调查情况的报告.pdf"
    lines = [ln.strip() for ln in pdfcheck.text(response.content).splitlines() if ln.strip()]
    assert lines[:2] == ["关于“人大代表对市住建局工作满意度问卷”", "调查情况的报告"], lines[:3]
