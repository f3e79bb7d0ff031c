"""Writes of the plan and the schedule: each atomic, each audited."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.audit import audit_log
from appraisal.errors import DomainError, NotAllowed
from appraisal.models import (
    Appraisal,
    CalendarFeed,
    Campaign,
    ImplementationPlan,
    PhasePlan,
    ScheduledEvent,
    User,
)
from appraisal.schedule.access import can_manage_event, can_schedule
from appraisal.uploads import check_upload


class ScheduleError(DomainError):
    pass


def _require_office(actor: User) -> None:
    if not actor.is_office:
        raise NotAllowed(_("Only the leading-group office can do this."))


def plan_save(
    *,
    campaign: Campaign,
    actor: User,
    title: str,
    text: str,
    upload: UploadedFile | None = None,
    remove_file: bool = False,
) -> ImplementationPlan:
    """Save the campaign's implementation plan: its text and/or a file (checked by
    ``appraisal.uploads``); a new file replaces the old one."""
    _require_office(actor)
    if upload is not None:
        check_upload(upload)
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        plan, created = ImplementationPlan.objects.get_or_create(
            campaign=campaign, defaults={"title": title, "updated_by": actor}
        )
        changed = [f for f, v in (("title", title), ("text", text)) if getattr(plan, f) != v]
        plan.title, plan.text, plan.updated_by = title, text, actor
        if upload is not None:
            plan.file = upload  # type: ignore[assignment]
            plan.original_name = (upload.name or "")[:200]
            plan.content_type = check_upload(upload)[1]
            plan.size = upload.size or 0
            changed.append("file")
        elif remove_file and plan.file:
            plan.file = ""  # type: ignore[assignment]
            plan.original_name, plan.content_type, plan.size = "", "", 0
            changed.append("file")
        plan.save()
        audit_log(
            actor=actor,
            action="appraisal.plan.saved",
            obj=plan,
            campaign=campaign,
            data={"created": created, "fields": sorted(set(changed))},
        )
    return plan


def phase_plan_save(
    *, campaign: Campaign, actor: User, dates: dict[str, tuple[date, date] | None]
) -> list[PhasePlan]:
    """Set (or clear, with None) the planned start and end of each phase given."""
    _require_office(actor)
    for phase, span in dates.items():
        if phase not in Campaign.Phase.values:
            raise ScheduleError(_("Unknown phase."))
        if span is not None and span[1] < span[0]:
            raise ScheduleError(_("A phase cannot end before it starts."))
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        existing = {p.phase: p for p in PhasePlan.objects.filter(campaign=campaign)}
        changes: dict[str, Any] = {}
        for phase, span in dates.items():
            current = existing.get(phase)
            if span is None:
                if current is not None:
                    current.delete()
                    changes[phase] = None
                continue
            if current is None:
                PhasePlan.objects.create(
                    campaign=campaign, phase=phase, planned_start=span[0], planned_end=span[1]
                )
            elif (current.planned_start, current.planned_end) != span:
                current.planned_start, current.planned_end = span
                current.save(update_fields=["planned_start", "planned_end"])
            else:
                continue
            changes[phase] = [span[0].isoformat(), span[1].isoformat()]
        if changes:
            audit_log(
                actor=actor,
                action="appraisal.plan.phase_dates",
                obj=campaign,
                campaign=campaign,
                data={"phases": changes},
            )
    return list(PhasePlan.objects.filter(campaign=campaign))


def _check_event(
    *,
    campaign: Campaign,
    appraisal: Appraisal | None,
    kind: str,
    starts_at: datetime,
    ends_at: datetime | None,
) -> None:
    if kind not in ScheduledEvent.Kind.values:
        raise ScheduleError(_("Unknown kind of event."))
    if appraisal is not None and appraisal.campaign_id != campaign.pk:
        raise ScheduleError(_("That unit is not appraised in this campaign."))
    if kind == ScheduledEvent.Kind.UNANNOUNCED_VISIT and appraisal is None:
        raise ScheduleError(_("An unannounced visit needs the unit it visits."))
    if timezone.is_naive(starts_at) or (ends_at is not None and timezone.is_naive(ends_at)):
        raise ScheduleError("naive datetime")
    if ends_at is not None and ends_at < starts_at:
        raise ScheduleError(_("The event cannot end before it starts."))


def _audience(kind: str, audience: str) -> str:
    if kind == ScheduledEvent.Kind.UNANNOUNCED_VISIT:
        return ScheduledEvent.Audience.GROUP  # never announced, before or after
    if audience in ScheduledEvent.Audience.values:
        return audience
    return ScheduledEvent.DEFAULT_AUDIENCE.get(kind, ScheduledEvent.Audience.UNIT)  # type: ignore[call-overload]


def event_save(
    *,
    actor: User,
    campaign: Campaign,
    appraisal: Appraisal | None,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    all_day: bool = False,
    place: str = "",
    notes: str = "",
    audience: str = "",
    event: ScheduledEvent | None = None,
) -> ScheduledEvent:
    """Schedule an event, or change one (``event``). The office schedules anything; a work
    group its own appraisals' activities. An unannounced visit stays with its work group."""
    _check_event(
        campaign=campaign, appraisal=appraisal, kind=kind, starts_at=starts_at, ends_at=ends_at
    )
    if not can_schedule(actor, campaign, appraisal, kind):
        raise NotAllowed(_("You cannot schedule this event."))
    values = {
        "appraisal": appraisal,
        "kind": kind,
        "title": title or str(ScheduledEvent.Kind(kind).label),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "all_day": all_day,
        "place": place,
        "notes": notes,
        "audience": _audience(kind, audience),
    }
    with transaction.atomic():
        if event is None:
            saved = ScheduledEvent.objects.create(campaign=campaign, created_by=actor, **values)
            audit_log(
                actor=actor,
                action="appraisal.event.scheduled",
                obj=saved,
                campaign=campaign,
                data={
                    "kind": kind,
                    "appraisal": appraisal.pk if appraisal else None,
                    "starts_at": starts_at,
                    "audience": saved.audience,
                },
            )
            return saved
        locked = ScheduledEvent.objects.select_for_update().get(pk=event.pk)
        if not can_manage_event(actor, locked):
            raise NotAllowed(_("You cannot change this event."))
        if locked.secret and (kind != locked.kind or values["appraisal"] != locked.appraisal):
            # Turning it into something else, or moving it to another unit, would show its
            # date and target to people it was kept from.
            raise ScheduleError(
                _("An unannounced visit stays an unannounced visit of the same unit.")
            )
        before = {k: getattr(locked, k) for k, v in values.items() if getattr(locked, k) != v}
        if not before:
            return locked
        for name in before:
            setattr(locked, name, values[name])
        locked.sequence += 1
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*before, "sequence", "updated_at"])
        audit_log(
            actor=actor,
            action="appraisal.event.changed",
            obj=locked,
            campaign=campaign,
            data={"fields": sorted(before), "before": {k: str(v) for k, v in before.items()}},
        )
    return locked


def event_move(
    *, event: ScheduledEvent, actor: User, to: str, note: str = "", check: bool = True
) -> ScheduledEvent:
    """Move an event along ``ScheduledEvent.TRANSITIONS``: held, cancelled (with a reason),
    or back to scheduled. ``check=False`` is for the investigation's "record as held",
    which checks the recorder itself."""
    with transaction.atomic():
        locked = (
            ScheduledEvent.objects.select_for_update(of=("self",))
            .select_related("campaign", "appraisal")
            .get(pk=event.pk)
        )
        if check and not can_manage_event(actor, locked):
            raise NotAllowed(_("You cannot change this event."))
        if to not in ScheduledEvent.TRANSITIONS.get(locked.status, set()):
            raise ScheduleError(
                _("The event is “%(status)s”; it cannot move to that.")
                % {"status": locked.get_status_display()}
            )
        if to == ScheduledEvent.Status.CANCELLED and not note.strip():
            raise ScheduleError(_("Say why the event is cancelled."))
        before = locked.status
        locked.status = to
        locked.status_note = note.strip()[:500]
        locked.sequence += 1
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "status_note", "sequence", "updated_at"])
        audit_log(
            actor=actor,
            action="appraisal.event.held"
            if to == ScheduledEvent.Status.HELD
            else "appraisal.event.cancelled"
            if to == ScheduledEvent.Status.CANCELLED
            else "appraisal.event.reinstated",
            obj=locked,
            campaign=locked.campaign,
            data={"from": before, "note": locked.status_note},
        )
    return locked


def feed_reset(*, user: User) -> CalendarFeed:
    """Give the person a new secret calendar address; the old one stops working at once."""
    with transaction.atomic():
        # The person's row is the lock: two clicks at once, before any address exists,
        # would otherwise both create one.
        User.objects.select_for_update().filter(pk=user.pk).first()
        feed = CalendarFeed.objects.filter(user=user).first()
        token = secrets.token_urlsafe(24)  # 32 characters of the <token:…> alphabet
        if feed is None:
            feed = CalendarFeed.objects.create(user=user, token=token)
            action = "appraisal.calendar_feed.created"
        else:
            feed.token, feed.created_at = token, timezone.now()
            feed.save(update_fields=["token", "created_at"])
            action = "appraisal.calendar_feed.reset"
        audit_log(actor=user, action=action, obj=user)
    return feed
