"""The investigation's links on layer-1 pages come from the stage registry."""

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import Finding, Survey

pytestmark = pytest.mark.django_db


def _finding(world, **fields):
    return Finding.objects.create(
        appraisal=world.appraisal_a, source=Finding.Source.ACTIVITY, text="问题", **fields
    )


def test_appraisal_page_links_the_investigation_for_its_work_group(world, login):
    _finding(world)
    _finding(world, status=Finding.Status.VERIFIED, forwarded_at=timezone.now())
    html = login(world.leader).get(world.appraisal_a.get_absolute_url()).content.decode()
    assert reverse("surveys:activities", args=[world.appraisal_a.pk]) in html
    assert reverse("surveys:survey_list", args=[world.appraisal_a.pk]) in html
    assert reverse("surveys:findings", args=[world.appraisal_a.pk]) in html
    assert "2，待核实1" in html


def test_appraisal_page_gives_the_unit_only_what_was_forwarded(world, login):
    _finding(world)
    _finding(world, status=Finding.Status.VERIFIED, forwarded_at=timezone.now())
    html = login(world.liaison_a).get(world.appraisal_a.get_absolute_url()).content.decode()
    assert reverse("surveys:activities", args=[world.appraisal_a.pk]) not in html
    assert reverse("surveys:survey_list", args=[world.appraisal_a.pk]) not in html
    assert "转交本单位的问题" in html and '<span class="count">1</span>' in html


def test_office_overview_links_the_campaign_questionnaires(world, login):
    html = login(world.office).get(reverse("appraisal:office_overview")).content.decode()
    assert reverse("surveys:campaign_surveys", args=[world.campaign.pk]) in html


def test_deputy_home_counts_the_questionnaires_waiting_for_them(world, login):
    url = reverse("appraisal:deputy_home")
    assert "待填写" not in login(world.deputy).get(url).content.decode()
    Survey.objects.create(
        campaign=world.campaign, title="问卷", audience=Survey.Audience.DEPUTIES,
        access=Survey.Access.LOGIN, state=Survey.State.OPEN, token="t1", created_by=world.office,
    )  # fmt: skip
    html = login(world.deputy).get(url).content.decode()
    assert "待填写1份" in html and reverse("surveys:deputy_surveys") in html
    assert "目前没有需要您参与的事项" not in html  # it waits for them: "open for you"


def test_the_overview_findings_column_counts_each_appraisal(world, login):
    _finding(world)
    _finding(world, status=Finding.Status.VERIFYING)
    _finding(world, status=Finding.Status.VERIFIED)
    _finding(world, status=Finding.Status.VERIFIED, forwarded_at=timezone.now())
    _finding(world, status=Finding.Status.UNFOUNDED)
    response = login(world.office).get(reverse("appraisal:office_overview"))
    cells = {
        appraisal.pk: dict((stage.key, status) for stage, status in row)
        for appraisal, row in response.context["rows"]
    }
    a = cells[world.appraisal_a.pk]["investigation"]
    b = cells[world.appraisal_b.pk]["investigation"]
    assert a.state == "progress" and b.state == "todo"
    assert a.text == "问题 5 条：待核实 2，属实 2，已转交 1"
    assert a.text in response.content.decode()
