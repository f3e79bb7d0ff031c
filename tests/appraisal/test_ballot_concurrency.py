"""Races, on PostgreSQL (SQLite serialises every write, so it cannot race)."""

import threading

import pytest
from django.db import connection

from appraisal.models import Ballot, BallotEntry, BallotEnvelope, RollEntry, RoundResult, VotingCode
from appraisal.scoring import services as scoring
from appraisal.scoring.services import AlreadyVoted, BallotRefused
from tests.appraisal.conftest import all_choice, make_round

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL"
    ),
]


def race(calls):
    """Run the calls in threads released at once; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = call() or "ok"
        except Exception as e:
            outcomes[i] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def test_fifty_identical_ballots_from_one_voter_store_one(world):
    sw = make_round(world)
    scoring.round_open(round=sw.round, actor=world.office)
    choices = all_choice(world, "satisfied")
    outcomes = race(
        [lambda: scoring.ballot_cast(round_id=sw.round.pk, voter=world.deputy, choices=choices)]
        * 50
    )
    assert outcomes.count("ok") == 1
    assert all(isinstance(o, BallotRefused) for o in outcomes if o != "ok")
    assert BallotEnvelope.objects.count() == 1 == RollEntry.objects.count()
    scoring.round_close(round=sw.round, actor=world.office)
    assert Ballot.objects.count() == 1 and BallotEntry.objects.count() == 2


def test_fifty_identical_ballots_with_one_code_store_one(world):
    sw = make_round(world)
    scoring.round_open(round=sw.round, actor=world.office)
    code = scoring.codes_generate(
        round=sw.round, voter_group=sw.deputies, count=1, actor=world.office
    )[0].code
    choices = all_choice(world, "unsatisfied")
    outcomes = race(
        [lambda: scoring.ballot_cast(round_id=sw.round.pk, code=code, choices=choices)] * 50
    )
    assert outcomes.count("ok") == 1
    assert BallotEnvelope.objects.count() == 1
    assert VotingCode.objects.get().used
    scoring.round_close(round=sw.round, actor=world.office)
    assert Ballot.objects.count() == 1


def test_a_ballot_racing_the_close_is_counted_before_it_or_refused(world):
    sw = make_round(world, voters=20)  # 40 voters
    scoring.round_open(round=sw.round, actor=world.office)
    choices = all_choice(world, "satisfied")
    calls = [
        (lambda v=v: scoring.ballot_cast(round_id=sw.round.pk, voter=v, choices=choices))
        for v in sw.voters
    ]
    calls.insert(20, lambda: scoring.round_close(round=sw.round, actor=world.office))
    outcomes = race(calls)
    close_outcome = outcomes.pop(20)
    assert not isinstance(close_outcome, Exception), close_outcome
    accepted = outcomes.count("ok")
    refused = [o for o in outcomes if o != "ok"]
    assert all(isinstance(o, BallotRefused) and not isinstance(o, AlreadyVoted) for o in refused), [
        repr(o) for o in refused
    ]
    # Every accepted ballot was counted at the close; nothing was stored after it.
    assert Ballot.objects.count() == accepted == RollEntry.objects.count()
    assert not BallotEnvelope.objects.exists()
    result = RoundResult.objects.get(round=sw.round, appraisal=world.appraisal_a)
    assert result.valid == accepted


@pytest.mark.usefixtures("scoring_alone")
def test_ballots_of_another_round_racing_a_close_are_kept_sealed(world):
    """The close rewrites the envelope, roll and code tables of every round: ballots of
    another open round cast meanwhile wait for it and are neither lost nor opened."""
    closing = make_round(world, voters=10)
    scoring.round_open(round=closing.round, actor=world.office)
    other_round = scoring.round_save(
        campaign=world.campaign,
        actor=world.office,
        title="第二次测评",
        kind=2,
        appraisals=[world.appraisal_a, world.appraisal_b],
        voter_groups=[closing.committee, closing.deputies],
        allow_unknown=False,
        rule={},
    )
    for rg in other_round.groups.all():
        rg.present = rg.entitled
        rg.save()
    scoring.round_open(round=other_round, actor=world.office)
    choices = all_choice(world, "unsatisfied")
    for voter in closing.voters[:10]:
        scoring.ballot_cast(round_id=closing.round.pk, voter=voter, choices=choices)
    calls = [
        (lambda v=v: scoring.ballot_cast(round_id=other_round.pk, voter=v, choices=choices))
        for v in closing.voters
    ]
    calls.insert(10, lambda: scoring.round_close(round=closing.round, actor=world.office))
    outcomes = race(calls)
    assert not isinstance(outcomes.pop(10), Exception)
    assert outcomes.count("ok") == len(closing.voters), [repr(o) for o in outcomes if o != "ok"]
    assert Ballot.objects.filter(round=closing.round).count() == 10
    assert BallotEnvelope.objects.filter(round=other_round).count() == len(closing.voters)
    assert RollEntry.objects.filter(round=other_round).count() == len(closing.voters)
    scoring.round_close(round=other_round, actor=world.office)
    assert Ballot.objects.filter(round=other_round).count() == len(closing.voters)
