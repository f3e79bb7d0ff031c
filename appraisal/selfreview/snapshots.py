"""What the layers above add to a self-review version when it is frozen.

The answers to forwarded findings live in ``surveys``; ``surveys`` registers a provider
here from ``AppConfig.ready()``, so ``appraisal`` never imports it. Each provider's value
is stored under its key in ``SelfReviewVersion.extra`` and is part of what the unit
head approves (``SelfReview.digest``): changing an answer voids the approval as editing
the text does. A provider's ``missing`` check says what still stops the submission, so
the page can show it before anyone clicks; a provider may also refuse the submission by
raising ``DomainError``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from appraisal.selfreview.models import SelfReview


@dataclass(frozen=True)
class Missing:
    """Something a submission still needs, with where to do it."""

    message: str
    url: str = ""
    link_text: str = ""


SnapshotProvider = Callable[[SelfReview], Any]
MissingCheck = Callable[[SelfReview], list[Missing]]
_providers: dict[str, SnapshotProvider] = {}
_checks: dict[str, MissingCheck] = {}


def register(key: str, provider: SnapshotProvider, *, missing: MissingCheck | None = None) -> None:
    _providers[key] = provider
    if missing is not None:
        _checks[key] = missing


def providers() -> list[tuple[str, SnapshotProvider]]:
    return list(_providers.items())


def collect(review: SelfReview) -> dict[str, Any]:
    """Every provider's value as it stands now."""
    return {key: provider(review) for key, provider in _providers.items()}


def missing(review: SelfReview) -> list[Missing]:
    """What the layers above still need before the self-review can be submitted."""
    return [item for check in _checks.values() for item in check(review)]
