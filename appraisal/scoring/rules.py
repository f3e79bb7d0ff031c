"""The result rule of a scoring round, evaluated exactly (DESIGN.md §3).

Pure functions over plain data, so every rule shape and every boundary can be
tested without a database. Shares are exact fractions: "exactly half" is
exactly half, and each threshold says whether it includes its own value
(以上/以下/以内) or not (超过/不满/不足).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

SATISFIED = "satisfied"
BASICALLY_SATISFIED = "basically_satisfied"
UNSATISFIED = "unsatisfied"
UNKNOWN = "unknown"
VOTE_CHOICES = (SATISFIED, BASICALLY_SATISFIED, UNSATISFIED, UNKNOWN)

TIERED, RATE, POINTS = "tiered", "rate", "points"
ENTITLED, PRESENT, VALID = "entitled", "present", "valid"


@dataclass(frozen=True)
class Rule:
    shape: str
    denominator: str
    upper: Decimal
    upper_inclusive: bool
    lower: Decimal
    lower_inclusive: bool
    quorum: Decimal
    quorum_inclusive: bool
    points: dict[str, Decimal] = field(default_factory=dict)

    @classmethod
    def of(cls, round: Any) -> Rule:
        return cls(
            shape=round.shape,
            denominator=round.denominator,
            upper=round.upper_threshold,
            upper_inclusive=round.upper_inclusive,
            lower=round.lower_threshold,
            lower_inclusive=round.lower_inclusive,
            quorum=round.quorum,
            quorum_inclusive=round.quorum_inclusive,
            points={
                SATISFIED: round.points_satisfied,
                BASICALLY_SATISFIED: round.points_basically_satisfied,
                UNSATISFIED: round.points_unsatisfied,
                UNKNOWN: Decimal(0),
            },
        )


# Presets for the rule shapes seen in published local rules; the office can adjust each.
PRESETS: dict[str, dict[str, Any]] = {
    "tiered_half": {
        "shape": TIERED,
        "denominator": PRESENT,
        "upper_threshold": Decimal("0.5"),
        "upper_inclusive": True,
        "lower_threshold": Decimal("0.5"),
        "lower_inclusive": True,
        "quorum": Decimal("0.5"),
        "quorum_inclusive": False,
    },
    "rate_80_60": {
        "shape": RATE,
        "denominator": VALID,
        "upper_threshold": Decimal("0.8"),
        "upper_inclusive": True,
        "lower_threshold": Decimal("0.6"),
        "lower_inclusive": True,
        "quorum": Decimal("0.5"),
        "quorum_inclusive": False,
    },
    "points_100_75_55": {
        "shape": POINTS,
        "denominator": VALID,
        "upper_threshold": Decimal(85),
        "upper_inclusive": True,
        "lower_threshold": Decimal(70),
        "lower_inclusive": True,
        "points_satisfied": Decimal(100),
        "points_basically_satisfied": Decimal(75),
        "points_unsatisfied": Decimal(55),
        "quorum": Decimal("0.5"),
        "quorum_inclusive": False,
    },
}


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    weight: Decimal
    entitled: int
    present: int | None

    @classmethod
    def of(cls, round_group: Any) -> Group:
        """A round's voter group (a ``RoundGroup`` with its ``voter_group`` loaded)."""
        return cls(
            round_group.voter_group_id,
            round_group.voter_group.name,
            round_group.weight,
            round_group.entitled,
            round_group.present,
        )


@dataclass
class Outcome:
    counts: dict[int, dict[str, int]]  # group id -> choice/invalid/blank/denominator -> n
    valid: int
    invalid: int
    satisfied_share: Fraction
    satisfaction_rate: Fraction
    average_points: Fraction | None
    score: Fraction
    verdict: str
    rank: int | None = None
    notes: list[str] = field(default_factory=list)


def meets(value: Fraction, threshold: Decimal, inclusive: bool) -> bool:
    limit = Fraction(threshold)
    return value >= limit if inclusive else value > limit


def quorum_met(rule: Rule, groups: list[Group]) -> tuple[bool, str]:
    entitled = sum(g.entitled for g in groups)
    present = sum(g.present or 0 for g in groups)
    if entitled == 0:
        return False, _("No voter is entitled to vote in this round.")
    if meets(Fraction(present, entitled), rule.quorum, rule.quorum_inclusive):
        return True, ""
    return False, _(
        "Quorum not met: %(present)d of %(entitled)d entitled voters present, "
        "the rule needs %(need)s."
    ) % {
        "present": present,
        "entitled": entitled,
        "need": threshold_words(rule.quorum, rule.quorum_inclusive, percent=True),
    }


def evaluate(
    rule: Rule, groups: list[Group], counts: dict[int, dict[int, dict[str, int]]]
) -> dict[int, Outcome]:
    """Counts per appraisal per group (choices plus "invalid"/"blank") -> outcome per appraisal."""
    outcomes: dict[int, Outcome] = {}
    for appraisal_id, by_group in counts.items():
        weighted: dict[str, Fraction] = {
            "share": Fraction(0),
            "rate": Fraction(0),
            "avg": Fraction(0),
        }
        total_weight = Fraction(0)
        table: dict[int, dict[str, int]] = {}
        notes: list[str] = []
        valid_all = invalid_all = 0
        for g in groups:
            c = {k: by_group.get(g.id, {}).get(k, 0) for k in (*VOTE_CHOICES, "invalid", "blank")}
            valid = sum(c[k] for k in VOTE_CHOICES)
            denominator = {ENTITLED: g.entitled, PRESENT: g.present or 0, VALID: valid}[
                rule.denominator
            ]
            table[g.id] = {**c, "valid": valid, "denominator": denominator}
            valid_all += valid
            invalid_all += c["invalid"] + c["blank"]
            if denominator == 0:
                notes.append(
                    _("%(group)s: no votes to count, left out of the weighting.")
                    % {"group": g.name}
                )
                continue
            weight = Fraction(g.weight)
            total_weight += weight
            weighted["share"] += weight * Fraction(c[SATISFIED], denominator)
            weighted["rate"] += weight * Fraction(
                c[SATISFIED] + c[BASICALLY_SATISFIED], denominator
            )
            points = sum(Fraction(rule.points.get(k, 0)) * c[k] for k in VOTE_CHOICES)
            weighted["avg"] += weight * points / denominator
        if total_weight:
            share, rate, avg = (weighted[k] / total_weight for k in ("share", "rate", "avg"))
        else:
            share = rate = avg = Fraction(0)
        if rule.shape == TIERED:
            upper_measure, lower_measure, score = share, rate, share
        elif rule.shape == RATE:
            upper_measure = lower_measure = score = rate
        else:
            upper_measure = lower_measure = score = avg
        if meets(upper_measure, rule.upper, rule.upper_inclusive):
            verdict = SATISFIED
        elif meets(lower_measure, rule.lower, rule.lower_inclusive):
            verdict = BASICALLY_SATISFIED
        else:
            verdict = UNSATISFIED
        outcomes[appraisal_id] = Outcome(
            counts=table,
            valid=valid_all,
            invalid=invalid_all,
            satisfied_share=share,
            satisfaction_rate=rate,
            average_points=avg if rule.shape == POINTS else None,
            score=score,
            verdict=verdict,
            notes=notes,
        )
    rank_outcomes(outcomes)
    return outcomes


def rank_outcomes(outcomes: dict[int, Outcome]) -> None:
    """Rank by score, highest first; equal scores share a rank (1, 1, 3)."""
    ordered = sorted(outcomes.values(), key=lambda o: o.score, reverse=True)
    for index, outcome in enumerate(ordered):
        if index and outcome.score == ordered[index - 1].score:
            outcome.rank = ordered[index - 1].rank
        else:
            outcome.rank = index + 1


def percent(value: Fraction | Decimal) -> str:
    """A share as published: a percentage with two decimals, half up (50.00%)."""
    number = (
        Decimal(value.numerator) / Decimal(value.denominator)
        if isinstance(value, Fraction)
        else value
    )
    return f"{(number * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def threshold_words(value: Decimal, inclusive: bool, *, percent: bool) -> str:
    shown = f"{(value * 100).normalize():f}%" if percent else f"{value.normalize():f}"
    if inclusive:
        return _("%(value)s or more (以上, the value itself included)") % {"value": shown}
    return _("more than %(value)s (超过, the value itself excluded)") % {"value": shown}


def describe(rule: Rule, groups: list[Group]) -> list[str]:
    """The rule in words, so anyone can recompute the verdict by hand."""
    denominator = {
        ENTITLED: _("the number of entitled voters (应到)"),
        PRESENT: _("the number of voters present (实到)"),
        VALID: _("the number of valid ballots for that unit (有效票)"),
    }[rule.denominator]
    is_points = rule.shape == POINTS
    upper = threshold_words(rule.upper, rule.upper_inclusive, percent=not is_points)
    lower = threshold_words(rule.lower, rule.lower_inclusive, percent=not is_points)
    lines = []
    if rule.shape == TIERED:
        lines.append(
            _(
                "Satisfied if the “satisfied” votes are %(upper)s of %(den)s; otherwise basically "
                "satisfied if “satisfied” plus “basically satisfied” votes are %(lower)s; "
                "otherwise unsatisfied."
            )
            % {"upper": upper, "lower": lower, "den": denominator}
        )
    elif rule.shape == RATE:
        lines.append(
            _(
                "Satisfaction rate = (“satisfied” + “basically satisfied”) ÷ %(den)s. Satisfied if "
                "the rate is %(upper)s; basically satisfied if it is %(lower)s; otherwise "
                "unsatisfied."
            )
            % {"upper": upper, "lower": lower, "den": denominator}
        )
    else:
        lines.append(
            _(
                "Each vote carries points: satisfied %(s)s, basically satisfied %(b)s, unsatisfied "
                "%(u)s, “don't know” 0. Average = total points ÷ %(den)s. Satisfied if the average "
                "is %(upper)s; basically satisfied if it is %(lower)s; otherwise unsatisfied."
            )
            % {
                "s": f"{rule.points[SATISFIED].normalize():f}",
                "b": f"{rule.points[BASICALLY_SATISFIED].normalize():f}",
                "u": f"{rule.points[UNSATISFIED].normalize():f}",
                "upper": upper,
                "lower": lower,
                "den": denominator,
            }
        )
    lines.append(
        _(
            "At a value exactly on a threshold, an inclusive threshold gives the higher verdict "
            "and an exclusive one the lower."
        )
    )
    if len(groups) > 1:
        parts = "、".join(f"{g.name} {g.weight.normalize():f}" for g in groups)
        lines.append(
            _(
                "Each voter group is computed on its own and combined by weight (%(parts)s); "
                "a group with nothing to count is left out and the other weights rescaled."
            )
            % {"parts": parts}
        )
    lines.append(
        _("The round is valid only if the voters present are %(q)s of those entitled.")
        % {"q": threshold_words(rule.quorum, rule.quorum_inclusive, percent=True)}
    )
    lines.append(
        _("Units are ranked by %(measure)s, highest first; equal values share a rank.")
        % {
            "measure": {
                TIERED: _("the share of “satisfied” votes"),
                RATE: _("the satisfaction rate"),
                POINTS: _("the average points"),
            }[rule.shape]
        }
    )
    return lines
