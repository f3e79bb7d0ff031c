"""Reads for scoring rounds: a fixed number of queries, whatever the number of ballots."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from appraisal import figures
from appraisal.models import Appraisal, Campaign, Choice, User, Voter, VoterGroup
from appraisal.scoring import rules
from appraisal.scoring.models import (
    Ballot,
    PaperTally,
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
    kind: int = ScoringRound.Kind.FIRST

    @property
    def appraisal_ids(self) -> set[int]:
        return {aid for aid, _name in self.units}


def appraisals_of(campaign: Campaign) -> list[Appraisal]:
    """The campaign's appraisals, with their units, as a round's set-up offers them."""
    return list(Appraisal.objects.filter(campaign=campaign).select_related("unit"))


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
        kind=round.kind,
    )
    if round.state != ScoringRound.State.DRAFT:
        cache.set(key, definition, timeout=None)
    return definition


def published_rounds(campaign: Campaign | None = None) -> QuerySet[ScoringRound]:
    rounds = ScoringRound.objects.filter(state=ScoringRound.State.PUBLISHED)
    if campaign is not None:
        rounds = rounds.filter(campaign=campaign)
    return rounds.select_related("campaign").order_by("-campaign__year", "-kind")


def published_results_for_unit(unit: Unit) -> list[RoundResult]:
    """The unit's published results, newest first; a second failure carries
    ``previous_failure``, the result it follows (see ``second_failures``)."""
    results = list(
        RoundResult.objects.filter(appraisal__unit=unit, round__state=ScoringRound.State.PUBLISHED)
        .select_related("round__campaign")
        .order_by("-round__campaign__year", "-round__kind", "-round__created_at")
    )
    pairs = second_failures([unit.pk]).get(unit.pk, [])
    previous = {current.pk: prev for prev, current in pairs}
    for r in results:
        prev = previous.get(r.pk)
        r.previous_failure = prev  # type: ignore[attr-defined]
        r.failure_pair = (prev, r) if prev else None  # type: ignore[attr-defined]
    return results


def _follows(prev: RoundResult, current: RoundResult) -> bool:
    """Whether ``current`` is the next scoring after ``prev``: a later round of the same
    campaign, or the next year's."""
    a, b = prev.round.campaign, current.round.campaign
    return (a.pk == b.pk and prev.round.kind < current.round.kind) or b.year == a.year + 1


def second_failures(
    unit_ids: Sequence[int], *, including: ScoringRound | None = None
) -> dict[int, list[tuple[RoundResult, RoundResult]]]:
    """Per unit, each (earlier, later) pair of consecutive results that are both
    "unsatisfied": round 2 after round 1, or two years running. Counts published, valid
    rounds, and ``including`` (a closed round the office is looking at). One query."""
    counted = Q(round__state=ScoringRound.State.PUBLISHED, round__void=False)
    if including is not None:
        counted |= Q(round=including)
    return failure_pairs(
        RoundResult.objects.filter(counted, appraisal__unit__in=unit_ids)
        .select_related("round__campaign", "appraisal")
        .order_by("round__campaign__year", "round__kind", "round__created_at")
    )


def failure_pairs(
    results: Iterable[RoundResult],
) -> dict[int, list[tuple[RoundResult, RoundResult]]]:
    """The pairing of ``second_failures`` over results in order (year, round)."""
    history: dict[int, list[RoundResult]] = defaultdict(list)
    for r in results:
        if r.round.state == ScoringRound.State.PUBLISHED and r.round.void:
            continue
        history[r.appraisal.unit_id].append(r)
    out: dict[int, list[tuple[RoundResult, RoundResult]]] = {}
    for unit_id, ordered in history.items():
        pairs = [
            (prev, current)
            for prev, current in pairwise(ordered)
            if prev.verdict == current.verdict == Choice.UNSATISFIED and _follows(prev, current)
        ]
        if pairs:
            out[unit_id] = pairs
    return out


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
    failures = second_failures([r.appraisal.unit_id for r in results], including=round)
    rows: list[dict[str, Any]] = []
    for r in results:
        r.round = round  # the score display needs the round's shape: no query per row
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
        second = [
            pair for pair in failures.get(r.appraisal.unit_id, []) if pair[1].round_id == round.pk
        ]
        rows.append(
            {
                "result": r,
                "unit": r.appraisal.unit,
                "totals": totals,
                "cells": [(labels[c], totals[c]) for c in choices],
                "per_group": per_group,
                "chart": chart,
                "returned": returned,
                # With no valid ballot there is no figure to show: "—", never 0.00.
                **(
                    dict.fromkeys(("rate", "share", "unsatisfied", "points", "score"), "—")
                    if not r.valid
                    else {
                        "rate": rules.percent(r.satisfaction_rate),
                        "share": rules.percent(r.satisfied_share),
                        "unsatisfied": rules.percent(r.unsatisfied_share),
                        "points": rules.points_display(r.average_points),
                        "score": r.score_display,
                    }
                ),
                "verdict": labels.get(r.verdict, ""),
                "marks": [{"key": m, "label": _mark_label(m, round, r)} for m in r.marks],
                # (earlier, this round) when the unit is unsatisfied again
                "second_failure": second[0] if second else None,
                "history": history.get(r.appraisal.unit_id, []),
            }
        )
    comparison = comparison_labels(round)
    for row in rows:
        earlier = compared(round, history.get(row["unit"].pk, [])) if comparison else []
        row["comparison"] = earlier
        row["compared"] = list(zip(comparison, earlier, strict=True))
    rule_groups = [rules.Group.of(g) for g in groups]
    return {
        "comparison": comparison,
        "round": round,
        "campaign": round.campaign,
        "groups": groups,
        "rows": rows,
        "choices": [(c, labels[c]) for c in choices],
        "rule_lines": rules.describe(rules.Rule.of(round), rule_groups),
        "is_points": round.shape == ScoringRound.Shape.POINTS,
    }


def comparison_labels(round: ScoringRound) -> list[str]:
    """A second round's results stand beside the same campaign's first round and last
    year's result (the columns of the page, the workbook and the 通报)."""
    if round.kind != ScoringRound.Kind.SECOND:
        return []
    return [
        gettext("First round"),
        gettext("%(year)d result") % {"year": round.campaign.year - 1},
    ]


def compared(round: ScoringRound, history: list[RoundResult]) -> list[dict[str, str] | None]:
    """The unit's first-round result of this campaign and its last result of last year,
    from its published history (newest first): verdict and figure, or None."""
    first = next(
        (
            p
            for p in history
            if p.round.campaign_id == round.campaign_id and p.round.kind == ScoringRound.Kind.FIRST
        ),
        None,
    )
    last_year = next((p for p in history if p.round.campaign.year == round.campaign.year - 1), None)
    out: list[dict[str, str] | None] = []
    for past in (first, last_year):
        if past is None:
            out.append(None)
            continue
        verdict = past.get_verdict_display() if past.verdict else gettext("no verdict")
        figure = past.score_display if past.valid else "—"
        out.append(
            {
                "key": past.verdict,
                "verdict": str(verdict),
                "figure": figure,
                "text": f"{verdict}（{figure}）",
            }
        )
    return out


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


def _mark_label(mark: str, round: ScoringRound, result: RoundResult) -> str:
    if mark == rules.MARK_TOP:
        return gettext("top %(n)d") % {"n": round.mark_top}
    if mark == rules.MARK_BOTTOM:
        return gettext("bottom %(n)d") % {"n": round.mark_bottom}
    return gettext("“unsatisfied” votes %(share)s") % {
        "share": rules.percent(result.unsatisfied_share)
    }


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


def electronic_ballots_by_group(round: ScoringRound) -> dict[int, int]:
    """Electronic ballots per voter group id. While the round is open the ballots are
    sealed, so they are counted from the roll (each voter's group) and the used codes."""
    if round.has_results:
        return dict(
            Ballot.objects.filter(round=round).values_list("voter_group").annotate(n=Count("id"))
        )
    return dict(electronic_by_group(round))


def turnout(round: ScoringRound) -> list[dict[str, Any]]:
    """Per voter group: entitled, present, electronic ballots so far. Never a result."""
    cast = electronic_ballots_by_group(round)
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
    # Every published result of these units, all years: this campaign's verdicts and the
    # history that tells a second failure, in one query.
    published = list(
        RoundResult.objects.filter(
            appraisal__unit__in=[a.unit_id for a in appraisals],
            round__state=ScoringRound.State.PUBLISHED,
        )
        .select_related("round__campaign", "appraisal")
        .order_by("round__campaign__year", "round__kind", "round__created_at")
    )
    results = {(r.round_id, r.appraisal_id): r for r in published}
    failures = failure_pairs(published)
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
        failed_again = [
            (prev, current)
            for prev, current in failures.get(a.unit_id, [])
            if current.round.campaign_id == campaign.pk
        ]
        if failed_again:
            prev, current = failed_again[-1]
            state = "alert"
            parts.append(
                str(
                    gettext_lazy(
                        "unsatisfied again: %(before)s %(before_rate)s, then %(now)s %(now_rate)s"
                    )
                )
                % {
                    "before": f"{prev.round.campaign.year} {prev.round.title}",
                    "before_rate": prev.score_display,
                    "now": f"{current.round.campaign.year} {current.round.title}",
                    "now_rate": current.score_display,
                }
            )
        out[a.pk] = StageStatus(state, "；".join(parts) or str(gettext_lazy("not on a ballot yet")))
    return out


# ---- reconciliation: ballots never outnumber voters ------------------------------------


def accounts_voted_by_group(round: ScoringRound) -> dict[int, int]:
    """Per voter group, how many have voted by account so far (the roll, not the ballots)."""
    return dict(
        Voter.objects.filter(
            voter_group__in=RoundGroup.objects.filter(round=round).values("voter_group"),
            user__in=RollEntry.objects.filter(round=round).values("user"),
        )
        .values_list("voter_group")
        .annotate(n=Count("id"))
    )


def electronic_by_group(round: ScoringRound) -> dict[int, int]:
    """Per voter group, how many have voted electronically: by account or with a code.
    From who voted, never from the ballots, so it holds while the round is open."""
    out: dict[int, int] = defaultdict(int, accounts_voted_by_group(round))
    for group_id, n in (
        VotingCode.objects.filter(round=round, used=True)
        .values_list("voter_group")
        .annotate(n=Count("id"))
    ):
        out[group_id] += n
    return out


def codes_by_group(round: ScoringRound) -> dict[int, int]:
    return dict(
        VotingCode.objects.filter(round=round).values_list("voter_group").annotate(n=Count("id"))
    )


def code_room(round: ScoringRound, rg: RoundGroup) -> int | None:
    """How many more codes a voter group can have: those present, less the paper ballots
    issued, those who have voted by account, and the codes already made. None until the
    attendance is recorded."""
    if rg.present is None:
        return None
    by_account = accounts_voted_by_group(round).get(rg.voter_group_id, 0)
    made = VotingCode.objects.filter(round=round, voter_group=rg.voter_group_id).count()
    return max(0, rg.present - rg.paper_issued - by_account - made)


def void_paper(round: ScoringRound) -> list[str]:
    """Voter groups whose paper count is void: more ballots returned than issued."""
    groups = list(RoundGroup.objects.filter(round=round).select_related("voter_group"))
    counted: dict[int, int] = {}
    for tally in PaperTally.objects.filter(round=round):
        counted[tally.voter_group_id] = max(counted.get(tally.voter_group_id, 0), tally.returned)
    out = []
    for rg in groups:
        returned = max(rg.paper_returned or 0, counted.get(rg.voter_group_id, 0))
        if returned > rg.paper_issued:
            out.append(
                _(
                    "%(group)s: %(returned)d paper ballots returned but %(issued)d issued, so "
                    "its paper count is void."
                )
                % {"group": rg.voter_group.name, "returned": returned, "issued": rg.paper_issued}
            )
    return out


def over_present(round: ScoringRound) -> list[str]:
    """Voter groups with more ballots (electronic plus paper) than voters present."""
    electronic = dict(
        Ballot.objects.filter(round=round).values_list("voter_group").annotate(n=Count("id"))
    )
    paper: dict[int, int] = {}
    for tally in PaperTally.objects.filter(round=round):
        paper[tally.voter_group_id] = max(paper.get(tally.voter_group_id, 0), tally.returned)
    out = []
    for rg in RoundGroup.objects.filter(round=round).select_related("voter_group"):
        e = electronic.get(rg.voter_group_id, 0)
        p = max(rg.paper_returned or 0, paper.get(rg.voter_group_id, 0))
        if rg.present is not None and e + p > rg.present:
            out.append(
                _(
                    "%(group)s: %(electronic)d electronic and %(paper)d paper ballots, more "
                    "than the %(present)d present."
                )
                % {"group": rg.voter_group.name, "electronic": e, "paper": p, "present": rg.present}
            )
    return out


def paper_uncounted(round: ScoringRound) -> list[str]:
    """Voter groups given paper ballots whose count is not complete: nothing counted (after
    a recount, say), or a unit without two agreeing tellers' entries."""
    units = dict(round.appraisals.values_list("pk", "unit__name"))
    entries: dict[tuple[int, int], list[PaperTallyEntry]] = defaultdict(list)
    for e in PaperTallyEntry.objects.filter(round=round):
        entries[(e.voter_group_id, e.appraisal_id)].append(e)
    out = []
    for rg in RoundGroup.objects.filter(round=round).select_related("voter_group"):
        if not rg.paper_issued:
            continue
        entered = any(g == rg.voter_group_id for g, _pk in entries)
        if rg.paper_returned is None and not entered:
            out.append(
                _(
                    "%(group)s: %(issued)d paper ballots were issued but none are counted. "
                    "Record the number returned (0 if none came back) and enter the tallies."
                )
                % {"group": rg.voter_group.name, "issued": rg.paper_issued}
            )
            continue
        if rg.paper_returned == 0 and not entered:
            continue
        missing = [
            name
            for pk, name in units.items()
            if len(pair := entries.get((rg.voter_group_id, pk), [])) != 2
            or pair[0].counts() != pair[1].counts()
        ]
        if missing:
            out.append(
                _("%(group)s: the two tellers' paper counts do not agree yet for %(units)s.")
                % {"group": rg.voter_group.name, "units": "、".join(missing)}
            )
    return out


def publication_blockers(round: ScoringRound) -> list[str]:
    """Why a closed round's results cannot be published yet (empty when they can)."""
    out = over_present(round) + paper_uncounted(round)
    void = void_paper(round)
    if void and not round.void_paper_voids_round:
        out += void
        out.append(
            _(
                "Count that group's paper ballots again, or let it vote again on paper "
                "(counted again on the tally page), before publishing."
            )
        )
    return out


def code_rooms(round: ScoringRound) -> list[dict[str, Any]]:
    """Per voter group, for the slip screen: how many of its roll vote by account, how many
    have so far, the codes made and how many more can be made."""
    accounts = dict(
        Voter.objects.filter(voter_group__in=round.groups.values("voter_group"))
        .values_list("voter_group")
        .annotate(n=Count("id"))
    )
    voted = accounts_voted_by_group(round)
    codes = codes_by_group(round)
    rows = []
    for rg in RoundGroup.objects.filter(round=round).select_related("voter_group"):
        rows.append(
            {
                "group": rg.voter_group.name,
                "present": rg.present,
                "paper_issued": rg.paper_issued,
                "accounts": accounts.get(rg.voter_group_id, 0),
                "voted_by_account": voted.get(rg.voter_group_id, 0),
                "codes": codes.get(rg.voter_group_id, 0),
                "room": code_room(round, rg),
            }
        )
    return rows
