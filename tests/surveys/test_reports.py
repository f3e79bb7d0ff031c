"""Investigation reports: findings picked and grouped, the no-concealment rule, sign-off
by every deputy of the work group or a recorded reason, the office's review, the PDFs."""

import pytest
from django.urls import reverse
from django.utils import timezone

from appraisal.documents.services import issuing_settings_of
from appraisal.errors import DomainError, NotAllowed
from appraisal.models import AuditEvent, Campaign, SelfReview
from appraisal.selfreview import services as selfreview
from surveys.models import Finding, InvestigationActivity, InvestigationReport
from surveys.reports import services
from tests import factories
from tests.pdftext import pdf_text
from units.models import UnitTeamMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(world):
    deputies = []
    for name in ("代表甲", "代表乙"):
        user = factories.UserFactory(full_name=name)
        factories.WorkGroupMemberFactory(work_group=world.appraisal_a.work_group, user=user)
        factories.VoterFactory(voter_group__campaign=world.campaign, user=user)
        deputies.append(user)
    a = world.appraisal_a
    InvestigationActivity.objects.create(
        appraisal=a,
        kind="symposium",
        held_on="2026-04-10",
        place="市民服务中心",
        participants="代表甲、代表乙、服务对象12人",
        summary="座谈",
        recorded_by=world.leader,
    )
    ordinary = Finding.objects.create(
        appraisal=a,
        source="activity",
        text="窗口办事排队时间长",
        topic="service",
        status="verified",
    )
    prominent = Finding.objects.create(
        appraisal=a,
        source="deputy",
        text="违规收取物业保证金",
        topic="integrity",
        status="verified",
        prominent=True,
    )
    Finding.objects.create(appraisal=a, source="public", text="未核实的问题", status="received")
    return deputies, ordinary, prominent


def draft(world, ordinary, prominent, reasons=None, include_prominent=False):
    included = {ordinary.pk} | ({prominent.pk} if include_prominent else set())
    return services.report_save_draft(
        appraisal=world.appraisal_a,
        actor=world.leader,
        title="",
        body="一、基本情况\n工作组开展了调研。\n二、存在问题\n窗口办事排队时间长。",
        included=included,
        reasons=reasons or {},
    )


def test_a_prominent_finding_is_left_out_only_with_a_reason_the_office_sees(world, group, login):
    _deputies, ordinary, prominent = group
    with pytest.raises(DomainError, match="突出问题"):
        draft(world, ordinary, prominent)
    assert not InvestigationReport.objects.exists()
    report = draft(world, ordinary, prominent, reasons={prominent.pk: "已移交纪检监察机关调查"})
    services.report_move(report=report, actor=world.leader, to="signing")
    html = login(world.office).get(reverse("surveys:report", args=[world.appraisal_a.pk]))
    assert "已移交纪检监察机关调查" in html.content.decode()
    assert "违规收取物业保证金" in html.content.decode()


def test_including_the_prominent_finding_needs_no_reason(world, group):
    _deputies, ordinary, prominent = group
    report = draft(world, ordinary, prominent, include_prominent=True)
    services.report_move(report=report, actor=world.leader, to="signing")
    assert InvestigationReport.objects.get().status == "signing"


def test_every_deputy_signs_or_the_leader_says_why_not(world, group):
    (d1, _d2), ordinary, prominent = group
    report = draft(world, ordinary, prominent, include_prominent=True)
    with pytest.raises(DomainError, match="签署阶段"):
        services.report_sign(report=report, actor=d1, decision="signed")
    services.report_move(report=report, actor=world.leader, to="signing")
    with pytest.raises(DomainError, match="不能修改"):
        draft(world, ordinary, prominent, include_prominent=True)
    with pytest.raises(NotAllowed):
        services.report_sign(report=report, actor=world.leader, decision="signed")
    services.report_sign(report=report, actor=d1, decision="signed")
    with pytest.raises(DomainError, match="已签署过"):
        services.report_sign(report=report, actor=d1, decision="signed")
    with pytest.raises(DomainError, match="尚有人未签署"):
        services.report_move(report=report, actor=world.leader, to="submitted")
    with pytest.raises(NotAllowed):
        services.report_move(report=report, actor=d1, to="submitted", missing_reason="代表乙出差")
    report = services.report_move(
        report=report, actor=world.leader, to="submitted", missing_reason="代表乙在外地出差"
    )
    assert report.status == "submitted" and report.missing_reason == "代表乙在外地出差"


def test_a_dissent_is_written_down_and_counts_as_a_decision(world, group):
    (d1, d2), ordinary, prominent = group
    report = draft(world, ordinary, prominent, include_prominent=True)
    services.report_move(report=report, actor=world.leader, to="signing")
    with pytest.raises(DomainError, match="写明不同意见"):
        services.report_sign(report=report, actor=d2, decision="dissent")
    services.report_sign(report=report, actor=d1, decision="signed")
    services.report_sign(report=report, actor=d2, decision="dissent", note="问题表述过轻")
    report = services.report_move(report=report, actor=world.leader, to="submitted")
    assert report.status == "submitted" and report.missing_reason == ""


def test_the_office_returns_and_a_new_round_needs_new_signatures(world, group):
    (d1, d2), ordinary, prominent = group
    report = draft(world, ordinary, prominent, include_prominent=True)
    services.report_move(report=report, actor=world.leader, to="signing")
    services.report_sign(report=report, actor=d1, decision="signed")
    services.report_sign(report=report, actor=d2, decision="signed")
    services.report_move(report=report, actor=world.leader, to="submitted")
    with pytest.raises(NotAllowed):
        services.report_move(report=report, actor=world.leader, to="accepted")
    with pytest.raises(DomainError, match="修改之处"):
        services.report_move(report=report, actor=world.office, to="returned")
    services.report_move(report=report, actor=world.office, to="returned", comment="补充问卷结果")
    draft(world, ordinary, prominent, include_prominent=True)
    report = services.report_move(report=report, actor=world.leader, to="signing")
    assert report.round == 2
    with pytest.raises(DomainError, match="尚有人未签署"):
        services.report_move(report=report, actor=world.leader, to="submitted")
    services.report_sign(report=report, actor=d1, decision="signed")
    services.report_sign(report=report, actor=d2, decision="signed")
    services.report_move(report=report, actor=world.leader, to="submitted")
    services.report_move(report=report, actor=world.office, to="accepted")
    actions = list(
        AuditEvent.objects.filter(action__startswith="surveys.report.").values_list(
            "action", flat=True
        )
    )
    assert actions.count("surveys.report.signed") == 4
    assert "surveys.report.accepted" in actions and "surveys.report.returned" in actions


@pytest.mark.parametrize(
    "who, status",
    [
        ("leader", 200),
        ("member", 200),
        ("office", 200),
        ("liaison_a", 403),
        ("liaison_b", 404),
        ("deputy", 404),
        ("outsider", 404),
        (None, 302),
    ],
)
def test_who_opens_the_report(world, group, login, client, who, status):
    (d1, _d2), ordinary, prominent = group
    draft(world, ordinary, prominent, include_prominent=True)
    if who:
        login(d1 if who == "member" else getattr(world, who))
    pk = world.appraisal_a.pk
    for url in [reverse("surveys:report", args=[pk]), reverse("surveys:report_pdf", args=[pk])]:
        assert client.get(url).status_code == status, url


def test_only_members_write_and_only_the_office_prints_the_packet(world, group, login):
    (d1, _d2), ordinary, prominent = group
    pk = world.appraisal_a.pk
    data = {
        "title": "调研报告",
        "body": "正文",
        f"include_{ordinary.pk}": "on",
        f"include_{prominent.pk}": "on",
    }
    assert login(world.office).post(reverse("surveys:report", args=[pk]), data).status_code == 403
    assert not InvestigationReport.objects.exists()
    assert login(d1).post(reverse("surveys:report", args=[pk]), data).status_code == 302
    assert InvestigationReport.objects.get().body == "正文"
    packet = reverse("surveys:meeting_packet", args=[pk])
    assert login(world.leader).get(packet).status_code == 403
    assert login(world.liaison_a).get(packet).status_code == 403
    assert login(world.office).get(packet).status_code == 200


def test_the_report_pdf_and_the_meeting_packet(world, group, login):
    (d1, d2), ordinary, prominent = group
    report = draft(world, ordinary, prominent, include_prominent=True)
    services.report_move(report=report, actor=world.leader, to="signing")
    services.report_sign(report=report, actor=d1, decision="signed")
    services.report_sign(report=report, actor=d2, decision="dissent", note="表述偏轻")
    services.report_move(report=report, actor=world.leader, to="submitted")
    text = pdf_text(
        login(world.leader).get(reverse("surveys:report_pdf", args=[world.appraisal_a.pk])).content
    )
    assert "关于市住房和城乡建设局工作评议的调研报告" in text
    assert f"{issuing_settings_of(world.campaign).issuing_office}：" in text
    assert "一、基本情况" in text and "工作组开展了调研。" in text
    assert "违规收取物业保证金（突出问题）" in text
    assert "市民服务中心" in text
    assert "代表乙不同意见" in text and "表述偏轻" in text
    # The packet: the unit's self-review and this report in one PDF.
    head = factories.UserFactory()
    factories.UnitTeamMemberFactory(
        unit=world.appraisal_a.unit, user=head, role=UnitTeamMember.Role.HEAD
    )
    Campaign.objects.filter(pk=world.campaign.pk).update(phase=Campaign.Phase.SELF_REVIEW)
    world.appraisal_a.campaign.refresh_from_db()
    ordinary.forwarded_at = timezone.now()
    ordinary.save()
    from surveys.answers.services import finding_answer_save

    finding_answer_save(
        finding=ordinary, actor=world.liaison_a, response="accepted", text="增设窗口"
    )
    content = {
        k: f"{k}内容" for k in ("basics", "achievements", "problems", "causes", "measures", "fixed")
    }
    review = selfreview.selfreview_save_draft(
        appraisal=world.appraisal_a, actor=world.liaison_a, content=content
    )
    selfreview.selfreview_approve(self_review=review, actor=head)
    selfreview.selfreview_move(
        self_review=review, actor=world.liaison_a, to=SelfReview.Status.SUBMITTED
    )
    packet = pdf_text(
        login(world.office)
        .get(reverse("surveys:meeting_packet", args=[world.appraisal_a.pk]))
        .content
    )
    assert "会议材料" in packet
    assert "关于2026年度工作评议自查自评情况的报告" in packet
    assert "problems内容" in packet
    assert "关于市住房和城乡建设局工作评议的调研报告" in packet


def test_a_report_out_for_signing_is_open_for_its_deputies_until_they_sign(world, group, login):
    deputies, ordinary, prominent = group
    report = draft(world, ordinary, prominent, reasons={prominent.pk: "已移交"})
    home = reverse("appraisal:deputy_home")
    sign_url = reverse("surveys:report", args=[world.appraisal_a.pk])
    assert sign_url not in login(deputies[0]).get(home).content.decode()  # a draft: nothing
    services.report_move(report=report, actor=world.leader, to="signing")
    html = login(deputies[0]).get(home).content.decode()
    open_part = html.split('id="open-title"')[1].split("</section>")[0]
    assert sign_url in open_part and "签署调研报告" in open_part
    # A deputy outside the work group has nothing to sign.
    assert sign_url not in login(world.deputy).get(home).content.decode()
    services.report_sign(report=report, actor=deputies[0], decision="signed")
    assert sign_url not in login(deputies[0]).get(home).content.decode()
    assert sign_url in login(deputies[1]).get(home).content.decode()


def test_the_office_is_offered_the_packet_only_when_there_is_something_in_it(world, group, login):
    office = login(world.office)
    packet = reverse("surveys:meeting_packet", args=[world.appraisal_a.pk])
    page = reverse("appraisal:detail", args=[world.appraisal_a.pk])
    assert packet not in office.get(page).content.decode()
    _deputies, ordinary, prominent = group
    draft(world, ordinary, prominent, reasons={prominent.pk: "另案处理"})
    assert packet in office.get(page).content.decode()
    assert packet not in login(world.leader).get(page).content.decode()  # the office's


def test_leaving_out_a_prominent_finding_without_a_reason_is_a_form_error(world, group, login):
    _deputies, ordinary, prominent = group
    url = reverse("surveys:report", args=[world.appraisal_a.pk])
    response = login(world.leader).post(
        url,
        {
            "title": "调研报告",
            "body": "正文",
            f"include_{ordinary.pk}": "on",
            f"reason_{prominent.pk}": "  ",
        },
    )
    assert response.status_code == 200
    assert "略去突出问题须书面说明理由。" in response.content.decode()
    assert not InvestigationReport.objects.exists()


def test_a_finding_left_out_but_still_in_the_text_is_flagged(world, group, login):
    _deputies, ordinary, prominent = group
    report = services.report_save_draft(
        appraisal=world.appraisal_a,
        actor=world.leader,
        title="",
        body="",
        included={ordinary.pk, prominent.pk},
        reasons={},
        compose=True,
    )
    assert "窗口办事排队时间长" in report.body
    # The ordinary finding is unticked afterwards; the composed text still lists it.
    report = services.report_save_draft(
        appraisal=world.appraisal_a,
        actor=world.leader,
        title=report.title,
        body=report.body,
        included={prominent.pk},
        reasons={},
    )
    url = reverse("surveys:report", args=[world.appraisal_a.pk])
    group_page = login(world.leader).get(url).content.decode()
    assert "“窗口办事排队时间长”未纳入报告，但正文仍提及该问题" in group_page
    office_page = login(world.office).get(url).content.decode()
    assert "该问题未纳入报告，但正文仍提及" in office_page
    client = login(world.leader)
    response = client.post(
        reverse("surveys:report_move", args=[world.appraisal_a.pk]), {"to": "signing"}, follow=True
    )
    assert "“窗口办事排队时间长”未纳入报告，但正文仍提及该问题" in response.content.decode()


def test_a_finding_left_out_and_gone_from_the_text_raises_no_flag(world, group, login):
    _deputies, ordinary, prominent = group
    draft(world, ordinary, prominent, include_prominent=True)
    services.report_save_draft(
        appraisal=world.appraisal_a,
        actor=world.leader,
        title="",
        body="一、基本情况\n工作组开展了调研。",
        included={prominent.pk},
        reasons={},
    )
    html = login(world.office).get(reverse("surveys:report", args=[world.appraisal_a.pk]))
    assert "正文仍提及" not in html.content.decode()


def test_the_reason_for_a_missing_signature_is_asked_only_while_one_is_missing(world, group, login):
    (d1, d2), ordinary, prominent = group
    report = draft(world, ordinary, prominent, include_prominent=True)
    services.report_move(report=report, actor=world.leader, to="signing")
    url = reverse("surveys:report", args=[world.appraisal_a.pk])
    services.report_sign(report=report, actor=d1, decision="signed")
    html = login(world.leader).get(url).content.decode()
    assert 'name="missing_reason"' in html
    services.report_sign(report=report, actor=d2, decision="signed")
    html = login(world.leader).get(url).content.decode()
    assert 'name="missing_reason"' not in html
