"""Feedback to those who raised a problem (对代表和服务对象的反馈): a notice to each deputy
whose finding an opinion item rests on, when a rectification item built on it is closed.

One notice per person and closure: it points at the audit row of the close (销号), and the
pair is unique. It is written in the transaction of the close itself, so a close that rolls
back leaves none, and mailed later by ``send_reminders`` (marked once mailed).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from appraisal.models import AuditEvent, User
from rectification.ledger.models import RectificationItem


class ClosureNotice(models.Model):
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="closure_notices")
    item = models.ForeignKey(
        RectificationItem, on_delete=models.CASCADE, related_name="closure_notices"
    )
    # The close it tells of: a reopened item closed again is a new closure, a new notice.
    closure = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("closure notice")
        verbose_name_plural = _("closure notices")
        constraints = [
            models.UniqueConstraint(fields=["person", "closure"], name="closurenotice_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.item_id}"

    @property
    def unread(self) -> bool:
        return self.read_at is None
