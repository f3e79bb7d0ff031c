"""The ledger as an Excel workbook (整改台账), in the columns committees customarily use.

Cells typed by people are neutralised against formula injection: a text that a
spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return)
gets a leading apostrophe. ``appraisal.documents`` has no such helper yet; when it gets
one, this should use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from appraisal import documents
from rectification.ledger.models import Evidence, RectificationItem

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

HEADER = (
    "序号",
    "评议意见",
    "问题",
    "整改措施",
    "完成标准",
    "责任领导",
    "责任科室",
    "完成时限",
    "整改类别",
    "进度",
    "状态",
    "佐证材料",
    "销号日期",
)


def neutral(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


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
            neutral(f"{op.number}. {op.problem}"),
            neutral(item.problem),
            neutral(measures),
            neutral(item.standard),
            neutral(item.responsible_leader),
            neutral(item.responsible_department),
            item.deadline.isoformat() if item.deadline else "",
            item.get_category_display(),
            f"{item.percent}%",
            item.get_status_display(),
            neutral("；".join(e.original_name for e in item.evidence.all())),
            item.closed_on.isoformat()
            if item.closed_on and item.status == RectificationItem.Status.CLOSED
            else "",
        ]


def ledger_workbook(items: QuerySet[RectificationItem], title: str) -> bytes:
    rows: Iterable[list[Any]] = _rows(items)
    return documents.workbook_bytes([(title, HEADER, rows)])
