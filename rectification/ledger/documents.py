"""The ledger as an Excel workbook (整改台账), in the columns committees customarily use,
through the document layer's one Excel helper (``appraisal.documents.excel``): write-only,
typed cells, and user text neutralised against formula injection there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal import documents
from appraisal.documents import Column, Sheet
from rectification.ledger.models import Evidence, RectificationItem

COLUMNS = (
    Column("序号", "int", 6),
    Column("评议意见", "text", 30),
    Column("问题", "text", 30),
    Column("整改措施", "text", 36),
    Column("完成标准", "text", 24),
    Column("责任领导", "text", 12),
    Column("责任科室", "text", 14),
    Column("完成时限", "date", 12),
    Column("整改类别", "text", 10),
    Column("进度", "percent", 8),
    Column("状态", "text", 12),
    Column("佐证材料", "text", 30),
    Column("销号日期", "date", 12),
)
HEADER = tuple(c.header for c in COLUMNS)


def _rows(items: QuerySet[RectificationItem]) -> Iterator[list[Any]]:
    qs = (
        items.select_related("opinion_item", "appraisal__unit")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.only("item", "original_name"))
        )
        .order_by("appraisal__sort_order", "opinion_item__number", "id")
    )
    for n, item in enumerate(qs, start=1):
        op = item.opinion_item
        measures = item.measures
        if item.category == RectificationItem.Category.EXPLANATION:
            measures = _("Explanation") + "：" + item.explanation
        yield [
            n,
            f"{op.number}. {op.problem}",
            item.problem,
            measures,
            item.standard,
            item.responsible_leader,
            item.responsible_department,
            item.deadline,
            item.get_category_display(),
            f"{item.percent}%",
            item.get_status_display(),
            "；".join(e.original_name for e in item.evidence.all()),
            item.closed_on if item.status == RectificationItem.Status.CLOSED else None,
        ]


def ledger_workbook(items: QuerySet[RectificationItem], title: str) -> bytes:
    heading = [title, _("Exported on %(d)s") % {"d": timezone.localdate().isoformat()}]
    return documents.workbook_bytes(
        [Sheet(title="整改台账", columns=COLUMNS, rows=_rows(items), heading=heading)]
    )
