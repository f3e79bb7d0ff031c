"""Demo content: a round held, closed and published through the services, as the office
and the voters would. Used by the demo loaders (last year's round, this year's meeting);
runs only where they run (DEBUG)."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Iterator, Mapping, Sequence
from unittest import mock

from django.utils import timezone

from appraisal.models import Appraisal, Campaign, ScoringRound, User
from appraisal.scoring import rules
from appraisal.scoring import services as scoring


def hold_round(
    *,
    campaign: Campaign,
    office: User,
    title: str,
    appraisals: Sequence[Appraisal],
    leanings: Mapping[str, tuple[float, float]],
    seed: int,
    kind: int = ScoringRound.Kind.FIRST,
    absent: int = 2,
    held_on: dt.date | None = None,
) -> ScoringRound:
    """Set up a round on ``appraisals`` for every voter group of the campaign, record
    ``absent`` absentees per group, let everyone present vote, close and publish.

    ``leanings`` gives per unit name the share of 满意 and of 基本满意 votes; the rest are
    不满意. Seeded, so the demo's figures are the same on every machine. ``held_on`` (a
    past meeting, last year's) dates the round, its audit trail and its 通报 that day."""
    with _clock(held_on):
        rnd = scoring.round_save(
            campaign=campaign,
            actor=office,
            title=title,
            kind=kind,
            appraisals=appraisals,
            voter_groups=campaign.voter_groups.all(),
            allow_unknown=False,
            rule=rules.PRESETS["rate_80_60"],
        )
        groups = list(rnd.groups.select_related("voter_group"))
        scoring.round_set_attendance(
            round=rnd,
            actor=office,
            groups={g.pk: {"present": max(0, g.entitled - absent)} for g in groups},
        )
        groups = list(rnd.groups.select_related("voter_group"))  # with their attendance
        scoring.round_open(round=rnd, actor=office)
        rng = random.Random(seed)
        for group in groups:
            for voter in list(group.voter_group.voters.select_related("user"))[: group.present]:
                choices = {}
                for a in appraisals:
                    sat, basic = leanings[a.unit.name]
                    x = rng.random()
                    choices[a.pk] = (
                        "satisfied" if x < sat else "basically_satisfied" if x < sat + basic
                        else "unsatisfied"
                    )  # fmt: skip
                scoring.ballot_cast(round_id=rnd.pk, voter=voter.user, choices=choices)
        scoring.round_close(round=rnd, actor=office)
        scoring.round_publish(round=rnd, actor=office)
    return rnd


@contextlib.contextmanager
def _clock(day: dt.date | None) -> Iterator[None]:
    """Every service's ``timezone.now()`` reads 9:30 of ``day`` (no change without one)."""
    if day is None:
        yield
        return
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield
