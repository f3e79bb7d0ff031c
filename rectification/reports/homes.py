"""The rectification report on the unit's and the work group's home pages: its status, the
reply deadline and what waits on whom. One query for every appraisal on the page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from appraisal.homes import Action, Panel, Todo
from appraisal.models import Appraisal, User
from rectification.opinions.models import AppraisalOpinion
from rectification.reports.models import RectificationReport
from rectification.reports.services import PHASES

S = RectificationReport.Status


def _states(appraisals: Sequence[Appraisal]) -> dict[int, tuple[str, date | None]]:
    """appraisal id -> (report status or "", the opinion's reply deadline)."""
    ids = [a.pk for a in appraisals]
    deadlines = dict(
        AppraisalOpinion.objects.filter(appraisal__in=ids)
        .exclude(status=AppraisalOpinion.Status.DRAFT)
        .values_list("appraisal_id", "reply_deadline")
    )
    statuses = dict(
        RectificationReport.objects.filter(appraisal__in=ids).values_list("appraisal_id", "status")
    )
    return {pk: (statuses.get(pk, ""), deadline) for pk, deadline in deadlines.items()}


def unit_panels(user: User, appraisals: Sequence[Appraisal]) -> dict[int, list[Panel]]:
    states = _states(appraisals)
    labels = dict(S.choices)
    out: dict[int, list[Panel]] = {}
    for a in appraisals:
        if a.pk not in states or (a.campaign.phase not in PHASES and not states[a.pk][0]):
            continue
        status, deadline = states[a.pk]
        url = reverse("rectification:report", args=[a.pk])
        panel = Panel(title=_("Rectification report"))
        if status:
            panel.items.append((f"{_('Rectification report')}：{labels[status]}", url, None))
        if status in ("", S.DRAFT) and a.campaign.phase in PHASES:
            panel.todos.append(
                Todo(_("Write the rectification report and submit it."), url, deadline)
            )
        elif status == S.RETURNED:
            panel.todos.append(Todo(_("The rectification report was returned: revise it."), url))
        panel.actions.append(
            Action(_("Rectification report"), url, primary=status in ("", S.DRAFT))
        )
        out[a.pk] = [panel]
    return out


def work_group_panels(user: User, appraisals: Sequence[Appraisal]) -> dict[int, list[Panel]]:
    states = _states(appraisals)
    out: dict[int, list[Panel]] = {}
    for a in appraisals:
        status = states.get(a.pk, ("", None))[0]
        if status != S.SUBMITTED:
            continue
        url = reverse("rectification:report", args=[a.pk])
        panel = Panel(title=_("Rectification report"))
        panel.todos.append(Todo(_("The unit submitted its rectification report: review it."), url))
        panel.actions.append(Action(_("Rectification report"), url))
        out[a.pk] = [panel]
    return out
