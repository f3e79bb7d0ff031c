"""One main (red) button per screen: the action that moves the work on in its state."""

import re

import pytest
from django.urls import reverse

from appraisal.models import Campaign
from appraisal.selfreview import services as selfreview
from surveys.models import Finding
from surveys.reports import services as reports
from tests import factories
from tests.rectification.conftest import drafted, opinions_phase  # noqa: F401
from units.models import UnitTeamMember

pytestmark = pytest.mark.django_db

CONTENT = dict.fromkeys(
    ["basics", "achievements", "problems", "causes", "measures", "fixed"], "已写明。"
)


def primaries(html: str) -> list[str]:
    return re.findall(r'<button[^>]*class="primary"[^>]*>([^<]*)<', html) + re.findall(
        r'<a[^>]*class="button primary"[^>]*>([^<]*)<', html
    )


@pytest.fixture
def head(world):
    user = factories.UserFactory(username="head_a")
    factories.UnitTeamMemberFactory(
        unit=world.appraisal_a.unit, user=user, role=UnitTeamMember.Role.HEAD
    )
    Campaign.objects.filter(pk=world.campaign.pk).update(phase=Campaign.Phase.SELF_REVIEW)
    world.appraisal_a.campaign.refresh_from_db()
    return user


def test_self_review_page_has_one_main_button_in_each_state(world, head, login):
    url = reverse("appraisal:self_review", args=[world.appraisal_a.pk])
    review = selfreview.selfreview_save_draft(
        appraisal=world.appraisal_a, actor=world.liaison_a, content=CONTENT
    )
    assert primaries(login(world.liaison_a).get(url).content.decode()) == ["保存草稿"]
    assert primaries(login(head).get(url).content.decode()) == ["审定本稿"]
    selfreview.selfreview_approve(self_review=review, actor=head)
    assert primaries(login(world.liaison_a).get(url).content.decode()) == ["报送评议工作组"]


def test_opinion_draft_page_has_one_main_button(opinions_phase, login):  # noqa: F811
    world = opinions_phase
    url = reverse("rectification:opinion", args=[world.appraisal_a.pk])
    assert primaries(login(world.office).get(url).content.decode()) == ["保存草稿"]
    drafted(world, world.appraisal_a)
    assert primaries(login(world.office).get(url).content.decode()) == ["印发评议意见"]


def test_the_report_in_signing_does_not_push_sending_before_signatures(world, login):
    deputy = factories.UserFactory(username="signer")
    factories.WorkGroupMemberFactory(work_group=world.appraisal_a.work_group, user=deputy)
    factories.VoterFactory(voter_group__campaign=world.campaign, user=deputy)
    Finding.objects.all().delete()
    report = reports.report_save_draft(
        appraisal=world.appraisal_a,
        actor=world.leader,
        title="",
        body="一、基本情况",
        included=set(),
        reasons={},
    )
    url = reverse("surveys:report", args=[world.appraisal_a.pk])
    assert primaries(login(world.leader).get(url).content.decode()) == ["送代表签署"]
    report = reports.report_move(report=report, actor=world.leader, to="signing")
    assert primaries(login(world.leader).get(url).content.decode()) == []
    reports.report_sign(report=report, actor=deputy, decision="signed")
    assert primaries(login(world.leader).get(url).content.decode()) == ["报送办公室"]
