"""Reads for scoring rounds: a fixed number of queries, whatever the number of ballots."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy

from appraisal import figures
from appraisal.models import Appraisal, Campaign, Choice, User, VoterGroup
from appraisal.scoring import rules
from appraisal.scoring.models import (
    Ballot,
    PaperTallyEntry,
    RollEntry,
    RoundGroup,
    RoundResult,
    ScoringRound,
    VotingCode,
)
from appraisal.stages import StageStatus
from units.models import Unit


def open_rounds_for_voter(user: User) -> QuerySet[ScoringRound]:
    """Open rounds this person is on the roll of, each marked ``has_voted``."""
    return (
        ScoringRound.objects.filter(
            state=ScoringRound.State.OPEN,
            groups__voter_group__voters__user=user,
        )
        .annotate(has_voted=Exists(RollEntry.objects.filter(round=OuterRef("pk"), user=user)))
        .select_related("campaign")
        .distinct()
    )


@dataclass(frozen=True)
class BallotDefinition:
    """What a round's ballot asks: fixed once the round opens (``round_save`` refuses then)."""

    round_id: int
    opened_at: datetime | None  # tells a cached definition from one of a later round
    title: str
    choices: tuple[str, ...]
    units: tuple[tuple[int, str], ...]  # (appraisal id, unit name), in ballot order

    @property
    def appraisal_ids(self) -> set[int]:
        return {aid for aid, _name in self.units}


def ballot_definition(round_id: int, *, refresh: bool = False) -> BallotDefinition | None:
    """The ballot of a round; cached once the round has left draft, as it can no longer
    change: casting a ballot then needs no query for it."""
    key = f"pingyi:ballot:{round_id}"
    definition: BallotDefinition | None = None if refresh else cache.get(key)
    if definition is not None:
        return definition
    round = ScoringRound.objects.filter(pk=round_id).first()
    if round is None:
        return None
    definition = BallotDefinition(
        round_id=round.pk,
        opened_at=round.opened_at,
        title=round.title,
        choices=tuple(c.value for c in round.choices),
        units=tuple(round.appraisals.order_by("sort_order", "id").values_list("id", "unit__name")),
    )
    if round.state != ScoringRound.State.DRAFT:
        cache.set(key, definition, timeout=None)
    return definition


def published_rounds(campaign: Campaign | None = None) -> QuerySet[ScoringRound]:
    rounds = ScoringRound.objects.filter(state=ScoringRound.State.PUBLISHED)
    if campaign is not None:
        rounds = rounds.filter(campaign=campaign)
    return rounds.select_related("campaign").order_by("-campaign__year", "-kind")


def published_results_for_unit(unit: Unit) -> QuerySet[RoundResult]:
    return (
        RoundResult.objects.filter(appraisal__unit=unit, round__state=ScoringRound.State.PUBLISHED)
        .select_related("round__campaign")
        .order_by("-round__campaign__year", "-round__kind")
    )


CHOICE_COLUMNS = ("satisfied", "basically_satisfied", "unsatisfied", "unknown")
# Chart colours, as SVG fill attributes: the PDF renderer does not apply page CSS inside SVG.
CHOICE_COLOURS = {
    "satisfied": "#3a7d44",
    "basically_satisfied": "#e0b13a",
    "unsatisfied": "#b5191f",
    "unknown": "#999999",
    "invalid": "#5c6470",
    "blank": "#c4c9cf",
}


SPOILT_LABELS = {"invalid": gettext_lazy("Invalid"), "blank": gettext_lazy("Blank")}


def _chart(totals: dict[str, int], labels: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """One bar per unit: every ballot returned (invalid and blank included) is its whole
    width, so a bar never looks fuller than the votes behind it."""
    returned = sum(totals.values())
    chart, x = [], Decimal(0)
    for c, n in totals.items():
        width = Decimal(n * 100) / returned if returned else Decimal(0)
        chart.append(
            {
                "choice": c,
                "label": labels[c],
                "n": n,
                "x": x,
                "width": width,
                "colour": CHOICE_COLOURS[c],
            }
        )
        x += width
    return chart, returned


def round_results(round: ScoringRound) -> dict[str, Any]:
    """Everything the results page, its exports and its PDF show, in three queries whatever
    the number of ballots (the round's groups, its results, the units' earlier results)."""
    groups = list(RoundGroup.objects.filter(round=round).select_related("voter_group"))
    results = list(
        RoundResult.objects.filter(round=round)
        .select_related("appraisal__unit")
        .order_by("rank", "appraisal__sort_order")
    )
    history: dict[int, list[RoundResult]] = defaultdict(list)
    for past in (
        RoundResult.objects.filter(
            appraisal__unit__in=[r.appraisal.unit_id for r in results],
            round__state=ScoringRound.State.PUBLISHED,
            round__void=False,
        )
        .exclude(round=round)
        .select_related("round__campaign", "appraisal")
        .order_by("-round__campaign__year", "-round__kind")
    ):
        history[past.appraisal.unit_id].append(past)
    labels = dict(Choice.choices)
    choices = [c for c in CHOICE_COLUMNS if c != "unknown" or round.allow_unknown]
    rows = []
    for r in results:
        totals = {
            c: sum(g.get(c, 0) for g in r.counts.values()) for c in (*choices, "invalid", "blank")
        }
        chart, returned = _chart(totals, {**labels, **SPOILT_LABELS})
        per_group = []
        for g in groups:
            c = r.counts.get(str(g.voter_group_id), {})
            per_group.append(
                {
                    "group": g.voter_group.name,
                    "cells": [(labels[k], c.get(k, 0)) for k in choices],
                    **c,
                }
            )
        rows.append(
            {
                "result": r,
                "unit": r.appraisal.unit,
                "totals": totals,
                "cells": [(labels[c], totals[c]) for c in choices],
                "per_group": per_group,
                "chart": chart,
                "returned": returned,
                "rate": rules.percent(r.satisfaction_rate),
                "share": rules.percent(r.satisfied_share),
                "verdict": labels.get(r.verdict, ""),
                "history": history.get(r.appraisal.unit_id, []),
            }
        )
    rule_groups = [rules.Group.of(g) for g in groups]
    return {
        "round": round,
        "campaign": round.campaign,
        "groups": groups,
        "rows": rows,
        "choices": [(c, labels[c]) for c in choices],
        "rule_lines": rules.describe(rules.Rule.of(round), rule_groups),
        "is_points": round.shape == ScoringRound.Shape.POINTS,
    }


def round_groups(round: ScoringRound) -> list[RoundGroup]:
    return list(RoundGroup.objects.filter(round=round).select_related("voter_group"))


def unused_codes(round: ScoringRound, voter_group: VoterGroup) -> QuerySet[VotingCode]:
    return VotingCode.objects.filter(round=round, voter_group=voter_group, used=False).order_by(
        "code"
    )


def my_tally(round: ScoringRound, voter_group_id: int, teller: User) -> dict[int, dict[str, int]]:
    """What this teller entered for a voter group's paper ballots, by appraisal id."""
    return {
        e.appraisal_id: e.counts()
        for e in PaperTallyEntry.objects.filter(
            round=round, voter_group_id=voter_group_id, entered_by=teller
        )
    }


def voter_on_roll(round: ScoringRound, user: User) -> bool:
    return round.groups.filter(voter_group__voters__user=user).exists()


def voter_has_voted(round: ScoringRound, user: User) -> bool:
    return RollEntry.objects.filter(round=round, user=user).exists()


def voting_code(code: str) -> VotingCode | None:
    return VotingCode.objects.filter(code=code).select_related("round").first()


def round_overview(round: ScoringRound) -> dict[str, Any]:
    appraisals = list(round.appraisals.select_related("unit").order_by("sort_order"))
    groups = list(RoundGroup.objects.filter(round=round).select_related("voter_group"))
    rule_groups = [rules.Group.of(g) for g in groups]
    return {
        "round": round,
        "campaign": round.campaign,
        "appraisals": appraisals,
        "groups": groups,
        "rule_lines": rules.describe(rules.Rule.of(round), rule_groups),
        "turnout": turnout(round) if round.state != ScoringRound.State.DRAFT else [],
        "codes": code_summary(round),
    }


def code_summary(round: ScoringRound) -> list[dict[str, Any]]:
    rows = (
        VotingCode.objects.filter(round=round)
        .values("voter_group_id", "voter_group__name")
        .annotate(n=Count("id"), used=Count("id", filter=Q(used=True)))
        .order_by("voter_group__name")
    )
    return [
        {
            "group_id": r["voter_group_id"],
            "group": r["voter_group__name"],
            "n": r["n"],
            "used": r["used"],
        }
        for r in rows
    ]


def tally_comparison(
    round: ScoringRound,
    voter_group_id: int,
    appraisals: list[Appraisal],
    columns: Sequence[str],
) -> list[dict[str, Any]]:
    """Per unit, who has entered and, once both tellers have, their numbers side by side.

    Counting is blind: until the second teller has entered, nobody sees the first
    teller's numbers (each teller sees only their own, in their form). ``state`` is
    "none" (nobody entered), "waiting" (one teller), "differs" or "confirmed".
    """
    entries: dict[int, dict[int, PaperTallyEntry]] = defaultdict(dict)
    for e in PaperTallyEntry.objects.filter(
        round=round, voter_group_id=voter_group_id
    ).select_related("entered_by"):
        entries[e.appraisal_id][e.slot] = e
    out = []
    for a in appraisals:
        first, second = entries[a.pk].get(1), entries[a.pk].get(2)
        tellers = [e.entered_by for e in (first, second) if e is not None]
        row: dict[str, Any] = {"appraisal": a, "tellers": tellers, "differs": [], "numbers": []}
        if first is None or second is None:
            row["state"] = "waiting" if tellers else "none"
        else:
            one, two = first.counts(), second.counts()
            row["numbers"] = [
                (PaperTallyEntry.count_label(k), one[k], two[k], one[k] != two[k]) for k in columns
            ]
            row["differs"] = [label for label, x, y, differ in row["numbers"] if differ]
            row["state"] = "differs" if row["differs"] else "confirmed"
        out.append(row)
    return out


def turnout(round: ScoringRound) -> list[dict[str, Any]]:
    """Per voter group: entitled, present, electronic ballots so far. Never a result."""
    cast = dict(
        Ballot.objects.filter(round=round).values_list("voter_group").annotate(n=Count("id"))
    )
    rows = []
    for rg in RoundGroup.objects.filter(round=round).select_related("voter_group"):
        n = cast.get(rg.voter_group_id, 0)
        base = rg.present or rg.entitled
        rows.append(
            {
                "group": rg.voter_group.name,
                "entitled": rg.entitled,
                "present": rg.present,
                "cast": n,
                "paper_issued": rg.paper_issued,
                "percent": round_percent(n, base),
            }
        )
    return rows


# Below this share of those present having voted, the close confirmation warns in red.
LOW_TURNOUT_PERCENT = 80


def close_turnout(round: ScoringRound) -> dict[str, Any]:
    """What the office sees before closing: per voter group, ballots cast electronically
    plus paper ballots handed out, against those present; which groups fall short."""
    rows = []
    for t in turnout(round):
        voted = t["cast"] + t["paper_issued"]
        present = t["present"] if t["present"] is not None else t["entitled"]
        share = round_percent(voted, present)
        rows.append(
            {
                **t,
                "voted": voted,
                "base": present,
                "missing": max(0, present - voted),
                "share": share,
                "low": share < LOW_TURNOUT_PERCENT,
            }
        )
    return {
        "rows": rows,
        "short": [r for r in rows if r["missing"]],
        "low": any(r["low"] for r in rows),
        "low_percent": LOW_TURNOUT_PERCENT,
    }


def round_percent(part: int, whole: int) -> int:
    """Turnout on the meeting screen: a whole percentage, never above 100."""
    return min(100, int(figures.percent(part, whole, places=0)))


def scoring_stage(campaign: Campaign, appraisals: Sequence[Appraisal]) -> dict[int, StageStatus]:
    rounds = list(
        ScoringRound.objects.filter(campaign=campaign)
        .order_by("kind", "created_at")
        .prefetch_related(Prefetch("appraisals", queryset=Appraisal.objects.only("id")))
    )
    results = {
        (r.round_id, r.appraisal_id): r
        for r in RoundResult.objects.filter(
            round__campaign=campaign, round__state=ScoringRound.State.PUBLISHED
        )
    }
    out = {}
    for a in appraisals:
        parts, state = [], "todo"
        for rnd in rounds:
            if a.pk not in {x.pk for x in rnd.appraisals.all()}:
                continue
            result = results.get((rnd.pk, a.pk))
            shown = (
                result.get_verdict_display()
                if result and result.verdict
                else rnd.get_state_display()
            )
            parts.append(f"{rnd.kind}：{shown}")
            state = "done" if rnd.state == ScoringRound.State.PUBLISHED else "progress"
        out[a.pk] = StageStatus(state, "；".join(parts) or str(gettext_lazy("not on a ballot yet")))
    return out
