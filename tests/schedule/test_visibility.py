"""Who sees which event, on every page and in the feed (DESIGN.md §5): office, the work
group of the appraisal, another group, the unit, another unit, a deputy, anonymous."""

from __future__ import annotations

import icalendar
import pytest
from django.urls import reverse

from appraisal.models import ScheduledEvent
from appraisal.schedule import services
from tests.schedule.kit import agenda

pytestmark = pytest.mark.django_db

# Which events each person sees (names of Agenda's fields).
EXPECTED = {
    "office": {
        "visit_a", "symposium_a", "symposium_b", "group_only_a", "meeting",
        "self_review_due", "office_internal",
    },
    "leader": {"visit_a", "symposium_a", "group_only_a", "meeting", "self_review_due", "office_internal"},
    "other_leader": {"symposium_b", "meeting", "self_review_due", "office_internal"},
    "liaison_a": {"symposium_a", "meeting", "self_review_due"},
    "liaison_b": {"symposium_b", "meeting", "self_review_due"},
    "deputy": {"meeting"},
    "outsider": set(),
}  # fmt: skip
NAMES = EXPECTED["office"]


def _person(world, ag, who):
    return ag.other_leader if who == "other_leader" else getattr(world, who)


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_visible_to_follows_the_matrix(world, who):
    ag = agenda(world)
    seen = set(ScheduledEvent.objects.visible_to(_person(world, ag, who)))
    assert {n for n in NAMES if getattr(ag, n) in seen} == EXPECTED[who]


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_event_pages_follow_the_matrix(world, login, who):
    ag = agenda(world)
    client = login(_person(world, ag, who))
    for name in NAMES:
        event = getattr(ag, name)
        status = client.get(reverse("appraisal:event", args=[event.pk])).status_code
        assert status == (200 if name in EXPECTED[who] else 404), (who, name)


@pytest.mark.parametrize("who", sorted(EXPECTED))
@pytest.mark.parametrize("view", ["month", "list"])
def test_calendar_pages_list_only_what_the_person_sees(world, login, who, view):
    ag = agenda(world)
    client = login(_person(world, ag, who))
    html = client.get(reverse("appraisal:calendar"), {"view": view}).content.decode()
    if view == "month":  # the events may spill into next month
        nxt = client.get(
            reverse("appraisal:calendar"),
            {"view": "month", "month": f"{ag.meeting.local_start:%Y-%m}"},
        ).content.decode()
        html += (
            nxt
            + client.get(
                reverse("appraisal:calendar"),
                {"view": "month", "month": f"{ag.visit_a.local_start:%Y-%m}"},
            ).content.decode()
        )
    for name in NAMES:
        title = getattr(ag, name).title
        assert (title in html) == (name in EXPECTED[who]), (who, view, name)


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_the_feed_carries_only_what_the_person_sees(world, client, who):
    ag = agenda(world)
    person = _person(world, ag, who)
    feed = services.feed_reset(user=person)
    response = client.get(reverse("appraisal:calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    cal = icalendar.Calendar.from_ical(response.content)
    summaries = " ".join(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    for name in NAMES:
        assert (getattr(ag, name).title in summaries) == (name in EXPECTED[who]), (who, name)


def test_an_unannounced_visit_never_reaches_a_unit_or_a_deputy_even_when_held(world, login):
    ag = agenda(world)
    assert ag.visit_a.audience == ScheduledEvent.Audience.GROUP  # "all" was asked, refused
    services.event_move(event=ag.visit_a, actor=world.leader, to="held")
    for person in (world.liaison_a, world.deputy, ag.other_leader, world.liaison_b):
        assert not ScheduledEvent.objects.visible_to(person).filter(pk=ag.visit_a.pk).exists()
        client = login(person)
        assert ag.visit_a.title not in client.get("/calendar/?view=list&past=1").content.decode()
        assert ag.visit_a.title not in client.get("/calendar/?view=list").content.decode()
        feed = services.feed_reset(user=person)
        assert ag.visit_a.title.encode() not in client.get(f"/calendar/{feed.token}.ics").content


def test_the_deputy_home_shows_my_schedule_without_secrets(world, login):
    ag = agenda(world)
    html = login(world.deputy).get(reverse("appraisal:deputy_home")).content.decode()
    assert ag.meeting.title in html
    assert ag.visit_a.title not in html and ag.symposium_a.title not in html


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    ag = agenda(world)
    for url in (
        reverse("appraisal:calendar"),
        reverse("appraisal:event", args=[ag.meeting.pk]),
        reverse("appraisal:event_new", args=[world.campaign.pk]),
        reverse("appraisal:appraisal_schedule", args=[world.appraisal_a.pk]),
        reverse("appraisal:campaign_plan", args=[world.campaign.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_who_may_schedule_and_change(world, login):
    ag = agenda(world)
    new = reverse("appraisal:event_new", args=[world.campaign.pk])
    assert login(world.office).get(new).status_code == 200
    assert login(world.leader).get(new).status_code == 200
    for person in (world.liaison_a, world.deputy):
        assert login(person).get(new).status_code == 403
    assert login(world.outsider).get(new).status_code == 404
    edit = reverse("appraisal:event_edit", args=[ag.symposium_a.pk])
    assert login(world.leader).get(edit).status_code == 200
    assert login(world.liaison_a).get(edit).status_code == 403  # sees it, may not change it
    assert login(ag.other_leader).get(edit).status_code == 404
    meeting = reverse("appraisal:event_edit", args=[ag.meeting.pk])
    assert login(world.leader).get(meeting).status_code == 403  # the office's meeting


def test_a_work_group_cannot_schedule_the_meeting_or_for_another_unit(world, login):
    client = login(world.leader)
    url = reverse("appraisal:event_new", args=[world.campaign.pk])
    day = "2026-06-01"
    response = client.post(
        url, {"appraisal": world.appraisal_b.pk, "kind": "symposium", "day": day}
    )
    assert response.status_code == 200 and not ScheduledEvent.objects.exists()
    response = client.post(url, {"appraisal": world.appraisal_a.pk, "kind": "meeting", "day": day})
    assert response.status_code == 200 and not ScheduledEvent.objects.exists()
    response = client.post(
        url, {"appraisal": world.appraisal_a.pk, "kind": "symposium", "day": day}
    )
    assert response.status_code == 302
    assert ScheduledEvent.objects.get().created_by == world.leader


def test_the_plan_page_is_the_offices_and_the_plan_reads_for_participants(world, login):
    url = reverse("appraisal:campaign_plan", args=[world.campaign.pk])
    assert login(world.office).get(url).status_code == 200
    for person in (world.leader, world.liaison_a, world.deputy, world.outsider):
        assert login(person).get(url).status_code == 403
    services.plan_save(
        campaign=world.campaign, actor=world.office, title="实施方案", text="一、总体要求"
    )
    pdf = reverse("appraisal:campaign_plan_pdf", args=[world.campaign.pk])
    assert login(world.outsider).get(pdf).status_code == 404


def test_the_appraisal_schedule_page(world, login):
    ag = agenda(world)
    url = reverse("appraisal:appraisal_schedule", args=[world.appraisal_a.pk])
    html = login(world.leader).get(url).content.decode()
    assert ag.visit_a.title in html and ag.symposium_b.title not in html
    html = login(world.liaison_a).get(url).content.decode()
    assert ag.symposium_a.title in html and ag.visit_a.title not in html
    assert login(world.liaison_b).get(url).status_code == 404
    assert login(world.deputy).get(url).status_code == 404


def test_an_event_page_links_its_appraisal_only_for_those_who_may_open_it(world, login):
    """A deputy sees an all-audience symposium of unit A but may not open A's schedule:
    the crumb names no link that would lead to a 404."""
    ag = agenda(world)
    ScheduledEvent.objects.filter(pk=ag.symposium_a.pk).update(audience="all")
    url = reverse("appraisal:event", args=[ag.symposium_a.pk])
    schedule = reverse("appraisal:appraisal_schedule", args=[world.appraisal_a.pk])
    assert schedule not in login(world.deputy).get(url).content.decode()
    assert schedule in login(world.leader).get(url).content.decode()
    assert schedule in login(world.liaison_a).get(url).content.decode()
