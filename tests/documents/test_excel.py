"""The one Excel helper: user text stays text in every export (OWASP formula injection)."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from appraisal.documents import Column, Sheet, content_disposition, workbook_bytes
from appraisal.documents.excel import neutralise
from appraisal.scoring import services as scoring
from tests.appraisal.conftest import all_choice, make_round
from tests.surveys.test_questionnaires import build, post_answers

EVIL = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def cells(content: bytes):
    wb = load_workbook(BytesIO(content))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def assert_no_formula(content: bytes) -> None:
    for cell in cells(content):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value


@pytest.mark.parametrize("text", EVIL)
def test_text_that_reads_as_a_formula_is_neutralised(text):
    content = workbook_bytes([Sheet("表", [Column("文字")], [[text]], [text])])
    assert_no_formula(content)
    # (XML reads a CR back as a line feed.)
    values = [c.value.replace("\n", "\r") for c in cells(content) if c.value]
    assert values.count("'" + text.replace("\n", "\r")) == 2  # title row and data row


def test_numbers_dates_and_percentages_are_typed():
    content = workbook_bytes(
        [
            Sheet(
                "表",
                [
                    Column("名称"),
                    Column("评分", "int"),
                    Column("均分", "number"),
                    Column("满意率", "percent"),
                    Column("日期", "date"),
                ],
                [["甲", "4", 88.5, "93.13%", dt.date(2026, 3, 5)]],
                ["标题", "副标题"],
            )
        ]
    )
    ws = load_workbook(BytesIO(content)).worksheets[0]
    row = ws[4]
    assert row[1].value == 4 and row[2].number_format == "0.00"
    assert abs(row[3].value - 0.9313) < 1e-9 and row[3].number_format == "0.00%"
    assert row[4].is_date
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref == "A3:E4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$3:$3"


def test_neutralise_leaves_ordinary_text_alone():
    assert neutralise("市住房和城乡建设局") == "市住房和城乡建设局"
    assert neutralise("=1") == "'=1"


def test_file_names_are_chinese_with_an_ascii_fallback():
    value = content_disposition('江人常评〔2026〕1号 关于"测评"/结果的通报.pdf')
    assert value.startswith('attachment; filename="')
    assert "filename*=UTF-8''%E6%B1%9F" in value
    assert "/" not in value.split("filename*=")[1] and '"' not in value.split("filename*=")[1]
    # The fallback an old client reads: a name, not the digits left of a Chinese one.
    assert 'filename="document.pdf"' in value
    assert 'filename="ledger_2026.xlsx"' in content_disposition("ledger 2026.xlsx")
    assert 'filename="document.xlsx"' in content_disposition("整改台账.xlsx")


@pytest.mark.django_db
def test_every_export_writes_user_text_as_text(world, login, client):
    evil = EVIL[0]
    # Results: unit names, round title and voter group names come from the office.
    world.appraisal_a.unit.name = evil
    world.appraisal_a.unit.save()
    sw = make_round(world)
    sw.committee.name = "+常委会"
    sw.committee.save()
    scoring.round_open(round=sw.round, actor=world.office)
    scoring.ballot_cast(
        round_id=sw.round.pk, voter=world.deputy, choices=all_choice(world, "satisfied")
    )
    scoring.round_close(round=sw.round, actor=world.office)
    office = login(world.office)
    exports = [office.get(reverse("appraisal:results_xlsx", args=[sw.round.pk])).content]
    exports.append(office.get(reverse("appraisal:roster_template")).content)
    # Survey responses: question texts and free answers come from anyone.
    survey, q = build(world)
    client.logout()
    post_answers(client, survey, q, text="@cmd|' /C calc'!A0")
    exports.append(
        login(world.leader).get(reverse("surveys:survey_xlsx", args=[survey.pk])).content
    )
    for content in exports:
        assert_no_formula(content)
    texts = [c.value for content in exports for c in cells(content) if isinstance(c.value, str)]
    assert "'" + evil in texts and "'@cmd|' /C calc'!A0" in texts
