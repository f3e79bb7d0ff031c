"""Admin changes are state changes too: each save, delete (one by one or as the bulk
action), inline change and password change writes its audit row in the same transaction.

Every model admin of the project derives from ``AuditedModelAdmin``; they all live in
``appraisal.admin``, the units' too, since ``units`` imports nothing above it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import ModelForm
from django.http import HttpRequest

from appraisal.audit import audit_log


def _campaign_of(obj: models.Model) -> Any:
    for attr in ("campaign", "work_group", "voter_group"):
        target = getattr(obj, attr, None)
        if target is not None:
            return target if attr == "campaign" else getattr(target, "campaign", None)
    return None


class AuditedModelAdmin(admin.ModelAdmin):
    def _action(self, verb: str) -> str:
        return f"admin.{self.model._meta.label_lower}.{verb}"

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_log(
                actor=request.user,  # type: ignore[arg-type]
                action=self._action("changed" if change else "created"),
                obj=obj,
                campaign=_campaign_of(obj),
                data={"fields": sorted(form.changed_data)},
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_log(
                actor=request.user,  # type: ignore[arg-type]
                action=self._action("deleted"),
                obj=obj,
                campaign=_campaign_of(obj),
            )
            super().delete_model(request, obj)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        # Inline rows (a work group's members, a unit's team) are role changes.
        for formset in formsets:
            changes = {
                "created": [str(o) for o in formset.new_objects],
                "changed": [str(o) for o, _fields in formset.changed_objects],
                "deleted": [str(o) for o in formset.deleted_objects],
            }
            if any(changes.values()):
                audit_log(
                    actor=request.user,  # type: ignore[arg-type]
                    action=f"admin.{formset.model._meta.label_lower}.changed",
                    obj=form.instance,
                    campaign=_campaign_of(form.instance),
                    data=changes,
                )

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)
