import re

import pytest
from django.urls import reverse

from appraisal.models import Ballot, BallotEnvelope, RollEntry
from appraisal.scoring import services as scoring
from tests.appraisal.conftest import all_choice, make_round

pytestmark = pytest.mark.django_db

NOT_OFFICE = ["leader", "liaison_a", "deputy", "outsider"]


def office_urls(rnd, group_pk):
    return [
        reverse("appraisal:rounds", args=[rnd.campaign_id]),
        reverse("appraisal:round_create", args=[rnd.campaign_id]),
        reverse("appraisal:round_detail", args=[rnd.pk]),
        reverse("appraisal:round_edit", args=[rnd.pk]),
        reverse("appraisal:round_transition", args=[rnd.pk, "open"]),
        reverse("appraisal:round_codes", args=[rnd.pk]),
        reverse("appraisal:round_tally_group", args=[rnd.pk, group_pk]),
        reverse("appraisal:round_screen", args=[rnd.pk]),
    ]


def test_round_pages_are_for_the_office_only(world, login, sw, client):
    urls = office_urls(sw.round, sw.committee.pk)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url, url
    for who in NOT_OFFICE:
        c = login(getattr(world, who))
        for url in urls:
            assert c.get(url).status_code == 403, (who, url)
    office = login(world.office)
    for url in urls:
        assert office.get(url).status_code in (200, 302), url


def test_no_results_for_anyone_while_open(world, login, open_round, client):
    url = reverse("appraisal:results", args=[open_round.round.pk])
    assert client.get(url).status_code == 404
    for who in ["office", "deputy", "liaison_a"]:
        assert login(getattr(world, who)).get(url).status_code == 404


def test_closed_results_are_for_the_office_until_published(world, login, open_round, client):
    rnd = open_round.round
    scoring.ballot_cast(round_id=rnd.pk, voter=world.deputy, choices=all_choice(world, "satisfied"))
    scoring.round_close(round=rnd, actor=world.office)
    urls = [
        reverse(name, args=[rnd.pk])
        for name in ("appraisal:results", "appraisal:results_xlsx", "appraisal:results_pdf")
    ]
    for url in urls:
        assert client.get(url).status_code == 404
        assert login(world.deputy).get(url).status_code == 404
    assert login(world.office).get(urls[0]).status_code == 200
    scoring.round_publish(round=rnd, actor=world.office)
    client.logout()
    html = client.get(urls[0]).content.decode()
    assert "市住房和城乡建设局" in html and "满意率" in html
    assert client.get(urls[1])["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(urls[2]).content.startswith(b"%PDF")
    assert rnd.title in client.get(reverse("appraisal:public_results")).content.decode()


def test_the_ballot_flow_for_a_signed_in_voter(world, login, open_round):
    client = login(world.deputy)
    url = reverse("appraisal:ballot", args=[open_round.round.pk])
    assert "市住房和城乡建设局" in client.get(url).content.decode()

    incomplete = client.post(url, {f"a{world.appraisal_a.pk}": "satisfied"})
    assert "请为该单位选择一项" in incomplete.content.decode()
    choices = {f"a{k}": v for k, v in all_choice(world, "basically_satisfied").items()}
    review = client.post(url, choices)
    assert "核对您的选票" in review.content.decode() and not Ballot.objects.exists()
    change = client.post(url, {**choices, "change": "1"})
    assert "核对我的选择" in change.content.decode()  # back on the form, choices kept
    kept = re.findall(r'<input[^>]*value="(\w+)"[^>]*\bchecked\b', change.content.decode())
    assert kept == ["basically_satisfied", "basically_satisfied"]  # both units, as chosen
    done = client.post(url, {**choices, "confirm": "1"})
    assert done.status_code == 302 and done.url == reverse("appraisal:ballot_counted")
    assert BallotEnvelope.objects.count() == 1 == RollEntry.objects.count()

    again = client.get(url)
    assert "已在本次测评中投过票" in again.content.decode()
    assert "basically_satisfied" not in again.content.decode()  # never shown again
    second = client.post(url, {**choices, "confirm": "1"})
    assert second.status_code == 409 and BallotEnvelope.objects.count() == 1


def test_a_person_not_on_the_roll_is_told_so(world, login, open_round):
    url = reverse("appraisal:ballot", args=[open_round.round.pk])
    html = login(world.outsider).get(url).content.decode()
    assert "不在本次测评的测评人名单中" in html
    choices = {f"a{k}": v for k, v in all_choice(world, "satisfied").items()}
    assert login(world.outsider).post(url, {**choices, "confirm": "1"}).status_code == 409
    assert not Ballot.objects.exists()


def test_a_closed_round_refuses_the_ballot_page(world, login, open_round):
    scoring.round_close(round=open_round.round, actor=world.office)
    url = reverse("appraisal:ballot", args=[open_round.round.pk])
    assert "本次测评投票已结束" in login(world.deputy).get(url).content.decode()


def test_voting_with_a_code_needs_no_account(world, open_round, client):
    code = scoring.codes_generate(
        round=open_round.round, voter_group=open_round.deputies, count=1, actor=world.office
    )[0].code
    url = reverse("appraisal:code_ballot", args=[code.lower()])  # typed in lower case
    assert client.get(url).status_code == 200
    choices = {f"a{k}": v for k, v in all_choice(world, "unsatisfied").items()}
    assert client.post(url, {**choices, "confirm": "1"}).status_code == 302
    assert "已经使用过" in client.get(url).content.decode()
    assert client.get(reverse("appraisal:code_ballot", args=["WRONGCODE2"])).status_code == 404
    typed = client.get(reverse("appraisal:code_entry"), {"code": f" {code[:5]} {code[5:]} "})
    assert typed.status_code == 302 and typed.url.endswith(f"/v/{code}/")


def test_the_meeting_screen_shows_turnout_and_no_result(world, login, open_round):
    scoring.ballot_cast(
        round_id=open_round.round.pk, voter=world.deputy, choices=all_choice(world, "unsatisfied")
    )
    client = login(world.office)
    url = reverse("appraisal:round_screen", args=[open_round.round.pk])
    page = client.get(url).content.decode()
    assert "htmx.min.js" in page and 'hx-trigger="every 3s"' in page
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "常委会组成人员" in partial
    assert "不满意" not in partial and "满意率" not in partial


def test_the_results_page_runs_a_fixed_number_of_queries(
    world, login, django_assert_max_num_queries
):
    counts = []
    for voters in (2, 12):
        from appraisal.models import ScoringRound, Voter, VoterGroup

        ScoringRound.objects.all().delete()
        Voter.objects.exclude(user=world.deputy).delete()
        VoterGroup.objects.exclude(voters__user=world.deputy).delete()
        sw = make_round(world, voters=voters)
        scoring.round_open(round=sw.round, actor=world.office)
        for voter in sw.voters:
            scoring.ballot_cast(
                round_id=sw.round.pk, voter=voter, choices=all_choice(world, "satisfied")
            )
        scoring.round_close(round=sw.round, actor=world.office)
        client = login(world.office)
        client.get("/")  # the session's first request refreshes it: not part of the page
        with django_assert_max_num_queries(30) as captured:
            assert client.get(reverse("appraisal:results", args=[sw.round.pk])).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_round_form_reports_bad_thresholds(world, login, sw):
    client = login(world.office)
    url = reverse("appraisal:round_edit", args=[sw.round.pk])
    response = client.post(
        url,
        {
            "title": "x",
            "kind": 1,
            "appraisals": [world.appraisal_a.pk],
            "voter_groups": [sw.committee.pk],
            "shape": "rate",
            "denominator": "valid",
            "upper_threshold": "1.5",
            "lower_threshold": "0.6",
            "points_satisfied": 100,
            "points_basically_satisfied": 75,
            "points_unsatisfied": 55,
            "quorum": "0.5",
        },
    )
    assert response.status_code == 200
    assert "0 至 1 之间的比例" in response.content.decode()
    sw.round.refresh_from_db()
    assert sw.round.upper_threshold != 1.5
