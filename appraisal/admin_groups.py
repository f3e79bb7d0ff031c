"""The admin's group page with permissions named in Chinese.

Django stores permission names in English ("Can add unit appraisal") when it creates
them; the chooser shows them as they are. Here each is labelled from its app, its
model's (translated) name and the kind of permission.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import ManyToManyField
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext, pgettext_lazy

from appraisal.admin_audit import AuditedModelAdmin

KINDS = {
    "add": pgettext_lazy("permission", "add"),
    "change": pgettext_lazy("permission", "change"),
    "delete": pgettext_lazy("permission", "delete"),
    "view": pgettext_lazy("permission", "view"),
}


def permission_label(permission: Permission) -> str:
    content_type = permission.content_type
    model = content_type.model_class()
    kind = permission.codename.split("_", 1)[0]
    if model is None or kind not in KINDS:
        return str(permission)
    app = model._meta.app_config.verbose_name
    return gettext("%(app)s | %(model)s | %(kind)s") % {
        "app": app,
        "model": model._meta.verbose_name,
        "kind": KINDS[kind],
    }


class PermissionChoice(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return permission_label(obj)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedModelAdmin, BaseGroupAdmin):
    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "permissions":
            kwargs["form_class"] = PermissionChoice
        return super().formfield_for_manytomany(db_field, request, **kwargs)
