"""Reads of the rectification report: the ledger's counts, the text generated from the
ledger, the versions, and what the overview, the round set-up and the ballot show. Each
takes a fixed number of queries, whatever the number of items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import PurePath
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisal.documents.official import chinese_date, chinese_number
from appraisal.models import Appraisal, Campaign, ScoringRound
from appraisal.stages import Link, Prerequisite, StageStatus
from rectification.ledger.models import RectificationItem
from rectification.ledger.selectors import overdue_q
from rectification.opinions.models import AppraisalOpinion
from rectification.reports.models import (
    COUNT_FIELDS,
    RectificationReport,
    RectificationReportVersion,
)

Status = RectificationItem.Status
# Left for the unit to write before the head approves: the generator cannot know it.
TO_FILL = "【请填写"


def report_of(appraisal: Appraisal) -> RectificationReport | None:
    return (
        RectificationReport.objects.select_related("approved_by", "updated_by")
        .filter(appraisal=appraisal)
        .first()
    )


def versions_of(appraisal: Appraisal) -> list[RectificationReportVersion]:
    return list(
        RectificationReportVersion.objects.filter(report__appraisal=appraisal)
        .select_related("submitted_by", "approved_by", "reviewed_by")
        .order_by("number")
    )


def issued_opinion(appraisal: Appraisal) -> AppraisalOpinion | None:
    return (
        AppraisalOpinion.objects.filter(appraisal=appraisal)
        .exclude(status=AppraisalOpinion.Status.DRAFT)
        .first()
    )


def ledger_counts(appraisal: Appraisal, today: date | None = None) -> dict[str, int]:
    """The ledger now: every item, and how many are closed (销号), explained, overdue and
    still being worked on — the last four add up to the total. One query."""
    today = today or timezone.localdate()
    row = RectificationItem.objects.filter(appraisal=appraisal).aggregate(
        total=Count("id"),
        closed=Count("id", filter=Q(status=Status.CLOSED)),
        explained=Count("id", filter=Q(status=Status.EXPLAINED)),
        overdue=Count("id", filter=overdue_q(today)),
    )
    counts = {k: int(v or 0) for k, v in row.items()}
    counts["in_progress"] = (
        counts["total"] - counts["closed"] - counts["explained"] - counts["overdue"]
    )
    return counts


COUNT_LABELS = {
    "total": gettext_lazy("Rectification items"),
    "closed": gettext_lazy("Closed (销号)"),
    "in_progress": gettext_lazy("Being rectified"),
    "overdue": gettext_lazy("Overdue"),
    "explained": gettext_lazy("Explained"),
}


def count_tiles(counts: dict[str, int]) -> list[tuple[Any, int, bool]]:
    """(label, number, needs attention) in the pages' order."""
    return [(COUNT_LABELS[k], counts[k], k == "overdue" and counts[k] > 0) for k in COUNT_FIELDS]


def default_title(appraisal: Appraisal) -> str:
    return f"关于{appraisal.campaign.year}年度工作评议意见整改落实情况的报告"


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text[-1] in "。！？；" else f"{text}。"


def _item_text(item: RectificationItem, n: int, today: date) -> str:
    lines = [f"（{chinese_number(n)}）{' '.join(item.problem.split())}"]
    if item.category == RectificationItem.Category.EXPLANATION:
        lines.append(f"情况说明：{_sentence(item.explanation)}")
    else:
        plan = f"整改措施：{_sentence(item.measures)}"
        if item.standard:
            plan += f"完成标准：{_sentence(item.standard)}"
        plan += f"责任领导：{item.responsible_leader}；责任科室：{item.responsible_department}"
        if item.deadline:
            plan += f"；完成时限：{chinese_date(item.deadline)}"
        lines.append(plan + "。")
    progress = list(item.progress.all())  # prefetched, newest first
    if progress:
        last = progress[0]
        lines.append(f"整改进展（{chinese_date(last.day)}）：{_sentence(last.text)}")
    names: dict[str, int] = {}
    for e in item.evidence.all():
        # A document names its materials, not their files: 现场照片, not 现场照片.png.
        name = PurePath(e.original_name).stem or e.original_name
        names[name] = names.get(name, 0) + 1
    if names:
        listed = [name if n == 1 else f"{name}（{n}份）" for name, n in names.items()]
        lines.append(f"佐证材料：{'、'.join(listed)}。")
    if item.status == Status.CLOSED:
        when = chinese_date(item.closed_on) if item.closed_on else ""
        lines.append(f"完成情况：已整改到位，经工作组核查于{when}销号。")
    elif item.status == Status.EXPLAINED:
        lines.append("完成情况：说明已经工作组认可。")
    elif item.status == Status.DONE:
        lines.append("完成情况：整改任务已完成，佐证材料已报工作组核查，待销号。")
    else:
        left = item.days_left(today)
        state = f"完成情况：{item.get_status_display()}，进度{item.percent}%。"
        if left is not None and left < 0:
            state += f"已超过完成时限{-left}天。{TO_FILL}未按期完成的原因和下一步措施。】"
        elif item.category == RectificationItem.Category.GRADUAL:
            state += "属逐步解决事项，将按年度计划持续推进。"
        else:
            state += f"{TO_FILL}尚未完成的原因和完成计划。】"
        lines.append(state)
    return "\n".join(lines)


def compose(appraisal: Appraisal, today: date | None = None) -> tuple[str, list[dict[str, Any]]]:
    """The report as generated from the ledger: an opening with the counts, one section per
    opinion item (what was done, the evidence, what remains and why) and the next steps.
    Four queries whatever the number of items."""
    today = today or timezone.localdate()
    opinion = issued_opinion(appraisal)
    opinion_items = list(opinion.items.order_by("number")) if opinion else []
    items: dict[int, list[RectificationItem]] = defaultdict(list)
    for item in (
        RectificationItem.objects.filter(appraisal=appraisal)
        .order_by("opinion_item__number", "id")
        .prefetch_related("progress", "evidence")
    ):
        items[item.opinion_item_id].append(item)
    counts = {"total": 0, "closed": 0, "explained": 0, "overdue": 0}
    for rows in items.values():
        for item in rows:
            counts["total"] += 1
            counts["closed"] += item.status == Status.CLOSED
            counts["explained"] += item.status == Status.EXPLAINED
            left = item.days_left(today)
            counts["overdue"] += bool(
                left is not None and left < 0 and item.status not in (Status.DONE,)
            )
    in_progress = counts["total"] - counts["closed"] - counts["explained"] - counts["overdue"]
    source = f"《{opinion.title}》（{opinion.document_number}）" if opinion else "评议意见"
    intro = (
        f"{appraisal.campaign.title.split('人大常委会')[0]}人大常委会{source}印发后，"
        f"我单位高度重视，逐条研究，将{len(opinion_items)}项评议意见细化为"
        f"{counts['total']}项整改事项，明确责任领导、责任科室和完成时限。"
        f"截至{chinese_date(today)}，已整改到位并销号{counts['closed']}项，作出说明并经认可"
        f"{counts['explained']}项，正在整改{in_progress}项，逾期未完成{counts['overdue']}项。"
        "现将整改落实情况报告如下。"
    )
    sections: list[dict[str, Any]] = [{"key": "intro", "heading": "", "text": intro}]
    for op in opinion_items:
        rows = items.get(op.pk, [])
        heading = " ".join((op.problem.splitlines() or [""])[0].split()).rstrip("。")
        text = (
            "\n".join(_item_text(item, n, today) for n, item in enumerate(rows, start=1))
            if rows
            else f"{TO_FILL}本项意见的整改情况。】"
        )
        sections.append({"key": f"item-{op.number}", "heading": heading, "text": text})
    sections.append(
        {"key": "next", "heading": "下一步工作", "text": f"{TO_FILL}下一步工作打算。】"}
    )
    return default_title(appraisal), sections


def to_fill(sections: list[dict[str, Any]]) -> list[str]:
    """Headings (or 开头) of the sections that still hold a 【请填写…】 mark."""
    return [s.get("heading") or "开头" for s in sections if TO_FILL in s.get("text", "")]


# ---- what other pages show -------------------------------------------------------------


def _latest_versions(appraisal_ids: Sequence[int]) -> dict[int, RectificationReportVersion]:
    latest: dict[int, RectificationReportVersion] = {}
    for v in (
        RectificationReportVersion.objects.filter(report__appraisal__in=appraisal_ids)
        .select_related("report")
        .order_by("number")
    ):
        latest[v.report.appraisal_id] = v
    return latest


def report_stage(campaign: Campaign, appraisals: Sequence[Appraisal]) -> dict[int, StageStatus]:
    """The overview's column: status, version, late, and the counts frozen with it."""
    ids = [a.pk for a in appraisals]
    reports = {r.appraisal_id: r for r in RectificationReport.objects.filter(appraisal__in=ids)}
    latest = _latest_versions(ids)
    labels = dict(RectificationReport.Status.choices)
    out = {}
    for a in appraisals:
        report = reports.get(a.pk)
        if report is None:
            out[a.pk] = StageStatus("todo", _("Not generated"))
            continue
        status = report.status
        version = latest.get(a.pk)
        if version is None or status == RectificationReport.Status.DRAFT:
            # A draft the head approved says so: it waits only for the liaison to submit.
            out[a.pk] = StageStatus("progress", report.state_display())
            continue
        c = version.counts()
        counts = _(
            "%(total)d items: %(closed)d closed, %(explained)d explained, "
            "%(in_progress)d in progress, %(overdue)d overdue"
        )
        text = f"{labels[status]} v{version.number}：{counts % c}"
        if version.late:
            text = f"{_('Submitted late')} · {text}"
        state = "done" if status == RectificationReport.Status.ACCEPTED else "progress"
        out[a.pk] = StageStatus("alert" if version.late or c["overdue"] else state, text)
    return out


def round_prerequisites(kind: int, appraisals: Sequence[Appraisal]) -> dict[int, Prerequisite]:
    """Round 2 scores how a unit handled the opinions: a unit that received an opinion needs
    its rectification report submitted (or accepted) first."""
    if kind != ScoringRound.Kind.SECOND:
        return {}
    ids = [a.pk for a in appraisals]
    with_opinion = set(
        AppraisalOpinion.objects.filter(appraisal__in=ids)
        .exclude(status=AppraisalOpinion.Status.DRAFT)
        .values_list("appraisal_id", flat=True)
    )
    reports = dict(
        RectificationReport.objects.filter(appraisal__in=ids).values_list("appraisal_id", "status")
    )
    latest = _latest_versions(ids)
    out = {}
    for a in appraisals:
        if a.pk not in with_opinion:
            out[a.pk] = Prerequisite(_("no appraisal opinion issued"), met=False, blocking=True)
            continue
        version = latest.get(a.pk)
        if reports.get(a.pk) in RectificationReport.STANDING and version is not None:
            text = _("rectification report submitted %(day)s") % {
                "day": timezone.localdate(version.submitted_at).isoformat()
            }
            if version.late:
                text += f"（{_('late')}）"
            out[a.pk] = Prerequisite(
                text, met=True, url=reverse("rectification:report", args=[a.pk])
            )
        elif reports.get(a.pk) == RectificationReport.Status.RETURNED:
            out[a.pk] = Prerequisite(
                _("rectification report returned, being revised"), met=False, blocking=True
            )
        else:
            out[a.pk] = Prerequisite(
                _("rectification report not submitted"), met=False, blocking=True
            )
    return out


def ballot_links(
    user: Any, round_id: int, kind: int, appraisal_ids: Sequence[int], code: str | None
) -> dict[int, list[Link]]:
    """On a second round's ballot, each unit's submitted rectification report (for a voter
    with a one-time code, through the code)."""
    if kind != ScoringRound.Kind.SECOND:
        return {}
    standing = set(
        RectificationReport.objects.filter(
            appraisal__in=appraisal_ids, status__in=RectificationReport.STANDING
        ).values_list("appraisal_id", flat=True)
    )
    out: dict[int, list[Link]] = {}
    for aid, version in _latest_versions(list(appraisal_ids)).items():
        if aid in standing:
            out[aid] = [
                Link(
                    _("Rectification report"),
                    reverse("rectification:report_for_code", args=[code, aid, version.number])
                    if code
                    else reverse("rectification:report_version", args=[aid, version.number]),
                )
            ]
    return out


def appraisal_links(user: Any, appraisal: Appraisal) -> list[Link]:
    """The appraisal page's way to the report, with its status and the counts frozen with
    the last version (the page itself checks access)."""
    stage = report_stage(appraisal.campaign, [appraisal])[appraisal.pk]
    return [
        Link(
            _("Rectification report"),
            reverse("rectification:report", args=[appraisal.pk]),
            summary=stage.text if stage.state != "todo" else "",
        )
    ]
