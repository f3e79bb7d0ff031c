"""What people stumbled on (issue 7 §4), walked in Chromium as the office, the work group
and the unit, at phone (390 px) and desktop (1366 px) width. Screenshots of every step go
to ``$PINGYI_SCREENSHOTS`` (or the test's temporary directory) to be looked at."""

import os
import re
import subprocess
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook
from playwright.sync_api import expect

from appraisal.models import AuditEvent, User
from surveys.models import Finding, InvestigationActivity, Question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pingyi-demo"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    settings.DEBUG = False


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("PINGYI_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)

    def shot(page, name):
        width = page.viewport_size["width"]
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)

    return shot


def sign_in(browser, live_server, username, size, password=PASSWORD):
    context = browser.new_context(viewport=size, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    return page


def roster_file() -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {
        "单位": [["单位名称", "简称", "类别", "评议工作组"]],
        "投票分组": [["分组名称", "权重"]],
        "人员": [
            ["用户名", "姓名", "角色", "所属单位", "评议工作组", "投票分组", "手机号"],
            ["zhouqi", "周琦", "代表委员", "", "", "人大代表", "13912345678"],
        ],
    }
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1366"])
def test_work_group_records_verifies_forwards_and_builds_a_questionnaire(
    demo, browser, live_server, shots, size
):
    page = sign_in(browser, live_server, "group1", size)
    expect(page.locator(".home-cards")).to_contain_text("待办事项")
    shots(page, "wg-home")
    page.locator(".home-cards .actions a", has_text="记录调研活动").first.click()
    page.select_option("#id_kind", label="座谈会")
    page.fill("#id_held_on", "2026-04-02")
    page.fill("#id_summary", "与窗口工作人员座谈")
    page.get_by_role("button", name="记录").click()
    expect(page.locator(".msg-success")).to_be_visible()
    # The recorder corrects the activity.
    page.get_by_role("link", name="更正").first.click()
    page.fill("#id_summary", "与窗口工作人员、办事群众代表座谈")
    page.get_by_role("button", name="保存更正").click()
    expect(page.locator(".msg-success")).to_contain_text("已更正")
    expect(page.locator("main")).to_contain_text("办事群众代表座谈")
    shots(page, "wg-activities")

    # The record form is on the page, not behind a toggle (the demo has findings already).
    page.get_by_role("link", name="问题线索").first.click()
    expect(page.locator("#id_text")).to_be_visible()
    page.fill("#id_text", "物业维修资金申请手续繁琐，跑了四趟还没办下来")
    page.get_by_role("button", name="记录").click()
    page.get_by_role("link", name=re.compile("物业维修资金")).click()
    expect(page.locator("h1")).to_contain_text("物业维修资金")
    shots(page, "wg-finding")

    # A final verdict asks first; refusing keeps the finding as it was.
    page.select_option("#id_status", label="属实")
    page.fill("#id_note", "查阅资料并回访申请人，情况属实")
    messages = []
    page.once("dialog", lambda d: (messages.append(d.message), d.dismiss()))
    page.get_by_role("button", name="保存").click()
    assert messages and "最终结论" in messages[0]
    assert Finding.objects.get(text__startswith="物业维修资金").status == "received"
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".msg-success")).to_be_visible()
    expect(page.locator("#id_status")).to_have_count(0)  # no more moves offered
    # Forwarding asks too.
    page.once("dialog", lambda d: (messages.append(d.message), d.accept()))
    page.get_by_role("button", name="转交被评议单位").click()
    expect(page.locator(".msg-success")).to_contain_text("已转交")
    assert "不能撤回" in messages[-1]
    shots(page, "wg-finding-forwarded")

    # A questionnaire: "at most" is checked against the options, questions can be edited.
    page.goto(f"{live_server.url}/groups/")
    page.locator(".home-cards .actions a", has_text="问卷调查").first.click()
    page.fill("#id_title", "办事群众满意度调查")
    page.select_option("#id_audience", label="社会公众")
    page.select_option("#id_access", index=2)
    page.get_by_role("button", name="创建").click()
    page.select_option("#id_kind", label="多选题")
    page.fill("#id_text", "您遇到的主要问题")
    page.fill("#id_options", "排队时间长\n材料要求多\n服务态度差\n办事流程不清")
    page.fill("#id_max_choices", "9")
    page.get_by_role("button", name="添加").click()
    expect(page.locator(".field-error")).to_contain_text("最多可选")
    page.fill("#id_max_choices", "2")
    page.get_by_role("button", name="添加").click()
    expect(page.locator("ol.questions li")).to_have_count(1)
    page.locator("ol.questions").get_by_role("link", name="修改").click()
    page.fill("#id_text", "您办事时遇到的主要问题")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("ol.questions")).to_contain_text("您办事时遇到的主要问题")
    page.once("dialog", lambda d: (messages.append(d.message), d.dismiss()))
    page.locator("ol.questions").get_by_role("button", name="删除").click()
    assert "删除" in messages[-1]
    assert Question.objects.filter(survey__title="办事群众满意度调查").count() == 1
    expect(page.locator(".pagehead")).to_contain_text("问卷结果")
    expect(page.locator(".pagehead")).to_contain_text("社会公众")
    shots(page, "wg-survey")
    page.get_by_role("button", name="发布问卷").click()
    page.get_by_role("link", name=re.compile("发放")).click()
    link = page.locator(".link-text").inner_text().strip()

    # The answer form stops at the maximum.
    public = browser.new_context(viewport=size, locale="zh-CN").new_page()
    public.goto(link)
    boxes = public.locator("input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    expect(boxes.nth(2)).to_be_disabled()
    expect(public.locator("[data-max-note]")).to_be_visible()
    boxes.nth(0).uncheck()
    expect(boxes.nth(2)).to_be_enabled()
    shots(public, "public-answer")
    public.context.close()

    page.goto(f"{live_server.url}/groups/")
    expect(page.locator(".tiles")).to_contain_text("进行中的问卷")
    assert InvestigationActivity.objects.filter(summary__contains="办事群众代表").exists()
    page.context.close()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1366"])
def test_unit_sees_what_was_forwarded_and_what_is_due(demo, browser, live_server, shots, size):
    from appraisal.models import Appraisal
    from surveys.findings import services

    leader = User.objects.get(username="group1")
    appraisal = Appraisal.objects.get(campaign__year=2026, unit__name="市住房和城乡建设局")
    f = services.finding_record(
        appraisal=appraisal, actor=leader, text="住房公积金提取审核时间过长", topic="service"
    )
    services.finding_review(
        finding=f, actor=leader, status="verified", note="属实", topic="service", prominent=False
    )
    services.finding_forward(finding=f, actor=leader)
    page = sign_in(browser, live_server, "unit1", size)
    cards = page.locator(".home-cards")
    expect(cards).to_contain_text("住房公积金提取审核时间过长")
    n = Finding.objects.filter(appraisal=appraisal, forwarded_at__isnull=False).count()
    expect(cards).to_contain_text(f"请逐一研究处理评议工作组转交的 {n} 个问题")
    shots(page, "unit-home")
    page.context.close()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1366"])
def test_office_imports_with_a_preview_and_prints_a_sign_in_letter(
    demo, browser, live_server, shots, size, tmp_path
):
    imports = AuditEvent.objects.filter(action="appraisal.roster.imported")
    before = imports.count()
    page = sign_in(browser, live_server, "office", size)
    page.get_by_role("link", name="导入名册").click()
    page.set_input_files(
        "input[type=file]",
        {"name": "roster.xlsx", "mimeType": "application/octet-stream", "buffer": roster_file()},
    )
    page.get_by_role("button", name="检查文件").click()
    expect(page.locator("main")).to_contain_text("周琦（zhouqi）")
    assert not User.objects.filter(username="zhouqi").exists()  # nothing written yet
    shots(page, "office-roster-preview")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".success")).to_contain_text("周琦（zhouqi）")
    shots(page, "office-roster-done")

    page.locator(".success").get_by_role("link", name="打印登录通知书").click()
    expect(page.locator(f"input[value='{User.objects.get(username='zhouqi').pk}']")).to_be_checked()
    shots(page, "office-letters")
    with page.expect_download() as download:
        page.get_by_role("button", name="打印通知书（PDF）").first.click()
    pdf = tmp_path / "letters.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "周琦" in text
    link = re.search(r"http://[^/]+/signin/[0-9a-z.]+/", re.sub(r"\s+", "", text)).group(0)

    # The person opens the letter's link, chooses a password, signs in; the link is spent.
    person = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    person.goto(link)
    person.fill("#id_new_password1", "Qiuyue-2026-hao")
    person.fill("#id_new_password2", "Qiuyue-2026-hao")
    shots(person, "person-choose-password")
    person.get_by_role("button", name="设置密码").click()
    person.fill("#id_username", "zhouqi")
    person.fill("#id_password", "Qiuyue-2026-hao")
    person.click("button[type=submit].primary")
    expect(person.locator(".topbar")).to_contain_text("周琦")
    again = person.goto(link)
    assert again.status == 410
    person.context.close()

    # The audit log reads in words.
    page.goto(f"{live_server.url}/admin/appraisal/auditevent/")
    expect(page.locator("#result_list")).to_contain_text("凭登录通知书设置密码")
    expect(page.locator("#result_list")).to_contain_text("打印登录通知书")
    expect(page.locator("#result_list")).not_to_contain_text("appraisal.signin")
    shots(page, "office-audit-log")
    assert imports.count() == before + 1
    page.context.close()
