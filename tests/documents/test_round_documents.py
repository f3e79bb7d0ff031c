"""The 测评结果通报, the results workbook and the voting-code slips, read back."""

from io import BytesIO
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from appraisal.documents.models import IssuedDocument
from appraisal.models import AuditEvent, VotingCode
from appraisal.scoring import services as scoring
from tests.appraisal.conftest import all_choice, make_round
from tests.documents import pdfcheck

pytestmark = pytest.mark.django_db


@pytest.fixture
def sw(world):
    return make_round(world)


@pytest.fixture
def open_round(world):
    sw = make_round(world, voters=12)  # codes are capped by those present
    scoring.round_open(round=sw.round, actor=world.office)
    sw.round.refresh_from_db()
    return sw


@pytest.fixture
def published(world):
    sw = make_round(world)
    scoring.round_open(round=sw.round, actor=world.office)
    for voter in sw.voters:
        scoring.ballot_cast(
            round_id=sw.round.pk, voter=voter, choices=all_choice(world, "satisfied")
        )
    scoring.round_close(round=sw.round, actor=world.office)
    scoring.round_publish(round=sw.round, actor=world.office)
    sw.round.refresh_from_db()
    return sw


def test_the_results_notice_is_a_numbered_document_of_the_committee(world, published, client):
    rnd = published.round
    url = reverse("appraisal:results_pdf", args=[rnd.pk])
    response = client.get(url)
    assert response.status_code == 200
    pdf = response.content
    text = pdfcheck.flat(pdf)
    issued = IssuedDocument.objects.get()
    date = f"{issued.date.year}年{issued.date.month}月{issued.date.day}日"
    assert issued.date == rnd.published_at.date() or issued.date.day == rnd.published_at.day
    title = f"关于{rnd.campaign.title}{rnd.title}结果的通报"
    for part in (
        title,
        issued.number_text,
        "各被评议单位，各评议工作组：",
        issued.signatory,
        date,
        "市住房和城乡建设局",
    ):
        assert part in text, part
    assert "〔2026〕1号" in issued.number_text
    assert "应到4人，实到4人，收回选票4张" in text
    assert "附件" in text and "抄送：" in text and f"{date}印发" in text
    info = pdfcheck.info(pdf)
    assert info["Title"] == title
    assert all(f["emb"] == "yes" for f in pdfcheck.fonts(pdf))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"{issued.number_text} {title}.pdf"
    # Printed again later: the same number, the same date; no second number is taken.
    again = pdfcheck.flat(client.get(url).content)
    assert issued.number_text in again and IssuedDocument.objects.count() == 1


def test_publishing_numbers_the_notice_and_printing_writes_nothing(world, published, client):
    issued = IssuedDocument.objects.get()
    assert issued.subject == f"round-results:{published.round.pk}"
    assert issued.issued_by == world.office
    assert AuditEvent.objects.filter(action="documents.document.issued").count() == 1
    before = AuditEvent.objects.count()
    response = client.get(reverse("appraisal:results_pdf", args=[published.round.pk]))
    assert issued.number_text in pdfcheck.flat(response.content)
    assert AuditEvent.objects.count() == before and IssuedDocument.objects.count() == 1


def test_an_unpublished_round_prints_as_a_draft_without_a_number(world, login, sw):
    scoring.round_open(round=sw.round, actor=world.office)
    scoring.ballot_cast(
        round_id=sw.round.pk, voter=world.deputy, choices=all_choice(world, "satisfied")
    )
    scoring.round_close(round=sw.round, actor=world.office)
    pdf = login(world.office).get(reverse("appraisal:results_pdf", args=[sw.round.pk])).content
    text = pdfcheck.flat(pdf)
    assert "未发布" in text and "〔2026〕" not in text
    assert not IssuedDocument.objects.exists()


def test_the_results_workbook_has_numbers_a_title_and_print_setup(world, published, client):
    response = client.get(reverse("appraisal:results_xlsx", args=[published.round.pk]))
    wb = load_workbook(BytesIO(response.content))
    ws = wb.worksheets[0]
    assert published.round.campaign.title in ws["A1"].value
    header_row = next(
        r
        for r in range(1, 6)
        if ws.cell(r, 2).value == "被评议单位" or ws.cell(r, 1).value == "名次"
    )
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.auto_filter.ref.startswith(f"A{header_row}")
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows
    first = [c for c in ws[header_row + 1]]
    numbers = [c for c in first if c.data_type == "n" and c.value is not None]
    assert any(c.number_format == "0.00%" for c in numbers)
    assert isinstance(first[0].value, int)  # the rank
    groups = wb.worksheets[2]
    values = [[c.value for c in row] for row in groups.iter_rows()]
    assert any(row[0] == "常委会组成人员" and row[1] == 4 and row[2] == 4 for row in values)


def test_voting_code_slips_print_every_unused_code_with_a_qr_that_reads(world, login, open_round):
    rnd = open_round.round
    scoring.codes_generate(round=rnd, voter_group=open_round.deputies, count=11, actor=world.office)
    used = VotingCode.objects.filter(round=rnd).order_by("code").first()
    VotingCode.objects.filter(pk=used.pk).update(used=True)
    unused = sorted(VotingCode.objects.filter(round=rnd, used=False).values_list("code", flat=True))
    response = login(world.office).get(
        reverse("appraisal:round_codes_pdf", args=[rnd.pk, open_round.deputies.pk])
    )
    pdf = response.content
    text = pdfcheck.flat(pdf)
    assert all(code in text for code in unused) and used.code not in text
    assert rnd.title in text and "/v/" in text  # the round and the address to type it at
    assert pdfcheck.info(pdf)["Pages"] == "2"  # 8 to a page
    assert pdfcheck.info(pdf)["Page size"].startswith("595.")  # A4
    assert all(f["emb"] == "yes" and f["uni"] == "yes" for f in pdfcheck.fonts(pdf))
    payloads = sorted(pdfcheck.qr_payloads(pdf))
    expected = sorted(f"http://testserver/v/{code}/" for code in unused)
    assert payloads == expected


@pytest.mark.parametrize(
    ("campaign", "round", "name"),
    [
        ("江川市人大常委会2026年度工作评议", "集中评议会满意度测评",
         "江川市人大常委会2026年度工作评议集中评议会满意度测评"),
        ("江川市人大常委会2026年度工作评议", "评议意见办理情况满意度测评",
         "江川市人大常委会2026年度工作评议“评议意见办理情况满意度测评”"),
        ("2026年度工作评议", "2026年度工作评议第二次测评", "2026年度工作评议第二次测评"),
    ],
)  # fmt: skip
def test_a_round_is_named_without_saying_a_word_twice(world, sw, campaign, round, name):
    from appraisal.scoring.documents import results_title, round_name

    sw.round.campaign.title, sw.round.title = campaign, round
    assert round_name(sw.round) == name
    assert results_title(sw.round) == f"关于{name}结果的通报"
