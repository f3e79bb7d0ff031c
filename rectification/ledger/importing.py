"""Import of an initial ledger (整改台账) from Excel, after the roster import's model.

``ledger_parse`` reads and checks a whole workbook against an appraisal's issued opinion
and raises ``LedgerInvalid`` with every bad row (sheet, row, column, reason);
``ledger_import`` applies a valid file in one transaction, audited; ``ledger_preview``
runs it and rolls it back. The file has the export's columns (序号, 评议意见, 问题, 整改措施,
完成标准, 责任领导, 责任科室, 完成时限, 整改类别); the export's progress columns (进度, 状态,
佐证材料, 销号日期) are ignored, since an import makes draft plans only, so an exported
ledger can be imported again.

A row is matched to an existing item by its opinion item and its problem text (问题): the
same file imported twice changes nothing. 序号 only numbers the rows: it changes as items
are added, so it is no key. A matched item is changed only while it is a draft; a row that
would change an item past draft is an error.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from appraisal import documents
from appraisal.audit import audit_log
from appraisal.cleaning import clean_text
from appraisal.documents import Column, Sheet
from appraisal.documents.excel import FORMULA_TRIGGERS
from appraisal.errors import NotAllowed
from appraisal.models import Appraisal, User
from appraisal.roster import RowError  # one shape for every import's row errors
from appraisal.selfreview.access import is_unit_member
from appraisal.uploads import SheetTooLong, sheet_rows
from rectification.ledger.models import RectificationItem
from rectification.ledger.services import DRAFT_PHASES, LedgerError, _require_phase
from rectification.opinions.models import AppraisalOpinion, OpinionItem

SHEET = "整改台账"
SHEET_EXAMPLES = "填写示例"
Category = RectificationItem.Category

# column key -> (header, required). The headers are the export's (``documents.COLUMNS``).
COLUMNS = {
    "number": ("序号", False),
    "opinion_item": ("评议意见", True),
    "problem": ("问题", True),
    "measures": ("整改措施", True),
    "standard": ("完成标准", False),
    "leader": ("责任领导", True),
    "department": ("责任科室", True),
    "deadline": ("完成时限", True),
    "category": ("整改类别", True),
}
# The export's columns that an import does not read: a new item starts as a draft.
IGNORED = ("进度", "状态", "佐证材料", "销号日期")
CATEGORIES = {
    "立行立改": Category.IMMEDIATE,
    "限期整改": Category.DEADLINE,
    "逐步解决": Category.GRADUAL,
    "解释说明": Category.EXPLANATION,
}
LIMITS = {"problem": 4000, "measures": 4000, "standard": 2000, "leader": 60, "department": 60}
# The export writes an explanation into 整改措施 behind this label; it is taken off again.
EXPLANATION_PREFIXES = ("说明理由：", "解释说明：", "Explanation：", "Explanation:")
MAX_ROWS = 2000
HEADER_SEARCH_ROWS = 10  # the export puts title rows above the header
# Rows read at most: the header, MAX_ROWS items and as many blank rows between them.
LAST_ROW = HEADER_SEARCH_ROWS + 2 * MAX_ROWS
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
# Excel writes a control character in a cell as _xHHHH_ (ECMA-376 ST_Xstring).
_ESCAPED_CONTROL = re.compile(r"_x00([01][0-9A-Fa-f])_")
_OPINION_NUMBER = re.compile(r"(\d{1,18})(?:\s*[.．、,，:：)）]|\s|$)")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S")


class LedgerInvalid(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s) in the ledger file")
        self.errors = errors


@dataclass
class LedgerRow:
    row: int
    opinion_item: OpinionItem
    problem: str
    category: str
    measures: str
    explanation: str
    standard: str
    responsible_leader: str
    responsible_department: str
    deadline: dt.date | None

    def fields(self) -> dict[str, Any]:
        fields = {
            "problem": self.problem,
            "category": self.category,
            "measures": self.measures,
            "explanation": self.explanation,
            "standard": self.standard,
            "responsible_leader": self.responsible_leader,
            "responsible_department": self.responsible_department,
            "deadline": self.deadline,
        }
        if self.category == Category.EXPLANATION:
            # The file's 整改措施 holds the explanation (as the export writes it); measures
            # an item to be explained may also have are left as they are.
            del fields["measures"]
        return fields


@dataclass
class ParsedLedger:
    rows: list[LedgerRow]
    ignored_columns: list[str]


@dataclass
class Outcome:
    row: int
    opinion_number: int
    problem: str
    category: str
    deadline: dt.date | None
    outcome: str  # "created" / "updated" / "unchanged"


@dataclass
class ImportSummary:
    outcomes: list[Outcome] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def total(self) -> int:
        return self.created + self.updated


# ---- who and when -----------------------------------------------------------------------


def may_import(user: Any, appraisal: Appraisal) -> bool:
    """The unit's own team, or the office on the unit's behalf."""
    return bool(is_unit_member(user, appraisal) or (user.is_authenticated and user.is_office))


def issued_opinion(appraisal: Appraisal) -> AppraisalOpinion | None:
    return (
        AppraisalOpinion.objects.filter(appraisal=appraisal)
        .exclude(status=AppraisalOpinion.Status.DRAFT)
        .first()
    )


def import_refusal(user: Any, appraisal: Appraisal) -> str:
    """Why an import cannot run now (empty when it can), for the page and the service."""
    if not may_import(user, appraisal):
        return _("Only the unit's own team, or the office, imports a ledger.")
    if appraisal.campaign.phase not in DRAFT_PHASES:
        return _("The rectification ledger cannot be changed in the “%(p)s” phase.") % {
            "p": appraisal.campaign.get_phase_display()
        }
    if issued_opinion(appraisal) is None:
        return _("Items are built from an issued opinion.")
    return ""


# ---- reading ----------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _ESCAPED_CONTROL.sub(lambda m: chr(int(m.group(1), 16)), str(value))
    text = clean_text(text).strip()
    # What the export neutralised against formula injection comes back as it was typed:
    # text, never a formula (nothing here is evaluated).
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        text = text[1:]
    return text


def _opinion_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e18 else None
    match = _OPINION_NUMBER.match(_text(value))
    return int(match.group(1)) if match else None


def _date(value: Any) -> dt.date | None:
    """A cell as a date, or None when it is not one (numbers are not taken for dates)."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        for pattern in DATE_FORMATS:
            try:
                day = dt.datetime.strptime(value.strip(), pattern).date()
            except ValueError:
                continue
            break
        else:
            return None
    else:
        return None
    return day if EARLIEST <= day <= LATEST else None


def _header_row(rows: Iterator[tuple[int, tuple[Any, ...]]]) -> tuple[int, list[str]] | None:
    for number, cells in rows:
        header = [_text(c) for c in cells]
        if "问题" in header and "评议意见" in header:
            return number, header
        if number >= HEADER_SEARCH_ROWS:
            return None
    return None


def _read(file: IO[bytes]) -> tuple[int, list[str], list[tuple[int, tuple[Any, ...]]]]:
    """The header row's number, its cells and the rows below it; ``LedgerInvalid`` when
    the file is no workbook, has no ledger sheet or header, or is too long."""

    def fail(sheet: str, row: int, column: str, message: str) -> LedgerInvalid:
        return LedgerInvalid([RowError(sheet, row, column, message)])

    try:
        workbook = load_workbook(BytesIO(file.read()), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError):
        raise fail(
            "", 0, "", _("This is not an Excel workbook (.xlsx). Use the template.")
        ) from None
    try:
        if SHEET not in workbook.sheetnames:
            raise fail(SHEET, 0, "", _("The sheet “%(sheet)s” is missing.") % {"sheet": SHEET})
        rows = sheet_rows(workbook[SHEET], last_row=LAST_ROW)
        found = _header_row(rows)
        if found is None:
            raise fail(
                SHEET,
                0,
                "",
                _("No header row with the columns 评议意见 and 问题 in the first %(n)d rows.")
                % {"n": HEADER_SEARCH_ROWS},
            )
        start, header = found
        body = []
        for number, cells in rows:
            if any(c is not None and _text(c) for c in cells):
                body.append((number, cells))
                if len(body) > MAX_ROWS:
                    raise fail(
                        SHEET,
                        number,
                        "",
                        _("At most %(n)d rows can be imported at once.") % {"n": MAX_ROWS},
                    )
    except LedgerInvalid:
        raise
    except SheetTooLong as e:
        raise fail(
            SHEET,
            e.last_row + 1,
            "",
            _(
                "The sheet goes on below row %(n)d (rows there may only look empty). At most "
                "%(m)d rows are imported at once: delete the rows below the ledger, then upload "
                "again."
            )
            % {"n": e.last_row, "m": MAX_ROWS},
        ) from None
    except (ParseError, ValueError, OverflowError, KeyError, OSError, zipfile.BadZipFile):
        # A damaged sheet (a raw NUL in its XML, a date beyond any calendar) is only met
        # while its rows are read.
        raise fail(
            SHEET,
            0,
            "",
            _("The sheet cannot be read: the file is damaged. Open it and save it again."),
        ) from None
    finally:
        workbook.close()
    return start, header, body


def ledger_parse(file: IO[bytes], *, appraisal: Appraisal) -> ParsedLedger:
    """Read and check a whole ledger file for an appraisal; ``LedgerInvalid`` lists every
    bad row."""
    start, header, body = _read(file)
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    for key, (title, required) in COLUMNS.items():
        if title in header:
            positions[key] = header.index(title)
        elif required:
            errors.append(RowError(SHEET, start, title, _("Required column is missing.")))
    if errors:
        raise LedgerInvalid(errors)
    opinion = issued_opinion(appraisal)
    items = {op.number: op for op in (opinion.items.all() if opinion else [])}
    numbers = "、".join(str(n) for n in sorted(items)) or "—"
    rows: list[LedgerRow] = []
    seen: dict[tuple[int, str], int] = {}
    for number, cells in body:

        def cell(key: str, cells: tuple[Any, ...] = cells) -> Any:
            pos = positions.get(key)
            return cells[pos] if pos is not None and pos < len(cells) else None

        def error(key: str, message: str, number: int = number) -> None:
            errors.append(RowError(SHEET, number, COLUMNS[key][0], message))

        before = len(errors)
        texts = {key: _text(cell(key)) for key in COLUMNS if key != "deadline"}
        for key, text in texts.items():
            if "\x00" in text:
                error(key, _("Contains an invisible NUL character; type the text again."))
            elif key in LIMITS and len(text) > LIMITS[key]:
                error(key, _("At most %(n)d characters.") % {"n": LIMITS[key]})
        if len(errors) > before:
            continue  # no further check on a row whose text is unusable

        op_number = _opinion_number(cell("opinion_item"))
        op = items.get(op_number) if op_number is not None else None
        if not texts["opinion_item"]:
            error("opinion_item", _("Required: the number of the opinion item."))
        elif op is None:
            error(
                "opinion_item",
                _("“%(value)s” is not an item of the issued opinion (its items: %(numbers)s).")
                % {"value": texts["opinion_item"][:30], "numbers": numbers},
            )
        if not texts["problem"]:
            error("problem", _("Required."))
        category = CATEGORIES.get(texts["category"])
        if not texts["category"]:
            error(
                "category", _("Required: one of %(choices)s.") % {"choices": "、".join(CATEGORIES)}
            )
        elif category is None:
            error(
                "category",
                _("Unknown category “%(value)s”; use one of: %(choices)s.")
                % {"value": texts["category"][:30], "choices": "、".join(CATEGORIES)},
            )
        measures = texts["measures"]
        if category == Category.EXPLANATION:
            for prefix in EXPLANATION_PREFIXES:
                if measures.startswith(prefix):
                    measures = measures[len(prefix) :].strip()
                    break
        if category is not None and not measures:
            error(
                "measures",
                _("Required: the explanation, for an item to be explained.")
                if category == Category.EXPLANATION
                else _("Required: the measures."),
            )
        raw_deadline = cell("deadline")
        deadline = _date(raw_deadline)
        if _text(raw_deadline) and deadline is None:
            error(
                "deadline",
                _("“%(value)s” is not a date between 2000 and 2099 (e.g. 2026-12-31).")
                % {"value": _text(raw_deadline)[:30]},
            )
        elif deadline is None and category is not None and category != Category.EXPLANATION:
            error("deadline", _("Required: the deadline, except for an item to be explained."))
        for name in ("leader", "department"):
            if not texts[name]:
                error(name, _("Required."))
        if op is not None and texts["problem"]:
            same = (op.number, texts["problem"])
            if same in seen:
                error(
                    "problem",
                    _("Row %(row)d has the same problem under the same opinion item.")
                    % {"row": seen[same]},
                )
            else:
                seen[same] = number
        if len(errors) > before:
            continue
        assert op is not None and category is not None
        explained = category == Category.EXPLANATION
        rows.append(
            LedgerRow(
                row=number,
                opinion_item=op,
                problem=texts["problem"],
                category=category,
                measures="" if explained else measures,
                explanation=measures if explained else "",
                standard=texts["standard"],
                responsible_leader=texts["leader"],
                responsible_department=texts["department"],
                deadline=deadline,
            )
        )
    if errors:
        raise LedgerInvalid(errors)
    if not rows:
        raise LedgerInvalid([RowError(SHEET, 0, "", _("The sheet has no rows to import."))])
    return ParsedLedger(rows=rows, ignored_columns=[c for c in IGNORED if c in header])


# ---- writing ----------------------------------------------------------------------------


def ledger_import(*, appraisal: Appraisal, parsed: ParsedLedger, actor: User) -> ImportSummary:
    """Apply a checked ledger file to an appraisal, all or nothing: new rows become draft
    items, changed rows change their draft item, the rest is left alone. Raises
    ``LedgerInvalid`` for a row that would change an item past draft (or that matches
    more than one item), ``NotAllowed`` / ``PhaseError`` / ``LedgerError`` otherwise."""
    summary = ImportSummary(ignored_columns=parsed.ignored_columns)
    with transaction.atomic():
        # One import at a time per appraisal: a second confirmation waits, then finds the
        # first one's items and changes nothing.
        appraisal = (
            Appraisal.objects.select_for_update(of=("self",))
            .select_related("campaign", "unit")
            .get(pk=appraisal.pk)
        )
        if not may_import(actor, appraisal):
            raise NotAllowed(_("Only the unit's own team, or the office, imports a ledger."))
        _require_phase(appraisal, DRAFT_PHASES)
        if issued_opinion(appraisal) is None:
            raise LedgerError(_("Items are built from an issued opinion."))
        existing: dict[tuple[int, str], list[RectificationItem]] = {}
        for item in RectificationItem.objects.filter(appraisal=appraisal).order_by("id"):
            existing.setdefault((item.opinion_item_id, item.problem.strip()), []).append(item)
        errors: list[RowError] = []
        for row in parsed.rows:
            wanted = row.fields()
            matches = existing.get((row.opinion_item.pk, row.problem), [])
            outcome = "unchanged"
            if len(matches) > 1:
                errors.append(
                    RowError(
                        SHEET,
                        row.row,
                        COLUMNS["problem"][0],
                        _(
                            "The ledger already has %(n)d items with this problem under this "
                            "opinion item: change them on the ledger page."
                        )
                        % {"n": len(matches)},
                    )
                )
                continue
            if not matches:
                item = RectificationItem.objects.create(
                    appraisal=appraisal, opinion_item=row.opinion_item, created_by=actor, **wanted
                )
                audit_log(
                    actor=actor,
                    action="rectification.item.created",
                    obj=item,
                    campaign=appraisal.campaign,
                    data={"opinion_item": row.opinion_item.number, "category": row.category,
                          "imported": True},
                )  # fmt: skip
                outcome = "created"
            else:
                item = matches[0]
                changed = [k for k, v in wanted.items() if getattr(item, k) != v]
                if changed and not item.editable:
                    errors.append(
                        RowError(
                            SHEET,
                            row.row,
                            COLUMNS["problem"][0],
                            _(
                                "This item is “%(state)s”: only a draft plan can be changed "
                                "by an import (it would change: %(fields)s)."
                            )
                            % {
                                "state": item.get_status_display(),
                                "fields": "、".join(_field_header(k) for k in changed),
                            },
                        )
                    )
                    continue
                if changed:
                    for k in changed:
                        setattr(item, k, wanted[k])
                    item.save(update_fields=[*changed, "updated_at"])
                    audit_log(
                        actor=actor,
                        action="rectification.item.changed",
                        obj=item,
                        campaign=appraisal.campaign,
                        data={"fields": sorted(changed), "imported": True},
                    )
                    outcome = "updated"
            summary.outcomes.append(
                Outcome(
                    row=row.row,
                    opinion_number=row.opinion_item.number,
                    problem=row.problem,
                    category=item.get_category_display(),
                    deadline=row.deadline,
                    outcome=outcome,
                )
            )
        if errors:
            # Nothing of this file is kept: the rows already written roll back.
            raise LedgerInvalid(errors)
        if summary.total:
            audit_log(
                actor=actor,
                action="rectification.ledger.imported",
                obj=appraisal,
                campaign=appraisal.campaign,
                data={
                    "created": summary.created,
                    "updated": summary.updated,
                    "unchanged": summary.unchanged,
                },
            )
    return summary


def _field_header(key: str) -> str:
    return {
        "problem": "问题",
        "category": "整改类别",
        "measures": "整改措施",
        "explanation": "整改措施",
        "standard": "完成标准",
        "responsible_leader": "责任领导",
        "responsible_department": "责任科室",
        "deadline": "完成时限",
    }[key]


class _DryRun(Exception):
    pass


def ledger_preview(*, appraisal: Appraisal, parsed: ParsedLedger, actor: User) -> ImportSummary:
    """What ``ledger_import`` would do, row by row, with nothing written (the import runs
    in a transaction that is rolled back)."""
    try:
        with transaction.atomic():
            raise _DryRun(ledger_import(appraisal=appraisal, parsed=parsed, actor=actor))
    except _DryRun as done:
        return done.args[0]  # type: ignore[no-any-return]


# ---- the template -----------------------------------------------------------------------


def ledger_template(appraisal: Appraisal) -> bytes:
    """The workbook a unit fills in: the 整改台账 sheet with the header only, the examples
    on a sheet of their own (never imported), and notes listing the opinion's items."""
    columns = [
        Column("序号", "int", 6),
        Column("评议意见", "text", 14),
        Column("问题", "text", 30),
        Column("整改措施", "text", 36),
        Column("完成标准", "text", 24),
        Column("责任领导", "text", 12),
        Column("责任科室", "text", 14),
        Column("完成时限", "date", 12),
        Column("整改类别", "text", 10),
    ]
    examples: list[list[Any]] = [
        [1, 1, "窗口办件超时，群众反映强烈", "建立限时办结制度，每月通报办件情况"],
        [2, 2, "部分老旧小区改造资金不足", "现行政策未安排专项资金，已向上级争取"],
    ]
    examples[0] += [
        "按时办结率达到100%",
        "王副局长",
        "行政审批科",
        dt.date(2026, 12, 31),
        "限期整改",
    ]
    examples[1] += ["", "李副局长", "计划财务科", None, "解释说明"]
    opinion = issued_opinion(appraisal)
    notes = [
        ["每行一条整改事项；空行会被忽略。只导入“整改台账”工作表，“填写示例”工作表不会被导入。"],
        ["评议意见：填写评议意见条目的序号（如 1），也可以是“1. ……”。"],
        ["整改类别：" + "、".join(CATEGORIES) + "。"],
        ["整改措施、完成时限：除“解释说明”外必填；“解释说明”类在“整改措施”中写明理由，完成时限可空。"],
        ["完成时限：日期，如 2026-12-31。"],
        ["同一评议意见下“问题”相同的行视为同一事项：重复导入同一文件不会重复创建；已提交或已批准的事项不能通过导入修改。"],
        ["进度、状态、佐证材料、销号日期列（导出的台账中才有）不会被导入：导入的事项均为方案草稿。"],
        [],
        ["本单位评议意见条目："],
    ]  # fmt: skip
    for op in opinion.items.order_by("number") if opinion else []:
        notes.append([f"{op.number}. {op.problem[:200]}"])
    content = documents.workbook_bytes(
        [
            Sheet(title=SHEET, columns=columns, rows=[]),
            Sheet(title=SHEET_EXAMPLES, columns=columns, rows=examples,
                  heading=["以下为示例，仅供参照，不会被导入。请在“整改台账”工作表中填写。"]),
            Sheet(title="说明", columns=[Column("填写说明", "text", 100)], rows=notes),
        ]
    )  # fmt: skip
    # A drop-down for the category; the document layer writes streams and has none.
    workbook = load_workbook(BytesIO(content))
    choices = DataValidation(
        type="list", formula1='"' + ",".join(CATEGORIES) + '"', allow_blank=True
    )
    workbook[SHEET].add_data_validation(choices)
    choices.add("I2:I2001")
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
