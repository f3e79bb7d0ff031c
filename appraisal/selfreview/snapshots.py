"""What the layers above add to a self-review version when it is frozen.

The answers to forwarded findings live in ``surveys``; ``surveys`` registers a provider
here from ``AppConfig.ready()``, so ``appraisal`` never imports it. Each provider's value
is stored under its key in ``SelfReviewVersion.extra``; a provider may refuse the
submission by raising ``DomainError``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from appraisal.selfreview.models import SelfReview

SnapshotProvider = Callable[[SelfReview], Any]
_providers: dict[str, SnapshotProvider] = {}


def register(key: str, provider: SnapshotProvider) -> None:
    _providers[key] = provider


def providers() -> list[tuple[str, SnapshotProvider]]:
    return list(_providers.items())
