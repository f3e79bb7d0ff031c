"""Limits on anonymous submissions per network address, counted in ``PublicSubmissionThrottle``.

The address is kept only as a keyed hash, in a table of its own; the findings and
responses it counts store none. ``take`` counts atomically (a conditional UPDATE), so
simultaneous requests from one address cannot all read "under the limit" and pass.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from surveys.findings.models import PublicSubmissionThrottle


def key(*parts: object) -> str:
    # A keyed hash: the table cannot be turned back into addresses.
    text = ":".join(str(p) for p in parts)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{text}".encode()).hexdigest()


def survey_link_key(survey_id: int, address: str) -> str:
    """The key of a public-link survey's answers from one address."""
    return key("survey", survey_id, address)


def this_hour() -> datetime:
    return timezone.now().replace(minute=0, second=0, microsecond=0)


def take(*, key: str, limit: int, window: datetime | None = None) -> bool:
    """Count one submission; False (and nothing counted) if the window is already full.

    Call inside the transaction that stores the submission, so a refused or failed
    submission counts nothing.
    """
    window = window or this_hour()
    PublicSubmissionThrottle.objects.bulk_create(
        [PublicSubmissionThrottle(key=key, hour=window, count=0)], ignore_conflicts=True
    )
    updated = PublicSubmissionThrottle.objects.filter(key=key, hour=window, count__lt=limit).update(
        count=F("count") + 1
    )
    return updated == 1


def reached(*, key: str, limit: int, window: datetime | None = None) -> bool:
    """Whether ``take`` would refuse now: to tell a visitor before they fill in a form."""
    return PublicSubmissionThrottle.objects.filter(
        key=key, hour=window or this_hour(), count__gte=limit
    ).exists()
