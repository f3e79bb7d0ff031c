"""Issue 10 §1: a database reader links no voter and no code to a ballot's content.

The reader of these tests has everything SQL gives: system columns (xmin, xmax, cmin,
ctid), ids, the audit log, statistics views, and on PostgreSQL the raw pages
(pageinspect) and data files. Every voter and every code gets a different set of
choices, so a link shows as a voter whose candidate ballots all carry exactly their
choices. Each method is tried while the round is open and after it closes:

- equal and adjacent (±k) xmin/xmax between the voter's rows and the ballot's rows;
- order: the voters ordered by a column of theirs against their true ballots ordered
  by a column of the ballot (Kendall's tau; a link shows as |tau| near 1);
- raw pages and files: no row version of a voter's transaction survives the close.

Before the double envelope, the first method alone linked every voter (500 of 500).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import pytest
from django.db import connection

from appraisal.models import Ballot, BallotEntry, BallotEnvelope, RollEntry, VotingCode
from appraisal.scoring import services as scoring
from tests import factories
from tests.appraisal.conftest import make_round

pytestmark = pytest.mark.django_db(transaction=True)

POSTGRES = connection.vendor == "postgresql"
CHOICES = ("satisfied", "basically_satisfied", "unsatisfied")


@dataclass
class Cast:
    round_id: int
    appraisal_ids: list[int]
    # person ("u<user id>" or "c<code>") -> the choices they cast, in appraisal order
    truth: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _patterns(units: int):
    yield from itertools.product(CHOICES, repeat=units)


def cast_everyone(world, *, voters: int = 10, codes: int = 10) -> Cast:
    """A round of four units; 2 × ``voters`` vote by account and ``codes`` by code, each
    with choices nobody else made. Each ballot is its own transaction, as in production."""
    sw = make_round(world, voters=voters)
    extra = [factories.AppraisalFactory(campaign=world.campaign) for _ in range(2)]
    sw.round.appraisals.add(*extra)
    scoring.round_open(round=sw.round, actor=world.office)
    appraisal_ids = [world.appraisal_a.pk, world.appraisal_b.pk, *(a.pk for a in extra)]
    slips = [
        c.code
        for c in scoring.codes_generate(
            round=sw.round, voter_group=sw.deputies, count=codes, actor=world.office
        )
    ]
    cast = Cast(sw.round.pk, appraisal_ids)
    patterns = _patterns(len(appraisal_ids))
    people = [("u", v) for v in sw.voters] + [("c", s) for s in slips]
    # Interleave accounts and codes, as in a hall.
    people = [p for pair in itertools.zip_longest(people[::2], people[1::2]) for p in pair if p]
    for kind, who in people:
        pattern = next(patterns)
        choices = dict(zip(appraisal_ids, pattern, strict=True))
        if kind == "u":
            scoring.ballot_cast(round_id=sw.round.pk, voter=who, choices=choices)
            cast.truth[f"u{who.pk}"] = pattern
        else:
            scoring.ballot_cast(round_id=sw.round.pk, code=who, choices=choices)
            cast.truth[f"c{who}"] = pattern
    return cast


def _rows(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description is not None else []


def _ctid(text: str) -> tuple[int, int]:
    block, offset = text.strip("()").split(",")
    return int(block), int(offset)


def voter_side(cast: Cast) -> dict[str, dict[str, object]]:
    """What a reader knows of each person who voted: their rows' system columns and ids."""
    people: dict[str, dict[str, object]] = {}
    if POSTGRES:
        system = "xmin::text::bigint, xmax::text::bigint, ctid::text"
    else:
        system = "NULL, NULL, rowid"
    table = RollEntry._meta.db_table
    for user_id, xmin, xmax, ctid, pk in _rows(
        f"SELECT user_id, {system}, id FROM {table} WHERE round_id = %s", [cast.round_id]
    ):
        people[f"u{user_id}"] = {"xmin": xmin, "xmax": xmax, "ctid": ctid, "id": str(pk)}
    table = VotingCode._meta.db_table
    for code, xmin, xmax, ctid, pk in _rows(
        f"SELECT code, {system}, id FROM {table} WHERE round_id = %s AND used", [cast.round_id]
    ):
        people[f"c{code}"] = {"xmin": xmin, "xmax": xmax, "ctid": ctid, "id": str(pk)}
    audit = "xmin::text::bigint" if POSTGRES else "NULL"
    for actor_id, pk, xmin in _rows(
        f"SELECT actor_id, id, {audit} FROM appraisal_auditevent"
        " WHERE action = 'appraisal.ballot.cast'"
    ):
        if actor_id is not None and f"u{actor_id}" in people:
            people[f"u{actor_id}"].update({"audit_id": pk, "audit_xmin": xmin})
    for values in people.values():
        if POSTGRES:
            values["ctid"] = _ctid(values["ctid"])  # type: ignore[arg-type]
    return people


def _system(alias: str) -> str:
    if POSTGRES:
        return ", ".join(
            f"{alias}.{c}::text{'' if c == 'ctid' else '::bigint'}"
            for c in ("xmin", "xmax", "cmin", "ctid")
        )
    return f"NULL, NULL, NULL, {alias}.rowid"


def ballot_side(cast: Cast) -> dict[str, dict[str, object]]:
    """Each stored ballot: its content and every column a reader can order or join by."""
    ballots: dict[str, dict[str, object]] = {}
    position = {aid: i for i, aid in enumerate(cast.appraisal_ids)}
    for pk, xmin, xmax, cmin, ctid in _rows(
        f"SELECT b.id, {_system('b')} FROM {Ballot._meta.db_table} b WHERE b.round_id = %s",
        [cast.round_id],
    ):
        ballots[str(pk)] = {
            "xmin": xmin,
            "xmax": xmax,
            "cmin": cmin,
            "ctid": _ctid(ctid) if POSTGRES else ctid,
            "id": str(pk),
            "content": [None] * len(position),
            "entry": [],
        }
    for ballot_id, appraisal_id, choice, xmin, xmax, cmin, ctid in _rows(
        f"SELECT e.ballot_id, e.appraisal_id, e.choice, {_system('e')}"
        f" FROM {BallotEntry._meta.db_table} e JOIN {Ballot._meta.db_table} b ON b.id = e.ballot_id"
        " WHERE b.round_id = %s",
        [cast.round_id],
    ):
        b = ballots[str(ballot_id)]
        b["content"][position[appraisal_id]] = choice  # type: ignore[index]
        b["entry"].append((xmin, xmax, cmin, _ctid(ctid) if POSTGRES else ctid))  # type: ignore[attr-defined]
    for b in ballots.values():
        b["content"] = tuple(b["content"])  # type: ignore[arg-type]
        entries = sorted(b.pop("entry"))  # type: ignore[arg-type]
        if entries:
            b["entry_xmin"], b["entry_xmax"], b["entry_cmin"], b["entry_ctid"] = entries[0]
    return ballots


VOTER_KEYS = ("xmin", "xmax", "ctid", "id", "audit_id", "audit_xmin")
BALLOT_KEYS = (
    "xmin", "xmax", "cmin", "ctid", "id", "entry_xmin", "entry_xmax", "entry_cmin", "entry_ctid",
)  # fmt: skip
NUMERIC = ("xmin", "xmax", "audit_xmin", "cmin", "entry_xmin", "entry_xmax", "entry_cmin")


def _revealed(candidates: list[dict], truth: tuple[str, ...]) -> bool:
    return bool(candidates) and all(c["content"] == truth for c in candidates)


def join_links(cast: Cast, people, ballots) -> dict[str, int]:
    """Per method, how many people an equality or ±k join pairs with their content."""
    links: dict[str, int] = {}
    for vk, bk in itertools.product(VOTER_KEYS, BALLOT_KEYS):
        if vk not in NUMERIC or bk not in NUMERIC:
            continue
        for k in (0, 1, 2, 3, 5, 10):
            found = 0
            for person, values in people.items():
                mine = values.get(vk)
                if not mine:  # absent, or xmax 0 (never deleted)
                    continue
                candidates = [b for b in ballots.values() if b.get(bk) and abs(b[bk] - mine) <= k]
                found += _revealed(candidates, cast.truth[person])
            links[f"{vk}~{bk}±{k}"] = found
    return links


def kendall_tau_b(pairs: list[tuple[object, object]]) -> float:
    concordant = discordant = ties_x = ties_y = 0
    for (x1, y1), (x2, y2) in itertools.combinations(pairs, 2):
        if x1 == x2 and y1 == y2:
            continue
        if x1 == x2:
            ties_x += 1
        elif y1 == y2:
            ties_y += 1
        elif (x1 < x2) == (y1 < y2):  # type: ignore[operator]
            concordant += 1
        else:
            discordant += 1
    denominator = math.sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y))
    return (concordant - discordant) / denominator if denominator else 0.0


def order_threshold(n: int) -> float:
    """|tau| a random order of n reaches with a chance below about 1 in 300,000 (4.5 standard
    deviations of tau under independence); a real link shows as |tau| near 1. Below 30 pairs
    the bar would be too high to see a link, so a test needs at least 30 people."""
    assert n >= 30, f"{n} people are too few to tell an order link from chance"
    return max(0.5, 4.5 * math.sqrt(2 * (2 * n + 5) / (9 * n * (n - 1))))


def order_links(taus: dict[str, float], n: int) -> dict[str, float]:
    bar = order_threshold(n)
    return {m: t for m, t in taus.items() if abs(t) >= bar}


def order_correlations(cast: Cast, people, ballots) -> dict[str, float]:
    """Per pair of orderings, Kendall's tau between a person's column and their ballot's."""
    by_content = {b["content"]: b for b in ballots.values()}
    out = {}
    for vk, bk in itertools.product(VOTER_KEYS, BALLOT_KEYS):
        pairs = [
            (values[vk], by_content[cast.truth[p]][bk])
            for p, values in people.items()
            if values.get(vk) is not None
            and cast.truth[p] in by_content
            and by_content[cast.truth[p]].get(bk) is not None
        ]
        if len(pairs) >= 8:
            out[f"{vk}/{bk}"] = kendall_tau_b(pairs)
    return out


def assert_no_links(cast: Cast) -> None:
    people, ballots = voter_side(cast), ballot_side(cast)
    assert len(people) == len(cast.truth)
    joins = join_links(cast, people, ballots)
    assert {m: n for m, n in joins.items() if n} == {}
    taus = order_correlations(cast, people, ballots)
    assert order_links(taus, len(people)) == {}


def test_nothing_links_a_voter_or_code_to_a_ballot_while_open_or_after_close(world):
    cast = cast_everyone(world)
    assert_no_links(cast)
    scoring.round_close(round=_round(cast), actor=world.office)
    ballots = ballot_side(cast)
    # Every ballot is there and counted, with its content.
    assert sorted(b["content"] for b in ballots.values()) == sorted(cast.truth.values())
    assert_no_links(cast)


def _round(cast: Cast):
    from appraisal.models import ScoringRound

    return ScoringRound.objects.get(pk=cast.round_id)


def test_the_checks_find_a_link_where_there_is_one(world):
    """The method works: pairing voters with ballots by a shared column is detected."""
    cast = cast_everyone(world, voters=5, codes=4)
    scoring.round_close(round=_round(cast), actor=world.office)
    people, ballots = voter_side(cast), ballot_side(cast)
    by_content = {b["content"]: b for b in ballots.values()}
    for person, values in people.items():  # a leaky design would carry the same value
        values["xmin"] = by_content[cast.truth[person]]["id"]
        values["id"] = by_content[cast.truth[person]]["ctid"]
    assert max(order_correlations(cast, people, ballots).values()) == 1.0


# ---- PostgreSQL: pages, files and statistics -----------------------------------------

needs_postgres = pytest.mark.skipif(not POSTGRES, reason="system columns of PostgreSQL")


def _voter_xids(cast: Cast) -> set[int]:
    roll = _rows(
        f"SELECT DISTINCT xmin::text::bigint FROM {RollEntry._meta.db_table} WHERE round_id = %s",
        [cast.round_id],
    )
    codes = _rows(
        f"SELECT DISTINCT xmin::text::bigint FROM {VotingCode._meta.db_table}"
        " WHERE round_id = %s AND used",
        [cast.round_id],
    )
    return {x for (x,) in roll + codes}


def _page_xids(table: str) -> set[int]:
    """xmin and xmax of every row version in the table's pages, live or dead."""
    pages = _rows("SELECT pg_relation_size(%s) / current_setting('block_size')::int", [table])[0][0]
    xids: set[int] = set()
    for page in range(pages):
        for xmin, xmax in _rows(
            "SELECT t_xmin::text::bigint, t_xmax::text::bigint"
            " FROM heap_page_items(get_raw_page(%s, %s)) WHERE lp_flags = 1",
            [table, page],
        ):
            xids |= {xmin, xmax}
    return xids


@needs_postgres
def test_after_close_no_row_version_of_a_voters_transaction_is_left(world):
    try:
        _rows("CREATE EXTENSION IF NOT EXISTS pageinspect")
    except Exception:  # pragma: no cover - the contrib package is missing
        pytest.skip("pageinspect is not installed")
    cast = cast_everyone(world, voters=6, codes=6)
    voter_xids = _voter_xids(cast)
    assert len(voter_xids) == len(cast.truth)  # one transaction per ballot
    scoring.round_close(round=_round(cast), actor=world.office)
    for model in (RollEntry, VotingCode, Ballot, BallotEntry, BallotEnvelope):
        table = model._meta.db_table
        assert not _page_xids(table) & voter_xids, table


@needs_postgres
def test_statistics_hold_counts_and_no_sample_of_a_sealed_ballot(world):
    cast_everyone(world, voters=4, codes=4)
    _rows("ANALYZE")
    # The planner's samples: there are some of the roll (ANALYZE ran), none of the envelopes.
    sampled = {
        (t, c)
        for t, c in _rows(
            "SELECT tablename, attname FROM pg_stats"
            " WHERE tablename IN ('appraisal_rollentry', 'appraisal_ballotenvelope')"
        )
    }
    assert ("appraisal_rollentry", "user_id") in sampled
    assert ("appraisal_ballotenvelope", "sealed") not in sampled
    # The activity statistics are per table and per statement kind: counters, no row.
    columns = {
        c
        for (c,) in _rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name IN"
            " ('pg_stat_user_tables', 'pg_statio_user_tables', 'pg_stat_database')"
        )
    }
    assert columns and not {c for c in columns if "xid" in c or "ctid" in c or "xmin" in c}
