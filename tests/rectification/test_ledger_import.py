"""Import of an initial ledger from Excel: preview then confirm, every bad row reported
with sheet / row / column / reason and nothing written, idempotent, drafts only, and
who may do it."""

import datetime
import io
import re
import zipfile
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from appraisal.errors import DomainError, NotAllowed
from appraisal.models import AuditEvent, Campaign
from rectification.ledger import importing
from rectification.ledger.models import RectificationItem
from tests.rectification.ledgerkit import advance, make_item, set_phase

pytestmark = pytest.mark.django_db
HEADER = [
    "序号",
    "评议意见",
    "问题",
    "整改措施",
    "完成标准",
    "责任领导",
    "责任科室",
    "完成时限",
    "整改类别",
]
DAY = datetime.date(2026, 12, 31)
ROWS = [
    [1, 1, "窗口办件超时", "建立限时办结制度", "按时办结率100%", "王副局长", "行政审批科", DAY, "限期整改"],
    [2, "1. 问题1：窗口服务效率不高", "群众办事来回跑", "推行一次办结", "", "王副局长", "行政审批科",
     "2026-10-31", "立行立改"],
    [3, 2, "编制不足", "现行法规未授权本单位增设编制", "", "李副局长", "人事科", None, "解释说明"],
]  # fmt: skip


def xlsx(rows=ROWS, header=HEADER, sheet="整改台账", title_rows=()) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for line in title_rows:
        ws.append([line])
    ws.append(header)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as typed with '
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def patched(content: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook with ``old`` replaced by ``new`` in its XML (for what openpyxl refuses
    to write: control characters, raw NUL)."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in src.infolist():
            archive.writestr(info, src.read(info.filename).replace(old, new))
    return out.getvalue()


def url(w, name="ledger_import"):
    return reverse(f"rectification:{name}", args=[w.appraisal_a.pk])


def check(client, w, content, name="台账.xlsx"):
    return client.post(url(w), {"file": SimpleUploadedFile(name, content)})


def upload(client, w, content, name="台账.xlsx"):
    """Upload, and confirm the preview when it offers to import."""
    response = check(client, w, content, name)
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', response.content.decode())
    if response.status_code != 200 or digest is None:
        return response
    return client.post(url(w), {"confirm": "1", "digest": digest.group(1)})


def counts():
    return (RectificationItem.objects.count(), AuditEvent.objects.count())


def state():
    return sorted(
        RectificationItem.objects.values_list(
            "opinion_item__number", "problem", "category", "measures", "explanation",
            "standard", "responsible_leader", "responsible_department", "deadline", "status",
            "updated_at",
        )
    )  # fmt: skip


# ---- the happy path ------------------------------------------------------------------------


def test_a_valid_file_is_previewed_then_imported_as_drafts(ledger_world, login):
    w = ledger_world
    client = login(w.liaison_a)
    before = counts()
    response = check(client, w, xlsx())
    page = response.content.decode()
    assert response.status_code == 200 and "确认导入" in page
    assert counts() == before  # the check writes nothing
    preview = response.context["preview"]
    assert [o.outcome for o in preview.outcomes] == ["created"] * 3
    assert "窗口办件超时" in page and "立行立改" in page

    response = upload(client, w, xlsx())
    assert "台账已导入" in response.content.decode()
    items = {i.problem: i for i in RectificationItem.objects.filter(appraisal=w.appraisal_a)}
    assert set(items) == {"窗口办件超时", "群众办事来回跑", "编制不足"}
    assert all(i.status == "draft" and i.created_by == w.liaison_a for i in items.values())
    first = items["窗口办件超时"]
    assert (first.opinion_item.number, first.category, first.deadline) == (1, "deadline", DAY)
    assert first.measures == "建立限时办结制度" and first.standard == "按时办结率100%"
    assert items["群众办事来回跑"].deadline == datetime.date(2026, 10, 31)
    explained = items["编制不足"]
    assert explained.category == "explanation" and explained.deadline is None
    assert explained.explanation == "现行法规未授权本单位增设编制" and explained.measures == ""
    assert AuditEvent.objects.filter(action="rectification.ledger.imported").count() == 1
    assert (
        AuditEvent.objects.filter(action="rectification.item.created", actor=w.liaison_a).count()
        == 3
    )


def test_reimporting_the_same_file_changes_nothing(ledger_world, login):
    w = ledger_world
    client = login(w.liaison_a)
    upload(client, w, xlsx())
    before, rows = counts(), state()
    response = upload(client, w, xlsx())
    assert "没有需要更改的内容" in response.content.decode()
    assert "确认导入" not in response.content.decode()
    assert [o.outcome for o in response.context["preview"].outcomes] == ["unchanged"] * 3
    assert counts() == before and state() == rows


def test_a_changed_row_changes_only_its_draft_item(ledger_world, login):
    w = ledger_world
    client = login(w.liaison_a)
    upload(client, w, xlsx())
    rows = [list(r) for r in ROWS]
    rows[0][3] = "建立限时办结和超时问责制度"
    rows.append([4, 2, "新增问题", "新增措施", "", "李副局长", "人事科", DAY, "逐步解决"])
    response = check(client, w, xlsx(rows))
    assert [o.outcome for o in response.context["preview"].outcomes] == [
        "updated", "unchanged", "unchanged", "created",
    ]  # fmt: skip
    upload(client, w, xlsx(rows))
    assert (
        RectificationItem.objects.get(problem="窗口办件超时").measures
        == "建立限时办结和超时问责制度"
    )
    assert RectificationItem.objects.filter(appraisal=w.appraisal_a).count() == 4
    event = AuditEvent.objects.get(action="rectification.item.changed")
    assert event.data == {"fields": ["measures"], "imported": True}


def test_an_item_past_draft_is_never_changed_by_an_import(ledger_world, login):
    w = ledger_world
    client = login(w.liaison_a)
    upload(client, w, xlsx())
    item = RectificationItem.objects.get(problem="窗口办件超时")
    advance(w, item, "submitted")
    # Unchanged, it is fine; changed, the row is refused and nothing else is written.
    assert check(client, w, xlsx()).context["preview"].total == 0
    rows = [list(r) for r in ROWS]
    rows[0][3] = "另一措施"
    rows.append([4, 2, "新增问题", "新增措施", "", "李副局长", "人事科", DAY, "逐步解决"])
    before, snapshot = counts(), state()
    response = upload(client, w, xlsx(rows))
    errors = response.context["errors"]
    assert [(e.sheet, e.row, e.column) for e in errors] == [("整改台账", 2, "问题")]
    assert "方案待审核" in errors[0].message and "整改措施" in errors[0].message
    assert counts() == before and state() == snapshot


def test_an_exported_ledger_imports_again_unchanged(ledger_world, login):
    """The export's title rows, its progress columns and its neutralised formulas."""
    w = ledger_world
    op = w.opinion_a.items.order_by("number").first()
    make_item(w, op, problem='=HYPERLINK("http://evil","点我")', measures="+1+1")
    make_item(w, op, category="explanation", problem="编制不足")
    advance(w, make_item(w, op, problem="已在整改"), "in_progress")
    client = login(w.liaison_a)
    exported = client.get(url(w, "ledger_export")).content
    before, snapshot = counts(), state()
    response = upload(client, w, exported, name="导出的台账.xlsx")
    preview = response.context["preview"]
    assert [o.outcome for o in preview.outcomes] == ["unchanged"] * 3
    assert preview.ignored_columns == ["进度", "状态", "佐证材料", "销号日期"]
    assert "进度、状态、佐证材料、销号日期" in response.content.decode()
    assert counts() == before and state() == snapshot


def test_formula_looking_text_is_just_text(ledger_world, login):
    w = ledger_world
    rows = [[1, 1, "=1+1", "@SUM(A1)", "-2", "+王", "=cmd|'/c calc'!A1", DAY, "限期整改"]]
    upload(login(w.liaison_a), w, xlsx(rows))
    item = RectificationItem.objects.get()
    assert (item.problem, item.measures, item.standard) == ("=1+1", "@SUM(A1)", "-2")
    assert item.responsible_department == "=cmd|'/c calc'!A1"


def test_the_office_imports_on_the_units_behalf(ledger_world, login):
    w = ledger_world
    upload(login(w.office), w, xlsx())
    assert (
        RectificationItem.objects.filter(appraisal=w.appraisal_a, created_by=w.office).count() == 3
    )


# ---- bad rows ------------------------------------------------------------------------------


def _with(row, col, value):
    rows = [list(r) for r in ROWS]
    rows[row][col] = value
    return rows


LONG = "长" * 4001


@pytest.mark.parametrize(
    ("rows", "row", "column", "message"),
    [
        (_with(0, 1, 7), 2, "评议意见", "不是已印发评议意见中的条目"),
        (_with(0, 1, 2**63), 2, "评议意见", "9223372036854775808"),
        (_with(0, 1, ""), 2, "评议意见", "必填"),
        (_with(0, 2, ""), 2, "问题", "必填"),
        (_with(0, 2, LONG), 2, "问题", "4000"),
        (_with(0, 5, "王" * 61), 2, "责任领导", "60"),
        (_with(0, 3, ""), 2, "整改措施", "整改措施"),
        (_with(2, 3, ""), 4, "整改措施", "说明理由"),
        (_with(0, 7, None), 2, "完成时限", "解释说明"),
        (_with(0, 7, "明年底"), 2, "完成时限", "不是 2000 至 2099 年间的日期"),
        (_with(0, 7, 2**63), 2, "完成时限", "不是 2000 至 2099 年间的日期"),
        (_with(0, 7, "2026-02-30"), 2, "完成时限", "日期"),
        (_with(0, 7, "1900-01-01"), 2, "完成时限", "日期"),
        (_with(0, 8, "马上就改"), 2, "整改类别", "无法识别整改类别"),
        (_with(0, 8, ""), 2, "整改类别", "必填"),
        (_with(0, 6, ""), 2, "责任科室", "必填"),
        (_with(1, 2, "窗口办件超时"), 3, "问题", "第 2 行"),
    ],
)
def test_bad_rows_are_reported_and_nothing_is_written(
    ledger_world, login, rows, row, column, message
):
    w = ledger_world
    before = counts()
    response = upload(login(w.liaison_a), w, xlsx(rows))
    errors = response.context["errors"]
    assert any(
        e.sheet == "整改台账" and e.row == row and e.column == column and message in e.message
        for e in errors
    ), [(e.row, e.column, e.message) for e in errors]
    assert "未导入任何数据" in response.content.decode()
    assert counts() == before


def test_every_bad_row_is_listed_at_once_with_the_header_below_title_rows(ledger_world, login):
    w = ledger_world
    rows = _with(0, 8, "马上就改")
    rows[2][5] = ""
    content = xlsx(rows, title_rows=["某局整改台账", "导出日期：2026-11-30"])
    response = upload(login(w.liaison_a), w, content)
    assert {(e.row, e.column) for e in response.context["errors"]} == {
        (4, "整改类别"),
        (6, "责任领导"),
    }


def test_a_missing_column_or_sheet_is_reported(ledger_world, login):
    w = ledger_world
    client = login(w.liaison_a)
    header = [h for h in HEADER if h != "完成时限"]
    response = upload(client, w, xlsx([r[:7] + r[8:] for r in ROWS], header=header))
    assert [(e.row, e.column) for e in response.context["errors"]] == [(1, "完成时限")]
    response = upload(client, w, xlsx(sheet="Sheet1"))
    assert "缺少工作表“整改台账”" in response.content.decode()
    response = upload(client, w, xlsx(rows=[]))
    assert "没有可导入的行" in response.content.decode()
    assert RectificationItem.objects.count() == 0


def test_a_nul_in_a_cell_is_a_bad_row_and_other_controls_are_dropped(ledger_world, login):
    w = ledger_world
    rows = _with(0, 2, "PLACEHOLDER")
    rows[1][3] = "推行CONTROL一次办结"
    content = patched(xlsx(rows), b"PLACEHOLDER", b"a_x0000_b")
    content = patched(content, b"CONTROL", b"_x0007__x000B_")
    before = counts()
    response = upload(login(w.liaison_a), w, content)
    [error] = response.context["errors"]
    assert (error.row, error.column) == (2, "问题") and "NUL" in error.message
    assert counts() == before
    # Without the NUL, the bell goes and the vertical tab becomes a line break.
    content = patched(patched(xlsx(rows), b"PLACEHOLDER", b"ok"), b"CONTROL", b"_x0007__x000B_")
    upload(login(w.liaison_a), w, content)
    assert RectificationItem.objects.get(problem="群众办事来回跑").measures == "推行\n一次办结"


def test_a_raw_nul_in_the_xml_is_a_damaged_file_not_an_error_page(ledger_world, login):
    w = ledger_world
    content = patched(xlsx(_with(0, 2, "PLACEHOLDER")), b"PLACEHOLDER", b"a\x00b")
    response = upload(login(w.liaison_a), w, content)
    assert response.status_code == 200
    assert "文件已损坏" in response.content.decode()
    assert RectificationItem.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("台账.csv", b"a,b,c", "请上传 Excel 工作簿"),
        ("台账.xls", b"\xd0\xcf\x11\xe0 old excel", "请上传 Excel 工作簿"),
        ("台账.xlsx", b"MZ\x90\x00 not a workbook", "不是真正的 .xlsx 文件"),
        ("台账.xlsx", b"PK\x03\x04broken zip", "不是真正的 .xlsx 文件"),
        ("台账.xlsx", None, "不是 Excel 工作簿"),  # a zip with xl/ but no workbook in it
    ],
)
def test_a_wrong_file_gets_a_clear_message(ledger_world, login, name, content, message):
    w = ledger_world
    if content is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("xl/nothing.xml", "<x/>")
        content = out.getvalue()
    response = upload(login(w.liaison_a), w, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert RectificationItem.objects.count() == 0


def test_a_zip_bomb_is_refused_unopened(ledger_world, login):
    from tests.surveys.test_zip_bombs import office_zip

    w = ledger_world
    response = upload(login(w.liaison_a), w, office_zip("xl/", 160))
    assert "压缩炸弹" in response.content.decode()
    assert RectificationItem.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(ledger_world, login, settings):
    w = ledger_world
    settings.MAX_UPLOAD_MB = 0
    response = upload(login(w.liaison_a), w, xlsx())
    assert "大于 0 MB" in response.content.decode()
    assert RectificationItem.objects.count() == 0


# ---- the two steps -------------------------------------------------------------------------


def test_confirm_without_the_checked_file_writes_nothing(ledger_world, login):
    w = ledger_world
    client = login(w.liaison_a)
    response = client.post(url(w), {"confirm": "1", "digest": "0" * 64})
    assert response.status_code == 302
    check(client, w, xlsx())
    response = client.post(url(w), {"confirm": "1", "digest": "f" * 64}, follow=True)
    assert "请重新上传" in response.content.decode()
    assert RectificationItem.objects.count() == 0


def test_the_checked_file_is_checked_again_at_the_confirmation(ledger_world, login):
    """Between the preview and the confirmation the item was submitted: the row that
    would change it is refused then, and nothing is written."""
    w = ledger_world
    client = login(w.liaison_a)
    upload(client, w, xlsx())
    rows = _with(0, 3, "另一措施")
    response = check(client, w, xlsx(rows))
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', response.content.decode()).group(1)
    advance(w, RectificationItem.objects.get(problem="窗口办件超时"), "submitted")
    before = counts()
    response = client.post(url(w), {"confirm": "1", "digest": digest})
    assert response.context["errors"][0].row == 2
    assert counts() == before


def test_the_template_downloads_and_its_examples_are_never_imported(ledger_world, login):
    w = ledger_world
    client = login(w.liaison_a)
    response = client.get(url(w, "ledger_import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames == ["整改台账", "填写示例", "说明"]
    assert [c.value for c in wb["整改台账"][1]] == HEADER and wb["整改台账"].max_row == 1
    notes = "\n".join(str(r[0].value or "") for r in wb["说明"].iter_rows())
    assert "1. 问题1：窗口服务效率不高" in notes and "2. 问题2" in notes
    response = upload(client, w, response.content)
    assert "没有可导入的行" in response.content.decode()
    assert RectificationItem.objects.count() == 0
    # Filled in with the examples' rows, it imports.
    examples = [list(r) for r in wb["填写示例"].iter_rows(min_row=3, values_only=True)]
    ws = wb["整改台账"]
    for row in examples:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    upload(client, w, out.getvalue())
    assert RectificationItem.objects.filter(appraisal=w.appraisal_a).count() == 2


# ---- who and when --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("liaison_a", 200),
        ("office", 200),
        ("leader", 403),
        ("liaison_b", 404),
        ("deputy", 404),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_role_by_page(ledger_world, client, who, status):
    w = ledger_world
    user = getattr(w, who, None)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    before = counts()
    assert client.get(url(w)).status_code == status
    assert client.get(url(w, "ledger_import_template")).status_code == status
    response = upload(client, w, xlsx())
    assert response.status_code == status
    assert counts()[0] == before[0] + (3 if status == 200 else 0)


def test_another_units_appraisal_is_not_found_and_its_items_untouched(ledger_world, login):
    w = ledger_world
    make_item(w, w.opinion_b.items.get(), problem="乙单位的问题")
    client = login(w.liaison_a)
    target = reverse("rectification:ledger_import", args=[w.appraisal_b.pk])
    response = client.post(target, {"file": SimpleUploadedFile("台账.xlsx", xlsx())})
    assert response.status_code == 404
    assert RectificationItem.objects.filter(appraisal=w.appraisal_b).count() == 1


def test_the_service_refuses_others_and_closed_campaigns(ledger_world):
    w = ledger_world
    parsed = importing.ledger_parse(BytesIO(xlsx()), appraisal=w.appraisal_a)
    for outsider in (w.leader, w.liaison_b, w.deputy):
        with pytest.raises(NotAllowed):
            importing.ledger_import(appraisal=w.appraisal_a, parsed=parsed, actor=outsider)
    set_phase(w, Campaign.Phase.CLOSED)
    with pytest.raises(DomainError):
        importing.ledger_import(appraisal=w.appraisal_a, parsed=parsed, actor=w.liaison_a)
    assert RectificationItem.objects.count() == 0


def test_the_page_says_why_not_when_the_campaign_is_closed(ledger_world, login):
    w = ledger_world
    set_phase(w, Campaign.Phase.CLOSED)
    client = login(w.liaison_a)
    page = client.get(url(w)).content.decode()
    assert "整改台账不能修改" in page and 'type="file"' not in page
    assert check(client, w, xlsx()).status_code == 200
    assert RectificationItem.objects.count() == 0


def test_the_ledger_page_offers_the_import_to_the_unit_and_the_office_only(ledger_world, login):
    w = ledger_world
    ledger = reverse("rectification:ledger", args=[w.appraisal_a.pk])
    for user, shown in ((w.liaison_a, True), (w.office, True), (w.leader, False)):
        assert (url(w) in login(user).get(ledger).content.decode()) == shown


def test_a_sheet_padded_with_empty_rows_is_refused_without_reading_them(ledger_world):
    """Empty <row/> by the hundred thousand (a 140 kB file of 90 MB XML with 15 million):
    reading stops just below the last row an import reads, and the person is told."""
    padded = patched(xlsx(), b"</sheetData>", b"<row/>" * 200_000 + b"</sheetData>")
    with pytest.raises(importing.LedgerInvalid) as refused:
        importing.ledger_parse(BytesIO(padded), appraisal=ledger_world.appraisal_a)
    (error,) = refused.value.errors
    assert error.row == importing.LAST_ROW + 1 and "看似空行" in error.message


@pytest.mark.parametrize("far", [importing.LAST_ROW + 1, importing.LAST_ROW + 2, 1_048_576])
def test_content_below_the_last_row_read_is_refused_never_dropped(ledger_world, far):
    content = patched(
        xlsx(),
        b"</sheetData>",
        f'<row r="{far}"><c r="C{far}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
        + b"</sheetData>",
    )
    with pytest.raises(importing.LedgerInvalid) as refused:
        importing.ledger_parse(BytesIO(content), appraisal=ledger_world.appraisal_a)
    (error,) = refused.value.errors
    assert error.row == importing.LAST_ROW + 1 and "每次最多导入2000行" in error.message


def test_sheet_rows_asks_the_reader_for_no_row_past_the_limit():
    from appraisal.uploads import SheetTooLong, sheet_rows

    asked = {}

    class Sheet:
        def __init__(self, rows):
            self.rows = rows

        def iter_rows(self, *, values_only, max_row):
            asked["max_row"] = max_row
            return iter(self.rows[:max_row])

    assert [n for n, _cells in sheet_rows(Sheet([("a",)] * 5), last_row=5)] == [1, 2, 3, 4, 5]
    assert asked == {"max_row": 6}
    with pytest.raises(SheetTooLong):
        list(sheet_rows(Sheet([("a",)] * 3 + [(None,)] * 100), last_row=5))


def test_a_workbook_whose_parts_expand_far_is_refused_unread(ledger_world, login):
    """Millions of tiny shared strings or empty rows: openpyxl would read the part whole."""
    w = ledger_world
    bloated = patched(xlsx(), b"</sheetData>", b"<row/>" * 1_600_000 + b"</sheetData>")
    assert len(bloated) < 1024 * 1024  # small to upload, 9 MB once opened
    response = upload(login(w.liaison_a), w, bloated)
    assert "远超导入所需" in response.content.decode()
    assert RectificationItem.objects.count() == 0


def test_a_cell_of_invisible_characters_only_is_empty(ledger_world):
    rows = _with(0, 2, "\u200b\ufeff\u202e")
    with pytest.raises(importing.LedgerInvalid) as refused:
        importing.ledger_parse(BytesIO(xlsx(rows)), appraisal=ledger_world.appraisal_a)
    [error] = refused.value.errors
    assert (error.row, error.column) == (2, "问题")
