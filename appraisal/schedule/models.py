"""The campaign's implementation plan (实施方案), its planned phase dates, the schedule
of events (日程) and each person's secret calendar-feed address.

An unannounced visit (明察暗访) is seen by the office and the work group of its
appraisal only: the database refuses one addressed to anyone else or to no appraisal.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from appraisal.models.core import Appraisal, Campaign, User, Voter, WorkGroupMember
from appraisal.uploads import stored_name
from units.models import UnitTeamMember

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

PLAN_TEXT_MAX = 30000


class ImplementationPlan(models.Model):
    """The campaign's 实施方案: a text printed through the document layer and/or a file."""

    campaign = models.OneToOneField(
        Campaign,
        on_delete=models.CASCADE,
        related_name="implementation_plan",
        verbose_name=_("campaign"),
    )
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"), max_length=PLAN_TEXT_MAX, blank=True)
    file = models.FileField(_("file"), upload_to=stored_name, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")

    def __str__(self) -> str:
        return self.title


class PhasePlan(models.Model):
    """The planned start and end of one phase of a campaign (the plan's timetable)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="phase_plans", verbose_name=_("campaign")
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Campaign.Phase.choices)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))

    class Meta:
        verbose_name = _("planned phase dates")
        verbose_name_plural = _("planned phase dates")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "phase"], name="phaseplan_unique_phase"),
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="phaseplan_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.get_phase_display()}"


class ScheduledEventQuerySet(models.QuerySet["ScheduledEvent"]):
    def visible_to(self, user: User | AnonymousUser) -> ScheduledEventQuerySet:
        """The events a person may see (DESIGN.md §5).

        Office: all. A work group member: its appraisals' events, and the campaign-wide
        events of a campaign it works in. A unit team: its appraisal's events and the
        campaign-wide ones addressed to units or everyone. A voter: events addressed to
        everyone in a campaign it votes in. An unannounced visit only ever reaches the
        office and the work group of its appraisal. Anonymous: nothing.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_office:
            return self.all()
        A = ScheduledEvent.Audience
        in_appraisal_group = Exists(
            WorkGroupMember.objects.filter(work_group=OuterRef("appraisal__work_group"), user=user)
        )
        in_campaign_group = Exists(
            WorkGroupMember.objects.filter(work_group__campaign=OuterRef("campaign"), user=user)
        )
        own_unit = Exists(
            UnitTeamMember.objects.filter(unit=OuterRef("appraisal__unit"), user=user)
        )
        unit_in_campaign = Exists(
            Appraisal.objects.filter(
                campaign=OuterRef("campaign"),
                unit__in=UnitTeamMember.objects.filter(user=user).values("unit"),
            )
        )
        voter = Exists(Voter.objects.filter(voter_group__campaign=OuterRef("campaign"), user=user))
        group = Q(appraisal__isnull=False) & Q(in_appraisal_group) | Q(appraisal__isnull=True) & Q(
            in_campaign_group
        )
        unit = Q(audience__in=[A.UNIT, A.ALL]) & (
            Q(appraisal__isnull=False) & Q(own_unit)
            | Q(appraisal__isnull=True) & Q(unit_in_campaign)
        )
        everyone = Q(audience=A.ALL) & Q(voter)
        secret = Q(kind=ScheduledEvent.Kind.UNANNOUNCED_VISIT)
        return self.filter((group | unit | everyone) & (~secret | Q(in_appraisal_group)))


class ScheduledEvent(models.Model):
    """One event of the schedule: of one appraisal, or of the whole campaign."""

    class Kind(models.TextChoices):
        SYMPOSIUM = "symposium", _("Symposium")
        UNANNOUNCED_VISIT = "unannounced_visit", _("Unannounced visit")
        FIELD_INSPECTION = "field_inspection", _("Field inspection")
        DOCUMENT_REVIEW = "document_review", _("Document review")
        MEETING = "meeting", _("Appraisal meeting")
        SECOND_MEETING = "second_meeting", _("Second-round scoring meeting")
        SELF_REVIEW_DUE = "self_review_due", _("Self-review due")
        OPINION_REPLY_DUE = "opinion_reply_due", _("Reply to the opinions due")
        RECTIFICATION_REPORT_DUE = "rectification_report_due", _("Rectification report due")
        OTHER = "other", _("Other")

    class Audience(models.TextChoices):
        GROUP = "group", _("Office and work group only")
        UNIT = "unit", _("Also the unit's team")
        ALL = "all", _("Everyone taking part (deputies too)")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("scheduled event", "Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    # The moves ``event_move`` allows; nothing else changes ``status``.
    TRANSITIONS: dict[str, set[str]] = {
        Status.SCHEDULED: {Status.HELD, Status.CANCELLED},
        Status.CANCELLED: {Status.SCHEDULED},
    }
    # Kinds a work group schedules itself; the rest are the office's.
    GROUP_KINDS = {
        Kind.SYMPOSIUM,
        Kind.UNANNOUNCED_VISIT,
        Kind.FIELD_INSPECTION,
        Kind.DOCUMENT_REVIEW,
        Kind.OTHER,
    }
    # Kinds that become an investigation activity once held.
    ACTIVITY_KINDS = {
        Kind.SYMPOSIUM,
        Kind.UNANNOUNCED_VISIT,
        Kind.FIELD_INSPECTION,
        Kind.DOCUMENT_REVIEW,
    }
    DEADLINE_KINDS = {
        Kind.SELF_REVIEW_DUE,
        Kind.OPINION_REPLY_DUE,
        Kind.RECTIFICATION_REPORT_DUE,
    }
    DEFAULT_AUDIENCE = {
        Kind.UNANNOUNCED_VISIT: Audience.GROUP,
        Kind.MEETING: Audience.ALL,
        Kind.SECOND_MEETING: Audience.ALL,
    }

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="events", verbose_name=_("campaign")
    )
    appraisal = models.ForeignKey(
        Appraisal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("appraisal"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    all_day = models.BooleanField(_("all day"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    audience = models.CharField(
        _("who sees it"), max_length=10, choices=Audience.choices, default=Audience.UNIT
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    status_note = models.CharField(_("reason"), max_length=500, blank=True)
    # Bumped on every change, so calendar programs take the new version (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = ScheduledEventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("scheduled event")
        verbose_name_plural = _("scheduled events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind="unannounced_visit")
                | Q(audience="group", appraisal__isnull=False),
                name="event_unannounced_visit_stays_with_its_group",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("appraisal:event", args=[self.pk])

    @property
    def secret(self) -> bool:
        return self.kind == self.Kind.UNANNOUNCED_VISIT

    @property
    def is_deadline(self) -> bool:
        return self.kind in self.DEADLINE_KINDS

    @property
    def local_start(self):  # type: ignore[no-untyped-def]
        return timezone.localtime(self.starts_at)

    @property
    def local_end(self):  # type: ignore[no-untyped-def]
        return timezone.localtime(self.ends_at) if self.ends_at else None


class CalendarFeed(models.Model):
    """A person's secret calendar address: whoever knows the token reads that person's
    events, without signing in; a reset replaces the token and the old address stops."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user")
    )
    token = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
