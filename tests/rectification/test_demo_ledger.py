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
    # unit1's rectification report: a draft written from this ledger, through the services,
    # the next steps filled in and the rest left marked for whoever tries the demo.
    from rectification.reports.models import RectificationReport
    from rectification.reports.selectors import TO_FILL, to_fill

    report = RectificationReport.objects.get()
    assert report.status == "draft" and report.generated_at and not report.versions.exists()
    assert [s["key"] for s in report.sections] == [
        "intro", "item-1", "item-2", "item-3", "item-4", "item-5", "next",
    ]  # fmt: skip
    assert "10项整改事项" in report.sections[0]["text"]
    assert TO_FILL not in report.sections[-1]["text"]
    assert to_fill(report.sections)  # what only the unit can say: why overdue, when done
