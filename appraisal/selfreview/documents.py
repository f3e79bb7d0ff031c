"""The self-review as an official document: a 报告 from the unit to the committee."""

from __future__ import annotations

import os

from django.utils import timezone

from appraisal.documents.models import IssuedDocument
from appraisal.documents.official import (
    Block,
    Head,
    Part,
    chinese_number,
    cjk_text,
    head_for,
    official_pdf,
    title_in_lines,
)
from appraisal.documents.services import issuing_settings_of
from appraisal.models import Appraisal
from appraisal.selfreview.models import SelfReviewVersion


def committee_name(appraisal: Appraisal) -> str:
    """The committee a unit reports to, from the campaign's title (江川市人大常委会…)."""
    marker = "人大常委会"
    title = appraisal.campaign.title
    return title.split(marker)[0] + marker if marker in title else marker


def self_review_title(appraisal: Appraisal) -> str:
    year = appraisal.campaign.year
    return title_in_lines(
        appraisal.unit.name, "关于", f"{year}年度", "工作评议", "自查自评情况的报告"
    )


# The unit's answer to a forwarded finding, in the words of a report.
RESPONSE_WORDS = {"accepted": "认可", "partly": "部分认可", "explained": "作出说明"}


def _is_subheading(line: str) -> bool:
    return line.startswith("（") and "）" in line[1:5] and line[1] in "一二三四五六七八九十"


def text_blocks(text: str) -> list[Block]:
    """A section's text: one paragraph per line; a line opening with （一） is a level-2
    heading, so the unit's own structure prints as the standard's."""
    lines = [cjk_text(line.strip()) for line in text.splitlines() if line.strip()]
    return [Block("h2" if _is_subheading(line) else "p", line) for line in lines]


def self_review_blocks(version: SelfReviewVersion) -> list[Block]:
    """一、 per section (an empty one says so), then the answers to the forwarded findings."""
    blocks = [Block("p", "根据常委会工作评议安排，现将本单位自查自评情况报告如下。")]
    n = 0
    for _key, label, text, _comment in version.sections():
        n += 1
        blocks.append(Block("h1", f"{chinese_number(n)}、{label}"))
        blocks += text_blocks(text) or [Block("p", "无。")]
    answers = version.extra.get("finding_answers") or []
    if answers:
        n += 1
        blocks.append(Block("h1", f"{chinese_number(n)}、对转交问题的答复"))
        for i, a in enumerate(answers, start=1):
            blocks.append(
                Block("h2", f"（{chinese_number(i)}）{cjk_text(a.get('finding_text', ''))}")
            )
            word = RESPONSE_WORDS.get(a.get("response", ""), a.get("response_label", ""))
            blocks.append(Block("p", cjk_text(f"答复：{word}。{a.get('text', '')}")))
    blocks.append(Block("p", "特此报告。"))
    return blocks


def attachment_names(version: SelfReviewVersion) -> list[str]:
    """The files submitted with this version or an earlier one (as its page lists them),
    named without their extension, for the 附件 note under the text."""
    files = version.self_review.attachments.filter(version_number__lte=version.number)
    return [cjk_text(os.path.splitext(f.original_name)[0] or f.original_name) for f in files]


def self_review_head(version: SelfReviewVersion) -> Head:
    """Addressed to the committee, signed by the unit, dated the day it was submitted; the
    version is noted under the title (第2稿)."""
    appraisal = version.self_review.appraisal
    settings = issuing_settings_of(appraisal.campaign)
    head = head_for(
        settings=settings,
        title=self_review_title(appraisal),
        date=timezone.localdate(version.submitted_at),
        kind=IssuedDocument.Kind.REPORT,
        draft_note=f"第{version.number}稿",
        attachments=attachment_names(version),
    )
    # The unit's own report: no letterhead, number or 版记 of the committee's.
    head.letterhead = ""
    head.addressees = settings.committee_name
    head.signatory = appraisal.unit.name
    head.author = appraisal.unit.name
    head.copy_to = ""
    head.printed_by = ""
    head.public = False
    return head


def self_review_part(version: SelfReviewVersion) -> Part:
    return Part(self_review_head(version), self_review_blocks(version))


def self_review_pdf(version: SelfReviewVersion) -> bytes:
    part = self_review_part(version)
    return official_pdf(head=part.head, blocks=part.blocks)


def self_review_filename(version: SelfReviewVersion) -> str:
    return f"{version.self_review.appraisal.unit.name}自查自评报告（第{version.number}稿）.pdf"
