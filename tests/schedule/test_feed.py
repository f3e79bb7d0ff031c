"""The personal iCalendar feed: valid RFC 5545 read back by the ``icalendar`` parser,
stable UIDs, Beijing time, escaping and folding, a secret address that can be reset."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from appraisal.models import AuditEvent, CalendarFeed
from appraisal.schedule import services
from tests.schedule.kit import K, agenda, schedule

pytestmark = pytest.mark.django_db


def _feed(client, user):
    feed = services.feed_reset(user=user)
    response = client.get(reverse("appraisal:calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    return response


def test_the_feed_parses_and_carries_the_meeting_with_its_details(world, client):
    ag = agenda(world)
    response = _feed(client, world.deputy)
    assert response["Content-Type"].startswith("text/calendar")
    assert "sessionid" not in response.cookies
    cal = icalendar.Calendar.from_ical(response.content)
    assert str(cal["VERSION"]) == "2.0" and "Pingyi" in str(cal["PRODID"])
    (event,) = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "集中评议会议"
    assert str(event["UID"]) == f"{ag.meeting.uid}@pingyi"
    assert event["DTSTAMP"].dt.tzinfo is not None
    start = event["DTSTART"].dt
    assert start == ag.meeting.starts_at
    assert str(start.tzinfo) == "Asia/Shanghai" and start.hour == 9
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Asia/Shanghai"
    assert f"/events/{ag.meeting.pk}/" in str(event["URL"])


def test_uids_stay_and_sequence_grows_when_an_event_changes(world, client):
    ag = agenda(world)
    before = {
        str(e["UID"])
        for e in icalendar.Calendar.from_ical(_feed(client, world.office).content).walk("VEVENT")
    }
    services.event_save(
        actor=world.office, campaign=world.campaign, event=ag.meeting, appraisal=None,
        kind=K.MEETING, title="集中评议会议（改期）", starts_at=ag.meeting.starts_at + timedelta(days=1),
    )  # fmt: skip
    cal = icalendar.Calendar.from_ical(_feed(client, world.office).content)
    assert {str(e["UID"]) for e in cal.walk("VEVENT")} == before
    moved = next(e for e in cal.walk("VEVENT") if str(e["UID"]) == f"{ag.meeting.uid}@pingyi")
    assert int(moved["SEQUENCE"]) == 1 and "改期" in str(moved["SUMMARY"])


def test_commas_semicolons_and_newlines_are_escaped_and_long_lines_folded(world, client):
    title = "座谈会，第一场; 第二场, 第三场"
    notes = "议程：一、听取汇报；二、座谈交流\n第二行, 有逗号; 有分号\\反斜杠" + "很长的说明" * 40
    schedule(world, kind=K.MEETING, title=title, notes=notes, place="三楼会议室, 东侧")
    raw = _feed(client, world.deputy).content
    assert "第一场\\; 第二场\\, 第三场".encode() in raw.replace(b"\r\n ", b"")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line
    (event,) = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert str(event["SUMMARY"]) == title
    assert str(event["LOCATION"]) == "三楼会议室, 东侧"
    assert notes in str(event["DESCRIPTION"])


def test_all_day_deadlines_are_dates(world, client):
    day = timezone.localdate() + timedelta(days=9)
    services.event_save(
        actor=world.office, campaign=world.campaign, appraisal=None, kind=K.SELF_REVIEW_DUE,
        title="自查报告截止", starts_at=timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())),
        all_day=True, audience="all",
    )  # fmt: skip
    (event,) = icalendar.Calendar.from_ical(_feed(client, world.deputy).content).walk("VEVENT")
    assert event["DTSTART"].dt == day and event["DTEND"].dt == day + timedelta(days=1)


def test_a_cancelled_event_is_marked_cancelled(world, client):
    ag = agenda(world)
    services.event_move(event=ag.meeting, actor=world.office, to="cancelled", note="延期")
    (event,) = icalendar.Calendar.from_ical(_feed(client, world.deputy).content).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"


def test_resetting_the_address_stops_the_old_one(world, client, login):
    agenda(world)
    page = login(world.deputy)
    first = page.post(reverse("appraisal:calendar_feed_reset"), follow=True).content.decode()
    assert "日历订阅地址已生成。" in first and "此前的地址" not in first  # there was none
    old = CalendarFeed.objects.get(user=world.deputy).token
    page.logout()
    assert client.get(f"/calendar/{old}.ics").status_code == 200
    page = login(world.deputy)
    html = page.get(reverse("appraisal:calendar")).content.decode()
    assert f"/calendar/{old}.ics" in html
    again = page.post(reverse("appraisal:calendar_feed_reset"), follow=True).content.decode()
    assert "此前的地址即日起失效" in again
    new = CalendarFeed.objects.get(user=world.deputy).token
    page.logout()
    assert new != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    assert AuditEvent.objects.filter(action="appraisal.calendar_feed.reset").count() == 1


def test_an_unknown_or_deactivated_address_is_a_404(world, client):
    feed = services.feed_reset(user=world.deputy)
    assert client.get("/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics").status_code == 404
    world.deputy.is_active = False
    world.deputy.save(update_fields=["is_active"])
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404


def test_a_feed_for_someone_with_no_events_is_still_valid(world, client):
    cal = icalendar.Calendar.from_ical(_feed(client, world.outsider).content)
    assert cal.walk("VEVENT") == []
