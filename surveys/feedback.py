"""What becomes of a finding after the investigation: the rectification items built on
the opinion items that rest on it, as the person who raised it may see them.

The rectification layer fills this from ``AppConfig.ready()`` (as with
``appraisal.stages``), so the receipt page and a deputy's own findings show the progress
without the investigation layer importing the one above it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from surveys.findings.models import Finding


@dataclass(frozen=True)
class ProgressLine:
    """One rectification item as a raiser sees it: what it is about, its status, percent
    and closing note. Never a comment of the work group, evidence or other raisers."""

    opinion: str  # the opinion's number and item, e.g. 江人常评〔2026〕1号 第1项
    problem: str
    status: str  # the status code (for the badge's colour)
    status_label: str
    percent: int
    closed: bool
    closed_on: date | None = None
    closing_note: str = ""


# Finding ids → their lines; called once per page with every finding on it, answering with
# a fixed number of queries.
Provider = Callable[[Sequence[Finding]], dict[int, list[ProgressLine]]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def progress_for(findings: Sequence[Finding]) -> dict[int, list[ProgressLine]]:
    out: dict[int, list[ProgressLine]] = {}
    if not findings:
        return out
    for provider in _providers:
        for pk, lines in provider(findings).items():
            out.setdefault(pk, []).extend(lines)
    return out
