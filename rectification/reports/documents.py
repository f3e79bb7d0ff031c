"""The rectification report as a document of the document layer: a 报告 from the unit to
the committee (上行文: no letterhead of the committee, no number, no 版记)."""

from __future__ import annotations

import re

from django.utils import timezone

from appraisal.documents.models import IssuedDocument
from appraisal.documents.official import Block, chinese_number, cjk_text, head_for, official_pdf
from appraisal.documents.services import issuing_settings_of
from appraisal.selfreview.documents import committee_name
from rectification.reports.models import RectificationReportVersion

_SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）")


def report_blocks(sections: list[dict[str, str]]) -> list[Block]:
    """The opening as paragraphs, then 一、 per section with its heading; a line opening
    with （一） is a second-level heading."""
    blocks: list[Block] = []
    n = 0
    for section in sections:
        if section.get("heading"):
            n += 1
            blocks.append(Block("h1", f"{chinese_number(n)}、{cjk_text(section['heading'])}"))
        for line in section.get("text", "").splitlines():
            line = cjk_text(line.strip())
            if line:
                blocks.append(Block("h2" if _SUBHEADING.match(line) else "p", line))
    return blocks


def report_pdf(version: RectificationReportVersion) -> bytes:
    appraisal = version.report.appraisal
    head = head_for(
        settings=issuing_settings_of(appraisal.campaign),
        title=version.title,
        date=timezone.localdate(version.submitted_at),
        kind=IssuedDocument.Kind.REPORT,
    )
    # The unit reports to the committee: addressed to it, signed by the unit.
    head.letterhead = ""
    head.addressees = committee_name(appraisal)
    head.signatory = appraisal.unit.name
    head.author = appraisal.unit.name
    head.copy_to = head.printed_by = ""
    head.public = False
    return official_pdf(head=head, blocks=report_blocks(version.sections))


def report_filename(version: RectificationReportVersion) -> str:
    unit = version.report.appraisal.unit.name
    return f"{unit}整改情况报告（第{version.number}稿）.pdf"
