"""The rectification report (整改情况报告) and the second round on it (issue 12)."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from appraisal.errors import DomainError, NotAllowed, PhaseError
from appraisal.models import AuditEvent, Campaign, ScoringRound
from appraisal.scoring import services as scoring
from appraisal.scoring.rules import PRESETS
from rectification.ledger import services as ledger
from rectification.models import AppraisalOpinion, RectificationItem
from rectification.reports import selectors, services
from rectification.reports.models import RectificationReport
from tests import factories
from tests.appraisal.conftest import make_round
from tests.pdftext import pdf_text
from tests.rectification.ledgerkit import advance, make_item, set_phase
from tests.rectification.reportkit import completed, head_of, submitted, written
from units.models import UnitTeamMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def rw(ledger_world):
    """Items of A in several states; heads for A and B."""
    w = ledger_world
    first, second = w.opinion_a.items.order_by("number")
    w.closed = advance(w, make_item(w, first, problem="物业投诉超期未答复"), "closed")
    w.open = advance(w, make_item(w, first, problem="限时办结制度未建立"), "in_progress")
    w.explained = make_item(w, second, category="explanation", problem="异地转移时间长")
    w.explained = ledger.item_move(item=w.explained, actor=w.liaison_a, action="submit")
    w.explained = ledger.item_move(item=w.explained, actor=w.leader, action="accept_explanation")
    w.head_a = head_of(w.appraisal_a, "head_a")
    w.head_b = head_of(w.appraisal_b, "head_b")
    return w


def test_the_draft_is_written_from_the_ledger_per_opinion_item(rw):
    report = services.report_generate(appraisal=rw.appraisal_a, actor=rw.liaison_a)
    keys = [s["key"] for s in report.sections]
    assert keys == ["intro", "item-1", "item-2", "next"]
    text = {s["key"]: s["text"] for s in report.sections}
    assert "建立限时办结制度" in text["item-1"]  # the measures
    assert "佐证材料：现场。" in text["item-1"]  # the evidence listed, by name
    assert ".png" not in text["item-1"]
    assert "销号" in text["item-1"]  # what was done
    assert "【请填写尚未完成的原因" in text["item-1"]  # what remains, and why: the unit says
    assert "现行法规未授权本单位办理" in text["item-2"]  # the explanation
    assert "3项整改事项" in text["intro"] and "销号1项" in text["intro"]
    assert AuditEvent.objects.filter(action="rectification.report.generated").count() == 1


def test_only_the_units_team_writes_and_only_its_head_approves(rw):
    with pytest.raises(NotAllowed):
        services.report_generate(appraisal=rw.appraisal_a, actor=rw.liaison_b)
    with pytest.raises(NotAllowed):
        services.report_generate(appraisal=rw.appraisal_a, actor=rw.leader)
    report = services.report_generate(appraisal=rw.appraisal_a, actor=rw.liaison_a)
    with pytest.raises(NotAllowed):
        services.report_approve(report=report, actor=rw.liaison_a)
    with pytest.raises(DomainError, match="请填写"):  # the marks are still there
        services.report_approve(report=report, actor=rw.head_a)


def test_an_edit_after_approval_needs_a_new_approval(rw):
    report = written(rw.appraisal_a, rw.liaison_a, rw.head_a)
    assert report.approval_current
    texts = completed(report) | {"next": "下一步：持续推进。"}
    report = services.report_save_draft(
        report=report, actor=rw.liaison_a, title=report.title, texts=texts
    )
    assert not report.approval_current and report.approved_by is None
    with pytest.raises(DomainError, match="审定"):
        services.report_move(report=report, actor=rw.liaison_a, to="submitted")
    report = services.report_approve(report=report, actor=rw.head_a)
    approvals = AuditEvent.objects.filter(action="rectification.report.approved").count()
    with pytest.raises(DomainError, match="本稿已经审定"):  # a second click says so
        services.report_approve(report=report, actor=rw.head_a)
    assert AuditEvent.objects.filter(action="rectification.report.approved").count() == approvals
    report = services.report_move(report=report, actor=rw.liaison_a, to="submitted")
    assert report.status == "submitted"
    with pytest.raises(DomainError, match="整改情况报告处于“已报送常委会”状态"):
        services.report_move(report=report, actor=rw.liaison_a, to="submitted", note="x")


def test_a_submitted_version_is_frozen_and_refuses_edits(rw, login):
    report = submitted(rw.appraisal_a, rw.liaison_a, rw.head_a)
    version = report.versions.get()
    for attempt in (
        lambda: services.report_save_draft(
            report=report, actor=rw.liaison_a, title="改", texts={"next": "改"}
        ),
        lambda: services.report_generate(appraisal=rw.appraisal_a, actor=rw.liaison_a),
        lambda: services.report_approve(report=report, actor=rw.head_a),
    ):
        with pytest.raises(DomainError):
            attempt()
    client = login(rw.liaison_a)
    url = reverse("rectification:report", args=[rw.appraisal_a.pk])
    assert client.post(url, {"title": "改", "s_next": "改"}).status_code == 403
    version.refresh_from_db()
    assert version.title != "改" and version.sections[-1]["text"] != "改"


def test_counts_frozen_at_submission_do_not_follow_the_ledger(rw):
    report = submitted(rw.appraisal_a, rw.liaison_a, rw.head_a)
    version = report.versions.get()
    assert version.counts() == {
        "total": 3, "closed": 1, "in_progress": 1, "overdue": 0, "explained": 1,
    }  # fmt: skip
    # Later the open item is finished and closed, and a new one goes overdue.
    ledger.item_move(item=rw.open, actor=rw.liaison_a, action="finish")
    ledger.item_move(item=RectificationItem.objects.get(pk=rw.open.pk), actor=rw.leader,
                     action="close")  # fmt: skip
    late = make_item(rw, rw.opinion_a.items.first(), days=5)
    RectificationItem.objects.filter(pk=late.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=3)
    )
    version.refresh_from_db()
    assert (version.total, version.closed, version.in_progress, version.overdue) == (3, 1, 1, 0)


def test_a_submission_after_the_reply_deadline_is_accepted_and_marked_late(rw, login):
    AppraisalOpinion.objects.filter(pk=rw.opinion_a.pk).update(
        reply_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    report = submitted(rw.appraisal_a, rw.liaison_a, rw.head_a)
    version = report.versions.get()
    assert report.status == "submitted" and version.late
    page = login(rw.office).get(reverse("rectification:report", args=[rw.appraisal_a.pk]))
    assert "逾期报送" in page.content.decode()
    overview = login(rw.office).get(reverse("appraisal:office_overview"))
    assert "逾期报送" in overview.content.decode()


def test_an_in_time_submission_is_not_late(rw):
    version = submitted(rw.appraisal_a, rw.liaison_a, rw.head_a).versions.get()
    assert not version.late and version.deadline == rw.opinion_a.reply_deadline


def test_submission_waits_for_the_rectification_phase(rw):
    report = written(rw.appraisal_a, rw.liaison_a, rw.head_a)
    set_phase(rw, Campaign.Phase.OPINIONS)
    report.appraisal.campaign.refresh_from_db()
    with pytest.raises(PhaseError):
        services.report_move(report=report, actor=rw.liaison_a, to="submitted")
    set_phase(rw, Campaign.Phase.SECOND_SCORING)
    report = RectificationReport.objects.get(pk=report.pk)
    assert services.report_move(report=report, actor=rw.liaison_a, to="submitted").status == (
        "submitted"
    )


def test_a_return_keeps_both_versions_readable(rw, login):
    report = submitted(rw.appraisal_a, rw.liaison_a, rw.head_a)
    with pytest.raises(NotAllowed):
        services.report_move(report=report, actor=rw.liaison_b, to="returned", comment="x")
    with pytest.raises(DomainError):
        services.report_move(report=report, actor=rw.leader, to="returned")  # no comment
    report = services.report_move(
        report=report, actor=rw.leader, to="returned", comment="逾期事项的原因写得不够具体。"
    )
    texts = completed(report) | {"next": "第二稿：补充了逾期原因。"}
    report = services.report_save_draft(
        report=report, actor=rw.liaison_a, title=report.title, texts=texts
    )
    report = services.report_approve(report=report, actor=rw.head_a)
    with pytest.raises(DomainError):  # a revision says what changed
        services.report_move(report=report, actor=rw.liaison_a, to="submitted")
    report = services.report_move(
        report=report, actor=rw.liaison_a, to="submitted", note="补充了逾期原因。"
    )
    report = services.report_move(report=report, actor=rw.office, to="accepted")
    assert report.status == "accepted"
    client = login(rw.leader)
    one = client.get(reverse("rectification:report_version", args=[rw.appraisal_a.pk, 1]))
    two = client.get(reverse("rectification:report_version", args=[rw.appraisal_a.pk, 2]))
    assert "逾期事项的原因写得不够具体" in one.content.decode()
    assert "第二稿" in two.content.decode() and "第二稿" not in one.content.decode()
    moves = AuditEvent.objects.filter(action__startswith="rectification.report.")
    assert {"rectification.report.returned", "rectification.report.accepted"} <= set(
        moves.values_list("action", flat=True)
    )


# ---- who sees what ---------------------------------------------------------------------


@pytest.fixture
def second(rw):
    """A's report submitted; an open round 2 on A whose roll is the deputies' group (dp0…),
    not the committee (``world.deputy``)."""
    submitted(rw.appraisal_a, rw.liaison_a, rw.head_a)
    sw = make_round(rw)
    set_phase(rw, Campaign.Phase.SECOND_SCORING)
    rnd = scoring.round_save(
        campaign=rw.campaign, actor=rw.office, title="二次测评", kind=2,
        appraisals=[rw.appraisal_a], voter_groups=[sw.deputies], allow_unknown=False,
        rule=PRESETS["rate_80_60"],
    )  # fmt: skip
    scoring.round_set_attendance(
        round=rnd, actor=rw.office, groups={g.pk: {"present": g.entitled} for g in rnd.groups.all()}
    )
    rw.round2 = scoring.round_open(round=rnd, actor=rw.office)
    rw.sw = sw
    rw.voter = sw.voters[-1]  # a deputy of the deputies' group
    return rw


PAGES = ["report", "version", "pdf"]


def _url(w, page, appraisal=None):
    pk = (appraisal or w.appraisal_a).pk
    if page == "report":
        return reverse("rectification:report", args=[pk])
    if page == "version":
        return reverse("rectification:report_version", args=[pk, 1])
    return reverse("rectification:report_version_pdf", args=[pk, 1])


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("liaison_a", {"report", "version", "pdf"}),
        ("colleague", {"report", "version", "pdf"}),
        ("liaison_b", set()),
        ("leader", {"report", "version", "pdf"}),
        ("office", {"report", "version", "pdf"}),
        ("deputy", set()),  # a deputy not on round 2's roll
        ("voter", {"version", "pdf"}),  # on round 2's roll: the submitted report only
        ("outsider", set()),
    ],
)
def test_who_sees_the_report(second, client, login, who, allowed):
    w = second
    if who == "colleague":
        user = factories.UserFactory(username="staff_a")
        factories.UnitTeamMemberFactory(
            unit=w.appraisal_a.unit, user=user, role=UnitTeamMember.Role.STAFF
        )
    else:
        user = getattr(w, who)
    client = login(user)
    for page in PAGES:
        status = client.get(_url(w, page)).status_code
        assert (status == 200) == (page in allowed), (who, page, status)
        assert status in (200, 404), (who, page, status)


def test_anonymous_is_sent_to_sign_in(second, client):
    for page in PAGES:
        response = client.get(_url(second, page))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_voter_reads_no_report_of_a_unit_the_round_does_not_score(second, login):
    submitted(second.appraisal_b, second.liaison_b, second.head_b)
    client = login(second.voter)
    assert client.get(_url(second, "version", second.appraisal_b)).status_code == 404
    # …nor once the round is closed.
    scoring.round_close(round=second.round2, actor=second.office)
    assert client.get(_url(second, "version")).status_code == 404


def test_a_voter_does_not_see_the_review_or_the_late_mark(second, login):
    AppraisalOpinion.objects.filter(pk=second.opinion_a.pk).update(
        reply_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    from rectification.reports.models import RectificationReportVersion

    RectificationReportVersion.objects.update(late=True, comment="内部意见")
    body = login(second.voter).get(_url(second, "version")).content.decode()
    assert "内部意见" not in body and "逾期报送" not in body
    assert "整改情况报告" in body or "工作评议意见整改落实情况" in body


def test_the_pages_refuse_writes_from_others(second, login):
    for user in (second.liaison_b, second.leader):
        client = login(user)
        pk = second.appraisal_a.pk
        for name in ("report_generate", "report_approve", "report_submit"):
            status = client.post(reverse(f"rectification:{name}", args=[pk])).status_code
            assert status in (403, 404)
    client = login(second.liaison_a)
    review = reverse("rectification:report_review", args=[second.appraisal_a.pk])
    assert client.post(review, {"decision": "accepted"}).status_code == 403


# ---- round 2 ---------------------------------------------------------------------------


def test_round_two_refuses_a_unit_whose_report_is_not_submitted(rw):
    submitted(rw.appraisal_a, rw.liaison_a, rw.head_a)
    sw = make_round(rw)
    with pytest.raises(DomainError, match=rw.appraisal_b.unit.name):
        scoring.round_save(
            campaign=rw.campaign, actor=rw.office, title="二次测评", kind=2,
            appraisals=[rw.appraisal_a, rw.appraisal_b], voter_groups=[sw.deputies],
            allow_unknown=False, rule=PRESETS["rate_80_60"],
        )  # fmt: skip
    # A first round needs nothing of the kind.
    assert sw.round.appraisals.count() == 2


def test_round_two_refuses_a_unit_that_received_no_opinion(rw):
    """Round 2 scores how the opinions were handled: without one there is nothing to score."""
    submitted(rw.appraisal_a, rw.liaison_a, rw.head_a)
    sw = make_round(rw)
    other = factories.AppraisalFactory(campaign=rw.campaign)
    with pytest.raises(DomainError, match=f"{other.unit.name}（未印发评议意见）"):
        scoring.round_save(
            campaign=rw.campaign, actor=rw.office, title="二次测评", kind=2,
            appraisals=[rw.appraisal_a, other], voter_groups=[sw.deputies],
            allow_unknown=False, rule=PRESETS["rate_80_60"],
        )  # fmt: skip
    assert not ScoringRound.objects.filter(kind=2).exists()


def test_the_round_setup_shows_which_units_have_a_report(rw, login):
    submitted(rw.appraisal_a, rw.liaison_a, rw.head_a)
    set_phase(rw, Campaign.Phase.SECOND_SCORING)
    page = login(rw.office).get(reverse("appraisal:round_create", args=[rw.campaign.pk]))
    body = page.content.decode()
    assert "整改情况报告已报送" in body and "整改情况报告未报送" in body
    form = page.context["form"]
    assert form.fields["kind"].initial == ScoringRound.Kind.SECOND
    assert form.fields["appraisals"].initial == [rw.appraisal_a.pk]


def test_the_round_two_ballot_links_the_report_of_its_units_only(second, login):
    w = second
    submitted(w.appraisal_b, w.liaison_b, w.head_b)  # B has one too, but is not on round 2
    client = login(w.voter)
    body = client.get(reverse("appraisal:ballot", args=[w.round2.pk])).content.decode()
    assert _url(w, "version") in body
    assert _url(w, "version", w.appraisal_b) not in body
    assert 'target="_blank"' in body
    # A first round's ballot links nothing.
    scoring.round_open(round=w.sw.round, actor=w.office)
    first = client.get(reverse("appraisal:ballot", args=[w.sw.round.pk])).content.decode()
    assert "rectification-report" not in first


def test_round_two_results_stand_beside_round_one(second, login):
    w = second
    first = w.sw.round
    scoring.round_open(round=first, actor=w.office)
    for voter in w.sw.voters:
        scoring.ballot_cast(
            round_id=first.pk,
            voter=voter,
            choices={w.appraisal_a.pk: "unsatisfied", w.appraisal_b.pk: "satisfied"},
        )
    scoring.round_close(round=first, actor=w.office)
    scoring.round_publish(round=first, actor=w.office)
    for voter in w.sw.voters[4:]:
        scoring.ballot_cast(
            round_id=w.round2.pk, voter=voter, choices={w.appraisal_a.pk: "satisfied"}
        )
    scoring.round_close(round=w.round2, actor=w.office)
    client = login(w.office)
    body = client.get(reverse("appraisal:results", args=[w.round2.pk])).content.decode()
    assert "第一次测评" in body and "不满意" in body
    xlsx = client.get(reverse("appraisal:results_xlsx", args=[w.round2.pk]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "第一次测评" in cells and any(c.startswith("不满意") for c in cells)
    pdf = pdf_text(client.get(reverse("appraisal:results_pdf", args=[w.round2.pk])).content)
    assert "第一次测评" in pdf and "2025年度结果" in pdf


# ---- the document and the queries -----------------------------------------------------


def test_the_pdf_is_a_report_to_the_committee_with_title_addressee_and_body(second, login):
    response = login(second.liaison_a).get(_url(second, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "关于2026年度工作评议意见整改落实情况的报告" in text
    assert "人大常委会：" in text  # 主送
    assert "建立限时办结制度" in text and "佐证材料：现场。" in text  # the body
    assert second.appraisal_a.unit.name in text  # signed by the unit


def test_the_report_page_takes_the_same_queries_whatever_the_items(rw, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    report = submitted(rw.appraisal_a, rw.liaison_a, rw.head_a)
    services.report_move(report=report, actor=rw.leader, to="returned", comment="再改")
    services.report_generate(appraisal=rw.appraisal_a, actor=rw.liaison_a)
    client = login(rw.liaison_a)
    url = reverse("rectification:report", args=[rw.appraisal_a.pk])
    client.get(url)  # the session's first request reads what later ones find cached
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    first = rw.opinion_a.items.first()
    for i in range(12):
        item = make_item(rw, first, problem=f"事项{i}")
        advance(rw, item, "in_progress")
    services.report_generate(appraisal=rw.appraisal_a, actor=rw.liaison_a)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
    gen_few = _generate_queries(rw)
    for i in range(5):
        make_item(rw, first, problem=f"再加{i}")
    assert _generate_queries(rw) == gen_few


def _generate_queries(w) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        services.report_generate(appraisal=w.appraisal_a, actor=w.liaison_a)
    return len(ctx)


def test_the_unit_sees_its_report_todo_on_its_home_page(rw, login):
    body = login(rw.liaison_a).get(reverse("appraisal:unit_home")).content.decode()
    assert reverse("rectification:report", args=[rw.appraisal_a.pk]) in body


def test_opening_round_two_checks_the_report_again(second):
    """A report returned after the round was set up keeps the round from opening."""
    w = second
    sw_round = scoring.round_save(
        campaign=w.campaign, actor=w.office, title="二次测评（补）", kind=2,
        appraisals=[w.appraisal_a], voter_groups=[w.sw.deputies], allow_unknown=False,
        rule=PRESETS["rate_80_60"],
    )  # fmt: skip
    scoring.round_set_attendance(
        round=sw_round, actor=w.office,
        groups={g.pk: {"present": g.entitled} for g in sw_round.groups.all()},
    )  # fmt: skip
    report = RectificationReport.objects.get(appraisal=w.appraisal_a)
    services.report_move(report=report, actor=w.leader, to="returned", comment="请补充。")
    with pytest.raises(DomainError, match="退回"):
        scoring.round_open(round=sw_round, actor=w.office)


def test_hostile_input_to_the_draft_gets_a_form_error_not_a_500(rw, login):
    services.report_generate(appraisal=rw.appraisal_a, actor=rw.liaison_a)
    client = login(rw.liaison_a)
    url = reverse("rectification:report", args=[rw.appraisal_a.pk])
    before = RectificationReport.objects.get().sections
    huge = client.post(url, {"title": "标" * 300, "s_next": "字" * 30000})
    assert huge.status_code == 200 and huge.context["form"].errors
    assert client.post(url, {"title": "题\x00目", "s_next": "x"}).status_code == 400
    assert RectificationReport.objects.get().sections == before


def test_a_voter_with_a_code_reads_the_report_from_the_code_ballot(second, client):
    w = second
    code = scoring.codes_generate(
        round=w.round2, voter_group=w.sw.deputies, count=1, actor=w.office
    )[0].code
    body = client.get(reverse("appraisal:code_ballot", args=[code])).content.decode()
    url = reverse("rectification:report_for_code", args=[code, w.appraisal_a.pk, 1])
    assert url in body
    page = client.get(url)
    assert page.status_code == 200 and "工作评议意见整改落实情况" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    # Not another unit's, not with a made-up code, not once the round is closed.
    assert (
        client.get(
            reverse("rectification:report_for_code", args=[code, w.appraisal_b.pk, 1])
        ).status_code
        == 404
    )
    bogus = reverse("rectification:report_for_code", args=["ZZZZ9999", w.appraisal_a.pk, 1])
    assert client.get(bogus).status_code == 404
    scoring.round_close(round=w.round2, actor=w.office)
    assert client.get(url).status_code == 404


def _primary_buttons(html: str) -> list[str]:
    return re.findall(r'<button[^>]*class="primary[^"]*"[^>]*>([^<]*)</button>', html)


def test_writing_again_asks_first_only_when_the_draft_holds_written_text(rw, login):
    client = login(rw.liaison_a)
    url = reverse("rectification:report", args=[rw.appraisal_a.pk])
    generate = reverse("rectification:report_generate", args=[rw.appraisal_a.pk])
    report = services.report_generate(appraisal=rw.appraisal_a, actor=rw.liaison_a)
    html = client.get(url).content.decode()
    form = html[
        html.rindex("<form", 0, html.index(generate)) : html.index(">", html.index(generate))
    ]
    assert "data-confirm" not in form  # nothing written yet: nothing to lose
    services.report_save_draft(
        report=report, actor=rw.liaison_a, title=report.title, texts=completed(report)
    )
    html = client.get(url).content.decode()
    form = html[
        html.rindex("<form", 0, html.index(generate)) : html.index(">", html.index(generate))
    ]
    assert 'data-confirm="' in form  # the project's confirmation (static/js/forms.js)
    assert "无法恢复" in form
    services.report_generate(appraisal=rw.appraisal_a, actor=rw.liaison_a)
    html = client.get(url).content.decode()
    form = html[
        html.rindex("<form", 0, html.index(generate)) : html.index(">", html.index(generate))
    ]
    assert "data-confirm" not in form  # written again: the text is the ledger's once more


def test_an_approved_draft_reads_approved_awaiting_submission(rw, login):
    written(rw.appraisal_a, rw.liaison_a, rw.head_a)
    url = reverse("rectification:report", args=[rw.appraisal_a.pk])
    for who in (rw.liaison_a, rw.office):
        html = login(who).get(url).content.decode()
        assert "状态：<strong>已审定，待报送</strong>" in html, who
    stage = selectors.report_stage(rw.campaign, [rw.appraisal_a])[rw.appraisal_a.pk]
    assert stage.text == "已审定，待报送"


def test_the_report_page_has_one_main_button_for_each_state(rw, login):
    url = reverse("rectification:report", args=[rw.appraisal_a.pk])
    liaison, head = rw.liaison_a, rw.head_a

    def primary(who):
        return _primary_buttons(login(who).get(url).content.decode())

    assert primary(liaison) == ["从台账生成草稿"]
    report = services.report_generate(appraisal=rw.appraisal_a, actor=liaison)
    assert primary(liaison) == ["保存草稿"]
    report = services.report_save_draft(
        report=report, actor=liaison, title=report.title, texts=completed(report)
    )
    assert primary(head) == ["审定本稿"]
    services.report_approve(report=report, actor=head)
    assert primary(liaison) == ["报送常委会"]
    assert primary(head) == ["报送常委会"]


def test_writing_again_from_a_stale_page_never_replaces_text_written_since(rw, login):
    """The liaison opens the page on a draft as generated; the head then writes into it;
    the liaison's click on 从台账重新生成 from the old page is refused, the head's text kept."""
    report = services.report_generate(appraisal=rw.appraisal_a, actor=rw.liaison_a)
    client = login(rw.liaison_a)
    html = client.get(reverse("rectification:report", args=[rw.appraisal_a.pk])).content.decode()
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', html).group(1)
    services.report_save_draft(
        report=report, actor=rw.head_a, title=report.title, texts=completed(report)
    )
    generate = reverse("rectification:report_generate", args=[rw.appraisal_a.pk])
    refused = client.post(generate, {"seen": seen}, follow=True).content.decode()
    assert "您打开本页后草稿已被修改" in refused
    report.refresh_from_db()
    assert report.has_own_text  # the head's text is still there
    # Seen, and confirmed on the page that shows it: written again.
    html = client.get(reverse("rectification:report", args=[rw.appraisal_a.pk])).content.decode()
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', html).group(1)
    client.post(generate, {"seen": seen})
    report.refresh_from_db()
    assert not report.has_own_text
