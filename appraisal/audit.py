from __future__ import annotations

from typing import Any

from django.db import models, transaction

from appraisal.models import AuditEvent, Campaign, User


def audit_log(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    campaign: Campaign | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row. Call it inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_log must run inside the transaction of the change it records")
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        campaign=campaign,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        data=data or {},
    )
