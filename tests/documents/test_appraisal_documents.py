"""The self-review, the investigation report, the meeting packet and the campaign summary,
read back as a clerk would: title, number, 主送, body, signature, fonts, pages."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from appraisal.documents import MissingGlyph, fonts
from appraisal.documents.official import (
    Annex,
    Block,
    Head,
    Part,
    chinese_number,
    official_pdf,
    packet_pdf,
    title_in_lines,
)
from appraisal.documents.services import issuing_settings_of
from appraisal.models import Appraisal, Campaign, SelfReviewVersion, User
from appraisal.selfreview import documents as self_review_documents
from rectification.models import AppraisalOpinion
from surveys.models import InvestigationReport
from surveys.reports import documents as report_documents
from surveys.reports import services as report_services
from tests.appraisal.test_self_review import CONTENT
from tests.documents import pdfcheck
from tests.documents.pdfcheck import MM
from tests.surveys.test_reports import draft, group  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

HOUSING = "市住房和城乡建设局"


def page_numbers(pdf: bytes) -> list[tuple[int | None, float | None]]:
    """Per page: the number printed at its foot ("— N —") and where it sits (x of N)."""
    words = pdfcheck.words(pdf)
    pages = int(pdfcheck.info(pdf)["Pages"])
    out: list[tuple[int | None, float | None]] = []
    for page in range(1, pages + 1):
        foot = [w for w in words if w.page == page and w.text.isdigit() and w.y0 > 250 * MM]
        out.append((int(foot[0].text), foot[0].x0) if foot else (None, None))
    return out


def fonts_embedded(pdf: bytes) -> bool:
    used = pdfcheck.fonts(pdf)
    return bool(used) and all(f["emb"] == "yes" and f["uni"] == "yes" for f in used)


@pytest.fixture
def demo(settings, client):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_opinions", stdout=StringIO())
    campaign = Campaign.objects.get(year=2026)
    appraisal = Appraisal.objects.get(campaign=campaign, unit__name=HOUSING)
    return campaign, appraisal


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_the_demo_self_review_is_a_report_of_the_unit_to_the_committee(demo, client):
    campaign, appraisal = demo
    settings = issuing_settings_of(campaign)
    v2 = SelfReviewVersion.objects.get(self_review__appraisal=appraisal, number=2)
    pdf = as_user(client, "unit1").get(reverse("appraisal:self_review_pdf", args=[appraisal.pk, 2]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdfcheck.flat(pdf.content)
    title = f"{HOUSING}关于2026年度工作评议自查自评情况的报告"
    assert title in text and "（第2稿）" in text
    assert f"{settings.committee_name}：" in text  # 主送 the committee
    assert "一、基本情况" in text and "三、存在问题" in text
    first_problem = v2.content["problems"].splitlines()[0].replace(" ", "")
    assert first_problem in text
    # Signed by the unit, dated the day of submission.
    date = timezone.localdate(v2.submitted_at)
    assert f"{HOUSING}{date.year}年{date.month}月{date.day}日" in text
    assert "已通过。" not in text  # a unit's answer reads 认可, not a review status
    assert pdfcheck.info(pdf.content)["Title"] == title
    assert fonts_embedded(pdf.content)
    assert page_numbers(pdf.content)[0][0] == 1
    # The returned first version prints as it was frozen, without the later third problem.
    v1 = as_user(client, "unit1").get(reverse("appraisal:self_review_pdf", args=[appraisal.pk, 1]))
    v1_text = pdfcheck.flat(v1.content)
    assert "（第1稿）" in v1_text and "三是建筑市场执法规范化水平有待提高" not in v1_text
    assert "三是建筑市场执法规范化水平有待提高" in text


def test_the_demo_report_goes_to_the_office_with_its_annexes(demo, client):
    campaign, appraisal = demo
    report = InvestigationReport.objects.get(appraisal=appraisal)
    pdf = as_user(client, "group1").get(reverse("surveys:report_pdf", args=[appraisal.pk])).content
    text = pdfcheck.flat(pdf)
    assert report.title in text
    assert f"{issuing_settings_of(campaign).issuing_office}：" in text
    assert "一、调研开展情况" in text and "二、存在的主要问题" in text
    assert "草稿" not in text  # accepted: its date is the day it was sent
    assert "第一评议工作组" in text
    for n, annex in enumerate(
        ["调研活动情况", "核实的问题（按类别）", "问卷调查结果", "工作组代表签署情况"], start=1
    ):
        assert f"附件{n}{annex}" in text, annex
    assert "座谈会" in text and "（突出问题）" in text and "收回有效答卷40份" in text
    assert fonts_embedded(pdf)


def test_the_demo_packet_holds_both_documents_each_from_its_own_page(demo, client):
    _campaign, appraisal = demo
    pdf = as_user(client, "office").get(reverse("surveys:meeting_packet", args=[appraisal.pk]))
    assert pdf.status_code == 200
    pages = [re.sub(r"\s+", "", p) for p in pdfcheck.text(pdf.content).split("\f")]
    review_title = f"{HOUSING}关于2026年度工作评议自查自评情况的报告"
    report_title = InvestigationReport.objects.get(appraisal=appraisal).title
    assert "工作评议会议材料" in pages[0] and "目录" in pages[0]
    starts = [i for i, p in enumerate(pages) if p.startswith((review_title, report_title))]
    assert len(starts) == 2 and pages[starts[0]].startswith(review_title)
    assert pages[starts[1]].startswith(report_title)
    numbers = page_numbers(pdf.content)
    # The cover is not numbered; the first document starts at — 1 — on a right-hand page.
    assert numbers[0][0] is None and numbers[starts[0]][0] == 1
    assert fonts_embedded(pdf.content)


def test_the_demo_campaign_summary_is_the_offices_report(demo, client):
    campaign, _appraisal = demo
    opinion = AppraisalOpinion.objects.get()
    pdf = as_user(client, "office").get(
        reverse("rectification:campaign_summary", args=[campaign.pk])
    )
    text = pdfcheck.flat(pdf.content)
    assert f"关于{campaign.title}进展情况的报告" in text
    assert "江川市人大常委会工作评议领导小组：" in text  # the office reports to its group
    assert "共有被评议单位4个" in text and "已印发评议意见1份，被评议单位已签收1份" in text
    assert "附件1各单位评议工作进展情况表" in text and "附件2问题线索分类统计表" in text
    assert opinion.document_number in text
    assert "市交通运输局" in text and "合计" in text
    info = pdfcheck._run(["pdfinfo", "-f", "1", "-l", "9"], pdf.content)
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    assert float(sizes[0][0]) < float(sizes[0][1])  # the report: portrait
    assert any(float(w) > float(h) for w, h in sizes)  # the progress table: landscape
    assert fonts_embedded(pdf.content)


def test_a_report_not_sent_is_marked_as_a_draft(
    world,
    group,  # noqa: F811
):
    (_d1, _d2), ordinary, prominent = group
    report = draft(world, ordinary, prominent, include_prominent=True)
    text = pdfcheck.flat(report_documents.report_pdf(report))
    assert "（草稿，未报送）" in text and "窗口办事排队时间长" in text
    assert "违规收取物业保证金（突出问题）。" in text
    assert "工作组代表签署情况" not in text  # nobody has signed yet: no signature annex
    report_services.report_move(report=report, actor=world.leader, to="signing")
    report.refresh_from_db()
    assert "（草稿，未报送）" in pdfcheck.flat(report_documents.report_pdf(report))


def test_a_packet_numbers_on_and_starts_each_document_on_a_right_hand_page():
    def part(title: str, paragraphs: int) -> Part:
        head = Head(
            kind="report", title=title, date=dt.date(2026, 3, 5), addressees="某某", signatory="乙"
        )
        return Part(head, [Block("p", "测" * 28 * 18)] * paragraphs)

    pdf = packet_pdf(
        title="会议材料",
        subtitle="江川市人大常委会2026年度工作评议",
        author="办公室",
        date=dt.date(2026, 3, 5),
        parts=[part("第一份报告", 2), part("第二份报告", 1)],
    )
    numbers = page_numbers(pdf)
    pages = [re.sub(r"\s+", "", p) for p in pdfcheck.text(pdf).split("\f")]
    # cover, its blank back, the first document (3 pages), a blank, the second.
    assert [n for n, _x in numbers[:8]] == [None, None, 1, 2, 3, None, 5, 6][: len(numbers)]
    assert pages[2].startswith("第一份报告") and pages[6].startswith("第二份报告")
    # The cover's contents give each document's first page: 1 and 5.
    assert re.search(r"第一份报告\.{3,}1.*第二份报告\.{3,}5", pages[0]), pages[0]
    # ... and both numbers stand at the right margin, one under the other.
    cover = [w for w in pdfcheck.words(pdf) if w.page == 1 and re.fullmatch(r"\.*[15]", w.text)]
    ends = [w.x1 for w in cover if w.text[-1] in "15"]
    assert len(ends) == 2 and abs(ends[0] - ends[1]) < 1, cover
    for n, x in numbers:
        if n is not None:  # odd numbers on the right, even on the left
            assert (x > 105 * MM) == (n % 2 == 1)
    assert pdfcheck.info(pdf)["Title"] == "会议材料"


def test_a_long_title_breaks_between_whole_words_only():
    title = title_in_lines("关于", "江川市人大常委会2026年度工作评议", "进展情况的报告")
    assert title == "关于江川市人大常委会2026年度工作评议\n进展情况的报告"
    head = Head(kind="report", title=title, date=dt.date(2026, 3, 5))
    pdf = official_pdf(head=head, blocks=[Block("p", "正文。")])
    lines = [ln.strip() for ln in pdfcheck.text(pdf).splitlines() if ln.strip()]
    assert lines[:2] == ["关于江川市人大常委会2026年度工作评议", "进展情况的报告"]
    assert pdfcheck.info(pdf)["Title"] == head.title_text


def test_a_wide_table_annex_turns_the_page_and_wraps_text_columns():
    head = Head(kind="report", title="报告", date=dt.date(2026, 3, 5))
    table = Block(
        "table",
        header=["单位", "说明", "数"],
        rows=[["市住房和城乡建设局", "很长的说明" * 20, 3]],
        columns=["name", "text", "num"],
    )
    pdf = official_pdf(
        head=head, blocks=[Block("p", "见附件。")], annexes=[Annex("表", [table], landscape=True)]
    )
    sizes = re.findall(
        r"Page\s+\d+ size:\s+([\d.]+) x", pdfcheck._run(["pdfinfo", "-f", "1", "-l", "2"], pdf)
    )
    assert [round(float(w)) for w in sizes] == [595, 842]
    words = [w for w in pdfcheck.words(pdf) if w.page == 2]
    assert max(w.x1 for w in words) < 842 - 35 * MM + 1  # nothing runs past the block


def test_a_character_no_font_has_stops_the_self_review_with_a_message(world, login, monkeypatch):
    from appraisal.models import SelfReview
    from appraisal.selfreview import services
    from tests import factories
    from units.models import UnitTeamMember

    head = factories.UserFactory()
    factories.UnitTeamMemberFactory(
        unit=world.appraisal_a.unit, user=head, role=UnitTeamMember.Role.HEAD
    )
    Campaign.objects.filter(pk=world.campaign.pk).update(phase=Campaign.Phase.SELF_REVIEW)
    world.appraisal_a.campaign.refresh_from_db()
    review = services.selfreview_save_draft(
        appraisal=world.appraisal_a,
        actor=world.liaison_a,
        content={**CONTENT, "basics": "联系人：王𠀀"},
    )
    services.selfreview_approve(self_review=review, actor=head)
    services.selfreview_move(
        self_review=review, actor=world.liaison_a, to=SelfReview.Status.SUBMITTED
    )
    version = review.versions.get()
    assert "王𠀀" in pdfcheck.flat(self_review_documents.self_review_pdf(version))
    monkeypatch.setattr(fonts, "FALLBACK", [])
    with pytest.raises(MissingGlyph) as e:
        self_review_documents.self_review_pdf(version)
    assert "U+20000" in e.value.message
    response = login(world.liaison_a).get(
        reverse("appraisal:self_review_pdf", args=[world.appraisal_a.pk, version.number])
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("江川市人大常委会2026年度工作评议实施方案", "江川市人大常委会\n2026年度工作评议实施方案"),
        (
            "关于市住房和城乡建设局2026年度工作评议的意见",
            "关于市住房和城乡建设局\n2026年度工作评议的意见",
        ),
        ("关于召开二次测评会议的通知", "关于召开二次测评会议的通知"),
    ],
)
def test_a_typed_title_turns_between_words_and_evenly(typed, printed):
    """GB/T 9704: a title that turns keeps its words whole (工作评/议 was seen) and is set
    evenly, not a full line over a stub such as 的意见."""
    head = Head(kind="notice", title=typed, date=dt.date(2026, 3, 5))
    assert head.title_display == printed
    pdf = official_pdf(head=head, blocks=[Block("p", "正文。")])
    lines = [ln.strip() for ln in pdfcheck.text(pdf).splitlines() if ln.strip()]
    assert lines[: printed.count("\n") + 1] == printed.split("\n")


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"), (99, "九十九"),
     (100, "一百"), (101, "一百零一"), (110, "一百一十"), (1001, "一千零一"),
     (1010, "一千零一十"), (2000, "二千"), (10001, "一万零一"), (123456, "十二万三千四百五十六"),
     (100_000_000, "100000000")],
)  # fmt: skip
def test_chinese_numbers_go_past_ninety_nine(n, words):
    assert chinese_number(n) == words
