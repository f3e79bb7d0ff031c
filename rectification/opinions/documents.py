"""The appraisal opinion as an official document (意见) of the document layer."""

from __future__ import annotations

from django.utils import timezone

from appraisal.documents.models import IssuedDocument
from appraisal.documents.official import (
    Block,
    chinese_date,
    chinese_number,
    cjk_text,
    head_for,
    official_pdf,
)
from appraisal.documents.services import issuing_settings_of
from appraisal.selfreview.views import committee_name
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
