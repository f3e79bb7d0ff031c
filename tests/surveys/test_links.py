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
    assert "2条，待核实1条" in html


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
