from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from appraisal.models import AuditEvent, Campaign, User


def audit_log(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    campaign: Campaign | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one audit row. Call it inside the transaction of the change it records.

    ``campaign`` defaults to the object's own campaign when it has one; ``at`` lets a
    caller record a coarser time than now (a vote is logged by day, not by second).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_log must run inside the transaction of the change it records")
    return AuditEvent.objects.create(
        created_at=at or timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        campaign_id=campaign.pk if campaign is not None else getattr(obj, "campaign_id", None),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        data=data or {},
    )
