"""The demo's plan and schedule: written through the services, past activities recorded
from their events, an unannounced visit that only group1 and the office see, the meeting
ahead in deputy1's feed."""

from __future__ import annotations

from io import StringIO

import icalendar
import pytest
from django.core.management import call_command
from django.utils import timezone

from appraisal.models import (
    AuditEvent,
    Campaign,
    ImplementationPlan,
    PhasePlan,
    ScheduledEvent,
    User,
)
from appraisal.schedule import selectors, services
from surveys.models import InvestigationActivity

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    return Campaign.objects.get(year=2026)


def test_the_demo_has_a_plan_phase_dates_and_a_schedule(demo):
    assert ImplementationPlan.objects.get(campaign=demo).text.startswith("为贯彻落实")
    assert PhasePlan.objects.filter(campaign=demo).count() == 7
    events = ScheduledEvent.objects.filter(campaign=demo)
    now = timezone.now()
    assert events.filter(starts_at__lt=now).exists() and events.filter(starts_at__gt=now).exists()
    meeting = events.get(kind="meeting")
    assert meeting.starts_at > now and meeting.audience == "all"
    kinds = set(events.values_list("kind", flat=True))
    assert {"self_review_due", "opinion_reply_due", "rectification_report_due"} <= kinds
    assert events.filter(status="cancelled").exists()
    # Every recorded activity came from a scheduled event, now held.
    activities = InvestigationActivity.objects.filter(appraisal__campaign=demo)
    assert activities.exists() and not activities.filter(event__isnull=True).exists()
    assert all(a.event.status == "held" for a in activities.select_related("event"))
    assert activities.filter(kind="symposium").count() >= 2
    created = AuditEvent.objects.filter(action="appraisal.event.scheduled").count()
    assert created == events.count()


def test_the_demo_flags_what_is_late(demo):
    rows = {r.phase: r for r in selectors.phase_rows(demo)}
    assert rows["preparation"].late and not rows["meeting"].late


def test_group1s_unannounced_visit_stays_with_group1_and_the_office(demo):
    visit = ScheduledEvent.objects.get(
        campaign=demo, kind="unannounced_visit", starts_at__gt=timezone.now()
    )
    assert visit.appraisal.work_group.name == "第一评议工作组"
    seeing = {
        name
        for name in (
            "office",
            "group1",
            "group1staff",
            "deputy22",
            "group2",
            "unit1",
            "deputy1",
            "deputy30",
        )
        if ScheduledEvent.objects.visible_to(User.objects.get(username=name))
        .filter(pk=visit.pk)
        .exists()
    }
    assert seeing == {"office", "group1", "group1staff", "deputy22"}


def test_deputy1s_feed_has_the_meeting_and_no_unannounced_visit(demo, client):
    deputy1 = User.objects.get(username="deputy1")
    feed = services.feed_reset(user=deputy1)
    cal = icalendar.Calendar.from_ical(client.get(f"/calendar/{feed.token}.ics").content)
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert any("集中评议" in s for s in summaries)
    secret = ScheduledEvent.objects.filter(kind="unannounced_visit").values_list("title", flat=True)
    assert not any(t in s for t in secret for s in summaries)
    assert "明察暗访" not in " ".join(summaries)
