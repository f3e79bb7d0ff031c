"""What each app contributes to the pages of layer 1: the stage columns of the office's
overview, and the links (with a count or a short status) on the appraisal page, the
overview and the home pages.

Each app registers here from ``AppConfig.ready()``, so those pages gather from the
layers above without importing them, and a layer-1 template names no route of theirs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from appraisal.models import Appraisal, Campaign, WorkGroupMember
from units.models import UnitTeamMember

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class StageStatus:
    state: str  # "todo", "progress" or "done"
    text: str


@dataclass(frozen=True)
class Stage:
    key: str
    title: StrOrPromise
    # One call for all appraisals of a campaign: a fixed number of queries, whatever their count.
    summarize: Callable[[Campaign, Sequence[Appraisal]], dict[int, StageStatus]]
    order: int = 50  # columns follow the process: preparation 10, investigation 20, scoring 40
    # The phase by whose end the stage should be done: what is still open in it is listed
    # before the office moves the campaign on.
    due_by: str = ""


_stages: dict[str, Stage] = {}


def register(stage: Stage) -> None:
    _stages[stage.key] = stage


def registered() -> list[Stage]:
    return sorted(_stages.values(), key=lambda stage: stage.order)


@dataclass(frozen=True)
class Link:
    """One way into an app from a layer-1 page: a button, or a card on a home page."""

    title: StrOrPromise
    url: str
    summary: str = ""  # a count or a short status beside the title
    heading: StrOrPromise = ""  # a home-page card's heading (else the title)
    note: StrOrPromise = ""  # a sentence saying what it is for (home-page cards)
    primary: bool = False


# The pages that gather links, and what their providers receive besides the user:
# "appraisal" the Appraisal, "campaign" the Campaign (office overview), "deputy" nothing.
Page = Literal["appraisal", "campaign", "deputy"]
# A provider answers with a fixed number of queries and returns [] for people it has
# nothing for; access stays with the views the links lead to.
LinkProvider = Callable[..., list[Link]]

_links: dict[Page, list[tuple[int, LinkProvider]]] = defaultdict(list)


def register_links(page: Page, provider: LinkProvider, *, order: int = 50) -> None:
    if all(p is not provider for _o, p in _links[page]):
        _links[page].append((order, provider))


def links_for(page: Page, user: Any, *args: Any) -> list[Link]:
    """Every registered app's links for this page and person, in registration order."""
    out: list[Link] = []
    for _order, provider in sorted(_links[page], key=lambda item: item[0]):
        out += provider(user, *args)
    return out


@dataclass(frozen=True)
class Prerequisite:
    """What an app says of one unit before a round of some kind scores it: shown on the
    round's set-up; a ``blocking`` one that is not met keeps the unit off the ballot."""

    text: str
    met: bool
    blocking: bool = False
    url: str = ""


# Called with the round's kind and the appraisals on (or offered for) its ballot; answers
# {appraisal id: Prerequisite} for those it has something to say about, in fixed queries.
PrerequisiteProvider = Callable[[int, Sequence[Appraisal]], dict[int, Prerequisite]]
_prerequisites: list[tuple[int, PrerequisiteProvider]] = []


def register_round_prerequisite(provider: PrerequisiteProvider, *, order: int = 50) -> None:
    if all(p is not provider for _o, p in _prerequisites):
        _prerequisites.append((order, provider))


def round_prerequisites(
    kind: int, appraisals: Sequence[Appraisal]
) -> dict[int, list[Prerequisite]]:
    """Every registered app's word on each appraisal for a round of ``kind``."""
    out: dict[int, list[Prerequisite]] = {a.pk: [] for a in appraisals}
    for _order, provider in sorted(_prerequisites, key=lambda item: item[0]):
        for pk, prerequisite in provider(kind, appraisals).items():
            out.setdefault(pk, []).append(prerequisite)
    return out


# Links beside each unit on a ballot (what a voter may read before scoring it). Called with
# the signed-in voter (or None), the round's id and kind, the appraisal ids on the ballot
# and the one-time code of a voter without an account (or None); answers
# {appraisal id: [Link]} in fixed queries. The pages behind them check access.
BallotLinkProvider = Callable[[Any, int, int, Sequence[int], str | None], dict[int, list[Link]]]
_ballot_links: list[tuple[int, BallotLinkProvider]] = []


def register_ballot_links(provider: BallotLinkProvider, *, order: int = 50) -> None:
    if all(p is not provider for _o, p in _ballot_links):
        _ballot_links.append((order, provider))


def ballot_links(
    user: Any, round_id: int, kind: int, appraisal_ids: Sequence[int], code: str | None = None
) -> dict[int, list[Link]]:
    out: dict[int, list[Link]] = defaultdict(list)
    for _order, provider in sorted(_ballot_links, key=lambda item: item[0]):
        for pk, links in provider(user, round_id, kind, appraisal_ids, code).items():
            out[pk] += links
    return dict(out)


@dataclass(frozen=True)
class OpenItem:
    stage: StrOrPromise
    unit: str
    text: str


def open_before_leaving(campaign: Campaign, appraisals: Sequence[Appraisal]) -> list[OpenItem]:
    """What the stages due by the campaign's current phase still have open, per unit: the
    checklist the office reads before moving the campaign on (phases do not move back)."""
    out = []
    for stage in registered():
        if stage.due_by != campaign.phase:
            continue
        summary = stage.summarize(campaign, appraisals)
        for appraisal in appraisals:
            status = summary[appraisal.pk]
            if status.state != "done":
                out.append(OpenItem(stage.title, appraisal.unit.name, status.text))
    return out


def stage_rows(
    campaign: Campaign, appraisals: Sequence[Appraisal]
) -> tuple[list[Stage], dict[int, list[tuple[Stage, StageStatus]]]]:
    """Every registered stage's status for each appraisal, keyed by appraisal id."""
    stages = registered()
    rows: dict[int, list[tuple[Stage, StageStatus]]] = {a.pk: [] for a in appraisals}
    for stage in stages:
        summary = stage.summarize(campaign, appraisals)
        for appraisal in appraisals:
            rows[appraisal.pk].append((stage, summary[appraisal.pk]))
    return stages, rows


def _preparation(campaign: Campaign, appraisals: Sequence[Appraisal]) -> dict[int, StageStatus]:
    group_ids = {a.work_group_id for a in appraisals if a.work_group_id}
    leaders: dict[int, int] = defaultdict(int)
    members: dict[int, int] = defaultdict(int)
    for row in (
        WorkGroupMember.objects.filter(work_group_id__in=group_ids)
        .values("work_group_id")
        .annotate(n=Count("id"), leaders=Count("id", filter=Q(role=WorkGroupMember.Role.LEADER)))
    ):
        members[row["work_group_id"]] = row["n"]
        leaders[row["work_group_id"]] = row["leaders"]
    teams = {
        row["unit_id"]: row
        for row in UnitTeamMember.objects.filter(unit_id__in=[a.unit_id for a in appraisals])
        .values("unit_id")
        .annotate(
            n=Count("id"),
            heads=Count("id", filter=Q(role=UnitTeamMember.Role.HEAD)),
            liaisons=Count("id", filter=Q(role=UnitTeamMember.Role.LIAISON)),
        )
    }
    result = {}
    for a in appraisals:
        team = teams.get(a.unit_id, {"n": 0, "heads": 0, "liaisons": 0})
        gid = a.work_group_id or 0
        group_ready = bool(gid and leaders[gid])
        team_ready = bool(team["heads"] and team["liaisons"])
        missing = []
        if not gid:
            missing.append(str(_("no work group")))
        elif not leaders[gid]:
            missing.append(str(_("work group has no leader")))
        if not team["heads"]:
            missing.append(str(_("unit team has no head")))
        if not team["liaisons"]:
            missing.append(str(_("unit team has no liaison")))
        if group_ready and team_ready:
            text = _("Work group of %(g)d, unit team of %(t)d") % {
                "g": members[gid],
                "t": team["n"],
            }
            result[a.pk] = StageStatus("done", text)
        else:
            state = "progress" if gid or team["n"] else "todo"
            result[a.pk] = StageStatus(state, "; ".join(missing))
    return result


def register_builtin() -> None:
    register(Stage("preparation", _("Teams formed"), _preparation, order=10, due_by="preparation"))
