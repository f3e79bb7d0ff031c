from typing import Any

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from appraisal import admin_groups  # noqa: F401  (the group page, permissions in Chinese)
from appraisal.admin_audit import AuditedModelAdmin
from appraisal.audit import audit_log
from appraisal.audit_labels import action_label
from appraisal.errors import DomainError, NotAllowed
from appraisal.models import (
    Appraisal,
    AuditEvent,
    Campaign,
    IssuedDocument,
    IssuingSettings,
    User,
    Voter,
    VoterGroup,
    WorkGroup,
    WorkGroupMember,
)
from appraisal.services import PRIVILEGE_FIELDS, user_privileges_guard
from appraisal.signin import services as signin_services
from appraisal.signin.documents import letters_response
from units.models import Unit, UnitTeamMember


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "phone", "is_office", "is_staff", "is_active"]
    list_filter = ["is_office", "is_staff", "is_active", "groups"]
    search_fields = ["username", "full_name", "phone"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "phone", "email")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_office", "is_staff", "is_superuser", "groups")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "phone")}),
        (None, {"fields": ("password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    actions = ["print_signin_letters"]

    @admin.action(description=_("Print sign-in letters"))
    def print_signin_letters(self, request: HttpRequest, queryset: Any) -> HttpResponse | None:
        try:
            letters = signin_services.letters_issue(
                users=list(queryset.order_by("username")),
                actor=request.user,  # type: ignore[arg-type]
            )
        except DomainError as e:
            self.message_user(request, e.message, level=messages.ERROR)
            return None
        return letters_response(request, letters)

    # Office staff are admin staff but not superusers: they must not raise themselves (or
    # anyone) to superuser, nor hand out admin or office rights, nor take over a superuser.
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [*PRIVILEGE_FIELDS, "groups"]
        return fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            user_privileges_guard(user=obj, actor=request.user)  # type: ignore[arg-type]
        except NotAllowed as e:
            raise PermissionDenied(e.message) from None
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if "groups" in form.changed_data and not request.user.is_superuser:
            raise PermissionDenied
        super().save_related(request, form, formsets, change)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """The admin's own password page bypasses ``save_model``: audit it here, in the
        same transaction (the row says that the password changed, never to what)."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                audit_log(
                    actor=request.user,  # type: ignore[arg-type]
                    action=self._action("changed"),
                    obj=self.get_object(request, unquote(id)),
                    data={"fields": ["password"]},
                )
        return response


@admin.register(Campaign)
class CampaignAdmin(AuditedModelAdmin):
    list_display = ["year", "title", "phase", "phase_changed_at"]
    list_filter = ["phase"]
    search_fields = ["title"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The phase moves only through the overview's "next phase" action, which audits it.
        return ["phase", "phase_changed_at"] if obj else ["phase_changed_at"]


class WorkGroupMemberInline(admin.TabularInline):
    model = WorkGroupMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(WorkGroup)
class WorkGroupAdmin(AuditedModelAdmin):
    list_display = ["name", "campaign"]
    list_filter = ["campaign"]
    search_fields = ["name"]
    inlines = [WorkGroupMemberInline]


@admin.register(WorkGroupMember)
class WorkGroupMemberAdmin(AuditedModelAdmin):
    list_display = ["user", "work_group", "role"]
    list_filter = ["role", "work_group__campaign", "work_group"]
    search_fields = ["user__username", "user__full_name", "work_group__name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "work_group"]


@admin.register(Appraisal)
class AppraisalAdmin(AuditedModelAdmin):
    list_display = ["unit", "campaign", "work_group", "sort_order"]
    list_filter = ["campaign", "work_group"]
    search_fields = ["unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit", "campaign", "work_group"]


class VoterInline(admin.TabularInline):
    model = Voter
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(VoterGroup)
class VoterGroupAdmin(AuditedModelAdmin):
    list_display = ["name", "campaign", "weight", "sort_order"]
    list_filter = ["campaign"]
    search_fields = ["name"]
    inlines = [VoterInline]


@admin.register(Voter)
class VoterAdmin(AuditedModelAdmin):
    list_display = ["user", "voter_group"]
    list_filter = ["voter_group__campaign", "voter_group"]
    search_fields = ["user__username", "user__full_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "voter_group"]


class ActionFilter(admin.SimpleListFilter):
    """Filter the audit log by action, listed in words."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((code, action_label(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        value = self.value()
        return queryset.filter(action=value) if value else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, for everyone."""

    list_display = ["created_at", "actor", "action_in_words", "object_repr", "campaign"]
    list_filter = [ActionFilter, "campaign"]
    search_fields = ["action", "object_repr", "actor__username", "actor__full_name"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "campaign"]

    # The detail page shows the action and the object's kind in words, not their codes.
    fields = [
        "created_at", "actor", "action_in_words", "campaign", "object_type_in_words",
        "object_id", "object_repr", "data",
    ]  # fmt: skip
    readonly_fields = ["action_in_words", "object_type_in_words"]

    @admin.display(description=_("action"), ordering="action")
    def action_in_words(self, obj: AuditEvent) -> str:
        return action_label(obj.action)

    @admin.display(description=_("object type"))
    def object_type_in_words(self, obj: AuditEvent) -> str:
        try:
            return str(apps.get_model(obj.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return obj.object_type

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# The registry of units (layer 0) is administered here: units imports nothing above it.
class UnitTeamMemberInline(admin.TabularInline):
    model = UnitTeamMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ["name", "short_name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    inlines = [UnitTeamMemberInline]


@admin.register(UnitTeamMember)
class UnitTeamMemberAdmin(AuditedModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


@admin.register(IssuingSettings)
class IssuingSettingsAdmin(AuditedModelAdmin):
    list_display = ("campaign", "letterhead", "number_pattern", "next_number")
    # The counter moves only when a document is issued: numbers are never reused.
    readonly_fields = ("next_number",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """The register of issued documents: read only, nothing is ever deleted."""

    list_display = ("number_text", "title", "date", "signatory", "issued_at")
    list_filter = ("campaign", "kind")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
