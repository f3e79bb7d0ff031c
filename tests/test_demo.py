from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from appraisal.models import (
    Appraisal,
    AuditEvent,
    Campaign,
    RoundResult,
    ScoringRound,
    User,
    Voter,
    VoterGroup,
)
from demo.campaign import DEMO_LOGINS, DEMO_PASSWORD
from surveys.models import Finding, InvestigationActivity, Response, Survey

pytestmark = pytest.mark.django_db


def test_the_demo_refuses_to_load_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert not Campaign.objects.exists()


def test_the_demo_loads_once_and_every_login_reaches_its_home(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")  # a second run changes nothing
    out = capsys.readouterr().out
    assert "Already loaded" in out and DEMO_PASSWORD in out

    campaign = Campaign.objects.get(year=2026)
    assert campaign.phase == Campaign.Phase.INVESTIGATION
    assert Appraisal.objects.filter(campaign=campaign).count() == 4
    sizes = {
        g.name: Voter.objects.filter(voter_group=g).count()
        for g in VoterGroup.objects.filter(campaign=campaign)
    }
    assert sizes == {"常委会组成人员": 25, "人大代表": 60}
    # Last year's campaign is closed, its result published: the history beside this year's.
    last_year = Campaign.objects.get(year=2025)
    assert last_year.phase == Campaign.Phase.CLOSED
    published = ScoringRound.objects.get(campaign=last_year)
    assert published.state == ScoringRound.State.PUBLISHED and not published.void
    assert RoundResult.objects.filter(round=published).exclude(verdict="").count() == 3

    expected = {
        "office": "/office/",
        "group1": "/groups/",
        "deputy1": "/deputy/",
        "deputy22": "/groups/",
        "deputy30": "/deputy/",
        "unit1": "/unit/",
        "unit2": "/unit/",
    }
    assert {u for u, _role in DEMO_LOGINS} == set(expected)
    for username, home in expected.items():
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}, follow=True
        )
        assert response.redirect_chain[-1][0] == home, username
        assert response.status_code == 200, username


def test_the_demo_shows_an_investigation_under_way(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    campaign = Campaign.objects.get(year=2026)
    housing = Appraisal.objects.get(campaign=campaign, unit__name="市住房和城乡建设局")

    assert InvestigationActivity.objects.filter(appraisal__campaign=campaign).count() >= 6
    statuses = set(Finding.objects.filter(appraisal=housing).values_list("status", flat=True))
    assert {"received", "verifying", "verified", "unfounded"} <= statuses
    assert Finding.objects.filter(appraisal=housing, forwarded_at__isnull=False).exists()
    public = Finding.objects.filter(appraisal__campaign=campaign, source="public")
    assert public.count() == 3 and all(f.receipt_code for f in public)
    assert Finding.objects.filter(appraisal__campaign=campaign, source="deputy").exists()
    assert Finding.objects.filter(appraisal=housing, source="survey").exists()
    # Written through the services: each finding has its audit row.
    findings = Finding.objects.filter(appraisal__campaign=campaign).count()
    created = AuditEvent.objects.filter(
        campaign=campaign,
        action__in=[
            "surveys.finding.recorded",
            "surveys.finding.submitted",
            "surveys.finding.from_survey",
        ],
    ).count()
    assert created == findings

    survey = Survey.objects.get(appraisal=housing)
    assert survey.state == "closed" and Response.objects.filter(survey=survey).count() == 40
    assert Survey.objects.filter(campaign=campaign, state="open", access="login").exists()

    leader, unit = Client(), Client()
    leader.force_login(User.objects.get(username="group1"))
    unit.force_login(User.objects.get(username="unit1"))
    results = leader.get(reverse("surveys:survey_results", args=[survey.pk])).content.decode()
    assert "人大代表对市住建局工作满意度问卷" in results and "%" in results
    html = leader.get(reverse("surveys:findings", args=[housing.pk])).content.decode()
    assert "雨污分流" in html and "偷工减料" in html
    forwarded = unit.get(reverse("surveys:findings", args=[housing.pk])).content.decode()
    assert "雨污分流" in forwarded and "偷工减料" not in forwarded  # only what was forwarded
    # deputy30 has not answered the questionnaire: the home page says so.
    deputy = Client()
    deputy.force_login(User.objects.get(username="deputy30"))
    assert "待填写1份" in deputy.get(reverse("appraisal:deputy_home")).content.decode()
