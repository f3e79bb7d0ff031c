import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from appraisal.demo import DEMO_LOGINS, DEMO_PASSWORD
from appraisal.models import (
    Appraisal,
    Campaign,
    RoundResult,
    ScoringRound,
    Voter,
    VoterGroup,
)

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
