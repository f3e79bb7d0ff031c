"""A fresh pair of hostile eyes on this round's pages: announcements, the portal, the
schedule and its feed, the plan. Characters outside the fonts, replayed POSTs, GETs that
must not write, a missing CSRF token, hostile calendar months."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from appraisal.announcements import services as announcements
from appraisal.announcements.models import Announcement
from appraisal.models import AuditEvent
from appraisal.schedule import services as schedule_services
from tests.pdftext import pdf_text
from tests.portal.probe import notice
from tests.schedule.kit import K, schedule
from tests.test_hostile_input import row_counts

pytestmark = pytest.mark.django_db

EXT_B = "𠀀"  # CJK Extension B: in no font the PDFs embed


def test_a_poster_with_a_character_outside_the_fonts_renders_or_says_so(world, login, client):
    a = notice(world, title=f"关于{EXT_B}的公告\u202e😀", publish=True)
    url = reverse("appraisal:announcement_poster", args=[a.pk])
    for c in (Client(), login(world.office)):
        response = c.get(url, follow=True)
        assert response.status_code == 200
        if response.get("Content-Type") == "application/pdf":
            assert EXT_B in pdf_text(response.content)
        else:  # the message, on a page this person may see
            body = response.content.decode()
            assert EXT_B in body or "字" in body, body[:400]


def test_the_plan_pdf_with_a_character_outside_the_fonts_renders_or_says_so(world, login):
    schedule_services.plan_save(
        campaign=world.campaign, actor=world.office, title=f"实施方案{EXT_B}", text=f"一、{EXT_B}"
    )
    url = reverse("appraisal:campaign_plan_pdf", args=[world.campaign.pk])
    response = login(world.office).get(url, follow=True)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "month",
    ["2026-13", "0000-01", "9999-99", "２０２６-０１", "2026-1\x00", "-1", "0", str(2**63),
     "x" * 100_000, f"{EXT_B}-01", "2026-٠١", "2026-01\u202e"],
)  # fmt: skip
@pytest.mark.parametrize("view", ["month", "list", f"{EXT_B}"])
def test_hostile_calendar_months_fall_back_to_this_month(world, login, month, view):
    c = login(world.deputy)
    response = c.get(reverse("appraisal:calendar"), {"month": month, "view": view, "past": month})
    assert response.status_code in (200, 400, 414)


def test_a_double_publish_or_withdraw_moves_once(world, login):
    a = notice(world)
    c = login(world.office)
    url = reverse("appraisal:announcement_move", args=[a.pk]) + "?action=publish"
    assert c.post(url).status_code == 302
    before = AuditEvent.objects.count()
    second = c.post(url)
    assert second.status_code in (200, 302)
    assert AuditEvent.objects.count() == before
    withdraw = reverse("appraisal:announcement_move", args=[a.pk]) + "?action=withdraw"
    assert c.post(withdraw, {"reason": "有误"}).status_code == 302
    before = AuditEvent.objects.count()
    c.post(withdraw, {"reason": "有误"})
    c.post(url)  # publishing a withdrawn notice again is not a move
    assert AuditEvent.objects.count() == before
    a.refresh_from_db()
    assert a.state == Announcement.State.WITHDRAWN


def test_move_confirmations_and_pages_are_gets_that_write_nothing(world, login):
    a = notice(world)
    c = login(world.office)
    before = row_counts()
    for action in ("publish", "schedule", "unschedule", "withdraw"):
        c.get(reverse("appraisal:announcement_move", args=[a.pk]), {"action": action})
    event = schedule(world, kind=K.SYMPOSIUM, appraisal=world.appraisal_a)
    before = row_counts()
    c.get(reverse("appraisal:event_move", args=[event.pk]))
    c.get(reverse("appraisal:calendar_feed_reset"))
    c.get(reverse("rectification:notices_read"))
    assert row_counts() == before


def test_posts_without_a_csrf_token_are_refused(world):
    a = notice(world)
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.office, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("appraisal:announcement_move", args=[a.pk]) + "?action=publish"
    assert c.post(url).status_code == 403
    assert c.post(reverse("appraisal:calendar_feed_reset")).status_code == 403
    a.refresh_from_db()
    assert a.state == Announcement.State.DRAFT


def test_nobody_but_the_office_reaches_a_draft_scheduled_or_withdrawn_notice(world, login):
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from tests.portal.probe import PDF

    draft = notice(world, title="草稿")
    scheduled = notice(world, title="定时")
    withdrawn = notice(world, title="撤回")
    for a in (draft, scheduled, withdrawn):
        announcements.announcement_attach(
            announcement=a, actor=world.office, uploads=[SimpleUploadedFile("a.pdf", PDF)]
        )
    withdrawn = announcements.announcement_move(
        announcement=withdrawn, action="publish", actor=world.office
    )
    announcements.announcement_move(
        announcement=scheduled, action="schedule", actor=world.office,
        publish_at=timezone.now() + dt.timedelta(days=2),
    )  # fmt: skip
    announcements.announcement_move(
        announcement=withdrawn, action="withdraw", actor=world.office, reason="有误"
    )
    for who in (None, world.deputy, world.liaison_a, world.leader, world.outsider):
        c = Client()
        if who is not None:
            c.force_login(who, backend="django.contrib.auth.backends.ModelBackend")
        for a in (draft, scheduled, withdrawn):
            urls = [
                reverse("portal:notice", args=[a.pk]),
                reverse("appraisal:announcement_poster", args=[a.pk]),
                reverse("appraisal:announcement_file", args=[a.attachments.get().pk]),
                reverse("appraisal:announcement", args=[a.pk]),
            ]
            for url in urls:
                response = c.get(url)
                if a is withdrawn and url == urls[0]:
                    # It was public: its page says it was withdrawn, and nothing else.
                    assert response.status_code == 410
                    assert "a.pdf" not in response.content.decode()
                    continue
                assert response.status_code in (302, 403, 404), (who, a.title, url)
            body = "".join(
                c.get(u).content.decode()
                for u in ("/", reverse("portal:home"), reverse("portal:notices"))
            )
            assert a.title not in body


def test_an_unannounced_visit_stays_off_the_portal_and_the_deputys_views(world, login, client):
    visit = schedule(world, kind=K.UNANNOUNCED_VISIT, appraisal=world.appraisal_a, title="暗访甲")
    for who in (None, world.deputy, world.liaison_a, world.liaison_b):
        c = Client()
        if who is not None:
            c.force_login(who, backend="django.contrib.auth.backends.ModelBackend")
        pages = [
            "/",
            reverse("portal:home"),
            reverse("portal:appraisal", args=[world.appraisal_a.pk]),
        ]
        if who is not None:
            pages += [reverse("appraisal:calendar"), reverse("appraisal:calendar") + "?view=list",
                      "/"]  # fmt: skip
            feed = schedule_services.feed_reset(user=who)
            pages.append(reverse("appraisal:calendar_feed", args=[feed.token]))
        for page in pages:
            body = c.get(page, follow=True).content.decode()
            assert "暗访甲" not in body, (who, page)
        assert c.get(reverse("appraisal:event", args=[visit.pk])).status_code in (302, 404)


def test_a_public_poster_no_font_can_print_sends_the_visitor_back_to_the_notice(world, login):
    """U+0FFF is in no font: the office gets its preview with the message, a visitor the
    notice's portal page with it, never the office's page (and so the sign-in form)."""
    a = notice(world, title="关于\u0fff的公告", publish=True)
    url = reverse("appraisal:announcement_poster", args=[a.pk])
    visitor = Client().get(url, follow=True)
    assert visitor.redirect_chain == [(reverse("portal:notice", args=[a.pk]), 302)]
    assert "U+0FFF" in visitor.content.decode()
    office = login(world.office).get(url)
    assert office["Location"] == reverse("appraisal:announcement", args=[a.pk])


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30T10:00"])
def test_a_notice_is_scheduled_within_the_next_year_and_a_bad_time_is_a_form_error(
    world, login, when
):
    a = notice(world)
    url = reverse("appraisal:announcement_move", args=[a.pk]) + "?action=schedule"
    response = login(world.office).post(url, {"publish_at": when})
    assert response.status_code == 200
    a.refresh_from_db()
    assert a.state == Announcement.State.DRAFT and a.publish_at is None
    if when.startswith("9999"):
        assert "请选择一年以内的时间。" in response.content.decode()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2026-13-01", "", "2026-01-01\x00"])
def test_send_reminders_refuses_a_day_it_cannot_count_from(world, day):
    from django.core.management import CommandError, call_command

    before = row_counts()
    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", day)
    assert row_counts() == before


# U+0FFF is in no font: each PDF says so on a page the person may see, never a 500.
NO_FONT = "\u0fff"


def test_a_plan_no_font_can_print_is_a_message_not_a_server_error(world, login):
    schedule_services.plan_save(
        campaign=world.campaign, actor=world.office, title="实施方案", text=f"一、{NO_FONT}"
    )
    url = reverse("appraisal:campaign_plan_pdf", args=[world.campaign.pk])
    office = login(world.office).get(url, follow=True)
    assert office.redirect_chain[0][0] == reverse(
        "appraisal:campaign_plan", args=[world.campaign.pk]
    )
    assert "U+0FFF" in office.content.decode()
    unit = login(world.liaison_a).get(url, follow=True)
    assert unit.redirect_chain[0][0] == reverse("appraisal:calendar")
    assert "U+0FFF" in unit.content.decode()


def test_code_slips_no_font_can_print_are_a_message_not_a_server_error(world, login):
    from appraisal.scoring import services as scoring
    from tests.appraisal.conftest import make_round

    sw = make_round(world)
    scoring.codes_generate(round=sw.round, voter_group=sw.committee, count=2, actor=world.office)
    world.campaign.title = f"评议{NO_FONT}"
    world.campaign.save(update_fields=["title"])
    url = reverse("appraisal:round_codes_pdf", args=[sw.round.pk, sw.committee.pk])
    response = login(world.office).get(url, follow=True)
    assert response.redirect_chain[0][0] == reverse("appraisal:round_codes", args=[sw.round.pk])
    assert "U+0FFF" in response.content.decode()


def test_an_opinion_no_font_can_print_is_a_message_not_a_server_error(world, login):
    from appraisal.models import Campaign
    from tests.rectification.conftest import drafted

    Campaign.objects.filter(pk=world.campaign.pk).update(phase=Campaign.Phase.OPINIONS)
    opinion = drafted(world, world.appraisal_a)
    opinion.preamble = f"根据{NO_FONT}安排"
    opinion.save(update_fields=["preamble"])
    url = reverse("rectification:opinion_pdf", args=[world.appraisal_a.pk])
    response = login(world.office).get(url, follow=True)
    assert response.redirect_chain[0][0] == reverse(
        "rectification:opinion", args=[world.appraisal_a.pk]
    )
    assert "U+0FFF" in response.content.decode()


def test_a_sign_in_letter_for_a_name_no_font_has_is_a_form_error_and_records_nothing(world, login):
    world.deputy.full_name = f"王{NO_FONT}兰"
    world.deputy.save(update_fields=["full_name"])
    office = login(world.office)
    before = row_counts()
    response = office.post(
        reverse("appraisal:signin_letters", args=[world.campaign.pk]),
        {"people": [world.deputy.pk]},
    )
    assert response.status_code == 200 and "U+0FFF" in response.content.decode()
    assert row_counts() == before


def test_the_feed_folds_four_byte_characters_whole_and_reads_back(world, client):
    import icalendar

    title = EXT_B * 40 + "\u202e😀"
    schedule(world, kind=K.MEETING, title=title, notes=EXT_B * 100)
    feed = schedule_services.feed_reset(user=world.office)
    body = client.get(reverse("appraisal:calendar_feed", args=[feed.token])).content
    body.decode("utf-8")  # no character cut in half by the folding
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [title]
