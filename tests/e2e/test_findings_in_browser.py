"""Findings in the browser, as the demo users: a deputy and the public raise problems, the
work group verifies and forwards one, the unit sees only that one."""

import re

import pytest
from playwright.sync_api import expect

from demo.campaign import DEMO_PASSWORD as PASSWORD
from surveys.models import Finding

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_findings_from_deputy_and_public_to_the_unit(demo, page_for, browser, live_server):
    housing = {"appraisal__unit__name": "市住房和城乡建设局", "appraisal__campaign__year": 2026}
    forwarded_before = Finding.objects.filter(**housing, forwarded_at__isnull=False).count()
    deputy = page_for("deputy30", PASSWORD, mobile=True)
    deputy.get_by_role("link", name="提交意见建议").click()
    deputy.select_option("#id_appraisal", label="市住房和城乡建设局")
    deputy.select_option("#id_topic", label="服务效能")
    deputy.fill("#id_text", "老旧小区改造项目施工期间夜间噪音扰民，投诉后无人回复")
    deputy.get_by_role("button", name="提交").click()
    expect(deputy.locator(".msg-success")).to_contain_text("评议工作组将核实")
    expect(deputy.locator(".findings")).to_contain_text("已收到")

    public_context = browser.new_context(viewport={"width": 390, "height": 844})
    public = public_context.new_page()
    public.goto(f"{live_server.url}/opinion/")
    public.select_option("#id_appraisal", label="市住房和城乡建设局")
    public.fill("#id_text", "物业维修资金申请手续繁琐，跑了四趟还没办下来")
    public.get_by_role("button", name="提交").click()
    code = public.locator(".receipt").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{10}", code)

    leader = page_for("group1", PASSWORD)
    leader.on("dialog", lambda dialog: dialog.accept())  # the verdict and forwarding ask first
    leader.get_by_role("link", name="市住房和城乡建设局").click()
    leader.get_by_role("link", name="问题线索").first.click()
    expect(leader.locator(".findings li")).to_have_count(Finding.objects.filter(**housing).count())
    leader.get_by_role("link", name=re.compile("物业维修资金")).click()
    leader.select_option("#id_status", label="属实")
    leader.fill("#id_note", "查阅资料并回访申请人，情况属实")
    leader.get_by_role("button", name="保存").click()
    expect(leader.locator(".msg-success")).to_contain_text("已保存")
    leader.get_by_role("button", name="转交被评议单位").click()
    expect(leader.locator(".msg-success")).to_contain_text("已转交")

    public.goto(f"{live_server.url}/opinion/status/?code={code}")
    expect(public.locator(".result-box")).to_contain_text("已核实并转交被评议单位")
    public_context.close()

    unit = page_for("unit1", PASSWORD, mobile=True)
    unit.get_by_role("link", name="市住房和城乡建设局").first.click()  # this year's, then 2025
    unit.get_by_role("link", name="转交本单位的问题").click()
    expect(unit.locator(".findings li")).to_have_count(forwarded_before + 1)
    expect(unit.locator(".findings")).to_contain_text("物业维修资金")
    expect(unit.locator("main")).not_to_contain_text("夜间噪音")
    assert Finding.objects.filter(**housing, forwarded_at__isnull=False).count() == (
        forwarded_before + 1
    )
