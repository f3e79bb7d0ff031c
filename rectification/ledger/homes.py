"""The ledger on the unit's and the work group's home pages: counts, what waits on whom,
and the way in. One query for every appraisal on the page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.homes import Action, Panel, Todo
from appraisal.homes import Count as Figure
from appraisal.models import Appraisal, User
from rectification.ledger.models import RectificationItem
from rectification.ledger.selectors import overdue_q
from rectification.ledger.services import DRAFT_PHASES

S = RectificationItem.Status


def _counts(appraisals: Sequence[Appraisal]) -> dict[int, dict[str, Any]]:
    return {
        r["appraisal_id"]: r
        for r in RectificationItem.objects.filter(appraisal__in=[a.pk for a in appraisals])
        .values("appraisal_id")
        .annotate(
            total=Count("id"),
            drafts=Count("id", filter=Q(status=S.DRAFT)),
            submitted=Count("id", filter=Q(status=S.SUBMITTED)),
            done=Count("id", filter=Q(status=S.DONE)),
            returned=Count("id", filter=Q(status=S.RETURNED)),
            n_closed=Count("id", filter=Q(status__in=RectificationItem.FINISHED)),
            overdue=Count("id", filter=overdue_q(timezone.localdate())),
        )
    }


def _panel(a: Appraisal, r: dict[str, Any]) -> tuple[Panel, str]:
    url = reverse("rectification:ledger", args=[a.pk])
    panel = Panel(title=_("Rectification ledger"))
    panel.counts += [
        Figure(_("Rectification items"), r.get("total", 0), url),
        Figure(_("Closed or explained"), r.get("n_closed", 0), url),
        Figure(_("Overdue"), r.get("overdue", 0), f"{url}?overdue=1", bool(r.get("overdue"))),
    ]
    return panel, url


def unit_panels(user: User, appraisals: Sequence[Appraisal]) -> dict[int, list[Panel]]:
    counts = _counts(appraisals)
    out: dict[int, list[Panel]] = {}
    for a in appraisals:
        r = counts.get(a.pk, {})
        if not r and a.campaign.phase not in DRAFT_PHASES:
            continue
        panel, url = _panel(a, r)
        if not r:
            panel.todos.append(Todo(_("Build the rectification items from the opinion."), url))
        if r.get("drafts"):
            panel.todos.append(
                Todo(_("%(n)d plans are drafts: submit them.") % {"n": r["drafts"]}, url)
            )
        if r.get("returned"):
            panel.todos.append(
                Todo(
                    _("%(n)d items were returned: continue the work.") % {"n": r["returned"]},
                    f"{url}?status=returned",
                )
            )
        panel.actions.append(Action(_("Rectification ledger"), url, primary=True))
        out[a.pk] = [panel]
    return out


def work_group_panels(user: User, appraisals: Sequence[Appraisal]) -> dict[int, list[Panel]]:
    counts = _counts(appraisals)
    out: dict[int, list[Panel]] = {}
    for a in appraisals:
        r = counts.get(a.pk)
        if not r:
            continue
        panel, url = _panel(a, r)
        if r["submitted"]:
            panel.todos.append(
                Todo(
                    _("%(n)d plans wait for approval.") % {"n": r["submitted"]},
                    f"{url}?status=submitted",
                )
            )
        if r["done"]:
            panel.todos.append(
                Todo(
                    _("%(n)d items are done: check them and close them.") % {"n": r["done"]},
                    f"{url}?status=done",
                )
            )
        panel.actions.append(Action(_("Rectification ledger"), url))
        out[a.pk] = [panel]
    return out
