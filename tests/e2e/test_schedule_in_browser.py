"""The schedule in the browser: the office schedules the appraisal meeting; deputy1 makes a
calendar address on a phone, and a calendar program (no session) reads the meeting in it."""

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from appraisal.models import Campaign
from demo.campaign import DEMO_PASSWORD as PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_office_schedules_the_meeting_and_it_reaches_deputy1s_feed(demo, page_for, browser):
    campaign = Campaign.objects.get(year=2026)
    day = timezone.localdate() + timedelta(days=40)
    office = page_for("office", PASSWORD)
    office.goto(office.url.split("/office")[0] + f"/campaigns/{campaign.pk}/events/new/")
    office.select_option("#id_kind", value="meeting")
    office.fill("#id_title", "常委会会议：集中评议（浏览器）")
    office.fill("#id_day", day.isoformat())
    office.fill("#id_start_time", "09:30")
    office.fill("#id_place", "机关三楼会议室")
    office.get_by_role("button", name="加入日程").click()
    expect(office.locator(".msg-success")).to_be_visible()
    expect(office.locator("h1")).to_have_text("常委会会议：集中评议（浏览器）")

    deputy = page_for("deputy1", PASSWORD, mobile=True)
    expect(deputy.locator(".my-events")).to_contain_text("集中评议（浏览器）")
    deputy.locator(".my-events").get_by_role("link", name="日程").click()
    deputy.get_by_role("button", name="生成我的日历地址").click()
    url = deputy.locator("#subscribe code").inner_text().strip()
    assert url.endswith(".ics")

    calendar_program = browser.new_context()  # no cookies: the address is the only key
    response = calendar_program.request.get(url)
    assert response.ok
    cal = icalendar.Calendar.from_ical(response.body())
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    meeting = events["常委会会议：集中评议（浏览器）"]
    assert meeting["DTSTART"].dt.date() == day and meeting["DTSTART"].dt.hour == 9
    assert not any("暗访" in s for s in events)
    calendar_program.close()
