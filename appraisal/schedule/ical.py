"""A person's events as an iCalendar file (RFC 5545), written by the ``icalendar`` library:
it escapes commas, semicolons and line breaks and folds lines at 75 octets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import icalendar
from django.utils import timezone

from appraisal.models import ScheduledEvent

PRODID = "-//Pingyi//Work appraisal schedule//ZH"
UID_DOMAIN = "pingyi"


def event_uid(event: ScheduledEvent) -> str:
    """Stable for the event's lifetime, whatever changes: calendar programs update in place."""
    return f"{event.uid}@{UID_DOMAIN}"


def _description(event: ScheduledEvent, url: str) -> str:
    lines = []
    if event.appraisal_id:
        lines.append(event.appraisal.unit.name)  # type: ignore[union-attr]
    lines.append(event.get_kind_display())
    if event.status != ScheduledEvent.Status.SCHEDULED:
        lines.append(
            event.get_status_display() + (f"：{event.status_note}" if event.status_note else "")
        )
    if event.notes:
        lines.append(event.notes)
    if url:
        lines.append(url)
    return "\n".join(lines)


def feed_bytes(
    events: Sequence[ScheduledEvent], *, name: str, url_for: dict[int, str] | None = None
) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", timezone.get_current_timezone_name())
    url_for = url_for or {}
    for event in events:
        item = icalendar.Event()
        item.add("uid", event_uid(event))
        item.add("dtstamp", event.updated_at)
        item.add("created", event.created_at)
        item.add("last-modified", event.updated_at)
        item.add("sequence", event.sequence)
        title = event.title
        if event.appraisal_id:
            title = f"{title}（{event.appraisal.unit.name}）"  # type: ignore[union-attr]
        item.add("summary", title)
        if event.all_day:
            first = timezone.localdate(event.starts_at)
            last = timezone.localdate(event.ends_at) if event.ends_at else first
            item.add("dtstart", first)
            item.add("dtend", max(last, first) + timedelta(days=1))
        else:
            item.add("dtstart", timezone.localtime(event.starts_at))
            if event.ends_at:
                item.add("dtend", timezone.localtime(event.ends_at))
        if event.place:
            item.add("location", event.place)
        item.add("description", _description(event, url_for.get(event.pk, "")))
        item.add(
            "status",
            {
                ScheduledEvent.Status.CANCELLED: "CANCELLED",
                ScheduledEvent.Status.HELD: "CONFIRMED",
            }.get(event.status, "CONFIRMED"),  # type: ignore[call-overload]
        )
        item.add("categories", [event.get_kind_display()])
        if event.is_deadline:
            item.add("transp", "TRANSPARENT")
        if url_for.get(event.pk):
            item.add("url", url_for[event.pk])
        cal.add_component(item)
    cal.add_missing_timezones()
    return cal.to_ical()
