"""The implementation plan printed through the document layer (a 通知 of the office), with
its timetable (the planned phase dates) as the annex."""

from __future__ import annotations

import re

from django.utils import timezone

from appraisal.documents.models import IssuedDocument
from appraisal.documents.official import (
    Annex,
    Block,
    chinese_date,
    cjk_text,
    head_for,
    official_pdf,
)
from appraisal.documents.services import issuing_settings_of
from appraisal.models import ImplementationPlan
from appraisal.schedule.selectors import PhaseRow

H1 = re.compile(r"^[一二三四五六七八九十]+、")
H2 = re.compile(r"^（[一二三四五六七八九十]+）")
H3 = re.compile(r"^\d{1,2}[.．]")


def plan_blocks(text: str) -> list[Block]:
    blocks = []
    for raw in text.splitlines():
        line = cjk_text(raw.strip())
        if not line:
            continue
        kind = (
            "h1" if H1.match(line) else "h2" if H2.match(line) else "h3" if H3.match(line) else "p"
        )
        blocks.append(Block(kind, line))
    return blocks


def timetable(rows: list[PhaseRow]) -> Annex:
    planned = [r for r in rows if r.planned_start and r.planned_end]
    return Annex(
        "时间安排",
        [
            Block(
                "table",
                header=["阶段", "开始", "结束"],
                rows=[
                    [r.label, chinese_date(r.planned_start), chinese_date(r.planned_end)]  # type: ignore[arg-type]
                    for r in planned
                ],
            )
        ],
    )


def plan_pdf(plan: ImplementationPlan, rows: list[PhaseRow]) -> bytes:
    head = head_for(
        settings=issuing_settings_of(plan.campaign),
        title=plan.title,
        date=timezone.localdate(plan.updated_at),
        kind=IssuedDocument.Kind.NOTICE,
    )
    annexes = [timetable(rows)] if any(r.planned_start for r in rows) else []
    return official_pdf(head=head, blocks=plan_blocks(plan.text), annexes=annexes)
