"""The result rules, by hand-checked examples: every shape, every boundary."""

from decimal import Decimal
from fractions import Fraction

import pytest

from appraisal.scoring import rules
from appraisal.scoring.rules import Group, Rule

ONE_GROUP = [Group(1, "常委会组成人员", Decimal(1), entitled=20, present=20)]


def rule(**overrides):
    base = {**rules.PRESETS["tiered_half"]}
    base.update(overrides)
    return Rule(
        shape=base["shape"],
        denominator=base["denominator"],
        upper=base["upper_threshold"],
        upper_inclusive=base["upper_inclusive"],
        lower=base["lower_threshold"],
        lower_inclusive=base["lower_inclusive"],
        quorum=base["quorum"],
        quorum_inclusive=base["quorum_inclusive"],
        points={
            "satisfied": base.get("points_satisfied", Decimal(100)),
            "basically_satisfied": base.get("points_basically_satisfied", Decimal(75)),
            "unsatisfied": base.get("points_unsatisfied", Decimal(55)),
            "unknown": Decimal(0),
        },
    )


def verdict(r, s, b, u, k=0, groups=ONE_GROUP):
    counts = {1: {1: {"satisfied": s, "basically_satisfied": b, "unsatisfied": u, "unknown": k}}}
    return rules.evaluate(r, groups, counts)[1]


@pytest.mark.parametrize(
    ("s", "b", "u", "inclusive", "expected"),
    [
        (10, 0, 10, True, "satisfied"),  # exactly half, 以上 includes it
        (10, 0, 10, False, "unsatisfied"),  # exactly half, 超过 excludes it (both thresholds)
        (9, 1, 10, True, "basically_satisfied"),
        (9, 0, 11, True, "unsatisfied"),
        (11, 9, 0, False, "satisfied"),
    ],
)
def test_tiered_boundaries(s, b, u, inclusive, expected):
    r = rule(upper_inclusive=inclusive, lower_inclusive=inclusive)
    assert verdict(r, s, b, u).verdict == expected


@pytest.mark.parametrize(
    ("s", "b", "u", "expected"),
    [
        (10, 6, 4, "satisfied"),
        (10, 5, 5, "basically_satisfied"),
        (6, 6, 8, "basically_satisfied"),
        (6, 5, 9, "unsatisfied"),
    ],
)
def test_rate_rule_on_valid_ballots(s, b, u, expected):
    r = rule(**rules.PRESETS["rate_80_60"])
    outcome = verdict(r, s, b, u)
    assert outcome.verdict == expected
    assert outcome.satisfaction_rate == Fraction(s + b, 20)


def test_tiered_exclusive_upper_inclusive_lower_at_exactly_half():
    r = rule(upper_inclusive=False, lower_inclusive=True)
    assert verdict(r, 10, 0, 10).verdict == "basically_satisfied"


def test_rate_exclusive_upper_at_exactly_80_percent_is_basically_satisfied():
    r = rule(**{**rules.PRESETS["rate_80_60"], "upper_inclusive": False})
    assert verdict(r, 10, 6, 4).verdict == "basically_satisfied"


def test_points_average_and_dont_know_scores_nothing():
    r = rule(**rules.PRESETS["points_100_75_55"])
    # (10×100 + 6×75 + 2×55 + 2×0) / 20 = 78
    outcome = verdict(r, 10, 6, 2, k=2)
    assert outcome.average_points == 78
    assert outcome.verdict == "basically_satisfied"
    assert verdict(r, 17, 3, 0).average_points == Fraction(1925, 20)  # 96.25 -> satisfied
    assert verdict(r, 17, 3, 0).verdict == "satisfied"


def test_denominator_entitled_counts_absent_voters_against():
    groups = [Group(1, "g", Decimal(1), entitled=40, present=20)]
    r = rule(denominator="entitled")
    assert verdict(r, 20, 0, 0, groups=groups).satisfied_share == Fraction(1, 2)
    r = rule(denominator="present")
    assert verdict(r, 20, 0, 0, groups=groups).satisfied_share == 1


def test_weighted_groups_combine_by_weight():
    groups = [
        Group(1, "常委会组成人员", Decimal("0.6"), entitled=10, present=10),
        Group(2, "人大代表", Decimal("0.4"), entitled=10, present=10),
    ]
    r = rule(**rules.PRESETS["rate_80_60"])
    counts = {
        7: {
            1: {"satisfied": 10},  # 100 %
            2: {"satisfied": 5, "unsatisfied": 5},  # 50 %
        }
    }
    outcome = rules.evaluate(r, groups, counts)[7]
    assert outcome.satisfaction_rate == Fraction(8, 10)  # 0.6 × 1 + 0.4 × 0.5
    assert outcome.verdict == "satisfied"


def test_ties_share_a_rank():
    r = rule(**rules.PRESETS["rate_80_60"])
    counts = {
        1: {1: {"satisfied": 18, "unsatisfied": 2}},
        2: {1: {"satisfied": 18, "unsatisfied": 2}},
        3: {1: {"satisfied": 10, "unsatisfied": 10}},
    }
    ranks = {aid: o.rank for aid, o in rules.evaluate(r, ONE_GROUP, counts).items()}
    assert ranks == {1: 1, 2: 1, 3: 3}


@pytest.mark.parametrize(
    ("present", "inclusive", "met"), [(10, False, False), (10, True, True), (11, False, True)]
)
def test_quorum_exactly_half(present, inclusive, met):
    groups = [Group(1, "g", Decimal(1), entitled=20, present=present)]
    assert rules.quorum_met(rule(quorum_inclusive=inclusive), groups)[0] is met


def test_percent_two_decimals_half_up():
    assert rules.percent(Fraction(1, 3)) == "33.33%"
    assert rules.percent(Fraction(2, 3)) == "66.67%"
    assert rules.percent(Fraction(1, 8)) == "12.50%"


def test_rule_is_described_in_words():
    text = " ".join(rules.describe(rule(), ONE_GROUP))
    assert "50%" in text and "以上" in text and "超过" in text
