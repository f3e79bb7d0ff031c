"""The rule knobs of issue 10 §2, each with a worked example, and rounding done once."""

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest

from appraisal.scoring import rules
from appraisal.scoring.rules import Group
from tests.appraisal.test_rules import rule

ONE = [Group(1, "常委会组成人员", Decimal(1), entitled=300, present=300)]


def outcome(r, counts, groups=ONE):
    return rules.evaluate(r, groups, {1: {1: counts}})[1]


# ---- rounding once, half up, from the exact fraction ------------------------------------


def test_50_satisfied_of_101_is_49_50_percent():
    o = outcome(rule(denominator="valid"), {"satisfied": 50, "unsatisfied": 51})
    assert o.satisfied_share == Fraction(50, 101)
    # Stored at 6 places half-even (0.495050) and rounded again it read 49.51 %.
    assert rules.percent(o.satisfied_share) == "49.50%"


def test_weighted_rate_0_6_of_16_21_and_0_4_of_46_57_is_77_99_percent():
    groups = [
        Group(1, "常委会组成人员", Decimal("0.6"), entitled=21, present=21),
        Group(2, "人大代表", Decimal("0.4"), entitled=57, present=57),
    ]
    r = rule(**rules.PRESETS["rate_80_60"])
    counts = {1: {1: {"satisfied": 16, "unsatisfied": 5}, 2: {"satisfied": 46, "unsatisfied": 11}}}
    o = rules.evaluate(r, groups, counts)[1]
    assert o.satisfaction_rate == Fraction(6, 10) * Fraction(16, 21) + Fraction(4, 10) * Fraction(
        46, 57
    )
    assert rules.percent(o.satisfaction_rate) == "77.99%"


def test_points_61_37_3_of_101_average_89_50():
    r = rule(**rules.PRESETS["points_100_75_55"])
    o = outcome(r, {"satisfied": 61, "basically_satisfied": 37, "unsatisfied": 3})
    assert o.average_points == Fraction(9040, 101)
    assert rules.points_display(o.average_points) == "89.50"


def test_122_of_222_is_54_95_percent():
    assert rules.percent(Fraction(122, 222)) == "54.95%"
    assert rules.half_up(Fraction(122, 222) * 100) == Decimal("54.95")
    assert rules.half_up(Fraction(1, 8) * 100) == Decimal("12.50")
    assert rules.half_up(Fraction(-1, 8) * 100, 1) == Decimal("-12.5")


# ---- which verdict wins where two clauses claim the boundary -----------------------------


def test_boundary_claimed_by_satisfied_and_unsatisfied_clauses():
    # "满意票达到半数以上为满意" (½ included) and "满意票加基本满意票不足半数的（含半数）为不满意"
    # (so "basically satisfied" needs more than half). 10 satisfied, 10 unsatisfied of 20.
    text_rule = rule(upper_inclusive=True, lower_inclusive=False)
    counts = {"satisfied": 10, "unsatisfied": 10}
    groups = [Group(1, "g", Decimal(1), entitled=20, present=20)]
    assert outcome(text_rule, counts, groups).verdict == "satisfied"
    lower_wins = replace(text_rule, boundary_wins="lower")
    assert outcome(lower_wins, counts, groups).verdict == "unsatisfied"
    # Off the boundary the knob changes nothing.
    assert outcome(lower_wins, {"satisfied": 11, "unsatisfied": 9}, groups).verdict == "satisfied"
    words = " ".join(rules.describe(lower_wins, groups))
    assert "同时符合“满意”和“不满意”两项条款的，评为不满意" in words


# ---- thresholds as exact fractions --------------------------------------------------------


def test_two_thirds_is_two_thirds_not_0_6667():
    assert rules.parse_fraction("2/3") == Fraction(2, 3)
    assert rules.parse_fraction("66.5%") == Fraction(133, 200)
    assert rules.parse_fraction("０.５".replace("０", "0").replace("５", "5")) == Fraction(1, 2)
    for bad in ("", "2/0", "1e9", "nan", "-1", "1/2/3", "\x00"):
        with pytest.raises(ValueError):
            rules.parse_fraction(bad)
    groups = [Group(1, "g", Decimal(1), entitled=21, present=21)]
    counts = {"satisfied": 14, "unsatisfied": 7}  # exactly 2/3
    exact = rule(upper_threshold=rules.parse_fraction("2/3"))
    assert outcome(exact, counts, groups).verdict == "satisfied"
    rounded = rule(upper_threshold=Decimal("0.6667"))
    assert outcome(rounded, counts, groups).verdict != "satisfied"
    assert "2/3（三分之二）" in " ".join(rules.describe(exact, groups))
    assert rules.fraction_words(Fraction(1, 2), percent=True) == "50%"
    assert rules.fraction_words(Fraction(12, 25), percent=False) == "0.48"


# ---- 收回票 denominator; unmarked ballots in the base, invalid ones out ----------------


def test_ballots_returned_denominator_with_and_without_invalid():
    counts = {"satisfied": 6, "basically_satisfied": 2, "unsatisfied": 2, "invalid": 2, "blank": 2}
    base = {**rules.PRESETS["rate_80_60"]}
    valid = outcome(rule(**base), counts)
    returned = outcome(rule(**{**base, "denominator": "returned"}), counts)
    blank_in = outcome(
        replace(rule(**{**base, "denominator": "returned"}), invalid_excluded=True), counts
    )
    assert valid.satisfaction_rate == Fraction(8, 10)
    assert returned.satisfaction_rate == Fraction(8, 14)
    assert blank_in.satisfaction_rate == Fraction(8, 12)
    assert (valid.verdict, returned.verdict, blank_in.verdict) == (
        "satisfied",
        "unsatisfied",
        "basically_satisfied",
    )
    words = " ".join(
        rules.describe(
            replace(rule(**{**base, "denominator": "returned"}), invalid_excluded=True), ONE
        )
    )
    assert "收回票数（含弃权票，不含废票）" in words


# ---- quorum per voter group ---------------------------------------------------------------


def test_quorum_per_voter_group_as_well_as_overall():
    groups = [
        Group(1, "常委会组成人员", Decimal("0.5"), entitled=10, present=10),
        Group(2, "人大代表", Decimal("0.5"), entitled=10, present=4),
    ]
    overall_only = rule()
    assert rules.quorum_met(overall_only, groups)[0]  # 14 of 20
    per_group = replace(overall_only, group_quorum=Fraction(1, 2))
    met, reason = rules.quorum_met(per_group, groups)
    assert not met and "人大代表" in reason and "4" in reason and "10" in reason
    groups[1] = replace(groups[1], present=5)
    assert rules.quorum_met(per_group, groups)[0] is False  # exactly half, not more
    assert rules.quorum_met(replace(per_group, group_quorum_inclusive=True), groups)[0]
    assert "各投票分组的实到人数" in " ".join(rules.describe(per_group, groups))


# ---- ranking measure, tie-break, top N / bottom N ----------------------------------------


def test_rank_by_satisfied_share_then_rate_and_mark_top_and_bottom():
    groups = [Group(1, "g", Decimal(1), entitled=20, present=20)]
    counts = {
        1: {1: {"satisfied": 10, "basically_satisfied": 5, "unsatisfied": 5}},  # ½, ¾
        2: {1: {"satisfied": 10, "basically_satisfied": 8, "unsatisfied": 2}},  # ½, 0.9
        3: {1: {"satisfied": 12, "basically_satisfied": 0, "unsatisfied": 8}},  # 0.6, 0.6
        4: {1: {"satisfied": 2, "basically_satisfied": 2, "unsatisfied": 16}},  # 0.1, 0.2
    }
    base = rule(**rules.PRESETS["rate_80_60"])
    by_rate = rules.evaluate(base, groups, counts)
    assert [by_rate[a].rank for a in (1, 2, 3, 4)] == [2, 1, 3, 4]
    share_only = replace(base, rank_by="share")
    ranks = {a: o.rank for a, o in rules.evaluate(share_only, groups, counts).items()}
    assert ranks == {3: 1, 1: 2, 2: 2, 4: 4}  # 1 and 2 tie on share
    knobs = replace(base, rank_by="share", rank_tiebreak="rate", mark_top=1, mark_bottom=1)
    out = rules.evaluate(knobs, groups, counts)
    assert {a: o.rank for a, o in out.items()} == {3: 1, 2: 2, 1: 3, 4: 4}
    assert out[3].marks == ["top"] and out[4].marks == ["bottom"] and not out[1].marks
    words = " ".join(rules.describe(knobs, groups))
    assert "数值相同的，再按满意率排名" in words and "前 1 名" in words


# ---- flag a high unsatisfied share under a better verdict --------------------------------


def test_unsatisfied_share_flag_even_when_basically_satisfied():
    groups = [Group(1, "g", Decimal(1), entitled=20, present=20)]
    r = replace(rule(**rules.PRESETS["rate_80_60"]), unsatisfied_flag=Fraction(1, 3))
    flagged = outcome(r, {"satisfied": 12, "basically_satisfied": 1, "unsatisfied": 7}, groups)
    assert flagged.verdict == "basically_satisfied"  # 65 %
    assert flagged.unsatisfied_share == Fraction(7, 20) and flagged.marks == ["unsatisfied_share"]
    calm = outcome(r, {"satisfied": 12, "basically_satisfied": 2, "unsatisfied": 6}, groups)
    assert calm.marks == []  # 30 % < 1/3
    assert "1/3（三分之一）" in " ".join(rules.describe(r, groups))


# ---- weights that do not sum to 1 are stated ----------------------------------------------


def test_weights_not_summing_to_one_are_stated_as_a_weighted_mean():
    groups = [
        Group(1, "常委会组成人员", Decimal("0.6"), entitled=10, present=10),
        Group(2, "人大代表", Decimal("0.3"), entitled=10, present=10),
    ]
    r = rule(**rules.PRESETS["rate_80_60"])
    counts = {1: {1: {"satisfied": 10}, 2: {"satisfied": 5, "unsatisfied": 5}}}
    o = rules.evaluate(r, groups, counts)[1]
    assert o.satisfaction_rate == (Fraction(6, 10) + Fraction(3, 10) * Fraction(1, 2)) / Fraction(
        9, 10
    )
    words = " ".join(rules.describe(r, groups))
    assert "权重之和为 0.9，不等于 1" in words and "÷ Σ 权重" in words
    groups[1] = replace(groups[1], weight=Decimal("0.4"))
    assert "权重之和为 1）" in " ".join(rules.describe(r, groups))


# ---- nothing to count, no verdict ---------------------------------------------------------


def test_a_unit_with_no_valid_ballot_gets_no_verdict_and_no_rank():
    r = rule(denominator="present")  # the denominator alone would give 0 % -> unsatisfied
    counts = {1: {1: {"invalid": 3}}, 2: {1: {"satisfied": 1}}}
    out = rules.evaluate(r, ONE, counts)
    assert out[1].verdict == "" and out[1].rank is None
    assert any("没有可计入的有效票" in n for n in out[1].notes)
    assert out[2].rank == 1
