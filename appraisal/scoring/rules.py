"""The result rule of a scoring round, evaluated exactly (DESIGN.md §3).

Pure functions over plain data, so every rule shape and every boundary can be
tested without a database. Shares are exact fractions: "exactly half" is
exactly half, and each threshold says whether it includes its own value
(以上/以下/以内) or not (超过/不满/不足).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from appraisal import figures
from appraisal.figures import half_up

SATISFIED = "satisfied"
BASICALLY_SATISFIED = "basically_satisfied"
UNSATISFIED = "unsatisfied"
UNKNOWN = "unknown"
VOTE_CHOICES = (SATISFIED, BASICALLY_SATISFIED, UNSATISFIED, UNKNOWN)

TIERED, RATE, POINTS = "tiered", "rate", "points"
ENTITLED, PRESENT, RETURNED, VALID = "entitled", "present", "returned", "valid"
HIGHER, LOWER = "higher", "lower"
# Measures a unit can be ranked by; "" is the measure the rule's shape decides by.
SHARE, RATE_MEASURE, POINTS_MEASURE = "share", "rate", "points"
# Marks a result can carry besides its verdict.
MARK_TOP, MARK_BOTTOM, MARK_UNSATISFIED = "top", "bottom", "unsatisfied_share"

Number = Fraction | Decimal | int | str

_FRACTION_TEXT = re.compile(r"^(\d{1,7}(?:\.\d{1,6})?)(%?)$|^(\d{1,6})/(\d{1,6})$")


def as_fraction(value: Number) -> Fraction:
    """An exact value from what a form, a preset or the database holds."""
    if isinstance(value, str):
        return parse_fraction(value)
    return Fraction(value)


def parse_fraction(text: str) -> Fraction:
    """ "2/3", "0.5", "50%", "85": an exact fraction. Raises ValueError otherwise."""
    cleaned = text.strip().replace("／", "/").replace("％", "%").replace("．", ".").replace(" ", "")
    m = _FRACTION_TEXT.match(cleaned)
    if m is None:
        raise ValueError(text)
    if m.group(3) is not None:
        denominator = int(m.group(4))
        if denominator == 0:
            raise ValueError(text)
        return Fraction(int(m.group(3)), denominator)
    value = Fraction(m.group(1))
    return value / 100 if m.group(2) else value


@dataclass(frozen=True)
class Rule:
    shape: str
    denominator: str
    upper: Number
    upper_inclusive: bool
    lower: Number
    lower_inclusive: bool
    quorum: Number
    quorum_inclusive: bool
    points: dict[str, Decimal] = field(default_factory=dict)
    # Which verdict wins where the "satisfied" clause and the "unsatisfied" clause both
    # claim a value on their boundary (e.g. 半数以上为满意 and 不足半数的（含半数）为不满意).
    boundary_wins: str = HIGHER
    # With the 收回票 denominator: invalid ballots leave the base, unmarked (弃权) ones stay.
    invalid_excluded: bool = False
    group_quorum: Number | None = None
    group_quorum_inclusive: bool = False
    rank_by: str = ""
    rank_tiebreak: str = ""
    mark_top: int = 0
    mark_bottom: int = 0
    unsatisfied_flag: Number | None = None
    unsatisfied_flag_inclusive: bool = True
    weights_sum_to_one: bool = False

    @classmethod
    def of(cls, round: Any) -> Rule:
        return cls(
            shape=round.shape,
            denominator=round.denominator,
            upper=as_fraction(round.upper_threshold),
            upper_inclusive=round.upper_inclusive,
            lower=as_fraction(round.lower_threshold),
            lower_inclusive=round.lower_inclusive,
            quorum=as_fraction(round.quorum),
            quorum_inclusive=round.quorum_inclusive,
            points={
                SATISFIED: round.points_satisfied,
                BASICALLY_SATISFIED: round.points_basically_satisfied,
                UNSATISFIED: round.points_unsatisfied,
                UNKNOWN: Decimal(0),
            },
            boundary_wins=round.boundary_wins,
            invalid_excluded=round.invalid_excluded,
            group_quorum=_optional(round.group_quorum),
            group_quorum_inclusive=round.group_quorum_inclusive,
            rank_by=round.rank_by,
            rank_tiebreak=round.rank_tiebreak,
            mark_top=round.mark_top,
            mark_bottom=round.mark_bottom,
            unsatisfied_flag=_optional(round.unsatisfied_flag),
            unsatisfied_flag_inclusive=round.unsatisfied_flag_inclusive,
            weights_sum_to_one=round.weights_sum_to_one,
        )

    @property
    def measure(self) -> str:
        """The measure the verdict is decided by (and units ranked by, unless set)."""
        return {TIERED: SHARE, RATE: RATE_MEASURE, POINTS: POINTS_MEASURE}[self.shape]


def _optional(value: Number | None) -> Fraction | None:
    return None if value in (None, "") else as_fraction(value)  # type: ignore[arg-type]


# Presets for the rule shapes seen in published local rules; the office can adjust each.
# 半数以上 includes half, 过半数 / 超过半数 exclude it (民法典 第1259条).
PRESETS: dict[str, dict[str, Any]] = {
    "tiered_half": {
        "shape": TIERED,
        "denominator": PRESENT,
        "upper_threshold": Fraction(1, 2),
        "upper_inclusive": True,
        "lower_threshold": Fraction(1, 2),
        "lower_inclusive": True,
        "quorum": Fraction(1, 2),
        "quorum_inclusive": False,
    },
    "tiered_over_half": {
        "shape": TIERED,
        "denominator": PRESENT,
        "upper_threshold": Fraction(1, 2),
        "upper_inclusive": False,
        "lower_threshold": Fraction(1, 2),
        "lower_inclusive": False,
        "quorum": Fraction(1, 2),
        "quorum_inclusive": False,
    },
    "rate_80_60": {
        "shape": RATE,
        "denominator": VALID,
        "upper_threshold": Fraction(4, 5),
        "upper_inclusive": True,
        "lower_threshold": Fraction(3, 5),
        "lower_inclusive": True,
        "quorum": Fraction(1, 2),
        "quorum_inclusive": False,
    },
    "points_100_75_55": {
        "shape": POINTS,
        "denominator": VALID,
        "upper_threshold": Fraction(85),
        "upper_inclusive": True,
        "lower_threshold": Fraction(70),
        "lower_inclusive": True,
        "points_satisfied": Decimal(100),
        "points_basically_satisfied": Decimal(75),
        "points_unsatisfied": Decimal(55),
        "quorum": Fraction(1, 2),
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
    verdict: str  # "" when nothing is left to count
    rank: int | None = None
    notes: list[str] = field(default_factory=list)
    unsatisfied_share: Fraction = Fraction(0)
    points: Fraction = Fraction(0)  # the average points, whatever the shape
    marks: list[str] = field(default_factory=list)

    def measure(self, name: str) -> Fraction:
        return {
            SHARE: self.satisfied_share,
            RATE_MEASURE: self.satisfaction_rate,
            POINTS_MEASURE: self.points,
        }[name]


def meets(value: Fraction, threshold: Number, inclusive: bool) -> bool:
    limit = as_fraction(threshold)
    return value >= limit if inclusive else value > limit


def quorum_met(rule: Rule, groups: list[Group]) -> tuple[bool, str]:
    entitled = sum(g.entitled for g in groups)
    present = sum(g.present or 0 for g in groups)
    if entitled == 0:
        return False, _("No voter is entitled to vote in this round.")
    if not meets(Fraction(present, entitled), rule.quorum, rule.quorum_inclusive):
        return False, _(
            "Quorum not met: %(present)d of %(entitled)d entitled voters present, "
            "the rule needs %(need)s."
        ) % {
            "present": present,
            "entitled": entitled,
            "need": threshold_words(rule.quorum, rule.quorum_inclusive, percent=True),
        }
    if rule.group_quorum is not None:
        for g in groups:
            if g.entitled and not meets(
                Fraction(g.present or 0, g.entitled), rule.group_quorum, rule.group_quorum_inclusive
            ):
                return False, _(
                    "Quorum of %(group)s not met: %(present)d of %(entitled)d present, "
                    "the rule needs %(need)s in every voter group."
                ) % {
                    "group": g.name,
                    "present": g.present or 0,
                    "entitled": g.entitled,
                    "need": threshold_words(
                        rule.group_quorum, rule.group_quorum_inclusive, percent=True
                    ),
                }
    return True, ""


def _base(rule: Rule, g: Group, c: dict[str, int], valid: int) -> int:
    if rule.denominator == ENTITLED:
        return g.entitled
    if rule.denominator == PRESENT:
        return g.present or 0
    if rule.denominator == RETURNED:
        return valid + c["blank"] + (0 if rule.invalid_excluded else c["invalid"])
    return valid


def _verdict(rule: Rule, upper_measure: Fraction, lower_measure: Fraction) -> str:
    satisfied = meets(upper_measure, rule.upper, rule.upper_inclusive)
    basically = meets(lower_measure, rule.lower, rule.lower_inclusive)
    if satisfied and not basically:
        # Both the "satisfied" clause and the "unsatisfied" clause claim this value.
        return SATISFIED if rule.boundary_wins == HIGHER else UNSATISFIED
    if satisfied:
        return SATISFIED
    return BASICALLY_SATISFIED if basically else UNSATISFIED


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
            "unsatisfied": Fraction(0),
        }
        total_weight = Fraction(0)
        table: dict[int, dict[str, int]] = {}
        notes: list[str] = []
        valid_all = invalid_all = 0
        for g in groups:
            c = {k: by_group.get(g.id, {}).get(k, 0) for k in (*VOTE_CHOICES, "invalid", "blank")}
            valid = sum(c[k] for k in VOTE_CHOICES)
            denominator = _base(rule, g, c, valid)
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
            weighted["unsatisfied"] += weight * Fraction(c[UNSATISFIED], denominator)
            points = sum(Fraction(rule.points.get(k, 0)) * c[k] for k in VOTE_CHOICES)
            weighted["avg"] += weight * points / denominator
        if total_weight:
            share, rate, avg, unsatisfied = (
                weighted[k] / total_weight for k in ("share", "rate", "avg", "unsatisfied")
            )
        else:
            share = rate = avg = unsatisfied = Fraction(0)
        if rule.shape == TIERED:
            upper_measure, lower_measure, score = share, rate, share
        elif rule.shape == RATE:
            upper_measure = lower_measure = score = rate
        else:
            upper_measure = lower_measure = score = avg
        marks: list[str] = []
        if valid_all == 0:
            verdict = ""
            notes.append(_("No valid ballot to count: no verdict and no rank."))
        else:
            verdict = _verdict(rule, upper_measure, lower_measure)
            if rule.unsatisfied_flag is not None and meets(
                unsatisfied, rule.unsatisfied_flag, rule.unsatisfied_flag_inclusive
            ):
                marks.append(MARK_UNSATISFIED)
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
            unsatisfied_share=unsatisfied,
            points=avg,
            marks=marks,
        )
    rank_outcomes(outcomes, rule)
    return outcomes


def rank_outcomes(outcomes: dict[int, Outcome], rule: Rule | None = None) -> None:
    """Rank by the rule's measure (then its tie-break), highest first; equal values share a
    rank (1, 1, 3). A unit without a verdict gets no rank. Marks the top and bottom N."""
    primary = (rule.rank_by if rule else "") or (rule.measure if rule else "")
    tiebreak = rule.rank_tiebreak if rule else ""

    def key(o: Outcome) -> tuple[Fraction, ...]:
        first = o.measure(primary) if primary else o.score
        return (first, o.measure(tiebreak)) if tiebreak else (first,)

    ranked = [o for o in outcomes.values() if o.verdict]
    ordered = sorted(ranked, key=key, reverse=True)
    for index, outcome in enumerate(ordered):
        if index and key(outcome) == key(ordered[index - 1]):
            outcome.rank = ordered[index - 1].rank
        else:
            outcome.rank = index + 1
    for outcome in outcomes.values():
        if not outcome.verdict:
            outcome.rank = None
    if rule is None:
        return
    for outcome in ordered:
        assert outcome.rank is not None
        # Bottom N: fewer than N units are strictly below it.
        below = sum(1 for o in ordered if key(o) < key(outcome))
        if rule.mark_top and outcome.rank <= rule.mark_top:
            outcome.marks.append(MARK_TOP)
        elif rule.mark_bottom and below < rule.mark_bottom:
            outcome.marks.append(MARK_BOTTOM)


def percent(value: Fraction | Decimal | int) -> str:
    """A share as published: a percentage with two decimals, rounded once, half up (50.00%)."""
    return f"{figures.percent(value)}%"


def points_display(value: Fraction | Decimal | int | None) -> str:
    """Average points as published: two decimals, rounded once, half up."""
    return "" if value is None else str(half_up(Fraction(value), 2))


_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (三, 十二, 二十); larger numbers in digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if not tens:
        return _CN_DIGITS[ones]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def fraction_words(value: Number, *, percent: bool) -> str:
    """A threshold as a committee writes it: 50%, 三分之二 (2/3), 85."""
    exact = as_fraction(value)
    scaled = exact * 100 if percent else exact
    if (scaled * 100).denominator == 1:  # at most two decimals: exact as written
        shown = f"{Decimal(scaled.numerator) / Decimal(scaled.denominator):f}"
        if "." in shown:
            shown = shown.rstrip("0").rstrip(".")
        return f"{shown}%" if percent else shown
    words = f"{chinese_number(exact.denominator)}分之{chinese_number(exact.numerator)}"
    return f"{exact.numerator}/{exact.denominator}（{words}）"


def threshold_words(value: Number, inclusive: bool, *, percent: bool) -> str:
    shown = fraction_words(value, percent=percent)
    if inclusive:
        return _("%(value)s or more (以上, the value itself included)") % {"value": shown}
    return _("more than %(value)s (超过, the value itself excluded)") % {"value": shown}


def measure_words(measure: str) -> str:
    return {
        SHARE: _("the share of “satisfied” votes"),
        RATE_MEASURE: _("the satisfaction rate"),
        POINTS_MEASURE: _("the average points"),
    }[measure]


def weights_words(groups: Iterable[Group], *, must_sum_to_one: bool) -> str:
    groups = list(groups)
    parts = "、".join(f"{g.name} {g.weight.normalize():f}" for g in groups)
    total = sum((Fraction(g.weight) for g in groups), Fraction(0))
    if total == 1:
        text = _(
            "Each voter group is computed on its own and combined by weight (%(parts)s; the "
            "weights sum to 1): combined value = Σ weight × group value."
        ) % {"parts": parts}
    else:
        text = _(
            "Each voter group is computed on its own and combined by weight (%(parts)s). The "
            "weights sum to %(total)s, not 1, so combined value = Σ (weight × group value) ÷ "
            "Σ weight."
        ) % {"parts": parts, "total": fraction_words(total, percent=False)}
    text += " " + _("A group with nothing to count is left out and the other weights rescaled.")
    if must_sum_to_one:
        text += " " + _("The rule requires the weights to sum to 1.")
    return text


def describe(rule: Rule, groups: list[Group]) -> list[str]:
    """The rule in words, so anyone can recompute the verdict by hand."""
    denominator = {
        ENTITLED: _("the number of entitled voters (应到)"),
        PRESENT: _("the number of voters present (实到)"),
        RETURNED: (
            _(
                "the ballots returned for that unit (收回票), unmarked (弃权) ballots included "
                "and invalid ones left out"
            )
            if rule.invalid_excluded
            else _("the ballots returned for that unit (收回票), invalid and unmarked included")
        ),
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
    if as_fraction(rule.upper) <= as_fraction(rule.lower):
        # Only then can one value meet the "satisfied" clause and fail "basically satisfied".
        lines.append(
            _(
                "Where the clause for “satisfied” and the clause for “unsatisfied” both claim "
                "the same value, the higher verdict (satisfied) wins."
            )
            if rule.boundary_wins == HIGHER
            else _(
                "Where the clause for “satisfied” and the clause for “unsatisfied” both claim "
                "the same value, the lower verdict (unsatisfied) wins."
            )
        )
    if len(groups) > 1:
        lines.append(weights_words(groups, must_sum_to_one=rule.weights_sum_to_one))
    lines.append(
        _("The round is valid only if the voters present are %(q)s of those entitled.")
        % {"q": threshold_words(rule.quorum, rule.quorum_inclusive, percent=True)}
    )
    if rule.group_quorum is not None:
        lines.append(
            _("Each voter group must also have %(q)s of its entitled voters present.")
            % {"q": threshold_words(rule.group_quorum, rule.group_quorum_inclusive, percent=True)}
        )
    lines.append(_("A unit with no valid ballot gets no verdict and no rank."))
    primary = rule.rank_by or rule.measure
    ranking = _("Units are ranked by %(measure)s, highest first") % {
        "measure": measure_words(primary)
    }
    if rule.rank_tiebreak:
        ranking += _("; at equal values, by %(measure)s") % {
            "measure": measure_words(rule.rank_tiebreak)
        }
    lines.append(ranking + _("; units still equal share a rank."))
    if rule.mark_top:
        lines.append(_("The top %(n)d are marked.") % {"n": rule.mark_top})
    if rule.mark_bottom:
        lines.append(_("The bottom %(n)d are marked.") % {"n": rule.mark_bottom})
    if rule.unsatisfied_flag is not None:
        lines.append(
            _(
                "A unit whose “unsatisfied” votes are %(q)s of %(den)s is flagged, whatever its "
                "verdict."
            )
            % {
                "q": threshold_words(
                    rule.unsatisfied_flag, rule.unsatisfied_flag_inclusive, percent=True
                ),
                "den": denominator,
            }
        )
    return lines
