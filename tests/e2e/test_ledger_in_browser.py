"""The rectification ledger in the browser, as the demo users: unit1 builds items from its
opinion and submits the plans, group1 approves them, unit1 posts progress with a photo
and a PDF and marks both done, group1 closes one and returns the other with a reason."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from appraisal.models import Appraisal, Campaign
from rectification.models import Evidence, RectificationItem
from tests.rectification.ledgerkit import PDF, PNG

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pingyi-demo"


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_opinions", stdout=StringIO())
    settings.DEBUG = False
    Campaign.objects.filter(year=2026).update(phase=Campaign.Phase.RECTIFICATION)
    return Appraisal.objects.get(campaign__year=2026, unit__name="市住房和城乡建设局")


def add_item(page, url, problem, category="限期整改"):
    page.goto(url)
    page.get_by_role("link", name="新增整改事项").first.click()
    page.locator("#id_opinion_item").select_option(index=1)
    page.fill("#id_problem", problem)
    page.locator("#id_category").select_option(label=category)
    page.fill("#id_measures", "建立物业投诉限时办结和回访制度。")
    page.fill("#id_standard", "投诉按时办结率达到100%。")
    page.fill("#id_responsible_leader", "王副局长")
    page.fill("#id_responsible_department", "物业管理科")
    page.fill("#id_deadline", "2027-03-31")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".msg-success")).to_contain_text("方案草稿")
    page.get_by_role("button", name="报送整改方案").click()
    expect(page.locator(".pagehead")).to_contain_text("方案待审核")
    return page.url


def test_ledger_from_plan_to_closing(demo, page_for, live_server, tmp_path):
    ledger_url = f"{live_server.url}/appraisals/{demo.pk}/ledger/"
    unit = page_for("unit1", PASSWORD, mobile=True)
    first = add_item(unit, ledger_url, "物业投诉办理超期")
    second = add_item(unit, ledger_url, "雨污分流工程停工")

    group = page_for("group1", PASSWORD)
    for url in (first, second):
        group.goto(url)
        group.get_by_role("button", name="同意整改方案").click()
        expect(group.locator(".pagehead")).to_contain_text("方案已同意")

    photo, pdf = tmp_path / "现场照片.png", tmp_path / "限时办结制度.pdf"
    photo.write_bytes(PNG)
    pdf.write_bytes(PDF)
    for url in (first, second):
        unit.goto(url)
        unit.fill("#id_percent", "100")
        unit.fill("#id_text", "制度已印发，超期投诉全部办结。")
        unit.locator("#id_evidence_files").set_input_files([str(photo), str(pdf)])
        unit.get_by_role("button", name="报送进展").click()
        expect(unit.locator(".msg-success")).to_contain_text("整改进展已报送")
        expect(unit.locator(".history").first).to_contain_text("限时办结制度.pdf")
        unit.get_by_role("button", name="标记为已完成").click()
        expect(unit.locator(".pagehead")).to_contain_text("已完成待核查")

    group.goto(first)
    with group.expect_download() as download:
        group.get_by_role("link", name="现场照片.png").click()
    assert download.value.suggested_filename == "现场照片.png"
    group.get_by_role("button", name="销号").click()
    expect(group.locator(".pagehead")).to_contain_text("已销号")
    group.goto(second)
    group.locator("form:has(input[value=return]) textarea").fill("照片看不出雨污分流效果。")
    group.get_by_role("button", name="退回继续整改").click()
    expect(group.locator(".pagehead")).to_contain_text("退回")

    unit.goto(second)
    expect(unit.locator(".warning")).to_contain_text("照片看不出雨污分流效果。")
    unit.screenshot(path="/tmp/ledger_item_390.png", full_page=True)
    unit.goto(ledger_url)
    expect(unit.locator(".rollup").first).to_contain_text("2 项整改事项，1 项已销号或已说明")
    unit.screenshot(path="/tmp/ledger_390.png", full_page=True)
    group.set_viewport_size({"width": 1366, "height": 900})
    group.goto(f"{live_server.url}/campaigns/{demo.campaign_id}/ledger/")
    expect(group.locator("table.ledger")).to_contain_text("雨污分流工程停工")
    group.screenshot(path="/tmp/ledger_1366.png", full_page=True)
    statuses = dict(RectificationItem.objects.values_list("problem", "status"))
    assert statuses == {"物业投诉办理超期": "closed", "雨污分流工程停工": "returned"}
    assert Evidence.objects.count() == 4
