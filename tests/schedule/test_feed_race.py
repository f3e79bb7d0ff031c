"""Creating a calendar address twice at once (a double click): one address, no error.
On PostgreSQL; SQLite serialises every write."""

import pytest
from django.db import connection

from appraisal.models import AuditEvent, CalendarFeed
from appraisal.schedule import services
from tests.appraisal.test_ballot_concurrency import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL"
    ),
]


def test_four_clicks_at_once_make_one_address(world):
    outcomes = race([lambda: services.feed_reset(user=world.deputy)] * 4)
    assert all(isinstance(o, CalendarFeed) for o in outcomes), outcomes
    assert CalendarFeed.objects.filter(user=world.deputy).count() == 1
    assert AuditEvent.objects.filter(action="appraisal.calendar_feed.created").count() == 1
    assert AuditEvent.objects.filter(action="appraisal.calendar_feed.reset").count() == 3
