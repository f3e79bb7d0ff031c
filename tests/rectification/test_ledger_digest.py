"""The office's weekly digest in ``send_reminders``: once per ISO week per office user,
whatever the day of the first run, safe to run twice, and shown under 提醒."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from appraisal.models import AuditEvent, Campaign
from appraisal.services import office_grant
from rectification.ledger.models import RectificationItem, Reminder
from rectification.ledger.reminders import send_reminders, week_of
from tests import factories
from tests.rectification.ledgerkit import advance, make_item, set_phase

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 11, 30)


@pytest.fixture
def digest_world(ledger_world, settings):
    w = ledger_world
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    w.office.email = "office@example.org"
    w.office.save(update_fields=["email"])
    w.office2 = factories.UserFactory(username="office2", email="office2@example.org")
    office_grant(user=w.office2, actor=None)
    op = w.opinion_a.items.order_by("number").first()
    late = make_item(w, op, problem="逾期事项")
    RectificationItem.objects.filter(pk=late.pk).update(
        deadline=MONDAY - datetime.timedelta(days=3)
    )
    old = make_item(w, op, problem="早已逾期")
    RectificationItem.objects.filter(pk=old.pk).update(
        deadline=MONDAY - datetime.timedelta(days=30)
    )
    make_item(w, op, problem="草稿事项")
    advance(w, make_item(w, op, problem="待核查事项"), "done")
    advance(w, make_item(w, op, problem="已销号事项"), "closed")
    explained = make_item(w, op, category="explanation", problem="编制不足")
    from rectification.ledger import services

    services.item_move(item=explained, actor=w.liaison_a, action="submit")
    make_item(w, w.opinion_b.items.get(), problem="乙单位事项")
    return w


def digests(**kw):
    return Reminder.objects.filter(kind=Reminder.Kind.DIGEST, **kw)


def test_each_office_user_gets_one_digest_a_week(digest_world):
    w = digest_world
    outcome = send_reminders(today=MONDAY)
    assert outcome.digests == 2
    sent = [m for m in mail.outbox if "周报" in m.subject]
    assert sorted(m.to[0] for m in sent) == ["office2@example.org", "office@example.org"]
    assert sent[0].subject == "整改台账周报（2026年第49周）"
    body = sent[0].body
    assert w.campaign.title in body
    line_a = next(line for line in body.splitlines() if "市住房和城乡建设局" in line)
    assert "整改事项 6 项" in line_a and "已销号 1 项" in line_a
    assert "逾期 2 项（新增 1 项）" in line_a  # the one three days late is new this week
    assert "已解释说明 0 项" in line_a and "待核查 1 项" in line_a
    assert "市交通运输局：整改事项 1 项" in body
    assert "解释说明待认定 1 项" in body and "待核查销号 1 项" in body
    assert not any(r.person in (w.liaison_a, w.leader) for r in digests())
    assert digests().filter(sent_at__isnull=False).count() == 2
    assert AuditEvent.objects.filter(action="rectification.digest.created").count() == 1


def test_running_twice_or_later_in_the_week_sends_nothing(digest_world):
    send_reminders(today=MONDAY)
    mail.outbox.clear()
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    for day in (MONDAY, MONDAY + datetime.timedelta(days=3), MONDAY + datetime.timedelta(days=6)):
        assert send_reminders(today=day).digests == 0
    assert not [m for m in mail.outbox if "周报" in m.subject]
    assert digests().count() == 2
    # The item reminders of those later days are written as before; no digest row is.
    assert not AuditEvent.objects.filter(
        action="rectification.digest.created", id__gt=last_event
    ).exists()


def test_the_first_run_of_a_week_on_any_day_sends_it_and_next_week_again(digest_world):
    thursday = MONDAY + datetime.timedelta(days=3)
    send_reminders(today=thursday)
    assert set(digests().values_list("week", flat=True)) == {MONDAY}
    assert digests().first().day == thursday
    next_monday = MONDAY + datetime.timedelta(days=7)
    assert send_reminders(today=next_monday).digests == 2
    row = digests().get(person__username="office", week=next_monday)
    # New overdue is counted from the last digest (Thursday): none became overdue since.
    assert row.data["since"] == thursday.isoformat()
    figures = row.data["campaigns"][0]["appraisals"][0]
    assert (figures["overdue"], figures["new_overdue"]) == (2, 0)


def test_the_command_run_twice_mails_the_digest_once(digest_world):
    call_command("send_reminders", "--date", MONDAY.isoformat())
    call_command("send_reminders", "--date", MONDAY.isoformat())
    assert len([m for m in mail.outbox if "周报" in m.subject]) == 2


def test_the_database_allows_one_digest_per_person_and_week(digest_world):
    w = digest_world
    send_reminders(today=MONDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            person=w.office, kind=Reminder.Kind.DIGEST, day=MONDAY + datetime.timedelta(days=1),
            week=MONDAY,
        )  # fmt: skip


def test_a_digest_not_mailed_is_mailed_by_the_next_run(digest_world, monkeypatch):
    from django.core.mail import EmailMessage

    real = EmailMessage.send

    def broken(self, *a, **k):
        raise OSError("smtp down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    with pytest.raises(OSError):
        send_reminders(today=MONDAY)
    assert digests().count() == 2 and not digests().filter(sent_at__isnull=False).exists()
    monkeypatch.setattr(EmailMessage, "send", real)
    send_reminders(today=MONDAY + datetime.timedelta(days=1))
    assert len([m for m in mail.outbox if "周报" in m.subject]) == 2
    assert digests().count() == 2


def test_no_digest_when_no_campaign_is_at_work(digest_world):
    set_phase(digest_world, Campaign.Phase.CLOSED)
    assert send_reminders(today=MONDAY).digests == 0
    assert not digests().exists() and mail.outbox == []


def test_the_digest_appears_under_reminders_for_the_office_only(digest_world, login):
    w = digest_world
    send_reminders(today=MONDAY)
    page = login(w.office).get(reverse("rectification:reminders")).content.decode()
    assert "每周汇总" in page and "2026年第49周" in page
    assert "市住房和城乡建设局" in page and "新增逾期" in page
    for other in (w.liaison_a, w.leader):
        page = login(other).get(reverse("rectification:reminders")).content.decode()
        assert "每周汇总" not in page


def test_week_of_is_the_iso_monday():
    assert week_of(MONDAY) == MONDAY
    assert week_of(MONDAY + datetime.timedelta(days=6)) == MONDAY
    assert week_of(datetime.date(2027, 1, 1)).isocalendar()[1] == 53
    assert timezone.localdate()  # aware "today" is what send_reminders uses by default
