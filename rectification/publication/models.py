"""The office's decision to publish an appraisal's rectification progress on the portal."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from appraisal.models import Appraisal, User


class ProgressPublication(models.Model):
    """One per appraisal once the office first publishes: published or withdrawn. The
    portal shows the progress only while it is published."""

    class State(models.TextChoices):
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # action -> (states it starts from, state it leads to); "" is "never published".
    TRANSITIONS: dict[str, tuple[set[str], str]] = {
        "publish": ({"", State.WITHDRAWN}, State.PUBLISHED),
        "withdraw": ({State.PUBLISHED}, State.WITHDRAWN),
    }

    appraisal = models.OneToOneField(
        Appraisal, on_delete=models.CASCADE, related_name="progress_publication"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("publication of rectification progress")
        verbose_name_plural = _("publications of rectification progress")

    def __str__(self) -> str:
        return f"{self.appraisal} · {self.get_state_display()}"
