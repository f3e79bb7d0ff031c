"""The investigation's blocks on the work group's and the unit's home pages."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count as CountOf
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from appraisal.homes import Action, Count, Panel, Todo
from appraisal.models import Appraisal, Campaign, User
from surveys.models import Finding, InvestigationActivity, Survey

# Phases in which recording activities is the work group's main task.
INVESTIGATING = {Campaign.Phase.PREPARATION, Campaign.Phase.INVESTIGATION}
RECENT = 5  # forwarded findings listed on the unit's home page


def work_group_panels(user: User, appraisals: Sequence[Appraisal]) -> dict[int, list[Panel]]:
    """Activities, findings by status and open questionnaires: three queries."""
    ids = [a.pk for a in appraisals]
    activities = dict(
        InvestigationActivity.objects.filter(appraisal__in=ids)
        .values("appraisal_id")
        .annotate(n=CountOf("id"))
        .values_list("appraisal_id", "n")
    )
    findings = {
        row["appraisal_id"]: row
        for row in Finding.objects.filter(appraisal__in=ids)
        .values("appraisal_id")
        .annotate(
            received=CountOf("id", filter=Q(status=Finding.Status.RECEIVED)),
            verifying=CountOf("id", filter=Q(status=Finding.Status.VERIFYING)),
            verified=CountOf("id", filter=Q(status=Finding.Status.VERIFIED)),
            unfounded=CountOf("id", filter=Q(status=Finding.Status.UNFOUNDED)),
            unforwarded=CountOf(
                "id", filter=Q(status=Finding.Status.VERIFIED, forwarded_at__isnull=True)
            ),
            forwarded=CountOf("id", filter=Q(forwarded_at__isnull=False)),
        )
    }
    today = timezone.localdate()
    open_surveys = dict(
        Survey.objects.filter(appraisal__in=ids, state=Survey.State.OPEN)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .values("appraisal_id")
        .annotate(n=CountOf("id"))
        .values_list("appraisal_id", "n")
    )
    out: dict[int, list[Panel]] = {}
    for a in appraisals:
        row = findings.get(a.pk, {})
        findings_url = reverse("surveys:findings", args=[a.pk])
        to_verify = row.get("received", 0) + row.get("verifying", 0)
        panel = Panel(
            title=_("Investigation"),
            counts=[
                Count(
                    _("Activities"),
                    activities.get(a.pk, 0),
                    reverse("surveys:activities", args=[a.pk]),
                ),
                Count(
                    _("Received"),
                    row.get("received", 0),
                    f"{findings_url}?status=received",
                    attention=bool(row.get("received")),
                ),
                Count(
                    _("Being verified"),
                    row.get("verifying", 0),
                    f"{findings_url}?status=verifying",
                    attention=bool(row.get("verifying")),
                ),
                Count(_("Verified"), row.get("verified", 0), f"{findings_url}?status=verified"),
                Count(
                    _("Not substantiated"),
                    row.get("unfounded", 0),
                    f"{findings_url}?status=unfounded",
                ),
                Count(_("Forwarded"), row.get("forwarded", 0), findings_url),
                Count(
                    _("Open questionnaires"),
                    open_surveys.get(a.pk, 0),
                    reverse("surveys:survey_list", args=[a.pk]),
                ),
            ],
            actions=[
                Action(
                    _("Record an activity"),
                    reverse("surveys:activities", args=[a.pk]),
                    primary=a.campaign.phase in INVESTIGATING,
                ),
                Action(_("Record a finding"), f"{findings_url}#record"),
                Action(_("Questionnaires"), reverse("surveys:survey_list", args=[a.pk])),
            ],
        )
        if to_verify:
            panel.todos.append(
                Todo(
                    ngettext("Verify %(n)d finding.", "Verify %(n)d findings.", to_verify)
                    % {"n": to_verify},
                    findings_url,
                )
            )
        if row.get("unforwarded"):
            n = row["unforwarded"]
            panel.todos.append(
                Todo(
                    ngettext(
                        "Forward %(n)d verified finding to the unit.",
                        "Forward %(n)d verified findings to the unit.",
                        n,
                    )
                    % {"n": n},
                    f"{findings_url}?status=verified",
                )
            )
        if not activities.get(a.pk) and not row:
            panel.todos.append(
                Todo(_("Nothing recorded yet: start with an activity."),
                     reverse("surveys:activities", args=[a.pk]))
            )  # fmt: skip
        out[a.pk] = [panel]
    return out


def unit_panels(user: User, appraisals: Sequence[Appraisal]) -> dict[int, list[Panel]]:
    """What was forwarded to the unit: the count and the latest few, two queries."""
    ids = [a.pk for a in appraisals]
    forwarded = Finding.objects.filter(
        appraisal__in=ids, status=Finding.Status.VERIFIED, forwarded_at__isnull=False
    )
    counts = {
        row[0]: row[1:]
        for row in forwarded.values("appraisal_id")
        .annotate(n=CountOf("id"), unanswered=CountOf("id", filter=Q(answer__isnull=True)))
        .values_list("appraisal_id", "n", "unanswered")
    }
    recent = (
        forwarded.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("appraisal_id")],
                order_by=[F("forwarded_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=RECENT)
        .only("id", "appraisal_id", "text", "forwarded_at")
        .order_by("-forwarded_at", "-id")
    )
    latest: dict[int, list[Finding]] = {}
    for f in recent:
        latest.setdefault(f.appraisal_id, []).append(f)
    out: dict[int, list[Panel]] = {}
    for a in appraisals:
        n, unanswered = counts.get(a.pk, (0, 0))
        url = reverse("surveys:findings", args=[a.pk])
        panel = Panel(
            title=_("Problems forwarded to your unit"),
            counts=[Count(_("Forwarded to you"), n, url, attention=bool(unanswered))],
            items=[
                (
                    f.text if len(f.text) <= 40 else f.text[:39] + "…",
                    f.get_absolute_url(),
                    timezone.localdate(f.forwarded_at) if f.forwarded_at else None,
                )
                for f in latest.get(a.pk, [])
            ],
            items_title=_("Latest"),
            actions=[Action(_("All forwarded problems"), url, primary=bool(unanswered))],
        )
        if unanswered:
            # Done once each has its answer (frozen with the self-review).
            panel.todos.append(
                Todo(
                    ngettext(
                        "Study and address the %(n)d problem the work group forwarded.",
                        "Study and address the %(n)d problems the work group forwarded.",
                        unanswered,
                    )
                    % {"n": unanswered},
                    reverse("surveys:finding_answers", args=[a.pk]),
                )
            )
        out[a.pk] = [panel]
    return out
