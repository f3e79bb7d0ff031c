"""Hostile input on the schedule's forms and links: a form error or a 4xx, never a 500 and
never a half-written row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from appraisal.models import ScheduledEvent
from tests.schedule.kit import agenda

pytestmark = pytest.mark.django_db

GOOD = {"appraisal": "", "kind": "meeting", "day": "2026-06-01", "start_time": "09:00"}


@pytest.mark.parametrize(
    "change",
    [
        {"title": "a\x00b"},
        {"day": str(2**63)},
        {"appraisal": str(2**63)},
        {"appraisal": "²"},
        {"kind": "nonsense"},
        {"day": "2026-06-01", "end_day": "2026-05-30"},
        {"start_time": "10:00", "end_time": "09:00"},
        {"day": "9999-12-31"},
        {"day": "0001-01-01"},
        {"day": "2126-01-01"},
        {"title": "x" * 101},
        {"notes": "x" * 100_000},
        {"end_time": "10:00", "start_time": ""},
        {"kind": "unannounced_visit", "appraisal": ""},
        {"audience": "everyone!"},
    ],
)
def test_bad_event_input_is_a_form_error(world, login, change):
    client = login(world.office)
    response = client.post(
        reverse("appraisal:event_new", args=[world.campaign.pk]), {**GOOD, **change}
    )
    assert response.status_code in (200, 400), change
    assert not ScheduledEvent.objects.exists(), change


def test_good_event_input_is_saved_in_beijing_time(world, login):
    client = login(world.office)
    response = client.post(reverse("appraisal:event_new", args=[world.campaign.pk]), GOOD)
    assert response.status_code == 302
    event = ScheduledEvent.objects.get()
    assert event.starts_at.isoformat().startswith("2026-06-01T01:00:00")  # UTC, stored aware
    assert event.local_start.hour == 9


@pytest.mark.parametrize(
    "month", ["9999-99", str(2**63), "2026-13", "a\x01b", "²²²²-²²", "1800-01", "x" * 5000]
)
def test_odd_months_fall_back_to_this_month(world, login, month):
    agenda(world)
    response = login(world.deputy).get(
        reverse("appraisal:calendar"), {"view": "month", "month": month}
    )
    assert response.status_code == 200


def test_far_away_months_render(world, login):
    client = login(world.office)
    for month in ("1900-01", "2200-12"):
        assert client.get(reverse("appraisal:calendar"), {"month": month}).status_code == 200


def test_hostile_tokens_and_ids_are_404(world, client, login):
    for path in (
        f"/calendar/{2**63}.ics",
        "/calendar/short.ics",
        "/calendar/AB%2FCD-xxxxxxxx.ics",
        f"/events/{2**63}/",
    ):
        assert login(world.office).get(path).status_code == 404, path
