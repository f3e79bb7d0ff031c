from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from appraisal.access import is_investigator
from appraisal.homes import Section
from appraisal.models import Appraisal, Campaign, ScheduledEvent, User, WorkGroupMember
from appraisal.stages import Link, StageStatus
from surveys import feedback
from surveys.findings.services import OPEN_PHASES
from surveys.models import Finding, InvestigationActivity

OPEN_STATUSES = (Finding.Status.RECEIVED, Finding.Status.VERIFYING)


def findings_for(user: User, appraisal: Appraisal, filters: dict[str, str]) -> QuerySet[Finding]:
    findings = (
        Finding.objects.visible_to(user)
        .filter(appraisal=appraisal)
        .select_related("activity", "submitted_by")
    )
    for name in ("status", "topic", "source"):
        if filters.get(name):
            findings = findings.filter(**{name: filters[name]})
    if filters.get("prominent"):
        findings = findings.filter(prominent=True)
    return findings


def activities_of(appraisal: Appraisal) -> QuerySet[InvestigationActivity]:
    return (
        InvestigationActivity.objects.filter(appraisal=appraisal)
        .select_related("recorded_by")
        .prefetch_related("attachments")
    )


def opinions_of_deputy(user: User) -> QuerySet[Finding]:
    """The opinions a deputy submitted, to follow their progress."""
    return (
        Finding.objects.filter(submitted_by=user, source=Finding.Source.DEPUTY)
        .select_related("appraisal__unit")
        .order_by("-created_at")
    )


def finding_by_receipt(code: str) -> Finding | None:
    """The public opinion behind a receipt code (the caller shows only its status)."""
    return Finding.objects.filter(receipt_code=code).select_related("appraisal__unit").first()


def appraisals_taking_opinions() -> QuerySet[Appraisal]:
    return (
        Appraisal.objects.filter(campaign__phase__in=OPEN_PHASES)
        .select_related("unit", "campaign")
        .order_by("-campaign__year", "sort_order")
    )


def investigation_stage(
    campaign: Campaign, appraisals: Sequence[Appraisal]
) -> dict[int, StageStatus]:
    """The overview's findings column: one query for every appraisal of the campaign."""
    rows = (
        Finding.objects.filter(appraisal__in=[a.pk for a in appraisals])
        .values("appraisal_id")
        .annotate(
            n=Count("id"),
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            verified=Count("id", filter=Q(status="verified")),
            forwarded=Count("id", filter=Q(forwarded_at__isnull=False)),
        )
    )
    counts = {row["appraisal_id"]: row for row in rows}
    out = {}
    for a in appraisals:
        row = counts.get(a.pk)
        if row is None:
            out[a.pk] = StageStatus("todo", str(_("no findings yet")))
            continue
        text = _("%(n)d findings: %(open)d to verify, %(verified)d verified, %(fwd)d forwarded") % {
            "n": row["n"],
            "open": row["open"],
            "verified": row["verified"],
            "fwd": row["forwarded"],
        }
        out[a.pk] = StageStatus("progress" if row["open"] else "done", text)
    return out


def activity_links(user: User, appraisal: Appraisal) -> list[Link]:
    """The appraisal page's way to the activities, for those who investigate it."""
    if not is_investigator(user, appraisal):
        return []
    n = InvestigationActivity.objects.filter(appraisal=appraisal).count()
    url = reverse("surveys:activities", args=[appraisal.pk])
    return [Link(_("Investigation activities"), url, str(n))]


def finding_links(user: User, appraisal: Appraisal) -> list[Link]:
    """Findings for the work group (with how many wait for verification); for the unit,
    the problems forwarded to it."""
    counts = (
        Finding.objects.visible_to(user)
        .filter(appraisal=appraisal)
        .aggregate(n=Count("id"), open=Count("id", filter=Q(status__in=OPEN_STATUSES)))
    )
    url = reverse("surveys:findings", args=[appraisal.pk])
    if is_investigator(user, appraisal):
        summary = _("%(n)d, %(open)d to verify") % counts if counts["open"] else str(counts["n"])
        return [Link(_("Findings"), url, summary, primary=True)]
    return [Link(_("Problems forwarded to your unit"), url, str(counts["n"]), primary=True)]


# The deputy's page lists this many of their latest findings; the rest are on their
# opinions page. Either way a fixed number of queries.
DEPUTY_PAGE_FINDINGS = 20


def mine_with_progress(user: User, limit: int | None = None) -> tuple[list[Any], bool]:
    """A deputy's own opinions (latest first), each with the progress of the rectification
    items built on it; and whether there are more than ``limit``. Three queries."""
    qs = opinions_of_deputy(user)
    rows = list(qs if limit is None else qs[: limit + 1])
    more = limit is not None and len(rows) > limit
    rows = rows[:limit] if limit is not None else rows
    progress = feedback.progress_for(rows)
    return [(f, progress.get(f.pk, [])) for f in rows], more


def deputy_sections(user: User) -> list[Section]:
    """The deputy's page: the opinions and findings they raised, with their status and,
    once an opinion item rests on one, the progress of the items built on it."""
    mine, more = mine_with_progress(user, DEPUTY_PAGE_FINDINGS)
    return [Section("surveys/findings/_deputy_mine.html", {"mine": mine, "more": more})]


def event_activity_links(user: User, events: Sequence[ScheduledEvent]) -> dict[int, list[Link]]:
    """On a scheduled activity: "record as held" for its work group and the office, then
    the way to the activity once recorded. Two queries, whatever the number of events."""
    candidates = [e for e in events if e.appraisal_id and e.kind in ScheduledEvent.ACTIVITY_KINDS]
    if not candidates or not user.is_authenticated:
        return {}
    groups = set(WorkGroupMember.objects.filter(user=user).values_list("work_group_id", flat=True))
    recorded = set(
        InvestigationActivity.objects.filter(event__in=candidates).values_list(
            "event_id", flat=True
        )
    )
    out: dict[int, list[Link]] = {}
    for event in candidates:
        appraisal = event.appraisal
        if not (user.is_office or (appraisal and appraisal.work_group_id in groups)):
            continue
        if event.pk in recorded:
            url = reverse("surveys:activities", args=[event.appraisal_id])
            out[event.pk] = [Link(_("Activity record"), url)]
        elif event.status != ScheduledEvent.Status.CANCELLED:
            url = reverse("surveys:activity_from_event", args=[event.pk])
            out[event.pk] = [Link(_("Record as held"), url, primary=True)]
    return out
