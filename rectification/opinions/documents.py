"""The appraisal opinion as an official document (意见) of the document layer, and the
office's report on the whole campaign (进展情况)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from appraisal.documents.models import IssuedDocument
from appraisal.documents.official import (
    Annex,
    Block,
    chinese_date,
    chinese_number,
    cjk_text,
    head_for,
    official_pdf,
    title_in_lines,
)
from appraisal.documents.services import issuing_settings_of
from appraisal.models import Campaign
from appraisal.selfreview.documents import committee_name
from rectification.opinions import selectors
from rectification.opinions.models import AppraisalOpinion
from rectification.opinions.services import opinion_subject


def _paragraphs(text: str) -> list[str]:
    return [cjk_text(line.strip()) for line in text.splitlines() if line.strip()]


def opinion_blocks(opinion: AppraisalOpinion) -> list[Block]:
    """The body: the opening paragraph, one 一、 heading per item (the problem's first line)
    with the rest of the problem and the requirement, then the reply deadline."""
    blocks = [Block("p", text) for text in _paragraphs(opinion.preamble)]
    for item in selectors.items_of(opinion):
        problem = _paragraphs(item.problem) or [""]
        blocks.append(Block("h1", f"{chinese_number(item.number)}、{problem[0]}"))
        blocks += [Block("p", text) for text in problem[1:]]
        for n, text in enumerate(_paragraphs(item.requirement)):
            blocks.append(Block("p", f"整改要求：{text}" if n == 0 else text))
    if opinion.reply_deadline:
        blocks.append(
            Block(
                "p",
                f"请认真研究处理，于{chinese_date(opinion.reply_deadline)}前将整改落实情况"
                f"书面报告{committee_name(opinion.appraisal)}。",
            )
        )
    return blocks


def opinion_pdf(opinion: AppraisalOpinion) -> bytes:
    """Issued: re-rendered from its issue record (number, date, signatory, 版记 as issued);
    a draft: from the current settings, marked as a draft and without a number."""
    appraisal = opinion.appraisal
    issued = (
        IssuedDocument.objects.filter(
            campaign=opinion.campaign, subject=opinion_subject(opinion)
        ).first()
        if not opinion.is_draft
        else None
    )
    head = head_for(
        settings=issuing_settings_of(opinion.campaign),
        title=opinion.title,
        date=opinion.issue_date or timezone.localdate(),
        issued=issued,
        kind=IssuedDocument.Kind.OPINION,
        draft_note="" if issued is not None else "草稿，未印发",
    )
    # Addressed to the appraised unit alone.
    head.addressees = appraisal.unit.name
    return official_pdf(head=head, blocks=opinion_blocks(opinion))


def _names(rows: list[dict[str, Any]]) -> str:
    return "、".join(r["appraisal"].unit.name for r in rows)


def _count_sentence(parts: list[tuple[str, int]]) -> str:
    return "，".join(f"{label}{n}个" for label, n in parts if n)


def campaign_summary_title(campaign: Campaign) -> str:
    return title_in_lines("关于", campaign.title, "进展情况的报告")


def campaign_summary_blocks(data: dict[str, Any], day: dt.date) -> list[Block]:
    """The overview in words: self-reviews, the investigation (findings and reports),
    the opinions; the tables are the annexes."""
    campaign: Campaign = data["campaign"]
    rows: list[dict[str, Any]] = data["rows"]
    count = len(rows)

    def where(key: str, *codes: str) -> list[dict[str, Any]]:
        return [r for r in rows if r[key] in codes]

    blocks = [
        Block(
            "p",
            f"{campaign.title}共有被评议单位{count}个，目前处于“{campaign.get_phase_display()}”"
            f"阶段。截至{chinese_date(day)}，各单位评议工作进展情况报告如下。",
        ),
        Block("h1", "一、自查自评"),
    ]
    accepted = where("self_review_status", "accepted")
    pending = where("self_review_status", "submitted")
    returned = where("self_review_status", "returned")
    missing = where("self_review_status", "", "draft")
    text = _count_sentence(
        [
            ("评议工作组审核通过", len(accepted)),
            ("待审核", len(pending)),
            ("退回修改", len(returned)),
        ]
    )
    blocks.append(
        Block(
            "p",
            (f"已提交自查自评报告的单位{count - len(missing)}个，其中{text}。" if text else "")
            + (f"尚未提交的单位：{_names(missing)}。" if missing else "各单位均已提交。"),
        )
    )
    blocks.append(Block("h1", "二、调查研究"))
    totals = dict.fromkeys(data["status_codes"], 0)
    for r in rows:
        for t in r["findings"]:
            for code, n in zip(data["status_codes"], t["cells"], strict=True):
                totals[code] += n
    labels = dict(zip(data["status_codes"], data["statuses"], strict=True))
    found = sum(totals.values())
    blocks.append(
        Block(
            "p",
            f"各评议工作组共收集问题线索{found}条"
            + (
                "，其中" + "，".join(f"{labels[c]}{n}条" for c, n in totals.items() if n)
                if found
                else ""
            )
            + "。",
        )
    )
    reports_in = where("report_status", "submitted", "returned", "accepted")
    reports_ok = where("report_status", "accepted")
    no_report = where("report_status", "", "draft", "signing")
    blocks.append(
        Block(
            "p",
            f"调研报告已报送{len(reports_in)}份，办公室审核通过{len(reports_ok)}份"
            + (f"；尚未报送的：{_names(no_report)}" if no_report else "")
            + "。",
        )
    )
    blocks.append(Block("h1", "三、评议意见"))
    unissued = [r for r in rows if r["opinion"] is None or r["opinion"].is_draft]
    blocks.append(
        Block(
            "p",
            f"已印发评议意见{data['issued']}份，被评议单位已签收{data['acknowledged']}份"
            + (f"；尚未印发的：{_names(unissued)}" if unissued else "")
            + "。",
        )
    )
    blocks.append(Block("p", "各单位进展情况见附件1，问题线索分类统计见附件2。"))
    blocks.append(Block("p", "特此报告。"))
    return blocks


def _progress_annex(data: dict[str, Any]) -> Annex:
    rows = []
    for n, r in enumerate(data["rows"], start=1):
        o = r["opinion"]
        issued = o is not None and not o.is_draft
        rows.append(
            [
                n,
                r["appraisal"].unit.name,
                r["self_review"],
                r["report"],
                o.get_status_display() if o is not None else "—",
                o.document_number if issued else "—",
                o.n if issued else "—",
                timezone.localdate(o.acknowledged_at).isoformat()
                if o is not None and o.acknowledged_at
                else "—",
                o.reply_deadline.isoformat() if issued and o.reply_deadline else "—",
            ]
        )
    return Annex(
        "各单位评议工作进展情况表",
        [
            Block(
                "table",
                header=[
                    "序号",
                    "被评议单位",
                    "自查自评",
                    "调研报告",
                    "评议意见",
                    "文号",
                    "意见条数",
                    "签收日期",
                    "答复期限",
                ],
                rows=rows,
                # Short words and figures on one line; the unit's name takes what is left.
                columns=["num", "text", "num", "num", "num", "num", "num", "num", "num"],
            )
        ],
        landscape=True,
    )


def _findings_annex(data: dict[str, Any]) -> Annex:
    header = ["类别", *data["statuses"], "合计"]
    columns = ["text", *["num"] * (len(data["statuses"]) + 1)]
    blocks: list[Block] = []
    by_topic: dict[str, list[int]] = {}
    for n, r in enumerate(data["rows"], start=1):
        blocks.append(
            Block(
                "h2",
                f"（{chinese_number(n)}）{r['appraisal'].unit.name}（{r['findings_total']}条）",
            )
        )
        if not r["findings"]:
            blocks.append(Block("p", "暂无问题线索。"))
            continue
        blocks.append(
            Block(
                "table",
                header=header,
                rows=[[t["topic"], *t["cells"], t["total"]] for t in r["findings"]],
                columns=columns,
                keep=True,
            )
        )
        for t in r["findings"]:
            sums = by_topic.setdefault(str(t["topic"]), [0] * len(t["cells"]))
            by_topic[str(t["topic"])] = [a + b for a, b in zip(sums, t["cells"], strict=True)]
    if by_topic:
        n = len(data["rows"]) + 1
        blocks.append(Block("h2", f"（{chinese_number(n)}）全部单位"))
        table = [[topic, *cells, sum(cells)] for topic, cells in by_topic.items()]
        table.append(
            ["合计", *[sum(col) for col in zip(*by_topic.values(), strict=True)], "", ""][
                : len(header)
            ]
        )
        table[-1][-1] = sum(sum(cells) for cells in by_topic.values())
        blocks.append(Block("table", header=header, rows=table, columns=columns))
    return Annex("问题线索分类统计表", blocks)


def campaign_summary_pdf(campaign: Campaign, *, day: dt.date | None = None) -> bytes:
    """The office's report on the campaign to the leading group: every appraisal's status
    in each phase, findings by topic and status, opinions issued and acknowledged."""
    day = day or timezone.localdate()
    data = selectors.campaign_summary(campaign)
    settings = issuing_settings_of(campaign)
    head = head_for(
        settings=settings,
        title=campaign_summary_title(campaign),
        date=day,
        kind=IssuedDocument.Kind.REPORT,
    )
    head.letterhead = ""
    office = settings.issuing_office
    # The office reports to its leading group (…领导小组办公室 → …领导小组).
    head.addressees = (
        office.removesuffix("办公室")
        if office.endswith("领导小组办公室")
        else settings.committee_name
    )
    head.signatory = office
    head.author = office
    head.copy_to = ""
    head.printed_by = ""
    head.public = False
    return official_pdf(
        head=head,
        blocks=campaign_summary_blocks(data, day),
        annexes=[_progress_annex(data), _findings_annex(data)],
    )
