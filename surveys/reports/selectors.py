"""Reads for the investigation report: what the work group gathered, and the report's
findings grouped by topic."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from appraisal.models import Appraisal, Campaign, SelfReviewVersion, User, Voter, WorkGroupMember
from appraisal.stages import Link, StageStatus
from surveys.models import Finding, InvestigationActivity, Survey
from surveys.questionnaires.selectors import survey_results
from surveys.reports.models import InvestigationReport, ReportFinding, ReportSignoff


def report_default_title(appraisal: Appraisal) -> str:
    return f"关于{appraisal.unit.name}工作评议的调研报告"


def concealed(report: InvestigationReport) -> list[Finding]:
    """Verified prominent findings left out without a written reason."""
    choices = choices_of(report)
    out = []
    for f in verified_findings(report.appraisal):
        if not f.prominent:
            continue
        choice = choices.get(f.pk)
        if choice is None or (not choice.included and not choice.omission_reason.strip()):
            out.append(f)
    return out


def report_of(appraisal: Appraisal) -> InvestigationReport | None:
    return InvestigationReport.objects.filter(appraisal=appraisal).first()


def verified_findings(appraisal: Appraisal) -> list[Finding]:
    return list(
        Finding.objects.filter(appraisal=appraisal, status=Finding.Status.VERIFIED)
        .select_related("answer")
        .order_by("topic", "id")
    )


def activities(appraisal: Appraisal) -> list[InvestigationActivity]:
    return list(InvestigationActivity.objects.filter(appraisal=appraisal).order_by("held_on", "id"))


def questionnaire_results(appraisal: Appraisal) -> list[dict[str, Any]]:
    """Per survey of the appraisal that has run: responses and satisfaction indices."""
    out = []
    for survey in Survey.objects.filter(appraisal=appraisal).exclude(state=Survey.State.DRAFT):
        results = survey_results(survey)
        indices = [
            {"question": row["question"].text, "index": row["index"], "answered": row["answered"]}
            for row in results["rows"]
            if row.get("index") is not None
        ]
        out.append({"survey": survey, "total": results["total"], "indices": indices})
    return out


def choices_of(report: InvestigationReport | None) -> dict[int, ReportFinding]:
    if report is None:
        return {}
    return {c.finding_id: c for c in report.finding_choices.all()}


def grouped_findings(report: InvestigationReport) -> list[tuple[str, list[Finding]]]:
    """The included findings under their topics, in the topics' order."""
    labels = dict(Finding.Topic.choices)
    groups: OrderedDict[str, list[Finding]] = OrderedDict((str(v), []) for v in labels.values())
    for choice in report.finding_choices.filter(included=True).select_related("finding"):
        groups[str(labels[choice.finding.topic])].append(choice.finding)
    return [(topic, items) for topic, items in groups.items() if items]


def omissions(report: InvestigationReport) -> list[ReportFinding]:
    return list(
        report.finding_choices.filter(included=False)
        .select_related("finding")
        .order_by("finding_id")
    )


def _squeezed(text: str) -> str:
    return "".join(text.split())


def mentioned_omissions(report: InvestigationReport) -> list[ReportFinding]:
    """Findings left out whose words the text still carries (a text drafted before they
    were unticked): the body would then contradict the annex that lists what is included.
    A finding counts as mentioned when its text, or its first 20 characters, appear."""
    body = _squeezed(report.body)
    out = []
    for choice in omissions(report):
        text = _squeezed(choice.finding.text)
        probe = text[:20]
        if len(probe) >= 4 and probe in body:
            out.append(choice)
    return out


def compose_body(appraisal: Appraisal, included: Sequence[Finding]) -> str:
    """A first draft of the text from what was gathered; the work group then edits it."""
    acts = activities(appraisal)
    lines = [
        f"根据常委会工作评议安排，{appraisal.work_group or '评议工作组'}对{appraisal.unit.name}"
        f"开展了调查研究，现将有关情况报告如下。",
        "一、调研开展情况",
    ]
    if acts:
        lines.append(
            f"工作组共开展调研活动{len(acts)}次："
            + "；".join(
                f"{a.held_on:%Y年%-m月%-d日}在{a.place or '该单位'}{a.get_kind_display()}"
                for a in acts
            )
            + "。"
        )
    for q in questionnaire_results(appraisal):
        text = f"开展问卷调查“{q['survey'].title}”，收回有效问卷{q['total']}份"
        if q["indices"]:
            text += "，" + "，".join(f"“{i['question']}”满意度{i['index']}%" for i in q["indices"])
        lines.append(text + "。")
    lines.append("二、存在的主要问题")
    labels = dict(Finding.Topic.choices)
    by_topic: OrderedDict[str, list[Finding]] = OrderedDict((k, []) for k in labels)
    for f in included:
        by_topic[f.topic].append(f)
    numerals = "一二三四五六七八九十"
    groups = [(topic, items) for topic, items in by_topic.items() if items]
    for i, (topic, items) in enumerate(groups):
        lines.append(f"（{numerals[i % 10]}）{labels[topic]}方面")
        lines += [f"{n}. {f.text}" for n, f in enumerate(items, start=1)]
    lines.append("三、意见建议")
    lines.append("（由工作组填写。）")
    return "\n".join(lines)


def report_stage(campaign: Campaign, appraisals: Sequence[Appraisal]) -> dict[int, StageStatus]:
    rows = dict(
        InvestigationReport.objects.filter(appraisal__in=[a.pk for a in appraisals]).values_list(
            "appraisal_id", "status"
        )
    )
    labels = dict(InvestigationReport.Status.choices)
    out = {}
    for a in appraisals:
        status = rows.get(a.pk)
        if status is None:
            out[a.pk] = StageStatus("todo", _("Not started"))
        else:
            state = "done" if status == InvestigationReport.Status.ACCEPTED else "progress"
            out[a.pk] = StageStatus(state, str(labels[status]))
    return out


_LEVEL1 = tuple(f"{c}、" for c in "一二三四五六七八九十")


def body_blocks(text: str) -> list[tuple[str, str]]:
    """The text as (level, line): 一、 lines are headings of the first level, （一） of the
    second; everything else is a paragraph."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(_LEVEL1):
            out.append(("h2", line))
        elif line.startswith("（") and "）" in line[:5]:
            out.append(("h3", line))
        else:
            out.append(("p", line))
    return out


def deputy_signoff_links(user: User) -> list[Link]:
    """Reports out for signing that wait for this deputy's signature (one query): what is
    open for them, first on their page."""
    member = WorkGroupMember.objects.filter(
        work_group=OuterRef("appraisal__work_group"),
        user=user,
        role=WorkGroupMember.Role.MEMBER,
    )
    voter = Voter.objects.filter(voter_group__campaign=OuterRef("appraisal__campaign"), user=user)
    signed = ReportSignoff.objects.filter(report=OuterRef("pk"), round=OuterRef("round"), user=user)
    waiting = (
        InvestigationReport.objects.filter(status=InvestigationReport.Status.SIGNING)
        .filter(Exists(member), Exists(voter))
        .exclude(Exists(signed))
        .select_related("appraisal__unit")
        .order_by("appraisal__sort_order", "pk")
    )
    return [
        Link(
            _("Sign the investigation report: %(unit)s") % {"unit": r.appraisal.unit.name},
            reverse("surveys:report", args=[r.appraisal_id]),
            heading=_("Investigation report"),
            primary=True,
        )
        for r in waiting
    ]


def packet_links(user: User, appraisal: Appraisal) -> list[Link]:
    """The office's meeting packet, once there is something to put in it (a submitted
    self-review or the work group's report; two queries)."""
    if not getattr(user, "is_office", False):
        return []
    has_review = SelfReviewVersion.objects.filter(self_review__appraisal=appraisal).exists()
    if not has_review and not InvestigationReport.objects.filter(appraisal=appraisal).exists():
        return []
    return [Link(_("Meeting packet (PDF)"), reverse("surveys:meeting_packet", args=[appraisal.pk]))]
