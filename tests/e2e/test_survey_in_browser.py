"""A questionnaire in the browser: the work group builds and opens it, the public answers
by link and by one-time code on phones, the work group reads the results and exports."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from demo.campaign import DEMO_PASSWORD as PASSWORD
from surveys.models import Response, SealedResponse, Survey, SurveyCode

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def build(page, title, access_label):
    page.get_by_role("link", name="市住房和城乡建设局").first.click()
    page.get_by_role("link", name="问卷调查").click()
    page.fill("#id_title", title)
    page.select_option("#id_audience", label="服务对象")
    page.select_option("#id_access", label=access_label)
    page.get_by_role("button", name="创建").click()
    expect(page.locator(".msg-success")).to_contain_text("问卷已创建")
    page.select_option("#id_kind", label="满意度题")
    page.fill("#id_text", "您对窗口服务的总体评价")
    page.get_by_role("button", name="添加").click()
    page.select_option("#id_kind", label="填空题")
    page.fill("#id_text", "您的意见建议")
    page.uncheck("#id_required")
    page.get_by_role("button", name="添加").click()
    expect(page.locator("ol.questions li")).to_have_count(2)
    page.get_by_role("button", name="发布问卷").click()
    expect(page.locator(".state-open")).to_have_text("进行中")


def answer(phone, satisfaction, text=""):
    phone.get_by_text(satisfaction, exact=True).click()
    if text:
        phone.fill("textarea", text)
    phone.get_by_role("button", name="提交").click()
    expect(phone.locator("h1")).to_contain_text("感谢您的参与")


def test_a_survey_from_building_to_export(demo, page_for, browser, live_server, tmp_path):
    leader = page_for("group1", PASSWORD)
    build(leader, "住建窗口服务对象满意度调查", "公开链接（较弱：仅按浏览器和网络地址限制重复）")
    link_survey = Survey.objects.get(title="住建窗口服务对象满意度调查")

    leader.get_by_role("link", name="发放：链接、二维码、答卷码").click()
    expect(leader.locator(".qr svg")).to_be_visible()
    link = leader.locator(".link-text").inner_text()

    public = browser.new_context(viewport={"width": 390, "height": 844})
    phone = public.new_page()
    phone.goto(link)
    phone.get_by_role("button", name="提交").click()  # nothing chosen
    expect(phone.locator(".field-error").first).to_contain_text("请回答此题")
    answer(phone, "基本满意", "希望周末也能办理")
    phone.goto(link)  # the same phone again
    expect(phone.locator(".big-message")).to_contain_text("已在本设备上填写过")
    public.close()

    leader.goto(f"{live_server.url}/groups/")
    build(leader, "住建代表答卷码调查", "一次性答卷码（二维码票条）")
    code_survey = Survey.objects.get(title="住建代表答卷码调查")
    leader.get_by_role("link", name="发放：链接、二维码、答卷码").click()
    leader.fill("#id_count", "2")
    leader.get_by_role("button", name="生成答卷码").click()
    code = SurveyCode.objects.filter(survey=code_survey).first().code
    slip_context = browser.new_context(viewport={"width": 390, "height": 844})
    slip_phone = slip_context.new_page()
    slip_phone.goto(f"{live_server.url}/s/{code_survey.token}/?code={code}")
    answer(slip_phone, "满意")
    slip_phone.goto(f"{live_server.url}/s/{code_survey.token}/?code={code}")
    slip_phone.get_by_text("不满意", exact=True).click()
    slip_phone.get_by_role("button", name="提交").click()  # the same slip again
    expect(slip_phone.locator(".big-message")).to_contain_text("已经使用过")
    assert SealedResponse.objects.filter(survey=code_survey).count() == 1  # until it closes
    assert not Response.objects.filter(survey=code_survey).exists()
    slip_context.close()

    leader.goto(f"{live_server.url}/surveys/{link_survey.pk}/results/")
    expect(leader.locator("main")).to_contain_text("希望周末也能办理")
    expect(leader.locator("main")).to_contain_text("满意度 100.00%")

    office = page_for("office", PASSWORD)
    office.goto(f"{live_server.url}/surveys/{link_survey.pk}/results/")
    with office.expect_download() as xlsx:
        office.get_by_role("link", name="导出 Excel").click()
    path = tmp_path / "responses.xlsx"
    xlsx.value.save_as(path)
    rows = list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "#")  # below the title rows
    assert rows[header + 1][2:] == ("基本满意", "希望周末也能办理")
    with office.expect_download() as pdf:
        office.get_by_role("link", name="导出 PDF").click()
    pdf_path = tmp_path / "summary.pdf"
    pdf.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
