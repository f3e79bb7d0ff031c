"""The implementation plan and its timetable: planned against actual phase dates, the
late flag, the plan printed through the document layer and kept as a file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from appraisal import services as appraisal_services
from appraisal.models import AuditEvent, Campaign, ImplementationPlan, PhasePlan
from appraisal.schedule import selectors, services
from tests import factories
from tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db


def _prep_campaign(world):
    campaign = factories.CampaignFactory(year=2027, phase=Campaign.Phase.PREPARATION)
    return campaign


def _rows(campaign, today):
    return {r.phase: r for r in selectors.phase_rows(campaign, today=today)}


def test_planned_against_actual_flags_late_phases(world):
    campaign = _prep_campaign(world)
    today = timezone.localdate()
    services.phase_plan_save(
        campaign=campaign,
        actor=world.office,
        dates={
            "preparation": (today - timedelta(days=30), today - timedelta(days=5)),
            "investigation": (today - timedelta(days=5), today + timedelta(days=20)),
            "self_review": (today + timedelta(days=20), today + timedelta(days=30)),
        },
    )
    rows = _rows(campaign, today)
    # Still preparing five days after its planned end: late; investigation should have started.
    assert rows["preparation"].state == "current" and rows["preparation"].late_days == 5
    assert rows["investigation"].state == "future" and rows["investigation"].late_days == 5
    assert not rows["self_review"].late and rows["meeting"].planned_start is None

    campaign = appraisal_services.campaign_advance_phase(
        campaign=campaign, actor=world.office, from_phase="preparation"
    )
    rows = _rows(campaign, today)
    assert rows["preparation"].state == "done"
    assert rows["preparation"].actual_end == today and rows["preparation"].late_days == 5
    assert rows["investigation"].actual_start == today
    assert rows["investigation"].late_days == 5  # started five days after its plan
    # On the next days it is no later, as long as it ends in time.
    rows = _rows(campaign, today + timedelta(days=10))
    assert rows["investigation"].late_days == 5
    rows = _rows(campaign, today + timedelta(days=28))
    assert rows["investigation"].late_days == 8  # now 8 days past its planned end


def test_a_phase_on_time_is_not_flagged(world):
    campaign = _prep_campaign(world)
    today = timezone.localdate()
    services.phase_plan_save(
        campaign=campaign, actor=world.office,
        dates={"preparation": (today - timedelta(days=3), today + timedelta(days=3))},
    )  # fmt: skip
    assert not _rows(campaign, today)["preparation"].late
    assert _rows(campaign, today + timedelta(days=4))["preparation"].late_days == 1


def test_the_overview_shows_the_late_flag(world, login):
    today = timezone.localdate()
    services.phase_plan_save(
        campaign=world.campaign, actor=world.office,
        dates={"investigation": (today - timedelta(days=20), today - timedelta(days=2))},
    )  # fmt: skip
    html = login(world.office).get(reverse("appraisal:office_campaign", args=[world.campaign.pk]))
    text = html.content.decode()
    assert "row-late" in text and "deadline-overdue" in text


def test_phase_dates_form_refuses_end_before_start_and_far_dates(world, login):
    client = login(world.office)
    url = reverse("appraisal:campaign_plan", args=[world.campaign.pk])
    bad = [
        {"preparation_start": "2026-03-10", "preparation_end": "2026-03-01"},
        {"preparation_start": "2026-03-10"},
        {"preparation_start": "9999-03-10", "preparation_end": "9999-03-11"},
        {"preparation_start": "1900-03-10", "preparation_end": "1900-03-11"},
        {"preparation_start": str(2**63), "preparation_end": "2026-03-11"},
    ]
    for data in bad:
        response = client.post(url, {"save_dates": "1", **data})
        assert response.status_code == 200, data
        assert not PhasePlan.objects.exists(), data
    response = client.post(
        url, {"save_dates": "1", "preparation_start": "2026-03-01", "preparation_end": "2026-03-20"}
    )
    assert response.status_code == 302
    plan = PhasePlan.objects.get()
    assert (plan.planned_start, plan.planned_end) == (date(2026, 3, 1), date(2026, 3, 20))
    assert AuditEvent.objects.filter(action="appraisal.plan.phase_dates").count() == 1


def test_the_plan_prints_as_an_official_notice_with_its_timetable(world, login):
    client = login(world.office)
    url = reverse("appraisal:campaign_plan", args=[world.campaign.pk])
    text = "一、指导思想\n坚持依法监督。\n（一）评议对象\n市住房和城乡建设局。"
    assert (
        client.post(
            url, {"save_plan": "1", "title": "2026年度工作评议实施方案", "text": text}
        ).status_code
        == 302
    )
    services.phase_plan_save(
        campaign=world.campaign, actor=world.office,
        dates={"investigation": (date(2026, 4, 1), date(2026, 5, 31))},
    )  # fmt: skip
    # Those who take part read it; the PDF says what the plan says.
    response = login(world.liaison_a).get(
        reverse("appraisal:campaign_plan_pdf", args=[world.campaign.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    words = pdf_text(response.content).replace(" ", "").replace("\n", "")
    for expected in (
        "2026年度工作评议实施方案",
        "指导思想",
        "坚持依法监督",
        "（一）评议对象",
        "时间安排",
        "调查研究",
        "2026年4月1日",
    ):
        assert expected in words, expected


def test_the_plan_file_is_checked_and_served_only_to_participants(world, login):
    client = login(world.office)
    url = reverse("appraisal:campaign_plan", args=[world.campaign.pk])
    fake = SimpleUploadedFile("方案.pdf", b"MZ not a pdf")
    response = client.post(url, {"save_plan": "1", "title": "方案", "file": fake})
    assert response.status_code == 200 and not ImplementationPlan.objects.exists()
    good = SimpleUploadedFile("方案.pdf", b"%PDF-1.7\n%%EOF\n")
    assert client.post(url, {"save_plan": "1", "title": "方案", "file": good}).status_code == 302
    file_url = reverse("appraisal:plan_file", args=[world.campaign.pk])
    response = login(world.deputy).get(file_url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert login(world.outsider).get(file_url).status_code == 404


def test_a_closed_campaign_offers_no_scheduling_button(world, login):
    """The form refuses a closed campaign (403); its plan page does not offer the button."""
    closed = factories.CampaignFactory(year=2025, phase=Campaign.Phase.CLOSED)
    client = login(world.office)
    new = reverse("appraisal:event_new", args=[closed.pk])
    assert (
        new not in client.get(reverse("appraisal:campaign_plan", args=[closed.pk])).content.decode()
    )
    assert client.get(new).status_code == 403
    live = reverse("appraisal:event_new", args=[world.campaign.pk])
    assert (
        live
        in client.get(reverse("appraisal:campaign_plan", args=[world.campaign.pk])).content.decode()
    )
