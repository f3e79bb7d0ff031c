"""Roster import: an Excel workbook that sets up a campaign's units, voter groups and people.

``roster_parse`` reads and validates the whole file and raises ``RosterInvalid``
with every bad row (sheet, row, column, reason); ``roster_import`` applies a
valid roster in one transaction. Every object has a natural key (unit name,
username, work group and voter group name within the campaign), so importing
the same file twice changes nothing the second time.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from appraisal import services
from appraisal.audit import audit_log
from appraisal.cleaning import clean_text
from appraisal.models import Appraisal, Campaign, User, VoterGroup, WorkGroup, WorkGroupMember
from appraisal.uploads import SheetTooLong, sheet_rows
from units.models import Unit, UnitTeamMember

SHEET_UNITS = "单位"
SHEET_VOTER_GROUPS = "投票分组"
SHEET_PEOPLE = "人员"
# Rows read at most in a sheet: far more than any committee's roster, and a sheet padded
# with empty rows is not read to its end.
MAX_SHEET_ROWS = 10_000

# column key -> (header in the template, required)
UNIT_COLUMNS = {
    "name": ("单位名称", True),
    "short_name": ("简称", False),
    "kind": ("类别", False),
    "work_group": ("评议工作组", False),
}
VOTER_GROUP_COLUMNS = {"name": ("分组名称", True), "weight": ("权重", True)}
PEOPLE_COLUMNS = {
    "username": ("用户名", True),
    "full_name": ("姓名", True),
    "role": ("角色", True),
    "unit": ("所属单位", False),
    "work_group": ("评议工作组", False),
    "voter_group": ("投票分组", False),
    "phone": ("手机号", False),
}

KINDS = {
    "政府部门": Unit.Kind.GOVERNMENT,
    "法院": Unit.Kind.COURT,
    "检察院": Unit.Kind.PROCURATORATE,
    "监察委员会": Unit.Kind.SUPERVISORY,
}

# role label in the file -> (kind of role, role within it)
ROLES = {
    "办公室": ("office", ""),
    "工作组组长": ("work_group", WorkGroupMember.Role.LEADER),
    "工作组成员": ("work_group", WorkGroupMember.Role.MEMBER),
    "单位主要负责人": ("unit", UnitTeamMember.Role.HEAD),
    "单位联络员": ("unit", UnitTeamMember.Role.LIAISON),
    "单位工作人员": ("unit", UnitTeamMember.Role.STAFF),
    "代表委员": ("voter", ""),
}

# Mainland mobile numbers, or a landline with area code and optional extension.
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str


class RosterInvalid(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s) in the roster")
        self.errors = errors


@dataclass
class UnitRow:
    row: int
    name: str
    short_name: str
    kind: str
    work_group: str


@dataclass
class VoterGroupRow:
    row: int
    name: str
    weight: Decimal


@dataclass
class PersonRow:
    row: int
    username: str
    full_name: str
    role: str
    unit: str
    work_group: str
    voter_group: str
    phone: str


@dataclass
class Roster:
    units: list[UnitRow] = field(default_factory=list)
    voter_groups: list[VoterGroupRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)


@dataclass
class ImportSummary:
    changes: Counter[str] = field(default_factory=Counter)
    new_accounts: list[str] = field(default_factory=list)
    # sheet -> "created" / "updated" / "unchanged" -> the rows, by name: what the office
    # sees in the preview and after the import.
    sheets: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.changes.values())

    def note(self, sheet: str, outcome: str, name: str) -> None:
        outcomes = self.sheets.setdefault(sheet, {"created": [], "updated": [], "unchanged": []})
        outcomes[outcome].append(name)

    def by_sheet(self) -> list[tuple[str, dict[str, list[str]]]]:
        order = [SHEET_UNITS, SHEET_VOTER_GROUPS, SHEET_PEOPLE]
        return [(sheet, self.sheets[sheet]) for sheet in order if sheet in self.sheets]


CHANGE_LABELS = {
    "units_created": gettext_lazy("units created"),
    "units_updated": gettext_lazy("units updated"),
    "appraisals_created": gettext_lazy("appraisals added to the campaign"),
    "appraisals_updated": gettext_lazy("appraisals given another work group"),
    "work_groups_created": gettext_lazy("work groups created"),
    "voter_groups_created": gettext_lazy("voter groups created"),
    "voter_groups_updated": gettext_lazy("voter group weights changed"),
    "users_created": gettext_lazy("accounts created"),
    "users_updated": gettext_lazy("accounts updated"),
    "roles_granted": gettext_lazy("roles granted or changed"),
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed into a number cell
    return clean_text(str(value)).strip()


def _read_sheet(
    workbook: Any, sheet: str, columns: dict[str, tuple[str, bool]], errors: list[RowError]
) -> list[tuple[int, dict[str, str]]]:
    if sheet not in workbook.sheetnames:
        errors.append(
            RowError(sheet, 0, "", _("The sheet “%(sheet)s” is missing.") % {"sheet": sheet})
        )
        return []
    rows = sheet_rows(workbook[sheet], last_row=MAX_SHEET_ROWS)
    header = [_text(c) for c in next(rows, (1, ()))[1]]
    positions: dict[str, int] = {}
    for key, (title, required) in columns.items():
        if title in header:
            positions[key] = header.index(title)
        elif required:
            errors.append(RowError(sheet, 1, title, _("Required column is missing.")))
    if any(required and key not in positions for key, (_t, required) in columns.items()):
        return []
    out = []
    for number, cells in rows:
        values = {
            key: _text(cells[pos]) if pos < len(cells) else "" for key, pos in positions.items()
        }
        if any(values.values()):
            out.append((number, {key: values.get(key, "") for key in columns}))
    return out


# A check on one cell: (column key, fails(row values), message(row values)). A cell gets
# the message of its first failing check; a row with any failing cell is left out.
Check = tuple[str, Callable[[dict[str, str]], bool], Callable[[dict[str, str]], str]]


def _checked(
    sheet: str,
    columns: dict[str, tuple[str, bool]],
    rows: list[tuple[int, dict[str, str]]],
    checks: list[Check],
    errors: list[RowError],
) -> list[tuple[int, dict[str, str]]]:
    good = []
    for row, values in rows:
        failed: set[str] = set()
        for key, fails, message in checks:
            if key not in failed and fails(values):
                errors.append(RowError(sheet, row, columns[key][0], message(values)))
                failed.add(key)
        if not failed:
            good.append((row, values))
    return good


def _first_time(key: str, seen: set[str]) -> Callable[[dict[str, str]], bool]:
    """Fails for a value met in an earlier row (case-insensitively)."""

    def repeated(values: dict[str, str]) -> bool:
        value = values[key].lower()
        if value in seen:
            return True
        seen.add(value)
        return False

    return repeated


def _weight(text: str) -> Decimal | None:
    """0.6 or 60% as a Decimal between 0 and 1 with at most four places, else None."""
    try:
        weight = Decimal(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except InvalidOperation:
        return None
    if not weight.is_finite() or not 0 <= weight <= 1 or weight.as_tuple().exponent < -4:  # type: ignore[operator]
        return None
    return weight


def _bad_username(name: str) -> bool:
    try:
        UnicodeUsernameValidator()(name)
    except ValidationError:
        return True
    return len(name) > 150


def _unknown(key: str, known: set[str]) -> Callable[[dict[str, str]], bool]:
    return lambda v: bool(v[key]) and v[key] not in known


def _needs(key: str, kind: str) -> Callable[[dict[str, str]], bool]:
    """Fails when the row's role is of ``kind`` and the column is empty."""
    return lambda v: ROLES.get(v["role"], ("", ""))[0] == kind and not v[key]


def roster_parse(file: IO[bytes], *, campaign: Campaign) -> Roster:
    """Read and validate a whole roster for a campaign; ``RosterInvalid`` lists every bad row."""
    try:
        workbook = load_workbook(BytesIO(file.read()), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise RosterInvalid(
            [RowError("", 0, "", _("This is not an Excel workbook (.xlsx). Use the template."))]
        ) from None
    errors: list[RowError] = []
    roster = Roster()
    try:
        unit_rows = _read_sheet(workbook, SHEET_UNITS, UNIT_COLUMNS, errors)
        group_rows = _read_sheet(workbook, SHEET_VOTER_GROUPS, VOTER_GROUP_COLUMNS, errors)
        people_rows = _read_sheet(workbook, SHEET_PEOPLE, PEOPLE_COLUMNS, errors)
    except SheetTooLong as e:
        message = _(
            "A sheet goes on below row %(n)d (rows there may only look empty): a roster has at "
            "most %(n)d rows a sheet. Delete the rows below, then upload again."
        )
        raise RosterInvalid(
            [RowError("", e.last_row + 1, "", message % {"n": e.last_row})]
        ) from None
    except (ParseError, ValueError, OverflowError, KeyError, OSError, zipfile.BadZipFile):
        # A damaged sheet (a raw NUL in its XML, a date beyond any calendar) is only met
        # while its rows are read.
        raise RosterInvalid(
            [
                RowError(
                    "",
                    0,
                    "",
                    _("The sheet cannot be read: the file is damaged. Open it and save it again."),
                )
            ]
        ) from None
    finally:
        workbook.close()

    unit_checks: list[Check] = [
        ("name", lambda v: not v["name"], lambda v: _("Required.")),
        ("name", lambda v: len(v["name"]) > 100, lambda v: _("At most 100 characters.")),
        ("name", _first_time("name", set()), lambda v: _("This unit is listed twice.")),
        ("short_name", lambda v: len(v["short_name"]) > 30, lambda v: _("At most 30 characters.")),
        (
            "kind",
            lambda v: bool(v["kind"]) and v["kind"] not in KINDS,
            lambda v: (
                _("Unknown kind “%(value)s”; use one of: %(choices)s.")
                % {"value": v["kind"], "choices": "、".join(KINDS)}
            ),
        ),
        ("work_group", lambda v: len(v["work_group"]) > 50, lambda v: _("At most 50 characters.")),
    ]
    for row, v in _checked(SHEET_UNITS, UNIT_COLUMNS, unit_rows, unit_checks, errors):
        roster.units.append(
            UnitRow(row, v["name"], v["short_name"], KINDS.get(v["kind"], ""), v["work_group"])
        )

    group_checks: list[Check] = [
        (
            "name",
            lambda v: not v["name"] or len(v["name"]) > 50,
            lambda v: _("Required, at most 50 characters."),
        ),
        ("name", _first_time("name", set()), lambda v: _("This group is listed twice.")),
        (
            "weight",
            lambda v: _weight(v["weight"]) is None,
            lambda v: (
                _("“%(value)s” is not a weight between 0 and 1 (e.g. 0.6 or 60%%).")
                % {"value": v["weight"]}
            ),
        ),
    ]
    for row, v in _checked(
        SHEET_VOTER_GROUPS, VOTER_GROUP_COLUMNS, group_rows, group_checks, errors
    ):
        roster.voter_groups.append(VoterGroupRow(row, v["name"], _weight(v["weight"])))  # type: ignore[arg-type]

    known_units = {u.name for u in roster.units} | set(
        Unit.objects.filter(appraisals__campaign=campaign).values_list("name", flat=True)
    )
    known_work_groups = {u.work_group for u in roster.units if u.work_group} | set(
        WorkGroup.objects.filter(campaign=campaign).values_list("name", flat=True)
    )
    known_voter_groups = {g.name for g in roster.voter_groups} | set(
        VoterGroup.objects.filter(campaign=campaign).values_list("name", flat=True)
    )
    people_checks: list[Check] = [
        ("username", lambda v: not v["username"], lambda v: _("Required.")),
        (
            "username",
            lambda v: _bad_username(v["username"]),
            lambda v: _("Use letters, digits and @/./+/-/_ only, at most 150 characters."),
        ),
        (
            "username",
            _first_time("username", set()),
            lambda v: (
                _("The username “%(value)s” appears more than once in this file.")
                % {"value": v["username"]}
            ),
        ),
        (
            "full_name",
            lambda v: not v["full_name"] or len(v["full_name"]) > 50,
            lambda v: _("Required, at most 50 characters."),
        ),
        (
            "role",
            lambda v: v["role"] not in ROLES,
            lambda v: (
                _("Unknown role “%(value)s”; use one of: %(choices)s.")
                % {"value": v["role"], "choices": "、".join(ROLES)}
            ),
        ),
        ("unit", _needs("unit", "unit"), lambda v: _("A unit role needs the unit.")),
        (
            "unit",
            _unknown("unit", known_units),
            lambda v: (
                _("Unknown unit “%(value)s”: list it on the “%(sheet)s” sheet first.")
                % {"value": v["unit"], "sheet": SHEET_UNITS}
            ),
        ),
        (
            "work_group",
            _needs("work_group", "work_group"),
            lambda v: _("A work group role needs the work group."),
        ),
        (
            "work_group",
            _unknown("work_group", known_work_groups),
            lambda v: (
                _("Unknown work group “%(value)s”: name it on the “%(sheet)s” sheet first.")
                % {"value": v["work_group"], "sheet": SHEET_UNITS}
            ),
        ),
        (
            "voter_group",
            _needs("voter_group", "voter"),
            lambda v: _("A voter needs a voter group."),
        ),
        (
            "voter_group",
            _unknown("voter_group", known_voter_groups),
            lambda v: (
                _("Unknown voter group “%(value)s”: list it on the “%(sheet)s” sheet first.")
                % {"value": v["voter_group"], "sheet": SHEET_VOTER_GROUPS}
            ),
        ),
        (
            "phone",
            lambda v: bool(v["phone"]) and not PHONE_RE.match(v["phone"].replace(" ", "")),
            lambda v: (
                _("“%(value)s” is not a phone number (11-digit mobile or landline with area code).")
                % {"value": v["phone"]}
            ),
        ),
    ]
    for row, v in _checked(SHEET_PEOPLE, PEOPLE_COLUMNS, people_rows, people_checks, errors):
        roster.people.append(
            PersonRow(
                row,
                v["username"],
                v["full_name"],
                v["role"],
                v["unit"],
                v["work_group"],
                v["voter_group"],
                v["phone"].replace(" ", ""),
            )
        )
    if errors:
        raise RosterInvalid(sorted(errors, key=lambda e: (e.sheet != SHEET_UNITS, e.sheet, e.row)))
    return roster


def roster_import(*, campaign: Campaign, roster: Roster, actor: User | None) -> ImportSummary:
    """Apply a validated roster to a campaign, all or nothing; only what differs is written."""
    summary = ImportSummary()
    with transaction.atomic():
        units: dict[str, Unit] = {}
        work_groups = {g.name: g for g in WorkGroup.objects.filter(campaign=campaign)}
        for order, u in enumerate(roster.units, start=1):
            before = (summary.total, summary.changes["units_created"])
            unit = Unit.objects.filter(name=u.name).first()
            if unit is None:
                unit = Unit.objects.create(
                    name=u.name, short_name=u.short_name, kind=u.kind or Unit.Kind.GOVERNMENT
                )
                summary.changes["units_created"] += 1
            else:
                wanted = {
                    "short_name": u.short_name or unit.short_name,
                    "kind": u.kind or unit.kind,
                }
                changed = [k for k, val in wanted.items() if getattr(unit, k) != val]
                if changed:
                    for k in changed:
                        setattr(unit, k, wanted[k])
                    unit.save(update_fields=changed)
                    summary.changes["units_updated"] += 1
            units[u.name] = unit
            group = None
            if u.work_group:
                group = work_groups.get(u.work_group)
                if group is None:
                    group = work_groups[u.work_group] = WorkGroup.objects.create(
                        campaign=campaign, name=u.work_group
                    )
                    summary.changes["work_groups_created"] += 1
            appraisal, created = Appraisal.objects.get_or_create(
                campaign=campaign, unit=unit, defaults={"work_group": group, "sort_order": order}
            )
            if created:
                summary.changes["appraisals_created"] += 1
            elif group is not None and appraisal.work_group_id != group.pk:
                appraisal.work_group = group
                appraisal.save(update_fields=["work_group"])
                summary.changes["appraisals_updated"] += 1
            summary.note(SHEET_UNITS, _outcome(summary, before, "units_created"), u.name)

        voter_groups = {g.name: g for g in VoterGroup.objects.filter(campaign=campaign)}
        for order, g in enumerate(roster.voter_groups, start=1):
            before = (summary.total, summary.changes["voter_groups_created"])
            existing = voter_groups.get(g.name)
            if existing is None:
                voter_groups[g.name] = VoterGroup.objects.create(
                    campaign=campaign, name=g.name, weight=g.weight, sort_order=order
                )
                summary.changes["voter_groups_created"] += 1
            elif existing.weight != g.weight:
                existing.weight = g.weight
                existing.save(update_fields=["weight"])
                summary.changes["voter_groups_updated"] += 1
            summary.note(
                SHEET_VOTER_GROUPS, _outcome(summary, before, "voter_groups_created"), g.name
            )

        for p in roster.people:
            before = (summary.total, summary.changes["users_created"])
            user = User.objects.filter(username__iexact=p.username).first()
            if user is None:
                user = User(username=p.username, full_name=p.full_name, phone=p.phone)
                user.set_unusable_password()
                user.save()
                summary.changes["users_created"] += 1
                summary.new_accounts.append(p.username)
            elif (user.full_name, user.phone) != (p.full_name, p.phone or user.phone):
                user.full_name, user.phone = p.full_name, p.phone or user.phone
                user.save(update_fields=["full_name", "phone"])
                summary.changes["users_updated"] += 1
            kind, role = ROLES[p.role]
            granted = False
            if kind == "office":
                granted = services.office_grant(user=user, actor=actor)
            elif kind == "work_group":
                granted = services.work_group_member_set(
                    work_group=work_groups[p.work_group], user=user, role=role, actor=actor
                )
            elif kind == "unit":
                unit = units.get(p.unit) or Unit.objects.get(name=p.unit)
                granted = services.unit_team_member_set(
                    unit=unit, user=user, role=role, actor=actor
                )
            if p.work_group and kind != "work_group":
                granted |= services.work_group_member_set(
                    work_group=work_groups[p.work_group],
                    user=user,
                    role=WorkGroupMember.Role.MEMBER,
                    actor=actor,
                )
            if p.voter_group:
                granted |= services.voter_set(
                    voter_group=voter_groups[p.voter_group], user=user, actor=actor
                )
            summary.changes["roles_granted"] += int(granted)
            summary.note(
                SHEET_PEOPLE,
                _outcome(summary, before, "users_created"),
                f"{p.full_name}（{p.username}）",
            )

        if summary.total:
            audit_log(
                actor=actor,
                action="appraisal.roster.imported",
                obj=campaign,
                campaign=campaign,
                data=dict(summary.changes),
            )
    return summary


def _outcome(summary: ImportSummary, before: tuple[int, int], created_key: str) -> str:
    """What importing one row did, from the change counters before and after it."""
    total, created = before
    if summary.changes[created_key] > created:
        return "created"
    return "updated" if summary.total > total else "unchanged"


class _DryRun(Exception):
    pass


def roster_preview(*, campaign: Campaign, roster: Roster, actor: User | None) -> ImportSummary:
    """What ``roster_import`` would change, row by row, with nothing written: the import
    runs in a transaction that is then rolled back."""
    try:
        with transaction.atomic():
            summary = roster_import(campaign=campaign, roster=roster, actor=actor)
            raise _DryRun(summary)
    except _DryRun as done:
        return done.args[0]  # type: ignore[no-any-return]


SHEET_EXAMPLES = "填写示例"


def roster_template() -> bytes:
    """The workbook the office fills in: three sheets with a header row each, and the
    examples on a sheet of their own, which the import never reads."""
    workbook = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FDE9D9")
    sheets = [
        (SHEET_UNITS, UNIT_COLUMNS, ["市住房和城乡建设局", "住建局", "政府部门", "第一评议工作组"]),
        (SHEET_VOTER_GROUPS, VOTER_GROUP_COLUMNS, ["常委会组成人员", 0.6]),
        (
            SHEET_PEOPLE,
            PEOPLE_COLUMNS,
            [
                "zhangsan",
                "张三",
                "工作组组长",
                "",
                "第一评议工作组",
                "常委会组成人员",
                "13800000000",
            ],
        ),
    ]
    for index, (title, columns, _example) in enumerate(sheets):
        ws = workbook.active if index == 0 else workbook.create_sheet()
        assert ws is not None
        ws.title = title
        ws.append([header for header, _required in columns.values()])
        for cell, (_header, required) in zip(ws[1], columns.values(), strict=True):
            cell.font = bold
            if required:
                cell.fill = fill
            ws.column_dimensions[cell.column_letter].width = 20
        ws.freeze_panes = "A2"
    examples = workbook.create_sheet(SHEET_EXAMPLES)
    examples.append(["以下为示例，仅供参照，不会被导入。请在前面三张工作表中填写。"])
    examples["A1"].font = bold
    for title, columns, example in sheets:
        examples.append([])
        examples.append([f"“{title}”工作表"])
        examples.append([header for header, _required in columns.values()])
        examples.append(example)
    for letter in "ABCDEFG":
        examples.column_dimensions[letter].width = 20
    choices = {SHEET_UNITS: ("C", list(KINDS)), SHEET_PEOPLE: ("C", list(ROLES))}
    for title, (col, values) in choices.items():
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        workbook[title].add_data_validation(dv)
        dv.add(f"{col}2:{col}2000")
    notes = workbook.create_sheet("说明")
    for line in [
        "红底表头为必填列。每行一个单位 / 分组 / 人员；空行会被忽略。",
        "类别：" + "、".join(KINDS),
        "角色：" + "、".join(ROLES),
        "单位角色须填“所属单位”；工作组角色须填“评议工作组”；代表委员须填“投票分组”。",
        "任何人员都可同时填写“投票分组”，成为该分组的测评人。",
        "权重为 0 至 1 之间的小数（如 0.6），或百分数（如 60%）。",
        "同一文件可重复导入：已存在的单位、分组、人员按名称 / 用户名识别，不会重复创建。",
        "示例见“填写示例”工作表，该表不会被导入。",
        "新建账号没有密码：导入后在评议总览“打印登录通知书”，由本人凭通知书设置密码。",
    ]:
        notes.append([line])
    notes.column_dimensions["A"].width = 90
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
