"""Scheduling, changing, cancelling, and turning a held activity into its record."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from appraisal.errors import DomainError, NotAllowed
from appraisal.models import AuditEvent, ScheduledEvent
from appraisal.schedule import services
from surveys.findings import services as findings
from surveys.models import InvestigationActivity
from tests.schedule.kit import K, agenda, at, schedule, soon

pytestmark = pytest.mark.django_db


def test_scheduling_writes_an_audit_row_and_defaults_the_title(world):
    event = schedule(world, kind=K.MEETING)
    assert event.title == str(K.MEETING.label)
    assert event.audience == ScheduledEvent.Audience.ALL  # the meeting is for everyone
    assert AuditEvent.objects.filter(
        action="appraisal.event.scheduled", object_id=str(event.pk)
    ).exists()


def test_the_database_refuses_an_unannounced_visit_that_leaves_its_group(world):
    event = schedule(
        world, kind=K.UNANNOUNCED_VISIT, appraisal=world.appraisal_a, actor=world.leader
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduledEvent.objects.filter(pk=event.pk).update(audience="all")
    with pytest.raises(DomainError):
        schedule(world, kind=K.UNANNOUNCED_VISIT)  # no unit to visit


def test_a_closed_campaign_takes_no_new_events(world):
    world.campaign.phase = "closed"
    world.campaign.save(update_fields=["phase"])
    with pytest.raises(NotAllowed):
        schedule(world, kind=K.MEETING)


def test_cancel_needs_a_reason_and_moves_follow_the_table(world, login):
    ag = agenda(world)
    client = login(world.office)
    url = reverse("appraisal:event_move", args=[ag.meeting.pk])
    client.post(url, {"to": "cancelled", "note": ""})
    ag.meeting.refresh_from_db()
    assert ag.meeting.status == "scheduled"
    client.post(url, {"to": "cancelled", "note": "会期调整"})
    ag.meeting.refresh_from_db()
    assert ag.meeting.status == "cancelled" and ag.meeting.status_note == "会期调整"
    client.post(url, {"to": "held"})  # not from cancelled
    ag.meeting.refresh_from_db()
    assert ag.meeting.status == "cancelled"
    client.post(url, {"to": "scheduled"})
    ag.meeting.refresh_from_db()
    assert ag.meeting.status == "scheduled" and ag.meeting.sequence == 2
    assert AuditEvent.objects.filter(action="appraisal.event.reinstated").count() == 1
    # A unit's team sees the meeting but cannot move it.
    assert login(world.liaison_a).post(url, {"to": "cancelled", "note": "x"}).status_code == 403


def test_record_as_held_opens_the_activity_form_prefilled_and_links_the_record(world, login):
    event = schedule(
        world, kind=K.SYMPOSIUM, appraisal=world.appraisal_a, actor=world.leader,
        title="住建座谈会", place="三楼会议室", notes="听取物业企业意见",
    )  # fmt: skip
    client = login(world.leader)
    detail = client.get(reverse("appraisal:event", args=[event.pk])).content.decode()
    record_url = reverse("surveys:activity_from_event", args=[event.pk])
    assert record_url in detail
    form = client.get(record_url).content.decode()
    assert "三楼会议室" in form and "听取物业企业意见" in form and soon().isoformat() in form
    response = client.post(
        record_url,
        {"kind": "symposium", "held_on": soon().isoformat(), "place": "三楼会议室",
         "participants": "", "summary": "与物业企业座谈，听取意见"},
    )  # fmt: skip
    assert response.status_code == 302
    activity = InvestigationActivity.objects.get()
    event.refresh_from_db()
    assert activity.event == event and event.status == "held"
    detail = client.get(reverse("appraisal:event", args=[event.pk])).content.decode()
    assert record_url not in detail
    assert reverse("surveys:activities", args=[world.appraisal_a.pk]) in detail
    # Recording it twice is refused, and so is a unit's team.
    with pytest.raises(DomainError):
        findings.activity_record(
            appraisal=world.appraisal_a, actor=world.leader, kind="symposium",
            held_on=soon(), place="", participants="", summary="again", event=event,
        )  # fmt: skip
    assert InvestigationActivity.objects.count() == 1
    assert login(world.liaison_a).get(record_url).status_code == 403


def test_record_as_held_is_refused_for_a_meeting_or_a_cancelled_event(world, login):
    ag = agenda(world)
    client = login(world.office)
    assert (
        client.get(reverse("surveys:activity_from_event", args=[ag.meeting.pk])).status_code == 404
    )
    services.event_move(event=ag.symposium_a, actor=world.office, to="cancelled", note="改期")
    with pytest.raises(DomainError):
        findings.activity_record(
            appraisal=world.appraisal_a, actor=world.leader, kind="symposium", held_on=soon(),
            place="", participants="", summary="座谈", event=ag.symposium_a,
        )  # fmt: skip
    with pytest.raises(DomainError):  # an event of another unit
        findings.activity_record(
            appraisal=world.appraisal_a, actor=world.office, kind="symposium", held_on=soon(),
            place="", participants="", summary="座谈", event=ag.symposium_b,
        )  # fmt: skip
    assert not InvestigationActivity.objects.exists()


def test_changing_an_event_is_audited_with_what_changed(world):
    event = schedule(world, kind=K.MEETING, title="会议")
    services.event_save(
        actor=world.office, campaign=world.campaign, event=event, appraisal=None, kind=K.MEETING,
        title="会议", starts_at=at(soon(4), 14), place="二楼",
    )  # fmt: skip
    row = AuditEvent.objects.get(action="appraisal.event.changed")
    assert set(row.data["fields"]) == {"starts_at", "ends_at", "place"}


def test_an_unannounced_visit_cannot_be_turned_into_a_public_event(world, login):
    ag = agenda(world)
    for change in (
        {"kind": K.MEETING, "appraisal": world.appraisal_a},
        {"kind": K.UNANNOUNCED_VISIT, "appraisal": world.appraisal_b},
    ):
        with pytest.raises(DomainError):
            services.event_save(
                actor=world.office, campaign=world.campaign, event=ag.visit_a, title="会议",
                starts_at=ag.visit_a.starts_at, audience="all", **change,
            )  # fmt: skip
    ag.visit_a.refresh_from_db()
    assert ag.visit_a.secret and ag.visit_a.appraisal == world.appraisal_a
    assert not ScheduledEvent.objects.visible_to(world.deputy).filter(pk=ag.visit_a.pk).exists()
    response = login(world.office).post(
        reverse("appraisal:event_edit", args=[ag.visit_a.pk]),
        {"appraisal": "", "kind": "meeting", "day": "2026-06-01", "audience": "all"},
    )
    assert response.status_code == 200
    ag.visit_a.refresh_from_db()
    assert ag.visit_a.secret
