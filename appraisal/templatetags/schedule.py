"""Template tags of the schedule, so the pages that show a schedule panel (the deputy's
home, the office overview) need no change to their views."""

from __future__ import annotations

from typing import Any

from django import template

from appraisal.models import Campaign, ScheduledEvent
from appraisal.schedule import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def my_next_events(context: dict[str, Any], limit: int = 5) -> list[ScheduledEvent]:
    request = context.get("request")
    if request is None:
        return []
    return selectors.next_events(request.user, limit)


@register.inclusion_tag("appraisal/schedule/_plan_panel.html")
def plan_panel(campaign: Campaign) -> dict[str, Any]:
    rows = selectors.phase_rows(campaign)
    return {
        "campaign": campaign,
        # The overview keeps it short: the current phase and whatever is late; the plan
        # page has every phase.
        "rows": [r for r in rows if r.late or r.state == "current"],
        "planned": any(r.planned_start for r in rows),
        "late": sum(1 for r in rows if r.late),
    }
