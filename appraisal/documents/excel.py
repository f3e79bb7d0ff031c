"""The one Excel helper every export goes through (openpyxl, write-only: rows stream).

Each sheet has title rows (campaign, round or survey, date, issuing office), a frozen
header row with filters, set column widths, typed cells (percentages and averages as
numbers with a format, ratings and counts as numbers, dates as dates) and A4 landscape
print setup that fits the width and repeats the header. User text is always written as
text: a value that a spreadsheet would read as a formula (``= + - @``, tab, CR) is
prefixed with an apostrophe, as OWASP recommends against CSV/formula injection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from io import BytesIO
from typing import Any, Literal

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

Kind = Literal["text", "int", "number", "percent", "date"]
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMATS: dict[str, str] = {
    "int": "0",
    "number": "0.00",
    "percent": "0.00%",
    "date": "yyyy-mm-dd",
}


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = "text"
    width: float | None = None  # in characters; a Chinese character counts two


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    heading: Sequence[str] = field(default_factory=list)  # title rows above the header


def neutralise(text: str) -> str:
    """Text a spreadsheet cannot take for a formula (OWASP CSV injection)."""
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def _text_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _number(value: Any) -> float | int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction | Decimal | float):
        return float(value)
    text = str(value).strip().rstrip("%")
    try:
        number = float(text)
    except ValueError:
        return None
    return number / 100 if str(value).strip().endswith("%") else number


def _cell(ws: Worksheet, value: Any, kind: Kind) -> WriteOnlyCell:
    if isinstance(value, Promise):
        value = str(value)
    if kind in ("int", "number", "percent"):
        number = _number(value)
        if number is not None:
            cell = WriteOnlyCell(ws, value=number)
            cell.number_format = FORMATS[kind]
            return cell
    if kind == "date" and isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = FORMATS["date"]
        return cell
    if value is None:
        return WriteOnlyCell(ws, value=None)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return WriteOnlyCell(ws, value=value)
    cell = WriteOnlyCell(ws)
    # Assigning a string that starts with "=" would make openpyxl write a formula; set the
    # type by hand after neutralising, so user text stays text whatever it holds.
    cell._value = neutralise(str(value))
    cell.data_type = "s"
    return cell


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    title_font = Font(bold=True, size=14)
    thin = Side(style="thin", color="000000")
    header_fill = PatternFill("solid", fgColor="E7E6E6")
    for sheet in sheets:
        ws = wb.create_sheet(_sheet_title(sheet.title))
        columns = list(sheet.columns)
        header_row = len(sheet.heading) + 1
        for i, column in enumerate(columns, start=1):
            width = column.width or max(8, min(40, _text_width(column.header) + 2))
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = f"A{header_row + 1}"
        ws.print_options.gridLines = False
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_title_rows = f"{header_row}:{header_row}"
        for n, line in enumerate(sheet.heading):
            cell = _cell(ws, line, "text")
            cell.font = title_font if n == 0 else Font(size=11)
            ws.append([cell])
        header = []
        for column in columns:
            cell = _cell(ws, column.header, "text")
            cell.font = bold
            cell.fill = header_fill
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            header.append(cell)
        ws.append(header)
        count = 0
        kinds = [c.kind for c in columns]
        for row in sheet.rows:
            ws.append(
                [_cell(ws, v, kinds[i] if i < len(kinds) else "text") for i, v in enumerate(row)]
            )
            count += 1
        last = get_column_letter(max(1, len(columns)))
        ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(count, 1)}"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Sheet"
