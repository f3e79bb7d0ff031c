"""Announcements: who sees a draft, publication and withdrawal through one audited move,
scheduled publication by cron (on time, once), the poster and its QR code."""

from __future__ import annotations

import datetime as dt
import threading
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from appraisal.announcements import services
from appraisal.announcements.models import Announcement
from appraisal.errors import DomainError, NotAllowed
from appraisal.models import AuditEvent
from tests.documents import pdfcheck
from tests.portal.probe import PDF, notice

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def audit(a: Announcement, action: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=f"appraisal.announcement.{action}", object_id=str(a.pk)
        ).order_by("id")
    )


def portal_texts(client) -> str:
    client.logout()
    return "".join(
        client.get(url).content.decode()
        for url in ("/", reverse("portal:home"), reverse("portal:notices"))
    )


def test_drafts_scheduled_and_withdrawn_notices_never_reach_the_portal(world, client):
    draft = notice(world, title="草稿通知甲")
    scheduled = notice(world, title="定时通知乙")
    services.announcement_move(
        announcement=scheduled, action="schedule", actor=world.office,
        publish_at=timezone.now() + dt.timedelta(days=1),
    )  # fmt: skip
    withdrawn = notice(world, title="撤回通知丙", publish=True)
    published = notice(world, title="已发布通知丁", publish=True)
    assert "撤回通知丙" in portal_texts(client)
    services.announcement_move(
        announcement=withdrawn, action="withdraw", actor=world.office, reason="时间调整"
    )
    html = portal_texts(client)
    assert "已发布通知丁" in html
    assert "草稿通知甲" not in html and "定时通知乙" not in html and "撤回通知丙" not in html
    for a in (draft, scheduled):
        assert client.get(reverse("portal:notice", args=[a.pk])).status_code == 404
    for a in (draft, scheduled, withdrawn):
        assert client.get(reverse("appraisal:announcement_poster", args=[a.pk])).status_code == 404
    assert client.get(reverse("portal:notice", args=[published.pk])).status_code == 200
    # An old link or a printed poster's QR code to the withdrawn notice: it says so (410),
    # with its title and the day, never its body or the office's reason.
    gone = client.get(reverse("portal:notice", args=[withdrawn.pk]))
    text = gone.content.decode()
    assert gone.status_code == 410
    assert "撤回通知丙" in text and "该公告已于" in text and "撤回" in text
    assert withdrawn.body not in text and "时间调整" not in text


def test_publication_and_withdrawal_are_audited_and_withdrawal_needs_a_reason(world):
    a = notice(world)
    a = services.announcement_move(announcement=a, action="publish", actor=world.office)
    [row] = audit(a, "published")
    assert row.actor == world.office and row.data["to"] == "published"
    with pytest.raises(DomainError):
        services.announcement_move(
            announcement=a, action="withdraw", actor=world.office, reason=" "
        )
    a.refresh_from_db()
    assert a.state == "published" and not audit(a, "withdrawn")
    services.announcement_move(
        announcement=a, action="withdraw", actor=world.office, reason="会议时间调整"
    )
    a.refresh_from_db()
    [row] = audit(a, "withdrawn")
    assert a.state == "withdrawn" and a.withdrawal_reason == "会议时间调整"
    assert row.data["reason"] == "会议时间调整" and row.actor == world.office
    # the history stays: the row, its text and every step
    assert a.title and len(audit(a, "created") + audit(a, "published") + audit(a, "withdrawn")) == 3
    with pytest.raises(DomainError):  # withdrawn is final
        services.announcement_move(announcement=a, action="publish", actor=world.office)


@pytest.mark.parametrize("who", ["leader", "liaison_a", "deputy", "outsider"])
def test_only_the_office_writes_or_moves_notices(world, who):
    person = getattr(world, who)
    with pytest.raises(NotAllowed):
        services.announcement_save(
            campaign=world.campaign,
            actor=person,
            values={"kind": "launch", "title": "x", "body": "y"},
        )
    a = notice(world)
    with pytest.raises(NotAllowed):
        services.announcement_move(announcement=a, action="publish", actor=person)


@pytest.mark.parametrize(
    ("who", "status"),
    [("office", 200), ("leader", 403), ("liaison_a", 403), ("deputy", 403), ("anonymous", 302)],
)
def test_office_pages_are_the_offices(world, login, client, who, status):
    a = notice(world)
    urls = [
        reverse("appraisal:announcements", args=[world.campaign.pk]),
        reverse("appraisal:announcement_new", args=[world.campaign.pk]),
        reverse("appraisal:announcement", args=[a.pk]),
        reverse("appraisal:announcement_edit", args=[a.pk]),
        reverse("appraisal:announcement_move", args=[a.pk]) + "?action=publish",
        reverse("rectification:progress_publication", args=[world.appraisal_a.pk]),
    ]
    c = client if who == "anonymous" else login(getattr(world, who))
    for url in urls:
        assert c.get(url).status_code == status, url


def test_the_office_drafts_previews_and_publishes_through_its_pages(world, login):
    office = login(world.office)
    response = office.post(
        reverse("appraisal:announcement_new", args=[world.campaign.pk]),
        {"kind": "questionnaire", "title": "问卷征集公告", "body": "欢迎填写。",
         "link": "/s/abc/", "link_label": "填写问卷"},
    )  # fmt: skip
    a = Announcement.objects.get(title="问卷征集公告")
    assert response.status_code == 302 and a.state == "draft"
    page = office.get(reverse("appraisal:announcement", args=[a.pk])).content.decode()
    assert "欢迎填写。" in page and "http://testserver/s/abc/" in page and "立即发布" in page
    move = reverse("appraisal:announcement_move", args=[a.pk]) + "?action=publish"
    assert "确认：立即发布" in office.get(move).content.decode()
    assert office.post(move).status_code == 302
    a.refresh_from_db()
    assert a.state == "published" and a.published_at is not None
    # a second click on the stale confirmation changes nothing and says so
    office.post(move)
    assert len(audit(a, "published")) == 1


def test_attachments_are_checked_and_public_only_once_published(world, login, client):
    a = notice(world)
    with pytest.raises(Exception):  # noqa: B017  (ValidationError: not really a PDF)
        services.announcement_attach(
            announcement=a, actor=world.office,
            uploads=[SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")],
        )  # fmt: skip
    services.announcement_attach(
        announcement=a, actor=world.office, uploads=[SimpleUploadedFile("名单.pdf", PDF)]
    )
    f = a.attachments.get()
    url = reverse("appraisal:announcement_file", args=[f.pk])
    assert client.get(url).status_code == 404
    services.announcement_move(announcement=a, action="publish", actor=world.office)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "名单.pdf" in client.get(reverse("portal:notice", args=[a.pk])).content.decode()
    with pytest.raises(DomainError):  # a published notice's files are fixed
        services.announcement_detach(attachment=f, actor=world.office)


def _schedule(world, at: dt.datetime) -> Announcement:
    a = notice(world)
    return services.announcement_move(
        announcement=a, action="schedule", actor=world.office, publish_at=at,
        now=at - dt.timedelta(hours=1),
    )  # fmt: skip


def test_publish_scheduled_publishes_on_time_in_beijing_time_and_once(world, monkeypatch):
    at = dt.datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)  # 01:00 UTC
    a = _schedule(world, at)
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 1, 0, 59, tzinfo=dt.UTC))
    call_command("publish_scheduled", stdout=StringIO())
    a.refresh_from_db()
    assert a.state == "scheduled"
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC))
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    call_command("publish_scheduled", stdout=out)  # cron runs it again: nothing more
    a.refresh_from_db()
    assert a.state == "published" and a.published_at == at
    assert out.getvalue().count("published:") == 1 and "2026-12-01 09:00" in out.getvalue()
    [row] = audit(a, "published")
    assert row.actor is None and row.data["scheduled"] is True


def test_the_scheduler_publishes_nothing_but_a_due_scheduled_notice(world):
    a = notice(world)
    with pytest.raises(DomainError):
        services.announcement_move(announcement=a, action="publish", actor=None)
    future = _schedule(world, timezone.now() + dt.timedelta(days=1))
    assert services.announcements_publish_due() == []
    future.refresh_from_db()
    assert future.state == "scheduled"
    with pytest.raises(DomainError):  # scheduling needs a time to come
        services.announcement_move(
            announcement=a, action="schedule", actor=world.office,
            publish_at=timezone.now() - dt.timedelta(minutes=1),
        )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_publish_a_notice_once(world):
    due = [_schedule(world, timezone.now() + dt.timedelta(seconds=1)) for _ in range(3)]
    later = timezone.now() + dt.timedelta(minutes=1)
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(len(services.announcements_publish_due(now=later)))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if connection.vendor == "sqlite" and errors:
        pytest.skip("SQLite serialises writers; the lock is PostgreSQL's to test")
    assert not errors and sum(results) == 3
    for a in due:
        assert len(audit(a, "published")) == 1


def test_the_poster_prints_the_notice_and_a_qr_code_that_reads(world, login, client):
    a = notice(world, title="关于开展2026年度工作评议的公告")
    office = login(world.office)
    draft_pdf = office.get(reverse("appraisal:announcement_poster", args=[a.pk])).content
    assert "未发布稿" in pdfcheck.flat(draft_pdf)
    services.announcement_move(announcement=a, action="publish", actor=world.office)
    client.logout()
    pdf = client.get(reverse("appraisal:announcement_poster", args=[a.pk])).content
    text = pdfcheck.flat(pdf)
    assert "关于开展2026年度工作评议的公告" in text and "欢迎反映意见。" in text
    assert "未发布稿" not in text and "被评议单位" in text
    assert world.appraisal_a.unit.name in text and world.appraisal_b.unit.name in text
    assert "反映意见" in text and "http://testserver/opinion/" in text
    assert pdfcheck.qr_payloads(pdf) == ["http://testserver/opinion/"]


def test_a_notice_without_a_link_points_its_qr_code_at_its_portal_page(world, client):
    a = services.announcement_save(
        campaign=world.campaign, actor=world.office,
        values={"kind": "meeting", "title": "会议通知", "body": "定于下周召开。"},
    )  # fmt: skip
    services.announcement_move(announcement=a, action="publish", actor=world.office)
    pdf = client.get(reverse("appraisal:announcement_poster", args=[a.pk])).content
    assert pdfcheck.qr_payloads(pdf) == [
        f"http://testserver{reverse('portal:notice', args=[a.pk])}"
    ]


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "//evil.example/", "https://a b/", "/x\x00", "data:text/html,x"]
)
def test_a_hostile_link_is_a_form_error_and_writes_nothing(world, login, link):
    office = login(world.office)
    before = Announcement.objects.count()
    response = office.post(
        reverse("appraisal:announcement_new", args=[world.campaign.pk]),
        {"kind": "launch", "title": "公告", "body": "正文", "link": link},
    )
    assert response.status_code in (200, 400) and Announcement.objects.count() == before
    with pytest.raises(DomainError):
        services.announcement_save(
            campaign=world.campaign, actor=world.office,
            values={"kind": "launch", "title": "公告", "body": "正文", "link": link},
        )  # fmt: skip


def test_hostile_schedule_and_withdraw_input_is_a_form_error(world, login):
    a = notice(world)
    office = login(world.office)
    move = reverse("appraisal:announcement_move", args=[a.pk])
    for value in ["9223372036854775808-01-01T00:00", "2026-13-45T25:61", "x" * 100_000, "²"]:
        response = office.post(move + "?action=schedule", {"publish_at": value})
        assert response.status_code == 200
    a.refresh_from_db()
    assert a.state == "draft"
    assert office.get(move + "?action=%00").status_code in (400, 404)
    assert office.get(move + "?action=" + "x" * 1000).status_code == 404
    services.announcement_move(announcement=a, action="publish", actor=world.office)
    response = office.post(move + "?action=withdraw", {"reason": "理" * 2001})
    a.refresh_from_db()
    assert response.status_code == 200 and a.state == "published"
    office.post(move + "?action=withdraw", {"reason": "有误"})
    a.refresh_from_db()
    assert a.state == "withdrawn"
    history = office.get(reverse("appraisal:announcement", args=[a.pk])).content.decode()
    assert "公告已撤回" in history and "有误" in history
