import re
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from appraisal.models import AuditEvent, Campaign
from appraisal.roster import roster_template
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def world_group(world) -> str:
    return world.deputy.voter_entries.get().voter_group.name


def test_office_moves_the_phase_and_imports_a_roster(world, page_for, live_server, tmp_path: Path):
    page = page_for("office", PASSWORD)
    expect(page).to_have_url(re.compile(r"/office/$"))
    expect(page.locator("h1")).to_have_text(world.campaign.title)
    expect(page.locator(".phases li.current")).to_have_text("调查研究")

    page.get_by_role("link", name=re.compile("进入下一阶段")).click()
    expect(page.locator("h1")).to_have_text("确认进入下一阶段？")
    page.get_by_role("button", name="确认进入下一阶段").click()
    expect(page.locator(".msg-success")).to_contain_text("自查自评")
    expect(page.locator(".phases li.current")).to_have_text("自查自评")
    world.campaign.refresh_from_db()
    assert world.campaign.phase == Campaign.Phase.SELF_REVIEW

    page.get_by_role("link", name="导入名册").click()
    # The template, filled in: its example rows are on a sheet the import never reads.
    workbook = load_workbook(BytesIO(roster_template()))
    workbook["人员"].append(["zhangsan", "张三", "代表委员", "", "", world_group(world), ""])
    template = tmp_path / "roster.xlsx"
    workbook.save(template)
    page.set_input_files("input[type=file]", str(template))
    page.get_by_role("button", name="检查文件").click()
    expect(page.locator("main")).to_contain_text("张三（zhangsan）")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".success h2")).to_have_text("名册已导入")
    assert AuditEvent.objects.filter(action="appraisal.roster.imported").exists()


def test_a_broken_roster_shows_its_rows_in_the_browser(world, page_for, tmp_path: Path):
    page = page_for("office", PASSWORD)
    page.goto(page.url.replace("/office/", f"/office/campaigns/{world.campaign.pk}/roster/"))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"this is not a workbook")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="检查文件").click()
    expect(page.locator(".errorbox")).to_contain_text("不是 Excel 工作簿")


def test_unit_liaison_on_a_phone_sees_only_its_unit(world, page_for, live_server):
    page = page_for("liaison_a", PASSWORD, mobile=True)
    expect(page).to_have_url(re.compile(r"/unit/$"))
    expect(page.locator("main")).to_contain_text("市住房和城乡建设局")
    expect(page.locator("main")).not_to_contain_text("市交通运输局")
    page.goto(f"{live_server.url}{world.appraisal_b.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text("页面不存在")


def test_deputy_switches_to_english(world, page_for):
    page = page_for("deputy", PASSWORD, mobile=True)
    expect(page.locator("main")).to_contain_text("目前没有需要您参与的事项")
    page.get_by_role("button", name="English").click()
    expect(page.locator("main")).to_contain_text("Nothing is open for you right now")
