"""The calendar pages and the feed run the same number of queries with ten times the events."""

from __future__ import annotations

import pytest
from django.urls import reverse

from appraisal.schedule import services
from tests.schedule.kit import K, schedule
from tests.test_query_counts import assert_flat

pytestmark = pytest.mark.django_db


def _grow(world):
    def grow(n: int) -> None:
        for i in range(n):
            schedule(
                world, kind=K.SYMPOSIUM, appraisal=world.appraisal_a, days=1 + i % 5, audience="all"
            )
            schedule(world, kind=K.MEETING, days=2 + i % 5)
            schedule(world, kind=K.UNANNOUNCED_VISIT, appraisal=world.appraisal_a, days=3)

    return grow


CASES = [
    (who, url)
    for who in ("office", "leader", "liaison_a", "deputy")
    for url in ("/calendar/", "/calendar/?view=list")
] + [("deputy", "/deputy/")]


@pytest.mark.parametrize(("who", "url"), CASES)
def test_calendar_pages_take_a_fixed_number_of_queries(world, login, who, url):
    client = login(getattr(world, who))
    assert_flat(client, lambda: url, _grow(world))


def test_the_appraisal_schedule_and_the_feed_take_a_fixed_number_of_queries(world, login, client):
    leader = login(world.leader)
    url = reverse("appraisal:appraisal_schedule", args=[world.appraisal_a.pk])
    assert_flat(leader, lambda: url, _grow(world))
    feed = services.feed_reset(user=world.deputy)
    leader.logout()
    assert_flat(client, lambda: f"/calendar/{feed.token}.ics", _grow(world))
