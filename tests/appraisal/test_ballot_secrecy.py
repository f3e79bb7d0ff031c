"""DESIGN.md §4: the secret ballot. Each test names the promise it checks."""

import uuid

import pytest
from django.db import connection, models

from appraisal.models import AuditEvent, Ballot, BallotEntry, RollEntry, RoundResult, VotingCode
from appraisal.scoring import services as scoring
from appraisal.scoring.services import AlreadyVoted, BallotRefused
from tests.appraisal.conftest import all_choice

pytestmark = pytest.mark.django_db


def column_names(model):
    return {f.column for f in model._meta.concrete_fields}


def test_ballot_tables_have_no_column_leading_to_a_voter():
    assert column_names(Ballot) == {"id", "round_id", "voter_group_id"}
    assert column_names(BallotEntry) == {"id", "ballot_id", "appraisal_id", "choice"}
    assert column_names(RollEntry) == {"id", "round_id", "user_id"}
    assert column_names(VotingCode) == {"id", "round_id", "voter_group_id", "code", "used"}


@pytest.mark.parametrize("model", [Ballot, BallotEntry, RollEntry, VotingCode])
def test_ids_are_random_and_there_are_no_times(model):
    assert isinstance(model._meta.pk, models.UUIDField)
    assert model._meta.pk.default is uuid.uuid4
    assert not [
        f for f in model._meta.concrete_fields if isinstance(f, models.DateField | models.TimeField)
    ]


def test_a_vote_writes_a_roll_row_and_one_ballot_with_every_unit(world, open_round):
    scoring.ballot_cast(
        round_id=open_round.round.pk, voter=world.deputy, choices=all_choice(world, "satisfied")
    )
    assert RollEntry.objects.filter(round=open_round.round, user=world.deputy).count() == 1
    ballot = Ballot.objects.get()
    assert ballot.voter_group == open_round.committee
    assert {e.appraisal_id: e.choice for e in ballot.entries.all()} == all_choice(
        world, "satisfied"
    )


def test_a_second_ballot_is_refused_and_nothing_more_is_stored(world, open_round):
    cast = dict(round_id=open_round.round.pk, voter=world.deputy)
    scoring.ballot_cast(**cast, choices=all_choice(world, "satisfied"))
    with pytest.raises(AlreadyVoted):
        scoring.ballot_cast(**cast, choices=all_choice(world, "unsatisfied"))
    assert Ballot.objects.count() == 1
    assert set(BallotEntry.objects.values_list("choice", flat=True)) == {"satisfied"}


def test_a_ballot_is_all_or_nothing(world, open_round):
    with pytest.raises(BallotRefused):
        scoring.ballot_cast(
            round_id=open_round.round.pk,
            voter=world.deputy,
            choices={world.appraisal_a.pk: "satisfied"},  # unit B missing
        )
    with pytest.raises(BallotRefused):
        scoring.ballot_cast(
            round_id=open_round.round.pk,
            voter=world.deputy,
            choices=all_choice(world, "unknown"),  # not offered on this round
        )
    assert not Ballot.objects.exists() and not RollEntry.objects.exists()
    assert not BallotEntry.objects.exists()


def test_a_voter_not_on_the_roll_is_refused(world, open_round):
    with pytest.raises(BallotRefused, match=r"roll|名单"):
        scoring.ballot_cast(
            round_id=open_round.round.pk,
            voter=world.outsider,
            choices=all_choice(world, "satisfied"),
        )


def test_no_ballot_before_opening_or_after_closing(world, sw):
    choices = all_choice(world, "satisfied")
    with pytest.raises(BallotRefused):
        scoring.ballot_cast(round_id=sw.round.pk, voter=world.deputy, choices=choices)
    scoring.round_open(round=sw.round, actor=world.office)
    scoring.round_close(round=sw.round, actor=world.office)
    with pytest.raises(BallotRefused, match=r"closed|结束"):
        scoring.ballot_cast(round_id=sw.round.pk, voter=world.deputy, choices=choices)
    assert not Ballot.objects.exists()


def test_a_code_votes_once(world, open_round):
    code = scoring.codes_generate(
        round=open_round.round, voter_group=open_round.deputies, count=1, actor=world.office
    )[0].code
    scoring.ballot_cast(
        round_id=open_round.round.pk, code=code, choices=all_choice(world, "satisfied")
    )
    with pytest.raises(AlreadyVoted):
        scoring.ballot_cast(
            round_id=open_round.round.pk, code=code, choices=all_choice(world, "unsatisfied")
        )
    with pytest.raises(BallotRefused):
        scoring.ballot_cast(
            round_id=open_round.round.pk, code="NOTACODE22", choices=all_choice(world, "satisfied")
        )
    assert Ballot.objects.get().voter_group == open_round.deputies
    assert VotingCode.objects.get().used


def test_the_audit_log_says_who_voted_never_what(world, open_round):
    scoring.ballot_cast(
        round_id=open_round.round.pk, voter=world.deputy, choices=all_choice(world, "unsatisfied")
    )
    event = AuditEvent.objects.get(action="appraisal.ballot.cast")
    assert event.actor == world.deputy
    assert "unsatisfied" not in str(event.data) and "satisfied" not in str(event.data)
    # Logged by day: a time to the second would order the votes.
    assert (event.created_at.hour, event.created_at.minute, event.created_at.second) in {
        (16, 0, 0),  # midnight in Asia/Shanghai, stored in UTC
        (0, 0, 0),
    }


def _physical_order(model, round):
    table = model._meta.db_table
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {order}")
        return [str(uuid.UUID(str(r[0]))) for r in cursor.fetchall()]


def test_closing_scrambles_the_stored_order_of_ballots_and_roll(world, open_round):
    for voter in open_round.voters:
        scoring.ballot_cast(
            round_id=open_round.round.pk, voter=voter, choices=all_choice(world, "satisfied")
        )
    scoring.round_close(round=open_round.round, actor=world.office)
    for model in (Ballot, BallotEntry, RollEntry):
        stored = _physical_order(model, open_round.round)
        assert len(stored) >= 8
        assert stored == sorted(stored, key=lambda s: uuid.UUID(s).hex)  # order of random ids
    assert RoundResult.objects.filter(round=open_round.round).count() == 2
    assert Ballot.objects.count() == len(open_round.voters)
