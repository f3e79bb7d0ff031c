"""Layer 0: the registry of appraised bodies and their teams. Imports no other app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """An appraised body (被评议单位). Exists across campaigns."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government department")
        COURT = "court", _("Court")
        PROCURATORATE = "procuratorate", _("Procuratorate")
        SUPERVISORY = "supervisory", _("Supervisory commission")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GOVERNMENT)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("appraised unit")
        verbose_name_plural = _("appraised units")

    def __str__(self) -> str:
        return self.name


class UnitTeamMember(models.Model):
    """A person of a unit's special team (工作专班) who acts on the unit's behalf.

    A person belongs to at most one unit's team: that is what keeps a unit's
    liaison from ever seeing another unit's data.
    """

    class Role(models.TextChoices):
        HEAD = "head", _("Head (principal leader)")
        LIAISON = "liaison", _("Liaison")
        STAFF = "staff", _("Staff")

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="team", verbose_name=_("unit")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="unit_membership",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        ordering = ["unit", "role", "user__username"]
        verbose_name = _("unit team member")
        verbose_name_plural = _("unit team members")

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_role_display()} · {self.user}"
