"""The to-do lists on the home pages follow the work: forwarded problems once answered,
a draft waiting for the head's approval, a report waiting for this deputy's signature,
the office's overview after the approval; one main button per card."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from appraisal.models import Campaign
from appraisal.selfreview import services as selfreview
from surveys.answers.services import finding_answer_save
from surveys.models import Finding
from surveys.reports import services as reports
from tests import factories
from units.models import UnitTeamMember

pytestmark = pytest.mark.django_db

CONTENT = dict.fromkeys(
    ["basics", "achievements", "problems", "causes", "measures", "fixed"], "已写明。"
)


@pytest.fixture
def head(world):
    user = factories.UserFactory(username="head_a", full_name="王局长")
    factories.UnitTeamMemberFactory(
        unit=world.appraisal_a.unit, user=user, role=UnitTeamMember.Role.HEAD
    )
    Campaign.objects.filter(pk=world.campaign.pk).update(phase=Campaign.Phase.SELF_REVIEW)
    world.appraisal_a.campaign.refresh_from_db()
    return user


def _forward(world, text):
    return Finding.objects.create(
        appraisal=world.appraisal_a,
        source=Finding.Source.DEPUTY,
        text=text,
        status=Finding.Status.VERIFIED,
        forwarded_at=timezone.now(),
    )


def _primaries(html):
    return re.findall(r'class="button primary"[^>]*>([^<]*)<', html) + re.findall(
        r'<a[^>]*class="primary[^"]*"[^>]*>([^<]*)<', html
    )


def test_forwarded_problems_leave_the_todo_list_once_answered(world, head, login):
    findings = [_forward(world, "物业投诉办理慢"), _forward(world, "维修资金不透明")]
    url = reverse("appraisal:unit_home")
    assert (
        "请逐一研究处理评议工作组转交的 2 个问题"
        in login(world.liaison_a).get(url).content.decode()
    )
    finding_answer_save(
        finding=findings[0], actor=world.liaison_a, response="accepted", text="已改"
    )
    assert "转交的 1 个问题" in login(world.liaison_a).get(url).content.decode()
    finding_answer_save(finding=findings[1], actor=world.liaison_a, response="partly", text="在改")
    html = login(world.liaison_a).get(url).content.decode()
    assert "请逐一研究处理" not in html


def test_the_head_is_told_the_draft_waits_for_his_approval(world, head, login):
    selfreview.selfreview_save_draft(
        appraisal=world.appraisal_a, actor=world.liaison_a, content=CONTENT
    )
    url = reverse("appraisal:unit_home")
    html = login(head).get(url).content.decode()
    assert "自查自评报告草稿待您审定" in html
    assert "撰写自查自评报告" not in html
    assert "待单位主要负责人审定" in login(world.liaison_a).get(url).content.decode()
    review = world.appraisal_a.self_review
    selfreview.selfreview_approve(self_review=review, actor=head)
    assert "请报送评议工作组" in login(world.liaison_a).get(url).content.decode()
    overview = login(world.office).get(reverse("appraisal:office_overview")).content.decode()
    assert "已审定，待报送" in overview


def test_a_deputy_is_told_the_report_waits_for_his_signature(world, login):
    deputy = factories.UserFactory(username="deputy_member", full_name="代表甲")
    factories.WorkGroupMemberFactory(work_group=world.appraisal_a.work_group, user=deputy)
    factories.VoterFactory(voter_group__campaign=world.campaign, user=deputy)
    other = factories.UserFactory(username="deputy_other", full_name="代表乙")
    factories.WorkGroupMemberFactory(work_group=world.appraisal_a.work_group, user=other)
    factories.VoterFactory(voter_group__campaign=world.campaign, user=other)
    report = reports.report_save_draft(
        appraisal=world.appraisal_a,
        actor=world.leader,
        title="",
        body="一、基本情况\n调研。",
        included=set(),
        reasons={},
    )
    report = reports.report_move(report=report, actor=world.leader, to="signing")
    url = reverse("appraisal:workgroup_home")
    assert "调研报告待您签署" in login(deputy).get(url).content.decode()
    reports.report_sign(report=report, actor=deputy, decision="signed")
    html = login(deputy).get(url).content.decode()
    assert "调研报告待您签署" not in html and "您已签署" in html
    assert "调研报告正在由代表签署。" in login(world.leader).get(url).content.decode()


def test_a_home_card_has_one_main_button(world, login):
    # Investigation: recording activities is the work group's main action, not the report.
    html = login(world.leader).get(reverse("appraisal:workgroup_home")).content.decode()
    assert len(_primaries(html)) == 1, _primaries(html)
