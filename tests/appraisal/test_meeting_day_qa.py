"""What a walk through the meeting day found (issue 10 §2–§3): the office, tellers, voters."""

import pytest
from django.urls import reverse

from appraisal.models import RoundGroup, ScoringRound
from appraisal.scoring import selectors
from appraisal.scoring import services as scoring
from appraisal.scoring.rules import PRESETS
from appraisal.scoring.services import RoundError
from tests.appraisal.conftest import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def teller2(django_user_model):
    from appraisal.services import office_grant

    user = django_user_model.objects.create(username="teller2")
    office_grant(user=user, actor=None)
    return user


def attendance(world, sw, group, **values):
    rg = RoundGroup.objects.get(round=sw.round, voter_group=group)
    current = {k: getattr(rg, k) for k in ("entitled", "present", "paper_issued", "paper_returned")}
    scoring.round_set_attendance(
        round=sw.round, actor=world.office, groups={rg.pk: {**current, **values}}
    )


def both_tellers(world, sw, teller2, rows):
    for teller in (world.office, teller2):
        scoring.paper_tally_enter(round=sw.round, voter_group=sw.deputies, actor=teller, rows=rows)


def test_paper_cleared_by_a_recount_blocks_publication_until_counted_again(world, login, teller2):
    sw = make_round(world)
    attendance(world, sw, sw.deputies, entitled=10, present=10, paper_issued=5)
    scoring.round_open(round=sw.round, actor=world.office)
    six = {"satisfied": 6}
    both_tellers(world, sw, teller2, {world.appraisal_a.pk: six, world.appraisal_b.pk: six})
    scoring.round_close(round=sw.round, actor=world.office)
    scoring.paper_recount(
        round=sw.round, voter_group=sw.deputies, actor=world.office, reason="收回多于发出"
    )
    # The void is gone with the count, but the five paper ballots are not counted yet.
    blockers = selectors.publication_blockers(sw.round)
    assert any("5" in b and "尚未计票" in b for b in blockers), blockers
    with pytest.raises(RoundError, match="尚未计票"):
        scoring.round_publish(round=sw.round, actor=world.office)
    # The confirmation says so and offers no Confirm button.
    page = login(world.office).get(
        reverse("appraisal:round_transition", args=[sw.round.pk, "published"])
    )
    html = page.content.decode()
    assert "暂不能公布" in html and "尚未计票" in html
    assert 'type="submit"' not in html.split("<main", 1)[-1]
    # Only one teller enters: still blocked, naming the unit.
    scoring.paper_tally_enter(
        round=sw.round,
        voter_group=sw.deputies,
        actor=world.office,
        rows={world.appraisal_a.pk: {"satisfied": 5}, world.appraisal_b.pk: {"satisfied": 5}},
    )
    assert any(world.appraisal_a.unit.name in b for b in selectors.publication_blockers(sw.round))
    scoring.paper_tally_enter(
        round=sw.round,
        voter_group=sw.deputies,
        actor=teller2,
        rows={world.appraisal_a.pk: {"satisfied": 5}, world.appraisal_b.pk: {"satisfied": 5}},
    )
    assert selectors.publication_blockers(sw.round) == []
    page = login(world.office).get(
        reverse("appraisal:round_transition", args=[sw.round.pk, "published"])
    )
    assert "暂不能公布" not in page.content.decode()
    scoring.round_publish(round=sw.round, actor=world.office)
    sw.round.refresh_from_db()
    assert sw.round.state == ScoringRound.State.PUBLISHED


def test_paper_issued_but_none_returned_does_not_block(world, teller2):
    sw = make_round(world)
    attendance(world, sw, sw.deputies, entitled=10, present=10, paper_issued=5, paper_returned=0)
    scoring.round_open(round=sw.round, actor=world.office)
    scoring.round_close(round=sw.round, actor=world.office)
    assert selectors.publication_blockers(sw.round) == []


def test_a_code_typed_with_hyphens_as_printed_in_groups_opens_the_ballot(client):
    from appraisal.scoring.forms import CodeEntryForm

    form = CodeEntryForm({"code": "z8fk-avew 9m"})
    assert form.is_valid() and form.cleaned_data["code"] == "Z8FKAVEW9M"
    page = client.get(reverse("appraisal:code_entry"), {"code": "ab12-cd34"})
    assert page.status_code == 302 and page["Location"].endswith("/v/AB12CD34/")


def test_the_slip_screen_proposes_no_count_above_the_cap(world, login):
    sw = make_round(world)
    attendance(world, sw, sw.deputies, entitled=10, present=10)
    page = login(world.office).get(reverse("appraisal:round_codes", args=[sw.round.pk]))
    html = page.content.decode()
    count_input = html.split('name="count"', 1)[1].split(">", 1)[0]
    assert "value=" not in count_input


def test_the_meeting_screen_says_its_number_is_electronic_ballots_beside_the_paper(world, login):
    sw = make_round(world)
    attendance(world, sw, sw.deputies, entitled=10, present=10, paper_issued=5)
    scoring.round_open(round=sw.round, actor=world.office)
    html = (
        login(world.office)
        .get(reverse("appraisal:round_screen", args=[sw.round.pk]))
        .content.decode()
    )
    assert "以上为电子投票人数；另发出纸质票 5 张" in html


def test_no_more_codes_are_offered_once_the_round_is_closed(world, login):
    sw = make_round(world)
    attendance(world, sw, sw.deputies, entitled=10, present=10)
    client = login(world.office)
    url = reverse("appraisal:round_codes", args=[sw.round.pk])
    assert "<strong>10</strong>" in client.get(url).content.decode()
    scoring.round_open(round=sw.round, actor=world.office)
    scoring.round_close(round=sw.round, actor=world.office)
    html = client.get(url).content.decode()
    assert "<strong>10</strong>" not in html and "<strong>—</strong>" in html


def test_the_quorum_reads_as_a_clerk_writes_it(world, login):
    sw = make_round(world)
    html = (
        login(world.office)
        .get(reverse("appraisal:round_detail", args=[sw.round.pk]))
        .content.decode()
    )
    assert "实到人数占应到人数的比例超过50%（不含本数）的，测评方为有效。" in html
    assert "须为" not in html


def test_a_unit_with_no_valid_ballot_shows_no_figure_not_zero(world, login, teller2):
    sw = make_round(world, preset="points_100_75_55")
    attendance(world, sw, sw.deputies, entitled=10, present=10, paper_issued=5, paper_returned=5)
    scoring.round_open(round=sw.round, actor=world.office)
    both_tellers(
        world,
        sw,
        teller2,
        {world.appraisal_a.pk: {"satisfied": 5}, world.appraisal_b.pk: {"invalid": 5}},
    )
    scoring.round_close(round=sw.round, actor=world.office)
    rows = {r["unit"].pk: r for r in selectors.round_results(sw.round)["rows"]}
    empty = rows[world.appraisal_b.unit.pk]
    assert empty["result"].verdict == "" and empty["result"].rank is None
    assert {empty[k] for k in ("rate", "share", "unsatisfied", "points", "score")} == {"—"}
    assert rows[world.appraisal_a.unit.pk]["points"] == "100.00"
    html = (
        login(world.office).get(reverse("appraisal:results", args=[sw.round.pk])).content.decode()
    )
    assert 'data-label="平均分">0.00<' not in html and 'data-label="平均分">—<' in html
    assert "平均分 —" in html and "平均分 0.00" not in html


@pytest.mark.usefixtures("scoring_alone")
def test_a_second_failure_by_points_shows_the_average_that_decided_it(world, login, teller2):
    first = make_round(world)
    attendance(world, first, first.deputies, entitled=5, present=5, paper_issued=5)
    scoring.round_open(round=first.round, actor=world.office)
    both_tellers(
        world,
        first,
        teller2,
        {world.appraisal_a.pk: {"unsatisfied": 5}, world.appraisal_b.pk: {"satisfied": 5}},
    )
    scoring.round_close(round=first.round, actor=world.office)
    scoring.round_publish(round=first.round, actor=world.office)
    rnd = scoring.round_save(
        campaign=world.campaign,
        actor=world.office,
        title="二次测评",
        kind=2,
        appraisals=[world.appraisal_a, world.appraisal_b],
        voter_groups=[first.committee, first.deputies],
        allow_unknown=False,
        rule=PRESETS["points_100_75_55"],
    )
    second = type(first)(rnd, first.committee, first.deputies, first.voters)
    attendance(world, second, second.committee, present=4)
    attendance(world, second, second.deputies, entitled=5, present=5, paper_issued=5)
    scoring.round_open(round=second.round, actor=world.office)
    both_tellers(
        world,
        second,
        teller2,
        {world.appraisal_a.pk: {"unsatisfied": 5}, world.appraisal_b.pk: {"satisfied": 5}},
    )
    scoring.round_close(round=second.round, actor=world.office)
    html = (
        login(world.office)
        .get(reverse("appraisal:results", args=[second.round.pk]))
        .content.decode()
    )
    flag = html.split('class="second-failure"', 1)[1].split("</table>", 1)[0]
    assert "平均分 55.00" in flag


def test_a_used_code_is_no_dead_end_for_someone_without_an_account(world, client):
    from appraisal.models import VotingCode

    sw = make_round(world)
    scoring.round_open(round=sw.round, actor=world.office)
    code = scoring.codes_generate(
        round=sw.round, voter_group=sw.deputies, count=1, actor=world.office
    )[0]
    VotingCode.objects.filter(pk=code.pk).update(used=True)
    html = client.get(reverse("appraisal:code_ballot", args=[code.code])).content.decode()
    assert "该测评码已经使用过" in html
    assert f'href="{reverse("appraisal:code_entry")}"' in html and "输入其他测评码" in html
