"""The demo reaches the rectification phase with a ledger for unit1, through the services."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from appraisal.models import Campaign, User
from rectification.ledger.selectors import overdue_q
from rectification.models import ClosureNotice, Evidence, RectificationItem

pytestmark = pytest.mark.django_db


def test_the_demo_ledger_has_every_category_and_state(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_opinions", stdout=StringIO())
    out = StringIO()
    call_command("load_demo_ledger", stdout=out)
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
    # Feedback: deputy30 and a member of the public raised findings opinion item 1 rests
    # on; its first item is closed, so deputy30 has one closure notice, and the receipt
    # code the command prints shows the closure.
    deputy30 = User.objects.get(username="deputy30")
    first = items.filter(opinion_item__number=1, status="closed").get()
    raised = first.opinion_item.findings.all()
    assert raised.filter(submitted_by=deputy30, status="verified").exists()
    code = raised.exclude(receipt_code=None).get().receipt_code
    assert code in out.getvalue() and "deputy30" in out.getvalue()
    assert ClosureNotice.objects.filter(person=deputy30, item=first).count() == 1
    client = Client()
    client.force_login(deputy30)
    html = client.get(reverse("appraisal:deputy_home")).content.decode()
    assert first.problem in html and first.closing_note in html
    receipt = Client().get(reverse("surveys:opinion_status"), {"code": code}).content.decode()
    assert first.problem in receipt and "已销号" in receipt
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
    # send_reminders mails the overdue item's liaison (demo accounts have .example
    # mailboxes), once: a second run mails nothing.
    from django.core import mail

    call_command("send_reminders", stdout=StringIO())
    to_unit1 = [m for m in mail.outbox if m.to == ["unit1@jiangchuan.example"]]
    assert (
        len(to_unit1) == 1
        and items.get(status="in_progress", deadline__lt=timezone.localdate()).problem
        in to_unit1[0].body
    )
    sent = len(mail.outbox)
    call_command("send_reminders", stdout=StringIO())
    assert len(mail.outbox) == sent
