"""Scoring rounds: set up, open, vote, tally paper, close, publish (DESIGN.md §3, §4).

Every write is one function here, atomic and audited. The ballot's secrecy is a
double envelope, as in postal voting (README, "Security: ballot secrecy"):

- ``ballot_cast`` writes, in the voter's transaction, the roll row (or the code's
  ``used`` flag) and a ``BallotEnvelope``: the voter group and choices sealed with a
  key derived from the secret key, which the database never holds. A reader of the
  database can pair a voter with an envelope, never with what is inside. The
  unique constraint (or a conditional UPDATE) allows one envelope per voter or code.
- ``round_close`` opens every envelope in one transaction, writes the ballots in
  random order (all of them carry the close's transaction id), and rewrites the
  roll and code rows and empties the envelope table with TRUNCATE, so no row
  version of a voter's transaction is left in these tables' files.
"""

from __future__ import annotations

import struct
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisal import sealing, stages
from appraisal.audit import audit_log
from appraisal.codes import new_code
from appraisal.errors import DomainError, NotAllowed
from appraisal.models import (
    Appraisal,
    Ballot,
    BallotEntry,
    BallotEnvelope,
    Campaign,
    PaperTally,
    PaperTallyEntry,
    RollEntry,
    RoundGroup,
    RoundResult,
    ScoringRound,
    User,
    Voter,
    VoterGroup,
    VotingCode,
)
from appraisal.scoring import documents as round_documents
from appraisal.scoring import rules
from appraisal.scoring.selectors import (
    accounts_voted_by_group,
    ballot_definition,
    code_room,
    codes_by_group,
    electronic_by_group,
    over_present,
    publication_blockers,
    void_paper,
)

RULE_FIELDS = (
    "shape",
    "denominator",
    "upper_threshold",
    "upper_inclusive",
    "lower_threshold",
    "lower_inclusive",
    "points_satisfied",
    "points_basically_satisfied",
    "points_unsatisfied",
    "quorum",
    "quorum_inclusive",
    "boundary_wins",
    "invalid_excluded",
    "group_quorum",
    "group_quorum_inclusive",
    "rank_by",
    "rank_tiebreak",
    "mark_top",
    "mark_bottom",
    "unsatisfied_flag",
    "unsatisfied_flag_inclusive",
    "weights_sum_to_one",
    "void_paper_voids_round",
)


class RoundError(DomainError):
    pass


class BallotRefused(DomainError):
    pass


class AlreadyVoted(BallotRefused):
    pass


def _require_office(actor: User) -> None:
    if not actor.is_office:
        raise NotAllowed(_("Only the leading-group office can manage scoring rounds."))


def _locked(round: ScoringRound) -> ScoringRound:
    return ScoringRound.objects.select_for_update().get(pk=round.pk)


def round_save(
    *,
    campaign: Campaign,
    actor: User,
    round: ScoringRound | None = None,
    title: str,
    kind: int,
    appraisals: Iterable[Appraisal],
    voter_groups: Iterable[VoterGroup],
    allow_unknown: bool,
    rule: Mapping[str, Any],
) -> ScoringRound:
    """Create a round, or change one still being prepared. Weights are copied from the
    voter groups and the entitled count starts as each group's roll."""
    _require_office(actor)
    appraisals = list(appraisals)
    voter_groups = list(voter_groups)
    if any(a.campaign_id != campaign.pk for a in appraisals) or any(
        g.campaign_id != campaign.pk for g in voter_groups
    ):
        raise RoundError(_("Units and voter groups must belong to this campaign."))
    _check_prerequisites(kind, appraisals)
    with transaction.atomic():
        if round is None:
            round = ScoringRound(campaign=campaign)
            created = True
        else:
            round = _locked(round)
            created = False
            if round.state != ScoringRound.State.DRAFT:
                raise RoundError(
                    _("The round has opened; its ballot and rule can no longer change.")
                )
        kept = {rg.voter_group_id: rg.weight for rg in RoundGroup.objects.filter(round=round.pk)}
        _check_rule(rule, [kept.get(g.pk, g.weight) for g in voter_groups])
        round.title, round.kind, round.allow_unknown = title, kind, allow_unknown
        for name in RULE_FIELDS:
            if name in rule:
                setattr(round, name, rule[name])
        round.save()
        round.appraisals.set(appraisals)
        sizes = dict(
            Voter.objects.filter(voter_group__in=voter_groups)
            .values_list("voter_group")
            .annotate(n=Count("id"))
        )
        keep = []
        for group in voter_groups:
            rg, _created = RoundGroup.objects.get_or_create(
                round=round,
                voter_group=group,
                defaults={"weight": group.weight, "entitled": sizes.get(group.pk, 0)},
            )
            keep.append(rg.pk)
        RoundGroup.objects.filter(round=round).exclude(pk__in=keep).delete()
        audit_log(
            actor=actor,
            action="appraisal.round.created" if created else "appraisal.round.changed",
            obj=round,
            data={
                "appraisals": [a.pk for a in appraisals],
                "voter_groups": [g.pk for g in voter_groups],
                "rule": {name: _plain(getattr(round, name)) for name in RULE_FIELDS},
                "allow_unknown": allow_unknown,
            },
        )
    return round


def _check_prerequisites(kind: int, appraisals: list[Appraisal]) -> None:
    """What the layers above require before a round of ``kind`` scores a unit (round 2:
    the unit's rectification report, registered through ``stages``)."""
    found = stages.round_prerequisites(kind, appraisals)
    unmet = [
        f"{a.unit.name}（{p.text}）"
        for a in appraisals
        for p in found.get(a.pk, [])
        if p.blocking and not p.met
    ]
    if unmet:
        raise RoundError(
            _(
                "This round cannot score these units yet: %(units)s. Untick them, or set the "
                "round up once what is missing is done."
            )
            % {"units": "、".join(unmet)}
        )


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Fraction | Decimal) else value


def _check_rule(rule: Mapping[str, Any], weights: list[Decimal]) -> None:
    """What a form checks, checked again for every caller of the service."""
    shape = rule.get("shape", ScoringRound.Shape.TIERED)
    shares = ["quorum", "group_quorum", "unsatisfied_flag"]
    if shape != ScoringRound.Shape.POINTS:
        shares += ["upper_threshold", "lower_threshold"]
    for name in shares:
        value = rule.get(name)
        if value is not None and value != "" and not 0 <= rules.as_fraction(value) <= 1:
            raise RoundError(_("A share between 0 and 1 (0.5 means 50 %)."))
    if rule.get("weights_sum_to_one") and weights:
        total = sum((Fraction(str(w)) for w in weights), Fraction(0))
        if total != 1:
            raise RoundError(
                _(
                    "The rule requires the voter-group weights to sum to 1; the chosen groups' "
                    "weights sum to %(total)s."
                )
                % {"total": rules.fraction_words(total, percent=False)}
            )


def round_set_attendance(
    *, round: ScoringRound, actor: User, groups: Mapping[int, Mapping[str, int | None]]
) -> None:
    """Record, per round group id, entitled (应到), present (实到) and paper ballots issued."""
    _require_office(actor)
    with transaction.atomic():
        round = _locked(round)
        if round.state == ScoringRound.State.PUBLISHED:
            raise RoundError(_("The result is published; attendance can no longer change."))
        changes = {}
        for rg in RoundGroup.objects.filter(round=round).select_related("voter_group"):
            values = groups.get(rg.pk)
            if not values:
                continue
            new = {
                k: values[k]
                for k in ("entitled", "present", "paper_issued", "paper_returned")
                if k in values
            }
            _check_attendance(round, rg, {**_attendance(rg), **new})
            if any(getattr(rg, k) != v for k, v in new.items()):
                for k, v in new.items():
                    setattr(rg, k, v)
                rg.save(update_fields=list(new))
                changes[rg.voter_group.name] = new
        if changes:
            audit_log(actor=actor, action="appraisal.round.attendance", obj=round, data=changes)
            if round.state == ScoringRound.State.CLOSED:
                _compute_results(round)


def _attendance(rg: RoundGroup) -> dict[str, int | None]:
    return {k: getattr(rg, k) for k in ("entitled", "present", "paper_issued", "paper_returned")}


def _check_attendance(
    round: ScoringRound, rg: RoundGroup, values: Mapping[str, int | None]
) -> None:
    """Per voter group: present ≤ entitled, and codes made plus paper ballots issued, and
    electronic ballots plus paper ballots returned, never more than those present."""
    name = rg.voter_group.name
    entitled, present = values["entitled"] or 0, values["present"]
    if present is None:
        return
    if present > entitled:
        raise RoundError(
            _("%(group)s: %(present)d present but only %(entitled)d entitled.")
            % {"group": name, "present": present, "entitled": entitled}
        )
    codes = codes_by_group(round).get(rg.voter_group_id, 0)
    issued = values["paper_issued"] or 0
    by_account = accounts_voted_by_group(round).get(rg.voter_group_id, 0)
    if codes + issued + by_account > present:
        raise RoundError(
            _(
                "%(group)s: %(codes)d voting codes made, %(issued)d paper ballots issued and "
                "%(accounts)d votes by account, more than the %(present)d present."
            )
            % {
                "group": name,
                "codes": codes,
                "issued": issued,
                "accounts": by_account,
                "present": present,
            }
        )
    returned = values["paper_returned"]
    electronic = electronic_by_group(round).get(rg.voter_group_id, 0)
    if returned is not None and returned + electronic > present:
        raise RoundError(
            _(
                "%(group)s: %(electronic)d electronic ballots and %(returned)d paper ballots "
                "returned, more than the %(present)d present."
            )
            % {"group": name, "electronic": electronic, "returned": returned, "present": present}
        )


# Why a move is refused: the round is not in the state the move starts from.
_REFUSED: dict[str, Promise] = {
    ScoringRound.State.OPEN: gettext_lazy("Only a round being prepared can be opened."),
    ScoringRound.State.CLOSED: gettext_lazy("Only an open round can be closed."),
    ScoringRound.State.PUBLISHED: gettext_lazy("Only a closed round can be published."),
}


def round_move(*, round: ScoringRound, to: str, actor: User) -> ScoringRound:
    """Move a round one step along ``ScoringRound.TRANSITIONS`` (draft → open → closed →
    published). Each step's own work — the checks before opening, the count at the close,
    the tellers' agreement before publishing — is its service below; every one of them
    changes the state through ``_enter``, under the round's lock."""
    steps: dict[str, Callable[..., ScoringRound]] = {
        ScoringRound.State.OPEN: round_open,
        ScoringRound.State.CLOSED: round_close,
        ScoringRound.State.PUBLISHED: round_publish,
    }
    if to not in steps:
        raise RoundError(_("A round cannot be moved there."))
    return steps[to](round=round, actor=actor)


def _enter(round: ScoringRound, to: str) -> None:
    """Put a locked round into state ``to`` if ``ScoringRound.TRANSITIONS`` allows it, and
    stamp the time of the move. The caller's transaction makes the move and its work one."""
    if not round.can_move_to(to):
        raise RoundError(str(_REFUSED[to]))
    stamp = ScoringRound.STAMPS[to]
    round.state = to
    setattr(round, stamp, timezone.now())
    round.save(update_fields=["state", stamp])


def round_open(*, round: ScoringRound, actor: User) -> ScoringRound:
    _require_office(actor)
    with transaction.atomic():
        round = _locked(round)
        _enter(round, ScoringRound.State.OPEN)
        if not round.appraisals.exists():
            raise RoundError(_("Put at least one unit on the ballot before opening."))
        _check_prerequisites(round.kind, list(round.appraisals.select_related("unit")))
        groups = list(RoundGroup.objects.filter(round=round))
        if not groups:
            raise RoundError(_("Choose at least one voter group before opening."))
        if any(g.present is None for g in groups):
            raise RoundError(_("Record the attendance (实到) of every voter group before opening."))
        audit_log(actor=actor, action="appraisal.round.opened", obj=round)
    return round


def round_close(*, round: ScoringRound, actor: User) -> ScoringRound:
    """Stop voting, open every sealed ballot, count, and leave nothing that links a voter.

    The exclusive lock waits for every ballot being cast right now (they hold it
    shared), so a ballot is either counted before the close or refused. An envelope
    that no key opens stops the close with its id and the reason, and nothing changes.
    """
    _require_office(actor)
    with transaction.atomic():
        round = _lock_round_exclusive(round)
        _enter(round, ScoringRound.State.CLOSED)
        ballots = _open_envelopes(round)
        _store_opened_ballots(round, ballots)
        _compute_results(round)
        audit_log(
            actor=actor,
            action="appraisal.round.closed",
            obj=round,
            data={"electronic_ballots": len(ballots)},
        )
    return round


def round_publish(*, round: ScoringRound, actor: User) -> ScoringRound:
    _require_office(actor)
    with transaction.atomic():
        round = _locked(round)
        _enter(round, ScoringRound.State.PUBLISHED)
        disagreements = _tally_disagreements(round)
        if disagreements:
            raise RoundError(
                _("Paper tallies still differ between the two tellers for: %(which)s.")
                % {"which": "、".join(disagreements)}
            )
        blockers = publication_blockers(round)
        if blockers:
            raise RoundError(" ".join(blockers))
        audit_log(actor=actor, action="appraisal.round.published", obj=round)
        # The 通报 takes its number when the results go out, not when someone first prints it.
        round_documents.results_issue(round, actor=actor)
    return round


# PostgreSQL advisory-lock namespace for scoring rounds (the key is this and the round id).
ROUND_LOCK_CLASS = 0x5059  # "PY"


def _lock_round_shared(round_id: int, user_id: int | None) -> ScoringRound:
    """Read the round while holding a shared lock that a close waits for.

    Many ballots hold the shared lock at once; ``round_close`` takes it
    exclusively, so it waits for the ballots in flight, and a ballot arriving
    after it reads the closed state. On PostgreSQL this is an advisory lock,
    taken in its own statement so the round is read after it (a row lock with
    FOR SHARE would make every concurrent ballot rewrite the same row's lock
    data). On SQLite the transaction already holds the write lock (IMMEDIATE).
    The same query finds the voter group the person votes in on this round
    (``voter_group_of_user``, None when not on its roll).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock_shared(%s, %s)", [ROUND_LOCK_CLASS, round_id]
            )
    rows = list(
        ScoringRound.objects.raw(
            "SELECT r.*, (SELECT v.voter_group_id FROM appraisal_voter v"
            " INNER JOIN appraisal_roundgroup g ON g.voter_group_id = v.voter_group_id"
            " WHERE g.round_id = r.id AND v.user_id = %s LIMIT 1) AS voter_group_of_user"
            " FROM appraisal_scoringround r WHERE r.id = %s",
            [user_id, round_id],
        )
    )
    if not rows:
        raise BallotRefused(_("This scoring round does not exist."))
    return rows[0]


def _lock_round_exclusive(round: ScoringRound) -> ScoringRound:
    """The round, locked against ballots being cast (see ``_lock_round_shared``)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ROUND_LOCK_CLASS, round.pk])
    return _locked(round)


def ballot_cast(
    *,
    round_id: int,
    choices: Mapping[int, str],
    voter: User | None = None,
    code: str | None = None,
) -> None:
    """Store one sealed ballot for a signed-in voter or a one-time code, all units or nothing."""
    if (voter is None) == (code is None):
        raise ValueError("a ballot is cast by a voter or with a code")
    try:
        with transaction.atomic():
            round = _lock_round_shared(round_id, voter.pk if voter is not None else None)
            if round.state != ScoringRound.State.OPEN:
                raise BallotRefused(
                    _("Voting in this round is closed.")
                    if round.state != ScoringRound.State.DRAFT
                    else _("Voting in this round has not opened yet.")
                )
            definition = ballot_definition(round.pk)
            if definition is None or definition.opened_at != round.opened_at:
                definition = ballot_definition(round.pk, refresh=True)
            assert definition is not None
            if set(choices) != definition.appraisal_ids or any(
                c not in definition.choices for c in choices.values()
            ):
                raise BallotRefused(_("Choose exactly one option for every unit on the ballot."))
            if voter is not None:
                group_id = round.voter_group_of_user  # type: ignore[attr-defined]
                if group_id is None:
                    raise BallotRefused(_("You are not on the roll of this round."))
            else:
                found = (
                    VotingCode.objects.filter(round=round, code=code)
                    .values_list("id", "voter_group_id")
                    .first()
                )
                if found is None:
                    raise BallotRefused(_("This code is not valid for this round."))
                # The conditional UPDATE is the lock: of racing requests one sees used=False.
                if not VotingCode.objects.filter(pk=found[0], used=False).update(used=True):
                    raise AlreadyVoted(_("This code has already been used."))
                group_id = found[1]
            stored = _store_ballot(
                round_id=round.pk,
                sealed=seal_ballot(round_id=round.pk, group_id=group_id, choices=choices),
                user_id=voter.pk if voter is not None else None,
            )
            if not stored:
                raise AlreadyVoted(_("You have already voted in this round."))
            audit_log(
                actor=voter,
                action="appraisal.ballot.cast",
                obj=round,
                data={"via": "account" if voter is not None else "code"},
                # By day: a time to the second would order the votes.
                at=timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0),
            )
    except IntegrityError:
        raise AlreadyVoted(_("You have already voted in this round.")) from None


# The sealed form of a ballot: voter group, then (appraisal id, choice) per unit. Every
# envelope of a round has the same length: the units are fixed once the round opens.
BALLOT_CHOICES = ("satisfied", "basically_satisfied", "unsatisfied", "unknown")
_GROUP = struct.Struct(">Q")
_ENTRY = struct.Struct(">QB")


def _ballot_scope(round_id: int) -> str:
    return f"ballot:{round_id}"


def seal_ballot(*, round_id: int, group_id: int, choices: Mapping[int, str]) -> bytes:
    plaintext = _GROUP.pack(group_id) + b"".join(
        _ENTRY.pack(aid, BALLOT_CHOICES.index(choice)) for aid, choice in sorted(choices.items())
    )
    return sealing.seal(
        scope=_ballot_scope(round_id),
        plaintext=plaintext,
        size=_GROUP.size + _ENTRY.size * len(choices),
    )


def _unpack_ballot(plaintext: bytes) -> tuple[int, dict[int, str]]:
    if (len(plaintext) - _GROUP.size) % _ENTRY.size:
        raise sealing.Unopenable(_("its content is malformed"))
    (group_id,) = _GROUP.unpack_from(plaintext)
    choices = {}
    for offset in range(_GROUP.size, len(plaintext), _ENTRY.size):
        aid, index = _ENTRY.unpack_from(plaintext, offset)
        if index >= len(BALLOT_CHOICES):
            raise sealing.Unopenable(_("its content is malformed"))
        choices[aid] = BALLOT_CHOICES[index]
    return group_id, choices


def _store_ballot(*, round_id: int, sealed: bytes, user_id: int | None) -> bool:
    """Write the roll row (for an account) and the sealed envelope; False if already voted.

    On PostgreSQL one statement writes both: this is the hottest write of the appraisal
    meeting, and each round trip costs about half a millisecond of CPU
    (bench/ballot_burst.py). ON CONFLICT turns a second ballot into no row rather than an
    error, so the server log (which records a failed statement with its values) never
    holds a voter's id beside an envelope. Elsewhere the ORM writes them one by one and
    the roll's unique constraint refuses a second ballot.
    """
    if connection.vendor != "postgresql" or user_id is None:
        if user_id is not None:
            RollEntry.objects.create(round_id=round_id, user_id=user_id)
        BallotEnvelope.objects.create(round_id=round_id, sealed=sealed)
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH r AS (INSERT INTO appraisal_rollentry (id, round_id, user_id)"
            " VALUES (%s, %s, %s) ON CONFLICT DO NOTHING RETURNING 1)"
            " INSERT INTO appraisal_ballotenvelope (id, round_id, sealed)"
            " SELECT %s, %s, %s FROM r",
            [uuid.uuid4(), round_id, user_id, uuid.uuid4(), round_id, sealed],
        )
        return cursor.rowcount == 1


def _open_envelopes(round: ScoringRound) -> list[tuple[int, dict[int, str]]]:
    """Every sealed ballot of the round, opened: (voter group id, choices).

    Refuses, naming the envelope and the reason, when one cannot be opened or does not
    fit the round, and when the envelopes do not match the roll and the used codes.
    """
    opener = sealing.Opener(_ballot_scope(round.pk))
    groups = set(RoundGroup.objects.filter(round=round).values_list("voter_group_id", flat=True))
    units = set(round.appraisals.values_list("id", flat=True))
    offered = set(c.value for c in round.choices)
    ballots = []
    for envelope_id, sealed in BallotEnvelope.objects.filter(round=round).values_list(
        "id", "sealed"
    ):
        try:
            group_id, choices = _unpack_ballot(opener.open(sealed))
            if group_id not in groups or set(choices) != units:
                raise sealing.Unopenable(_("its voter group or units are not this round's"))
            if not set(choices.values()) <= offered:
                raise sealing.Unopenable(_("it holds a choice this round does not offer"))
        except sealing.Unopenable as e:
            raise RoundError(
                _(
                    "The round was not closed: sealed ballot %(id)s cannot be opened (%(why)s). "
                    "Nothing was changed; voting stays open."
                )
                % {"id": envelope_id, "why": e.reason}
            ) from None
        ballots.append((group_id, choices))
    voted = (
        RollEntry.objects.filter(round=round).count()
        + VotingCode.objects.filter(round=round, used=True).count()
    )
    if voted != len(ballots):
        raise RoundError(
            _(
                "The round was not closed: %(voted)d people and codes have voted but there are "
                "%(sealed)d sealed ballots. Nothing was changed; voting stays open."
            )
            % {"voted": voted, "sealed": len(ballots)}
        )
    return ballots


# Tables a voter's transaction writes, the envelopes last (``sealing.rewrite_tables``). The
# audit log too has such rows, but they say only who voted, and the day.
_VOTER_TABLES = ("appraisal_rollentry", "appraisal_votingcode", "appraisal_ballotenvelope")


def _store_opened_ballots(round: ScoringRound, ballots: list[tuple[int, dict[int, str]]]) -> None:
    """Write the opened ballots and leave no row version of a voter's transaction behind.

    The ballots get fresh random ids and are written in the order of those ids, so
    their order on disk, their ids and their command ids say nothing of who cast them,
    and all carry this transaction's id. The envelope, roll and code tables are
    rewritten (``sealing.rewrite_tables``): the roll and the codes carry this
    transaction's id too; envelopes of other open rounds go back as they were, still
    sealed. On SQLite the round's rows are deleted (secure_delete zeroes them) and the
    roll and codes written again in the order of their random ids.
    """
    rows = sorted(
        ((uuid.uuid4(), group_id, choices) for group_id, choices in ballots),
        key=lambda row: row[0].hex,
    )
    entries = sorted(
        (
            (uuid.uuid4(), ballot_id, aid, choice)
            for ballot_id, _group, choices in rows
            for aid, choice in choices.items()
        ),
        key=lambda entry: entry[0].hex,
    )
    if connection.vendor != "postgresql":
        BallotEnvelope.objects.filter(round=round).delete()
        sealing.checkpoint_after_commit()
        sealing.rewrite_rows(RollEntry.objects.filter(round=round))
        sealing.rewrite_rows(VotingCode.objects.filter(round=round))
        Ballot.objects.bulk_create(
            (Ballot(id=pk, round=round, voter_group_id=group) for pk, group, _c in rows),
            batch_size=500,
        )
        BallotEntry.objects.bulk_create(
            (BallotEntry(id=pk, ballot_id=b, appraisal_id=a, choice=c) for pk, b, a, c in entries),
            batch_size=500,
        )
        return
    sealing.rewrite_tables(
        _VOTER_TABLES, discard="appraisal_ballotenvelope", column="round_id", value=round.pk
    )
    # Two statements for the lot (the ORM would build a model object per row); unnest
    # keeps the order of the arrays, which is the order of the random ids.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO appraisal_ballot (id, round_id, voter_group_id)"
            " SELECT id, %s, voter_group_id FROM unnest(%s::uuid[], %s::bigint[])"
            " AS b(id, voter_group_id)",
            [round.pk, [r[0] for r in rows], [r[1] for r in rows]],
        )
        cursor.execute(
            "INSERT INTO appraisal_ballotentry (id, ballot_id, appraisal_id, choice)"
            " SELECT * FROM unnest(%s::uuid[], %s::uuid[], %s::bigint[], %s::varchar[])",
            [[e[0] for e in entries], [e[1] for e in entries], [e[2] for e in entries],
             [e[3] for e in entries]],
        )  # fmt: skip


def codes_generate(
    *, round: ScoringRound, voter_group: VoterGroup, count: int, actor: User
) -> list[VotingCode]:
    _require_office(actor)
    if not 1 <= count <= 2000:
        raise RoundError(_("Generate between 1 and 2000 codes at a time."))
    with transaction.atomic():
        round = _locked(round)
        if round.state not in (ScoringRound.State.DRAFT, ScoringRound.State.OPEN):
            raise RoundError(_("Codes can only be made before the round closes."))
        rg = RoundGroup.objects.filter(round=round, voter_group=voter_group).first()
        if rg is None:
            raise RoundError(_("That voter group is not on this round."))
        room = code_room(round, rg)
        if room is None:
            raise RoundError(
                _("Record how many of %(group)s are present (实到) before making codes.")
                % {"group": voter_group.name}
            )
        if count > room:
            raise RoundError(
                _(
                    "%(group)s: at most %(room)d more codes. Codes, paper ballots and those "
                    "voting by account together cannot exceed the %(present)d present."
                )
                % {"group": voter_group.name, "room": room, "present": rg.present}
            )
        codes = VotingCode.objects.bulk_create(
            VotingCode(
                round=round,
                voter_group=voter_group,
                code=new_code(),
            )
            for _ in range(count)
        )
        audit_log(
            actor=actor,
            action="appraisal.round.codes_generated",
            obj=round,
            data={"voter_group": voter_group.name, "count": count},
        )
    return codes


def paper_tally_enter(
    *,
    round: ScoringRound,
    voter_group: VoterGroup,
    actor: User,
    rows: Mapping[int, Mapping[str, int]],
) -> dict[int, str]:
    """A teller's counts, per appraisal, for one voter group's paper ballots.

    The first two different tellers get slots 1 and 2; a teller re-entering
    corrects their own slot. Where both slots agree the tally is confirmed and
    counted; where they differ, nothing of that unit's paper ballots counts.
    Returns per appraisal "waiting", "confirmed" or "differs".
    """
    _require_office(actor)
    status: dict[int, str] = {}
    with transaction.atomic():
        round = _locked(round)
        if round.state not in (ScoringRound.State.OPEN, ScoringRound.State.CLOSED):
            raise RoundError(_("Paper ballots are counted while the round is open or closed."))
        rg = (
            RoundGroup.objects.filter(round=round, voter_group=voter_group)
            .select_related("voter_group")
            .first()
        )
        if rg is None:
            raise RoundError(_("That voter group is not on this round."))
        on_ballot = set(round.appraisals.values_list("id", flat=True))
        if set(rows) - on_ballot:
            raise RoundError(_("A unit in the tally is not on this round's ballot."))
        existing: dict[int, dict[int, PaperTallyEntry]] = defaultdict(dict)
        for entry in PaperTallyEntry.objects.filter(round=round, voter_group=voter_group):
            existing[entry.appraisal_id][entry.slot] = entry
        _check_tally(round, rg, rows, existing, actor)
        for appraisal_id, counts in rows.items():
            slots = existing[appraisal_id]
            mine = next((e for e in slots.values() if e.entered_by_id == actor.pk), None)
            if mine is None:
                if len(slots) >= 2:
                    raise RoundError(
                        _("Two tellers have already entered this tally; only they can correct it.")
                    )
                mine = PaperTallyEntry(
                    round=round,
                    appraisal_id=appraisal_id,
                    voter_group=voter_group,
                    slot=1 if 1 not in slots else 2,
                    entered_by=actor,
                )
                slots[mine.slot] = mine
            for name in PaperTallyEntry.COUNT_FIELDS:
                setattr(mine, name, counts.get(name, 0))
            mine.save()
            first, second = slots.get(1), slots.get(2)
            PaperTally.objects.filter(
                round=round, appraisal_id=appraisal_id, voter_group=voter_group
            ).delete()
            if first is None or second is None:
                status[appraisal_id] = "waiting"
            elif first.counts() == second.counts():
                PaperTally.objects.create(
                    round=round,
                    appraisal_id=appraisal_id,
                    voter_group=voter_group,
                    **first.counts(),
                )
                status[appraisal_id] = "confirmed"
            else:
                status[appraisal_id] = "differs"
        audit_log(
            actor=actor,
            action="appraisal.round.paper_tally_entered",
            obj=round,
            data={
                "voter_group": voter_group.name,
                "status": {str(k): v for k, v in status.items()},
            },
        )
        if round.state == ScoringRound.State.CLOSED:
            _compute_results(round)
    return status


def _check_tally(
    round: ScoringRound,
    rg: RoundGroup,
    rows: Mapping[int, Mapping[str, int]],
    existing: Mapping[int, Mapping[int, PaperTallyEntry]],
    actor: User,
) -> None:
    """One paper ballot lists every unit: each unit's total (valid + invalid + blank +
    don't know) is the number of paper ballots returned for the group."""
    names = dict(round.appraisals.values_list("id", "unit__name"))
    group = rg.voter_group.name
    for appraisal_id, counts in rows.items():
        if any(
            not isinstance(counts.get(k, 0), int) or not 0 <= counts.get(k, 0) <= 100000
            for k in PaperTallyEntry.COUNT_FIELDS
        ):
            raise RoundError(_("Counts are whole numbers from 0 to 100000."))
        if counts.get("unknown", 0) and not round.allow_unknown:
            raise RoundError(
                _(
                    "%(unit)s: %(n)d “don't know” counted, but this round's ballot does not "
                    "offer “don't know”."
                )
                % {"unit": names[appraisal_id], "n": counts["unknown"]}
            )
    totals = {
        aid: sum(c.get(k, 0) for k in PaperTallyEntry.COUNT_FIELDS) for aid, c in rows.items()
    }
    if rg.paper_returned is not None:
        expected, source = rg.paper_returned, _("paper ballots returned")
    else:
        # Not recorded: the teller's own units must agree with one another.
        mine = {
            aid: slots_entry.returned
            for aid, slots in existing.items()
            for slots_entry in slots.values()
            if slots_entry.entered_by_id == actor.pk and aid not in rows
        }
        all_totals = {**mine, **totals}
        if not all_totals:
            return
        first = min(all_totals, key=lambda aid: (aid not in totals, aid))
        expected = all_totals[first]
        source = _("the total counted for %(unit)s") % {"unit": names.get(first, "")}
        totals = all_totals
    for aid, total in totals.items():
        if total != expected:
            raise RoundError(
                _(
                    "%(unit)s (%(group)s): the counts add up to %(total)d, but %(source)s is "
                    "%(expected)d. Every paper ballot lists every unit, so each unit's counts "
                    "(valid, invalid, blank and don't know) add up to the ballots returned."
                )
                % {
                    "unit": names.get(aid, ""),
                    "group": group,
                    "total": total,
                    "source": source,
                    "expected": expected,
                }
            )
    if rg.present is not None and expected > rg.present:
        raise RoundError(
            _("%(group)s: %(n)d paper ballots counted, more than the %(present)d present.")
            % {"group": group, "n": expected, "present": rg.present}
        )


def paper_recount(
    *, round: ScoringRound, voter_group: VoterGroup, actor: User, reason: str
) -> None:
    """Set a voter group's paper count aside so the tellers count again, or the group votes
    again on paper: both tellers' entries, the confirmed tally and the number returned are
    cleared. The round's result is recomputed without them until they are entered again."""
    _require_office(actor)
    reason = reason.strip()
    if not reason or "\x00" in reason:
        raise RoundError(_("Say why the paper ballots are counted again."))
    with transaction.atomic():
        round = _locked(round)
        if round.state not in (ScoringRound.State.OPEN, ScoringRound.State.CLOSED):
            raise RoundError(_("Paper ballots are counted while the round is open or closed."))
        rg = RoundGroup.objects.filter(round=round, voter_group=voter_group).first()
        if rg is None:
            raise RoundError(_("That voter group is not on this round."))
        before = {"paper_issued": rg.paper_issued, "paper_returned": rg.paper_returned}
        entries = PaperTallyEntry.objects.filter(round=round, voter_group=voter_group).delete()[0]
        PaperTally.objects.filter(round=round, voter_group=voter_group).delete()
        rg.paper_returned = None
        rg.save(update_fields=["paper_returned"])
        audit_log(
            actor=actor,
            action="appraisal.round.paper_recount",
            obj=round,
            data={
                "voter_group": voter_group.name,
                "reason": reason[:500],
                "entries_cleared": entries,
                **before,
            },
        )
        if round.state == ScoringRound.State.CLOSED:
            _compute_results(round)


def _tally_disagreements(round: ScoringRound) -> list[str]:
    entries = PaperTallyEntry.objects.filter(round=round).select_related(
        "appraisal__unit", "voter_group"
    )
    by_key: dict[tuple[int, int], list[PaperTallyEntry]] = defaultdict(list)
    for e in entries:
        by_key[(e.appraisal_id, e.voter_group_id)].append(e)
    return [
        f"{pair[0].appraisal.unit.name}（{pair[0].voter_group.name}）"
        for pair in by_key.values()
        if len(pair) != 2 or pair[0].counts() != pair[1].counts()
    ]


def _compute_results(round: ScoringRound) -> None:
    """Count electronic and confirmed paper ballots and store every appraisal's result.

    A fixed number of queries whatever the number of ballots: aggregation is in SQL.
    """
    groups = list(RoundGroup.objects.filter(round=round).select_related("voter_group"))
    rule_groups = [rules.Group.of(rg) for rg in groups]
    issued = {rg.voter_group_id: rg.paper_issued for rg in groups}
    appraisal_ids = list(round.appraisals.values_list("id", flat=True))
    counts: dict[int, dict[int, dict[str, int]]] = {
        aid: defaultdict(lambda: defaultdict(int)) for aid in appraisal_ids
    }
    for row in (
        BallotEntry.objects.filter(ballot__round=round)
        .values("appraisal_id", "ballot__voter_group_id", "choice")
        .annotate(n=Count("id"))
    ):
        counts[row["appraisal_id"]][row["ballot__voter_group_id"]][row["choice"]] += row["n"]
    notes: dict[int, list[str]] = defaultdict(list)
    names = {rg.voter_group_id: rg.voter_group.name for rg in groups}
    returned = {rg.voter_group_id: rg.paper_returned or 0 for rg in groups}
    for tally in PaperTally.objects.filter(round=round):
        if max(tally.returned, returned[tally.voter_group_id]) > issued.get(
            tally.voter_group_id, 0
        ):
            notes[tally.appraisal_id].append(
                _(
                    "%(group)s: %(returned)d paper ballots returned but %(issued)d issued; "
                    "the paper tally is void and not counted."
                )
                % {
                    "group": names.get(tally.voter_group_id, ""),
                    "returned": tally.returned,
                    "issued": issued.get(tally.voter_group_id, 0),
                }
            )
            continue
        for name, n in tally.counts().items():
            counts[tally.appraisal_id][tally.voter_group_id][name] += n
    rule = rules.Rule.of(round)
    quorum_ok, reason = rules.quorum_met(rule, rule_groups)
    if quorum_ok and round.void_paper_voids_round:
        void = void_paper(round)
        if void:
            quorum_ok, reason = False, " ".join(void)
    outcomes = rules.evaluate(rule, rule_groups, counts)
    over = over_present(round)

    RoundResult.objects.filter(round=round).delete()
    RoundResult.objects.bulk_create(
        RoundResult(
            round=round,
            appraisal_id=aid,
            counts={str(k): v for k, v in o.counts.items()},
            valid=o.valid,
            invalid=o.invalid,
            satisfied_share=o.satisfied_share,
            satisfaction_rate=o.satisfaction_rate,
            unsatisfied_share=o.unsatisfied_share,
            average_points=o.average_points,
            score=o.score,
            verdict="" if not quorum_ok else o.verdict,
            rank=o.rank if quorum_ok else None,
            notes=over + notes[aid] + o.notes,
            marks=o.marks if quorum_ok else [],
        )
        for aid, o in outcomes.items()
    )
    round.void = not quorum_ok
    round.void_reason = reason
    round.save(update_fields=["void", "void_reason"])
