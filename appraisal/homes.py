"""What each app shows on the work group's and the unit's home pages, per appraisal:
counts, what needs doing (with a date when there is one) and the actions to take.

Apps register a provider here from ``AppConfig.ready()`` (as with ``stages``), so the
home pages gather from the layers above without importing them. A provider is called
once with every appraisal on the page and answers with a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from appraisal.models import Appraisal, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Count:
    label: StrOrPromise
    value: int
    url: str = ""
    attention: bool = False  # something waits for this person


@dataclass(frozen=True)
class Todo:
    text: str
    url: str = ""
    due: date | None = None


@dataclass(frozen=True)
class Action:
    title: StrOrPromise
    url: str
    primary: bool = False


@dataclass
class Panel:
    """One app's block on a home page card."""

    title: StrOrPromise
    counts: list[Count] = field(default_factory=list)
    todos: list[Todo] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    items: list[tuple[str, str, date | None]] = field(default_factory=list)  # text, url, day
    items_title: StrOrPromise = ""


Role = Literal["work_group", "unit"]
Provider = Callable[[User, Sequence[Appraisal]], dict[int, list[Panel]]]

_providers: dict[Role, list[tuple[int, Provider]]] = defaultdict(list)


def register(role: Role, provider: Provider, *, order: int = 50) -> None:
    if all(p is not provider for _o, p in _providers[role]):
        _providers[role].append((order, provider))


def panels_for(
    role: Role, user: User, appraisals: Sequence[Appraisal]
) -> list[tuple[Appraisal, list[Panel]]]:
    """Each appraisal with every app's panels for it, in registration order."""
    by_appraisal: dict[int, list[Panel]] = {a.pk: [] for a in appraisals}
    for _order, provider in sorted(_providers[role], key=lambda item: item[0]):
        for pk, panels in provider(user, appraisals).items():
            by_appraisal.setdefault(pk, []).extend(panels)
    for panels in by_appraisal.values():
        _one_main_action(panels)
    return [(a, by_appraisal[a.pk]) for a in appraisals]


def _one_main_action(panels: list[Panel]) -> None:
    """One main button per card: the first stage that asks for one keeps it (stages are
    registered in the order of the process), the others become plain."""
    seen = False
    for panel in panels:
        for i, action in enumerate(panel.actions):
            if action.primary:
                if seen:
                    panel.actions[i] = replace(action, primary=False)
                seen = True


# ---- the deputy's own page ----------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One app's block on the deputy's page, drawn by that app's own template (which may
    name that app's routes; this layer names none)."""

    template: str
    context: dict[str, Any]


DeputyProvider = Callable[[User], list[Section]]

_deputy: list[tuple[int, DeputyProvider]] = []


def register_deputy(provider: DeputyProvider, *, order: int = 50) -> None:
    """A provider answers with a fixed number of queries, [] when it has nothing."""
    if all(p is not provider for _o, p in _deputy):
        _deputy.append((order, provider))


def deputy_sections(user: User) -> list[Section]:
    out: list[Section] = []
    for _order, provider in sorted(_deputy, key=lambda item: item[0]):
        out += provider(user)
    return out
