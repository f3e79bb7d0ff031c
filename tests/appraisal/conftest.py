from dataclasses import dataclass

import pytest

from appraisal import stages
from appraisal.models import RoundGroup, ScoringRound, User, VoterGroup
from appraisal.scoring import services as scoring
from appraisal.scoring.rules import PRESETS
from tests import factories
from tests.conftest import World


@dataclass
class Scoring:
    round: ScoringRound
    committee: VoterGroup
    deputies: VoterGroup
    voters: list[User]  # committee voters first; world.deputy is voters[0]


def make_round(world: World, *, preset: str = "rate_80_60", voters: int = 4) -> Scoring:
    committee = world.deputy.voter_entries.get().voter_group
    committee.name, committee.weight = "常委会组成人员", 0.6
    committee.save()
    deputies = factories.VoterGroupFactory(campaign=world.campaign, name="人大代表", weight=0.4)
    people = [world.deputy]
    for i in range(voters - 1):
        people.append(factories.VoterFactory(voter_group=committee, user__username=f"cm{i}").user)
    for i in range(voters):
        people.append(factories.VoterFactory(voter_group=deputies, user__username=f"dp{i}").user)
    rnd = scoring.round_save(
        campaign=world.campaign,
        actor=world.office,
        title="第一次测评",
        kind=1,
        appraisals=[world.appraisal_a, world.appraisal_b],
        voter_groups=[committee, deputies],
        allow_unknown=False,
        rule=PRESETS[preset],
    )
    scoring.round_set_attendance(
        round=rnd,
        actor=world.office,
        groups={rg.pk: {"present": rg.entitled} for rg in RoundGroup.objects.filter(round=rnd)},
    )
    return Scoring(rnd, committee, deputies, people)


@pytest.fixture
def scoring_alone(monkeypatch):
    """Round mechanics on their own: nothing above scoring keeps a unit off a round (a
    second round wants each unit's opinion and rectification report, which these tests
    of counting do not build)."""
    monkeypatch.setattr(stages, "_prerequisites", [])


@pytest.fixture
def sw(world) -> Scoring:
    """A round in draft: two units, two voter groups of four, attendance recorded."""
    return make_round(world)


@pytest.fixture
def open_round(world, sw) -> Scoring:
    scoring.round_open(round=sw.round, actor=world.office)
    sw.round.refresh_from_db()
    return sw


def all_choice(world, choice):
    return {world.appraisal_a.pk: choice, world.appraisal_b.pk: choice}
