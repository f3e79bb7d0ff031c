"""The campaign in public, in a browser: the office writes and publishes a notice with its
QR poster; a visitor's phone (390 × 844) finds it on the portal beside the open public
questionnaire and last year's result; the office withdraws it and it is gone, its
withdrawal in the audit log."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from appraisal.announcements.models import Announcement
from demo.campaign import DEMO_PASSWORD as PASSWORD
from tests.documents import pdfcheck

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "关于召开工作评议集中评议会议的公告"


def test_a_notice_from_draft_to_the_portal_and_back(demo, page_for, browser, live_server):
    office = page_for("office", PASSWORD)
    office.get_by_role("link", name="公告").first.click()
    office.get_by_role("link", name="新建公告").click()
    office.select_option("#id_kind", label="会议通知")
    office.fill("#id_title", TITLE)
    office.fill("#id_body", "定于12月10日召开集中评议会议，欢迎列席旁听。")
    office.fill("#id_link", "/opinion/")
    office.fill("#id_link_label", "会前反映意见")
    office.get_by_role("button", name="保存草稿").click()
    expect(office.locator(".msg-success")).to_contain_text("草稿已保存")

    with office.expect_download() as download:
        office.get_by_role("link", name="海报（PDF）").click()
    pdf = Path(download.value.path()).read_bytes()
    assert TITLE in pdfcheck.flat(pdf)
    assert pdfcheck.qr_payloads(pdf) == [f"{live_server.url}/opinion/"]

    public = browser.new_context(viewport={"width": 390, "height": 844})
    phone = public.new_page()
    phone.goto(live_server.url + "/")
    expect(phone.locator("h1")).to_contain_text("2026年度工作评议")
    expect(phone.get_by_text(TITLE)).to_have_count(0)  # a draft is the office's

    office.get_by_role("link", name="立即发布").click()
    office.get_by_role("button", name="确认：立即发布").click()
    expect(office.locator(".state-published").first).to_be_visible()

    phone.reload()
    expect(phone.get_by_role("link", name=TITLE)).to_be_visible()
    expect(phone.get_by_role("link", name="市医疗保障局服务满意度问卷", exact=True)).to_be_visible()
    phone.get_by_role("link", name="江川市人大常委会2025年度工作评议", exact=True).click()
    phone.get_by_role("link", name="集中评议会满意度测评").click()
    expect(phone.locator("table")).to_contain_text("市自然资源和规划局")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone
    phone.goto(live_server.url + "/")
    phone.get_by_role("link", name=TITLE).click()
    expect(phone.get_by_role("link", name="会前反映意见")).to_be_visible()
    notice_url = phone.url

    office.get_by_role("link", name="撤回").click()
    office.fill("#id_reason", "会议时间调整，另行通知")
    office.get_by_role("button", name="确认：撤回").click()
    expect(office.locator(".history")).to_contain_text("公告已撤回")

    # Its old address (a link passed on, a poster's QR code) says it was withdrawn.
    response = phone.goto(notice_url)
    assert response is not None and response.status == 410
    expect(phone.locator("main")).to_contain_text("该公告已于")
    expect(phone.locator("main")).not_to_contain_text("会议时间调整")
    phone.goto(live_server.url + "/")
    expect(phone.get_by_text(TITLE)).to_have_count(0)
    public.close()

    office.goto(live_server.url + "/admin/appraisal/auditevent/?q=withdrawn")
    expect(office.locator("#result_list")).to_contain_text(TITLE)
    assert Announcement.objects.get(title=TITLE).withdrawal_reason == "会议时间调整，另行通知"
