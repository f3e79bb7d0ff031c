"""The investigation report as an official document (a 报告 from the work group to the
leading group's office, with annexes) and the meeting packet that carries it."""

from __future__ import annotations

from django.utils import timezone

from appraisal.documents.models import IssuedDocument
from appraisal.documents.official import (
    Annex,
    Block,
    Head,
    Part,
    chinese_date,
    chinese_number,
    cjk_text,
    head_for,
    official_pdf,
    packet_pdf,
    title_in_lines,
    title_of,
)
from appraisal.documents.services import issuing_settings_of
from appraisal.models import Appraisal
from appraisal.selfreview.documents import RESPONSE_WORDS, self_review_part
from appraisal.selfreview.selectors import latest_submitted
from surveys.reports import selectors
from surveys.reports.models import InvestigationReport

_LEVELS = {"h2": "h1", "h3": "h2", "p": "p"}
SENT = {
    InvestigationReport.Status.SUBMITTED,
    InvestigationReport.Status.RETURNED,
    InvestigationReport.Status.ACCEPTED,
}


def group_name(appraisal: Appraisal) -> str:
    return str(appraisal.work_group) if appraisal.work_group_id else "评议工作组"


def report_head(report: InvestigationReport) -> Head:
    """To the leading group's office, signed by the work group, dated the day it was sent;
    a text not (or not yet again) sent is marked as a draft."""
    appraisal = report.appraisal
    settings = issuing_settings_of(appraisal.campaign)
    sent = report.status in SENT and report.submitted_at is not None
    head = head_for(
        settings=settings,
        title=title_of(report.title),
        date=timezone.localdate(report.submitted_at) if sent else timezone.localdate(),
        kind=IssuedDocument.Kind.REPORT,
        draft_note="" if sent else "草稿，未报送",
    )
    head.letterhead = ""
    head.addressees = settings.issuing_office
    head.signatory = group_name(appraisal)
    head.author = group_name(appraisal)
    head.copy_to = ""
    head.printed_by = ""
    head.public = False
    return head


def report_blocks(report: InvestigationReport) -> list[Block]:
    """The text the work group wrote: 一、 and （一） lines are its headings."""
    return [
        Block(_LEVELS[level], cjk_text(line)) for level, line in selectors.body_blocks(report.body)
    ]


def _activities_annex(appraisal: Appraisal) -> Annex | None:
    acts = selectors.activities(appraisal)
    if not acts:
        return None
    return Annex(
        "调研活动情况",
        [
            Block("p", f"工作组共开展调研活动{len(acts)}次。"),
            Block(
                "table",
                header=["序号", "日期", "方式", "地点", "参加人员"],
                rows=[
                    [
                        n,
                        chinese_date(a.held_on),
                        a.get_kind_display(),
                        cjk_text(a.place) or "—",
                        cjk_text(a.participants) or "—",
                    ]
                    for n, a in enumerate(acts, start=1)
                ],
                columns=["num", "num", "", "text", "text"],
            ),
        ],
    )


def _findings_annex(report: InvestigationReport) -> Annex | None:
    grouped = selectors.grouped_findings(report)
    if not grouped:
        return None
    total = sum(len(items) for _topic, items in grouped)
    prominent = sum(1 for _topic, items in grouped for f in items if f.prominent)
    blocks = [
        Block(
            "p",
            f"报告列入经核实的问题{total}个"
            + (f"，其中突出问题{prominent}个" if prominent else "")
            + "，按类别列示如下。",
        )
    ]
    for n, (topic, items) in enumerate(grouped, start=1):
        blocks.append(Block("h2", f"（{chinese_number(n)}）{topic}（{len(items)}个）"))
        for i, f in enumerate(items, start=1):
            mark = "（突出问题）" if f.prominent else ""
            # A sentence ends with its stop, after the mark: 1.……未答复（突出问题）。
            text = cjk_text(f.text).strip()
            stop = text[-1] if text and text[-1] in "。！？" else "。"
            text = text[:-1] if text and text[-1] in "。！？" else text
            blocks.append(Block("p", f"{i}.{text}{mark}{stop}"))
            answer = getattr(f, "answer", None)
            if answer is not None:
                word = RESPONSE_WORDS.get(answer.response, answer.get_response_display())
                blocks.append(Block("p", cjk_text(f"单位答复：{word}。{answer.text}")))
    return Annex("核实的问题（按类别）", blocks)


def _questionnaires_annex(appraisal: Appraisal) -> Annex | None:
    results = selectors.questionnaire_results(appraisal)
    if not results:
        return None
    rows: list[list[object]] = []
    for q in results:
        if not q["indices"]:
            rows.append([cjk_text(q["survey"].title), "—", q["total"], "—"])
        for i in q["indices"]:
            rows.append(
                [
                    cjk_text(q["survey"].title),
                    cjk_text(i["question"]),
                    i["answered"],
                    f"{i['index']}%",
                ]
            )
    answered = sum(int(q["total"]) for q in results)
    return Annex(
        "问卷调查结果",
        [
            Block("p", f"共开展问卷调查{len(results)}项，收回有效答卷{answered}份。"),
            Block(
                "table",
                header=["问卷", "题目", "答题人数", "满意度"],
                rows=rows,
                columns=["name", "text", "num", "num"],
            ),
            Block(
                "p",
                "满意度＝（满意＋基本满意）÷作出评价的人数（“不了解”不计入）。",
            ),
        ],
    )


def _signoffs_annex(report: InvestigationReport) -> Annex | None:
    signoffs = list(report.signoffs.filter(round=report.round).select_related("user"))
    if not signoffs and not report.missing_reason:
        return None
    blocks = []
    if signoffs:
        blocks.append(
            Block(
                "table",
                header=["代表", "意见", "日期", "说明"],
                rows=[
                    [
                        s.user.get_full_name() or s.user.username,
                        s.get_decision_display(),
                        chinese_date(timezone.localdate(s.created_at)),
                        cjk_text(s.note) or "—",
                    ]
                    for s in signoffs
                ],
                columns=["name", "", "num", "text"],
            )
        )
    if report.missing_reason:
        blocks.append(Block("p", f"未签署原因：{cjk_text(report.missing_reason)}"))
    return Annex("工作组代表签署情况", blocks)


def report_annexes(report: InvestigationReport) -> list[Annex]:
    """What the report rests on: the activities held, the findings by topic, the
    questionnaire results, and who of the work group signed it."""
    annexes = [
        _activities_annex(report.appraisal),
        _findings_annex(report),
        _questionnaires_annex(report.appraisal),
        _signoffs_annex(report),
    ]
    return [a for a in annexes if a is not None]


def report_part(report: InvestigationReport) -> Part:
    return Part(report_head(report), report_blocks(report), report_annexes(report))


def report_pdf(report: InvestigationReport) -> bytes:
    part = report_part(report)
    return official_pdf(head=part.head, blocks=part.blocks, annexes=part.annexes)


def meeting_packet_title(appraisal: Appraisal) -> str:
    return title_in_lines(appraisal.unit.name, "工作评议会议材料")


def meeting_packet_pdf(appraisal: Appraisal) -> bytes | None:
    """What the voters read before scoring: the unit's latest submitted self-review and
    the work group's report, one document after the other; None when neither exists."""
    version = latest_submitted(appraisal)
    report = selectors.report_of(appraisal)
    parts = []
    if version is not None:
        parts.append(self_review_part(version))
    if report is not None:
        parts.append(report_part(report))
    if not parts:
        return None
    settings = issuing_settings_of(appraisal.campaign)
    return packet_pdf(
        title=meeting_packet_title(appraisal),
        subtitle=appraisal.campaign.title,
        author=settings.issuing_office,
        date=timezone.localdate(),
        parts=parts,
    )
