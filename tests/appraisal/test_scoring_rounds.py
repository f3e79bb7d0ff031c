from decimal import Decimal

import pytest

from appraisal.errors import NotAllowed
from appraisal.models import AuditEvent, Ballot, RoundGroup, RoundResult, ScoringRound
from appraisal.scoring import services as scoring
from appraisal.scoring.services import RoundError
from tests.appraisal.conftest import all_choice, make_round

pytestmark = pytest.mark.django_db


def vote(world, sw, choices_by_voter):
    for voter, choice in zip(sw.voters, choices_by_voter, strict=False):
        scoring.ballot_cast(round_id=sw.round.pk, voter=voter, choices=all_choice(world, choice))


def test_round_state_changes_are_office_only_and_audited(world, sw):
    with pytest.raises(NotAllowed):
        scoring.round_open(round=sw.round, actor=world.leader)
    scoring.round_open(round=sw.round, actor=world.office)
    scoring.round_close(round=sw.round, actor=world.office)
    scoring.round_publish(round=sw.round, actor=world.office)
    actions = list(
        AuditEvent.objects.filter(
            object_id=str(sw.round.pk), actor=world.office, action__startswith="appraisal.round."
        )
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-3:] == [
        "appraisal.round.opened",
        "appraisal.round.closed",
        "appraisal.round.published",
    ]


def test_the_rule_cannot_change_once_open(world, open_round):
    with pytest.raises(RoundError):
        scoring.round_save(
            campaign=world.campaign,
            actor=world.office,
            round=open_round.round,
            title="x",
            kind=1,
            appraisals=[world.appraisal_a],
            voter_groups=[open_round.committee],
            allow_unknown=True,
            rule={"shape": "points"},
        )
    open_round.round.refresh_from_db()
    assert open_round.round.shape == "rate" and not open_round.round.allow_unknown


def test_opening_needs_attendance(world):
    sw = make_round(world)
    RoundGroup.objects.filter(round=sw.round).update(present=None)
    with pytest.raises(RoundError, match=r"实到|attendance"):
        scoring.round_open(round=sw.round, actor=world.office)


def test_no_result_while_open_then_weighted_results_at_close(world, open_round):
    # committee: 4 × satisfied; deputies: 2 satisfied, 2 unsatisfied
    vote(
        world,
        open_round,
        ["satisfied"] * 4 + ["satisfied", "satisfied", "unsatisfied", "unsatisfied"],
    )
    assert not RoundResult.objects.exists()
    scoring.round_close(round=open_round.round, actor=world.office)
    result = RoundResult.objects.get(round=open_round.round, appraisal=world.appraisal_a)
    # rate: 0.6 × 4/4 + 0.4 × 2/4 = 0.8 -> satisfied (80 % inclusive)
    assert result.satisfaction_rate == Decimal("0.8")
    assert result.verdict == "satisfied"
    assert result.rank == 1
    assert result.rate_display == "80.00%"


def test_quorum_not_met_voids_the_round(world, sw):
    RoundGroup.objects.filter(round=sw.round).update(present=2)  # 4 of 8 present: not > half
    scoring.round_open(round=sw.round, actor=world.office)
    scoring.round_close(round=sw.round, actor=world.office)
    sw.round.refresh_from_db()
    assert sw.round.void
    assert "4" in sw.round.void_reason and "8" in sw.round.void_reason
    assert set(RoundResult.objects.values_list("verdict", flat=True)) == {""}


def tally(world, sw, teller, **counts):
    rows = {world.appraisal_a.pk: counts, world.appraisal_b.pk: counts}
    return scoring.paper_tally_enter(
        round=sw.round, voter_group=sw.deputies, actor=teller, rows=rows
    )


def test_paper_tally_counts_only_when_two_tellers_agree(world, open_round, django_user_model):
    from appraisal.services import office_grant

    teller2 = django_user_model.objects.create(username="teller2")
    office_grant(user=teller2, actor=None)
    RoundGroup.objects.filter(round=open_round.round, voter_group=open_round.deputies).update(
        entitled=14, present=14, paper_issued=10
    )
    assert set(
        tally(world, open_round, world.office, satisfied=6, unsatisfied=3, invalid=1).values()
    ) == {"waiting"}
    assert set(
        tally(world, open_round, teller2, satisfied=5, unsatisfied=4, invalid=1).values()
    ) == {"differs"}
    scoring.round_close(round=open_round.round, actor=world.office)
    with pytest.raises(RoundError, match=r"differ|不一致"):
        scoring.round_publish(round=open_round.round, actor=world.office)
    # The differing paper count is not in the result.
    assert RoundResult.objects.get(appraisal=world.appraisal_a).valid == 0
    # The second teller recounts and now agrees: the tally counts, the result is recomputed.
    assert set(
        tally(world, open_round, teller2, satisfied=6, unsatisfied=3, invalid=1).values()
    ) == {"confirmed"}
    result = RoundResult.objects.get(appraisal=world.appraisal_a)
    assert (result.valid, result.invalid) == (9, 1)
    scoring.round_publish(round=open_round.round, actor=world.office)
    # A published result never changes.
    with pytest.raises(RoundError):
        tally(world, open_round, world.office, satisfied=0, unsatisfied=10)
    with pytest.raises(RoundError):
        scoring.round_set_attendance(round=open_round.round, actor=world.office, groups={})
    assert RoundResult.objects.get(appraisal=world.appraisal_a).valid == 9


def test_a_third_teller_is_refused(world, open_round, django_user_model):
    from appraisal.services import office_grant

    t2, t3 = (django_user_model.objects.create(username=n) for n in ("t2", "t3"))
    office_grant(user=t2, actor=None)
    office_grant(user=t3, actor=None)
    tally(world, open_round, world.office, satisfied=1)
    tally(world, open_round, t2, satisfied=1)
    with pytest.raises(RoundError, match=r"Two tellers|两名"):
        tally(world, open_round, t3, satisfied=1)


def test_more_paper_returned_than_issued_voids_that_tally(world, open_round, django_user_model):
    from appraisal.services import office_grant

    t2 = django_user_model.objects.create(username="t2")
    office_grant(user=t2, actor=None)
    RoundGroup.objects.filter(round=open_round.round, voter_group=open_round.deputies).update(
        entitled=10, present=10, paper_issued=5
    )
    tally(world, open_round, world.office, satisfied=6)
    tally(world, open_round, t2, satisfied=6)
    scoring.round_close(round=open_round.round, actor=world.office)
    result = RoundResult.objects.get(appraisal=world.appraisal_a)
    assert result.valid == 0
    assert any("6" in note and "5" in note for note in result.notes)


def test_results_take_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    counts = []
    for voters in (3, 30):
        Ballot.objects.all().delete()
        ScoringRound.objects.all().delete()
        RoundGroup.objects.all().delete()
        from appraisal.models import Voter, VoterGroup

        Voter.objects.exclude(user=world.deputy).delete()
        VoterGroup.objects.exclude(voters__user=world.deputy).delete()
        sw = make_round(world, voters=voters)
        scoring.round_open(round=sw.round, actor=world.office)
        vote(world, sw, ["satisfied", "basically_satisfied", "unsatisfied"] * voters)
        with django_assert_max_num_queries(100) as captured:
            scoring._compute_results(sw.round)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
