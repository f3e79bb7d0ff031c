"""DESIGN.md §4: the secret ballot. Each test names the promise it checks."""

import uuid

import pytest
from django.db import connection, models
from django.urls import reverse

from appraisal.models import (
    AuditEvent,
    Ballot,
    BallotEntry,
    BallotEnvelope,
    RollEntry,
    RoundResult,
    ScoringRound,
    VotingCode,
)
from appraisal.scoring import services as scoring
from appraisal.scoring.services import AlreadyVoted, BallotRefused, RoundError
from tests.appraisal.conftest import all_choice, make_round

pytestmark = pytest.mark.django_db


def column_names(model):
    return {f.column for f in model._meta.concrete_fields}


def test_ballot_tables_have_no_column_leading_to_a_voter():
    assert column_names(Ballot) == {"id", "round_id", "voter_group_id"}
    assert column_names(BallotEntry) == {"id", "ballot_id", "appraisal_id", "choice"}
    assert column_names(RollEntry) == {"id", "round_id", "user_id"}
    assert column_names(VotingCode) == {"id", "round_id", "voter_group_id", "code", "used"}
    assert column_names(BallotEnvelope) == {"id", "round_id", "sealed"}


@pytest.mark.parametrize("model", [Ballot, BallotEntry, BallotEnvelope, RollEntry, VotingCode])
def test_ids_are_random_and_there_are_no_times(model):
    assert isinstance(model._meta.pk, models.UUIDField)
    assert model._meta.pk.default is uuid.uuid4
    assert not [
        f for f in model._meta.concrete_fields if isinstance(f, models.DateField | models.TimeField)
    ]


def test_a_vote_writes_a_roll_row_and_a_sealed_envelope_opened_at_the_close(world, open_round):
    scoring.ballot_cast(
        round_id=open_round.round.pk, voter=world.deputy, choices=all_choice(world, "satisfied")
    )
    assert RollEntry.objects.filter(round=open_round.round, user=world.deputy).count() == 1
    envelope = BallotEnvelope.objects.get()
    assert envelope.round == open_round.round
    assert b"satisfied" not in bytes(envelope.sealed)
    assert not Ballot.objects.exists() and not BallotEntry.objects.exists()
    scoring.round_close(round=open_round.round, actor=world.office)
    assert not BallotEnvelope.objects.exists()
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
    assert BallotEnvelope.objects.count() == 1
    scoring.round_close(round=open_round.round, actor=world.office)
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
    assert not BallotEnvelope.objects.exists() and not RollEntry.objects.exists()


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
    assert VotingCode.objects.get().used and BallotEnvelope.objects.count() == 1
    scoring.round_close(round=open_round.round, actor=world.office)
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


def test_closing_scrambles_the_stored_order_of_ballots_and_roll(world):
    # Eight committee members vote by account; the eight deputies get codes (none used).
    rnd = make_round(world, voters=8)
    scoring.round_open(round=rnd.round, actor=world.office)
    for voter in rnd.voters[:8]:
        scoring.ballot_cast(
            round_id=rnd.round.pk, voter=voter, choices=all_choice(world, "satisfied")
        )
    scoring.codes_generate(round=rnd.round, voter_group=rnd.deputies, count=8, actor=world.office)
    scoring.round_close(round=rnd.round, actor=world.office)
    for model in (Ballot, BallotEntry, RollEntry, VotingCode):
        stored = _physical_order(model, rnd.round)
        assert len(stored) >= 8
        assert stored == sorted(stored, key=lambda s: uuid.UUID(s).hex)  # order of random ids
    assert RoundResult.objects.filter(round=rnd.round).count() == 2
    assert Ballot.objects.count() == 8


# ---- the envelope: sealed, same size, opened only with the key ------------------------


def _cast_two(world, open_round):
    scoring.ballot_cast(
        round_id=open_round.round.pk, voter=world.deputy, choices=all_choice(world, "satisfied")
    )
    scoring.ballot_cast(
        round_id=open_round.round.pk,
        voter=open_round.voters[1],
        choices={world.appraisal_a.pk: "basically_satisfied", world.appraisal_b.pk: "unsatisfied"},
    )


def test_envelopes_all_have_the_same_length_whatever_the_choices(world, open_round):
    _cast_two(world, open_round)
    code = scoring.codes_generate(
        round=open_round.round, voter_group=open_round.deputies, count=1, actor=world.office
    )[0].code
    scoring.ballot_cast(
        round_id=open_round.round.pk, code=code, choices=all_choice(world, "unsatisfied")
    )
    sealed = [bytes(s) for s in BallotEnvelope.objects.values_list("sealed", flat=True)]
    assert len(sealed) == 3 and len({len(s) for s in sealed}) == 1
    assert len(set(sealed)) == 3  # a fresh nonce each time


def test_a_rotated_secret_key_still_opens_the_envelopes(world, open_round, settings):
    _cast_two(world, open_round)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    settings.SECRET_KEY_FALLBACKS = [old]
    scoring.ballot_cast(
        round_id=open_round.round.pk,
        voter=open_round.voters[2],
        choices=all_choice(world, "unsatisfied"),
    )
    scoring.round_close(round=open_round.round, actor=world.office)
    result = RoundResult.objects.get(round=open_round.round, appraisal=world.appraisal_a)
    assert result.valid == 3
    assert sorted(BallotEntry.objects.filter(appraisal=world.appraisal_a).values_list(
        "choice", flat=True
    )) == ["basically_satisfied", "satisfied", "unsatisfied"]  # fmt: skip


def _nothing_changed(open_round, envelopes):
    round = ScoringRound.objects.get(pk=open_round.round.pk)
    assert round.state == ScoringRound.State.OPEN and round.closed_at is None
    assert sorted(BallotEnvelope.objects.values_list("id", flat=True)) == envelopes
    assert not Ballot.objects.exists() and not RoundResult.objects.exists()
    assert not AuditEvent.objects.filter(action="appraisal.round.closed").exists()


def test_a_close_meeting_an_envelope_of_a_lost_key_says_which_and_changes_nothing(
    world, open_round, settings
):
    _cast_two(world, open_round)
    settings.SECRET_KEY = "a-new-key-" + "x" * 50  # the old one is not kept as a fallback
    lost = sorted(BallotEnvelope.objects.values_list("id", flat=True))
    with pytest.raises(RoundError) as refused:
        scoring.round_close(round=open_round.round, actor=world.office)
    assert str(lost[0]) in refused.value.message or str(lost[1]) in refused.value.message
    assert "SECRET_KEY_FALLBACKS" in refused.value.message
    _nothing_changed(open_round, lost)


def test_a_close_meeting_an_altered_envelope_says_which_and_changes_nothing(world, open_round):
    _cast_two(world, open_round)
    envelopes = sorted(BallotEnvelope.objects.values_list("id", flat=True))
    victim = BallotEnvelope.objects.get(pk=envelopes[1])
    sealed = bytearray(victim.sealed)
    sealed[-1] ^= 1
    BallotEnvelope.objects.filter(pk=victim.pk).update(sealed=bytes(sealed))
    with pytest.raises(RoundError, match=str(victim.pk)) as refused:
        scoring.round_close(round=open_round.round, actor=world.office)
    assert "altered" in refused.value.message or "篡改" in refused.value.message
    _nothing_changed(open_round, envelopes)


@pytest.mark.usefixtures("scoring_alone")
def test_an_envelope_moved_to_another_round_does_not_open(world, open_round):
    _cast_two(world, open_round)
    other = scoring.round_save(
        campaign=world.campaign, actor=world.office, title="另一次测评", kind=2,
        appraisals=[world.appraisal_a, world.appraisal_b],
        voter_groups=[open_round.committee], allow_unknown=False, rule={},
    )  # fmt: skip
    envelope = BallotEnvelope.objects.first()
    BallotEnvelope.objects.filter(pk=envelope.pk).update(round=other)
    other.state = ScoringRound.State.OPEN
    other.save()
    with pytest.raises(RoundError, match=str(envelope.pk)):
        scoring.round_close(round=other, actor=world.office)


def test_a_close_missing_an_envelope_refuses(world, open_round):
    _cast_two(world, open_round)
    BallotEnvelope.objects.first().delete()
    with pytest.raises(RoundError, match=r"2 .*1 "):
        scoring.round_close(round=open_round.round, actor=world.office)
    assert ScoringRound.objects.get(pk=open_round.round.pk).state == ScoringRound.State.OPEN


def test_the_office_sees_the_refusal_as_a_message(world, open_round, login, settings):
    _cast_two(world, open_round)
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    client = login(world.office)
    url = reverse("appraisal:round_transition", args=[open_round.round.pk, "closed"])
    page = client.post(url, follow=True).content.decode()
    assert any(str(e.pk) in page for e in BallotEnvelope.objects.all())
    assert ScoringRound.objects.get(pk=open_round.round.pk).state == ScoringRound.State.OPEN


def test_turnout_while_open_counts_the_roll_and_the_used_codes_per_group(world, open_round):
    from appraisal.scoring.selectors import turnout

    _cast_two(world, open_round)  # two committee members
    code = scoring.codes_generate(
        round=open_round.round, voter_group=open_round.deputies, count=2, actor=world.office
    )[0].code
    scoring.ballot_cast(
        round_id=open_round.round.pk, code=code, choices=all_choice(world, "unsatisfied")
    )
    rows = {r["group"]: r["cast"] for r in turnout(open_round.round)}
    assert rows == {"常委会组成人员": 2, "人大代表": 1}
    scoring.round_close(round=open_round.round, actor=world.office)
    rows = {
        r["group"]: r["cast"] for r in turnout(ScoringRound.objects.get(pk=open_round.round.pk))
    }
    assert rows == {"常委会组成人员": 2, "人大代表": 1}
