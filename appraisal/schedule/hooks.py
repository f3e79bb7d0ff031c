"""What the layers above add to an event: surveys turns an activity event into an
investigation activity record ("record as held") and links to it once recorded.

Registered from ``AppConfig.ready()``, so this package names no route of theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from appraisal.stages import Link

# provider(user, events) -> {event id: [Link, …]}: one call for all events, fixed queries.
EventLinkProvider = Callable[[Any, Sequence[Any]], dict[int, list[Link]]]

_providers: list[EventLinkProvider] = []


def register_event_links(provider: EventLinkProvider) -> None:
    if all(p is not provider for p in _providers):
        _providers.append(provider)


def event_links(user: Any, events: Sequence[Any]) -> dict[int, list[Link]]:
    out: dict[int, list[Link]] = {e.pk: [] for e in events}
    for provider in _providers:
        for pk, links in provider(user, events).items():
            out.setdefault(pk, []).extend(links)
    return out
