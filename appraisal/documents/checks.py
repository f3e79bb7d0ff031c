"""``manage.py check`` and ``manage.py check_fonts``: which font prints each role, and
whether every character of a sample and of the current data is covered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core import checks

from appraisal.documents import fonts


@dataclass
class RoleReport:
    role: str
    label: str
    family: str | None
    file: str | None
    licensed: bool
    missing_sample: list[str]  # the role's font lacks them; a fallback may print them
    unprintable: list[str]  # no font at all prints them


def data_text() -> Iterable[tuple[str, str]]:
    """(where, text) of what documents print from the database: names and titles."""
    from appraisal.documents.models import IssuingSettings
    from appraisal.models import Campaign, User, VoterGroup
    from units.models import Unit

    for model, fields in (
        (Campaign, ("title",)),
        (Unit, ("name",)),
        (VoterGroup, ("name",)),
        (User, ("full_name",)),
        (
            IssuingSettings,
            ("committee_name", "issuing_office", "letterhead", "signatory", "addressees"),
        ),
    ):
        for row in model.objects.values("pk", *fields).iterator():  # type: ignore[attr-defined]
            for f in fields:
                if row[f]:
                    label = f"{model._meta.verbose_name} #{row['pk']} {f}"
                    yield label, row[f]


def report(*, with_data: bool = True) -> tuple[list[RoleReport], list[tuple[str, str]]]:
    roles = []
    for role, label in fonts.ROLE_LABELS.items():
        r = fonts.resolve(role)
        licensed = r.family in fonts.configured(role) + fonts.LICENSED[role]
        roles.append(
            RoleReport(
                role=role,
                label=str(label),
                family=r.family,
                file=r.file,
                licensed=bool(licensed),
                missing_sample=fonts.role_missing(
                    role, fonts.MONO_SAMPLE if role == "mono" else fonts.SAMPLE
                )
                if r.family
                else [],
                unprintable=fonts.missing(fonts.SAMPLE + fonts.RARE_SAMPLE),
            )
        )
    bad_data: list[tuple[str, str]] = []
    if with_data:
        for where, text in data_text():
            for ch in fonts.missing(text):
                bad_data.append((where, ch))
    return roles, bad_data


@checks.register("pingyi")
def fonts_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every role has an installed font and the rare-character fallback is there."""
    out: list[checks.CheckMessage] = []
    for role in fonts.ROLE_LABELS:
        r = fonts.resolve(role)
        if r.family is None:
            out.append(
                checks.Error(
                    f"No installed font for the document role '{role}' (tried: "
                    f"{', '.join(r.families)}).",
                    hint="Install the Debian fonts listed in .ci/run or set DOCUMENT_FONTS.",
                    id="pingyi.E001",
                )
            )
    gone = fonts.missing(fonts.RARE_SAMPLE)
    if gone:
        out.append(
            checks.Warning(
                f"No installed font prints {' '.join(gone)} (CJK Extension B and rarer): "
                "a document naming such a person or place will refuse to render.",
                hint="apt-get install fonts-hanazono fonts-babelstone-han",
                id="pingyi.W001",
            )
        )
    return out
