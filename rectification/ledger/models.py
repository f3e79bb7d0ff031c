"""The rectification ledger (整改台账): items built from the issued opinion's items, their
progress with evidence, and the reminders sent about them.

An item's status changes only through ``ledger.services.item_move`` and the table
``RectificationItem.TRANSITIONS``; a closed (销号) or explained item is read-only.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from appraisal.models import Appraisal, User
from appraisal.uploads import stored_name
from rectification.opinions.models import OpinionItem


class Move(NamedTuple):
    """One allowed move: where it leads, who makes it, whether a reason is required, and
    which categories it applies to (``True`` only 解释说明, ``False`` all others)."""

    to: str
    by: str  # "unit", "group" (the appraisal's work group or the office), "office"
    reason: bool = False
    explanation: bool | None = None


class RectificationItem(models.Model):
    class Category(models.TextChoices):
        IMMEDIATE = "immediate", _("Rectify at once")
        DEADLINE = "deadline", _("Rectify by a deadline")
        GRADUAL = "gradual", _("Solve step by step")
        EXPLANATION = "explanation", _("Explain")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft plan")
        SUBMITTED = "submitted", _("Plan awaiting approval")
        PLANNED = "planned", _("Plan approved")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done, awaiting check")
        RETURNED = "returned", _("Returned for more work")
        CLOSED = "closed", _("Closed (销号)")
        EXPLAINED = "explained", _("Explanation accepted")

    S = Status
    # action -> move, per status. ``item_move`` is the only code that changes ``status``.
    TRANSITIONS: dict[str, dict[str, Move]] = {
        S.DRAFT: {"submit": Move(S.SUBMITTED, "unit")},
        S.SUBMITTED: {
            "approve": Move(S.PLANNED, "group", explanation=False),
            "return_plan": Move(S.DRAFT, "group", reason=True, explanation=False),
            "accept_explanation": Move(S.EXPLAINED, "group", explanation=True),
            "reject_explanation": Move(S.DRAFT, "group", reason=True, explanation=True),
        },
        S.PLANNED: {"start": Move(S.IN_PROGRESS, "unit"), "finish": Move(S.DONE, "unit")},
        S.IN_PROGRESS: {"finish": Move(S.DONE, "unit")},
        S.DONE: {
            "close": Move(S.CLOSED, "group"),
            "return": Move(S.RETURNED, "group", reason=True),
        },
        S.RETURNED: {"start": Move(S.IN_PROGRESS, "unit"), "finish": Move(S.DONE, "unit")},
        S.CLOSED: {"reopen": Move(S.IN_PROGRESS, "office", reason=True)},
        S.EXPLAINED: {"reopen": Move(S.DRAFT, "office", reason=True)},
    }
    # The unit edits the plan while it is a draft; nobody edits anything once closed.
    EDITABLE = {S.DRAFT}
    # Progress may be reported while the work is under way.
    REPORTABLE = {S.PLANNED, S.IN_PROGRESS, S.RETURNED}
    FINISHED = {S.CLOSED, S.EXPLAINED}
    # Marking an item done sets it to 100 %. An item the work group returns (or the office
    # reopens) is not done: it goes back to the last percent the unit reported before it
    # marked the item done, and never above REWORK_MAX — so the ledger's averages, the
    # feedback to deputies, the report and the public page never show it as 100 %.
    REWORK_MAX = 99

    appraisal = models.ForeignKey(
        Appraisal, on_delete=models.CASCADE, related_name="rectification_items"
    )
    opinion_item = models.ForeignKey(
        OpinionItem,
        on_delete=models.PROTECT,
        related_name="rectification_items",
        verbose_name=_("opinion item"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    problem = models.TextField(_("problem"), max_length=4000)
    measures = models.TextField(_("measures"), max_length=4000, blank=True)
    standard = models.TextField(_("completion standard"), max_length=2000, blank=True)
    explanation = models.TextField(_("explanation"), max_length=4000, blank=True)
    responsible_leader = models.CharField(_("responsible leader"), max_length=60)
    responsible_department = models.CharField(_("responsible department"), max_length=60)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    # The work group's last word: a plan returned, an explanation rejected, an item returned.
    comment = models.TextField(_("comment of the work group"), max_length=2000, blank=True)
    closing_note = models.TextField(_("closing note"), max_length=2000, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["appraisal", "opinion_item__number", "id"]
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        indexes = [models.Index(fields=["status", "deadline"], name="rectitem_status_deadline")]

    def __str__(self) -> str:
        return self.problem[:60]

    def get_absolute_url(self) -> str:
        return reverse("rectification:ledger_item", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    def days_left(self, today: date) -> int | None:
        if self.deadline is None or self.finished:
            return None
        return (self.deadline - today).days

    def rework_percent(self, last_reported: int | None) -> int:
        """The percent of an item sent back to work (see ``REWORK_MAX``)."""
        return min(last_reported or 0, self.REWORK_MAX)

    def moves(self) -> dict[str, Move]:
        explanation = self.category == self.Category.EXPLANATION
        return {
            action: move
            for action, move in self.TRANSITIONS.get(self.status, {}).items()
            if move.explanation is None or move.explanation == explanation
        }


class ProgressUpdate(models.Model):
    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="progress")
    day = models.DateField(_("date"))
    text = models.TextField(_("progress"), max_length=4000)
    percent = models.PositiveSmallIntegerField(_("percent"), validators=[MaxValueValidator(100)])
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-day", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.day} · {self.percent}%"


class Evidence(models.Model):
    """A file (佐证材料) of an item, posted with a progress update; served only through a
    view that checks access first."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="evidence")
    progress = models.ForeignKey(
        ProgressUpdate, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    file = models.FileField(upload_to=stored_name)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("rectification:ledger_evidence", args=[self.pk])


class Reminder(models.Model):
    """A reminder sent by ``send_reminders``. Unique per person, item, kind and day, so a
    second run on the same day sends nothing again. The office's weekly digest is a
    reminder without an item, unique per person and ISO week (``week``: its Monday), and
    keeps the figures it was sent with in ``data``."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Deadline approaching")
        OVERDUE = "overdue", _("Overdue")
        TO_CHECK = "to_check", _("Evidence waits for checking")
        DIGEST = "digest", _("Weekly digest")

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reminders")
    item = models.ForeignKey(
        RectificationItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    day = models.DateField(_("date"))
    week = models.DateField(_("week (its Monday)"), null=True, blank=True)
    data = models.JSONField(_("content"), default=dict, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-day", "kind", "item"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "item", "kind", "day"], name="reminder_once_a_day"
            ),
            models.UniqueConstraint(
                fields=["person", "week"],
                condition=models.Q(kind="digest"),
                name="reminder_digest_once_a_week",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="digest", item__isnull=True, week__isnull=False)
                | (~models.Q(kind="digest") & models.Q(item__isnull=False)),
                name="reminder_item_unless_digest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.get_kind_display()} · {self.item_id or self.week}"
