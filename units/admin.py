from django.contrib import admin

from appraisal.admin_audit import AuditedModelAdmin
from units.models import Unit, UnitTeamMember


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
