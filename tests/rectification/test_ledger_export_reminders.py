"""The ledger's Excel export (read back with openpyxl) and ``send_reminders``: once a day,
safe to run twice, visible to each person in the app."""

import datetime
from io import BytesIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from rectification.ledger.documents import HEADER
from rectification.ledger.models import RectificationItem, Reminder
from rectification.ledger.reminders import send_reminders
from tests.rectification.ledgerkit import advance, make_item
from units.models import UnitTeamMember

pytestmark = pytest.mark.django_db


def read(response):
    """The header row and the rows below it (title rows above are skipped)."""
    wb = load_workbook(BytesIO(response.content), read_only=True)
    rows = [list(r) for r in wb.active.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if tuple(r) == HEADER)
    # Empty trailing cells are not stored: pad each row to the header's width.
    return [r + [None] * (len(HEADER) - len(r)) for r in rows[start:]]


def test_export_has_the_customary_columns_and_the_items(ledger_world, login):
    w = ledger_world
    op = w.opinion_a.items.order_by("number").first()
    closed = advance(w, make_item(w, op, problem="窗口办件超时"), "closed")
    make_item(w, op, category="explanation", problem="编制不足")
    make_item(w, w.opinion_b.items.get(), problem="乙单位的问题")
    rows = read(
        login(w.liaison_a).get(reverse("rectification:ledger_export", args=[w.appraisal_a.pk]))
    )
    assert tuple(rows[0]) == HEADER
    assert len(rows) == 3  # header + A's two items; B's never
    first = dict(zip(HEADER, rows[1], strict=True))
    assert first["序号"] == 1
    assert first["评议意见"].startswith("1. 问题1")
    assert first["问题"] == "窗口办件超时"
    assert first["整改类别"] == "限期整改"
    assert first["状态"] == "已销号"
    assert first["进度"] == 1  # a number, formatted as a percentage
    assert first["佐证材料"] == "现场.png"
    assert first["销号日期"].date() == closed.closed_on
    second = dict(zip(HEADER, rows[2], strict=True))
    assert second["整改类别"] == "解释说明" and "现行法规未授权" in second["整改措施"]
    assert second["完成时限"] is None


def test_export_neutralises_formulas(ledger_world, login):
    w = ledger_world
    op = w.opinion_a.items.order_by("number").first()
    make_item(
        w,
        op,
        problem='=HYPERLINK("http://evil","点我")',
        measures="+1+1",
        responsible_leader="@SUM(A1)",
        responsible_department="-2",
    )
    rows = read(
        login(w.leader).get(reverse("rectification:ledger_export", args=[w.appraisal_a.pk]))
    )
    row = dict(zip(HEADER, rows[1], strict=True))
    assert row["问题"] == '\'=HYPERLINK("http://evil","点我")'
    assert row["整改措施"] == "'+1+1"
    assert row["责任领导"] == "'@SUM(A1)"
    assert row["责任科室"] == "'-2"


def test_campaign_export_follows_the_overdue_filter(ledger_world, login):
    w = ledger_world
    op = w.opinion_a.items.order_by("number").first()
    late = make_item(w, op, problem="逾期")
    RectificationItem.objects.filter(pk=late.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    make_item(w, op, problem="未逾期")
    url = reverse("rectification:campaign_ledger_export", args=[w.campaign.pk])
    rows = read(login(w.office).get(url, {"overdue": "1"}))
    assert [r[2] for r in rows[1:]] == ["逾期"]


# ---- reminders ----------------------------------------------------------------------------


@pytest.fixture
def reminder_world(ledger_world):
    w = ledger_world
    UnitTeamMember.objects.filter(user=w.liaison_a).update(role=UnitTeamMember.Role.LIAISON)
    UnitTeamMember.objects.filter(user=w.liaison_b).update(role=UnitTeamMember.Role.LIAISON)
    for u, e in ((w.liaison_a, "a@example.org"), (w.leader, "leader@example.org")):
        u.email = e
        u.save(update_fields=["email"])
    op = w.opinion_a.items.order_by("number").first()
    w.late = make_item(w, op, problem="逾期事项")
    RectificationItem.objects.filter(pk=w.late.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=2)
    )
    w.soon = make_item(w, op, problem="临近事项", days=3)
    w.later = make_item(w, op, problem="还早事项", days=40)
    w.done = advance(w, make_item(w, op, problem="待核查事项"), "done")
    return w


def test_reminders_run_twice_mail_once(reminder_world, settings):
    w = reminder_world
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_reminders")
    call_command("send_reminders")
    # (The office's weekly digest is tested in test_ledger_digest.)
    outbox = [m for m in mail.outbox if "周报" not in m.subject]
    assert len(outbox) == 2  # the liaison once, the work group's leader once
    to = {m.to[0]: m for m in outbox}
    assert set(to) == {"a@example.org", "leader@example.org"}
    liaison = to["a@example.org"].body
    assert "逾期事项" in liaison and "临近事项" in liaison
    assert "还早事项" not in liaison and "待核查事项" not in liaison
    assert "待核查事项" in to["leader@example.org"].body
    kinds = set(
        Reminder.objects.exclude(kind="digest").values_list(
            "person__username", "item__problem", "kind"
        )
    )
    assert kinds == {
        (w.liaison_a.username, "逾期事项", "overdue"),
        (w.liaison_a.username, "临近事项", "due_soon"),
        (w.leader.username, "待核查事项", "to_check"),
    }


def test_reminders_repeat_after_the_interval_not_before(reminder_world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LEDGER_REMIND_EVERY_DAYS = 7
    today = timezone.localdate()
    send_reminders(today=today)
    # Six days on: the item that was due soon is now overdue (a new kind, said once);
    # nothing already said is said again.
    assert send_reminders(today=today + datetime.timedelta(days=6)).created == 1
    assert set(
        Reminder.objects.filter(day=today + datetime.timedelta(days=6))
        .exclude(kind="digest")  # a new week's digest, when the six days cross a Monday
        .values_list("item__problem", "kind")
    ) == {("临近事项", "overdue")}
    again = send_reminders(today=today + datetime.timedelta(days=7))
    assert again.created >= 2  # still overdue, still waiting for the check


def test_a_failed_mail_is_sent_by_the_next_run(reminder_world, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core.mail import EmailMessage

    real = EmailMessage.send

    def broken(self, *a, **k):
        raise OSError("smtp down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    with pytest.raises(OSError):
        send_reminders()
    items = Reminder.objects.exclude(kind="digest")
    assert items.filter(sent_at__isnull=True).count() == 3
    monkeypatch.setattr(EmailMessage, "send", real)
    outcome = send_reminders()
    assert (outcome.created, outcome.digests) == (0, 0)
    assert not items.filter(sent_at__isnull=True).exists()
    assert len([m for m in mail.outbox if "周报" not in m.subject]) == 2


def test_each_person_sees_what_was_sent_to_them(reminder_world, login, settings):
    w = reminder_world
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_reminders()
    page = login(w.liaison_a).get(reverse("rectification:reminders")).content.decode()
    assert "逾期事项" in page and "待核查事项" not in page
    page = login(w.leader).get(reverse("rectification:reminders")).content.decode()
    assert "待核查事项" in page and "逾期事项" not in page
    page = login(w.liaison_b).get(reverse("rectification:reminders")).content.decode()
    assert "逾期事项" not in page


def test_no_reminders_outside_the_rectification_work(reminder_world, settings):
    from appraisal.models import Campaign
    from tests.rectification.ledgerkit import set_phase

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    set_phase(reminder_world, Campaign.Phase.CLOSED)
    assert send_reminders().created == 0
    assert mail.outbox == []
