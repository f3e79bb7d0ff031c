"""Layer 1: campaigns, appraisals, work groups, people and roles, the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models import Unit, UnitTeamMember

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class User(AbstractUser):
    """Everyone who signs in: office staff, work-group members, deputies, unit teams.

    What a person may do follows from their memberships (work group, unit team,
    voter group) and the ``is_office`` flag; see ``appraisal.access``.
    """

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_office = models.BooleanField(
        _("leading-group office"),
        default=False,
        help_text=_("Staff of the leading-group office: see and run the whole campaign."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username


class Campaign(models.Model):
    """One yearly work appraisal (年度工作评议)."""

    class Phase(models.TextChoices):
        PREPARATION = "preparation", _("Preparation")
        INVESTIGATION = "investigation", _("Investigation")
        SELF_REVIEW = "self_review", _("Self-review")
        MEETING = "meeting", _("Appraisal meeting")
        OPINIONS = "opinions", _("Appraisal opinions")
        RECTIFICATION = "rectification", _("Rectification")
        SECOND_SCORING = "second_scoring", _("Second-round scoring")
        CLOSED = "closed", _("Closed")

    # Phases move forward only, one step at a time (DESIGN.md §1).
    TRANSITIONS: dict[str, str] = {
        Phase.PREPARATION: Phase.INVESTIGATION,
        Phase.INVESTIGATION: Phase.SELF_REVIEW,
        Phase.SELF_REVIEW: Phase.MEETING,
        Phase.MEETING: Phase.OPINIONS,
        Phase.OPINIONS: Phase.RECTIFICATION,
        Phase.RECTIFICATION: Phase.SECOND_SCORING,
        Phase.SECOND_SCORING: Phase.CLOSED,
    }

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=100)
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.PREPARATION
    )
    plan = models.TextField(_("implementation plan"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    phase_changed_at = models.DateTimeField(_("phase changed at"), default=timezone.now)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.title

    @property
    def next_phase(self) -> Campaign.Phase | None:
        nxt = self.TRANSITIONS.get(self.phase)
        return Campaign.Phase(nxt) if nxt else None

    @property
    def phase_index(self) -> int:
        return list(Campaign.Phase).index(Campaign.Phase(self.phase))


class WorkGroup(models.Model):
    """A work group (评议工作组): leader and members who investigate one or more appraisals."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="work_groups", verbose_name=_("campaign")
    )
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["campaign", "name"]
        verbose_name = _("work group")
        verbose_name_plural = _("work groups")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="workgroup_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class WorkGroupMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        MEMBER = "member", _("Member")

    work_group = models.ForeignKey(
        WorkGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("work group")
    )
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="work_group_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["work_group", "role", "user__username"]
        verbose_name = _("work group member")
        verbose_name_plural = _("work group members")
        constraints = [
            models.UniqueConstraint(fields=["work_group", "user"], name="workgroupmember_unique")
        ]

    def __str__(self) -> str:
        return f"{self.work_group} · {self.get_role_display()} · {self.user}"


class AppraisalQuerySet(models.QuerySet["Appraisal"]):
    def visible_to(self, user: User | AnonymousUser) -> AppraisalQuerySet:
        """The appraisals a person may open (DESIGN.md §5).

        Office: all. Work group: the appraisals its groups cover. Unit team: its
        own unit's. Everyone else: none.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_office:
            return self.all()
        in_group = WorkGroupMember.objects.filter(work_group=OuterRef("work_group"), user=user)
        in_unit = UnitTeamMember.objects.filter(unit=OuterRef("unit"), user=user)
        return self.filter(Q(Exists(in_group)) | Q(Exists(in_unit)))

    def for_work_group_member(self, user: User) -> AppraisalQuerySet:
        return self.filter(
            Exists(WorkGroupMember.objects.filter(work_group=OuterRef("work_group"), user=user))
        )

    def for_unit_member(self, user: User) -> AppraisalQuerySet:
        return self.filter(Exists(UnitTeamMember.objects.filter(unit=OuterRef("unit"), user=user)))


class Appraisal(models.Model):
    """One unit within one campaign: the hub every stage hangs on."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="appraisals", verbose_name=_("campaign")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="appraisals", verbose_name=_("unit")
    )
    work_group = models.ForeignKey(
        WorkGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appraisals",
        verbose_name=_("work group"),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AppraisalQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "sort_order", "id"]
        verbose_name = _("unit appraisal")
        verbose_name_plural = _("unit appraisals")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="appraisal_unique_unit")
        ]

    def __str__(self) -> str:
        return f"{self.campaign.year} · {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("appraisal:detail", args=[self.pk])


class VoterGroup(models.Model):
    """A group of voters with its weight in the combined score (e.g. 常委会组成人员 0.6)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="voter_groups", verbose_name=_("campaign")
    )
    name = models.CharField(_("name"), max_length=50)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=4, default=1)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["campaign", "sort_order", "name"]
        verbose_name = _("voter group")
        verbose_name_plural = _("voter groups")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="votergroup_unique_name"),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=1), name="votergroup_weight_0_1"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Voter(models.Model):
    """A person entitled to score in one campaign, in exactly one voter group."""

    voter_group = models.ForeignKey(
        VoterGroup, on_delete=models.CASCADE, related_name="voters", verbose_name=_("voter group")
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="voter_entries", verbose_name=_("user")
    )

    class Meta:
        ordering = ["voter_group", "user__username"]
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        constraints = [models.UniqueConstraint(fields=["voter_group", "user"], name="voter_unique")]

    def __str__(self) -> str:
        return f"{self.voter_group} · {self.user}"


class AuditEvent(models.Model):
    """Append-only record of every state change: who, what, when.

    Rows are written only by ``appraisal.audit.audit_log`` inside the
    transaction of the change they record; nothing updates or deletes them.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("campaign"),
    )
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data: models.JSONField[Any] = models.JSONField(
        _("data"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        # What the office reads as the admin page's title: local time, the action in words.
        from appraisal.audit_labels import action_label

        when = timezone.localtime(self.created_at)
        return f"{when:%Y-%m-%d %H:%M} {action_label(self.action)} {self.object_repr}"
