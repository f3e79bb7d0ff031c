"""The demo reaches the rectification phase with a ledger for unit1, through the services."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from appraisal.models import Campaign
from rectification.ledger.selectors import overdue_q
from rectification.models import Evidence, RectificationItem

pytestmark = pytest.mark.django_db


def test_the_demo_ledger_has_every_category_and_state(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_opinions", stdout=StringIO())
    call_command("load_demo_ledger", stdout=StringIO())
    call_command("load_demo_ledger", stdout=StringIO())  # a second run changes nothing
    assert Campaign.objects.get(year=2026).phase == Campaign.Phase.RECTIFICATION
    items = RectificationItem.objects.all()
    assert items.count() == 10
    assert set(items.values_list("category", flat=True)) == set(RectificationItem.Category.values)
    assert set(items.values_list("status", flat=True)) == set(RectificationItem.Status.values)
    assert items.filter(overdue_q(timezone.localdate())).count() == 1
    assert items.get(status="explained").explanation
    closed = items.filter(status="closed")
    assert closed.count() == 2 and all(i.closed_on for i in closed)
    assert Evidence.objects.filter(content_type="application/pdf").exists()
    assert Evidence.objects.filter(content_type="image/png").exists()
    assert set(items.values_list("opinion_item__number", flat=True)) == {1, 2, 3, 4, 5}
