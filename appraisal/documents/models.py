"""Issuing settings and the register of issued documents (GB/T 9704 版头 and 版记)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from appraisal.models.core import Campaign, User


def validate_number_pattern(value: str) -> None:
    if "{n}" not in value:
        raise ValidationError(_("The pattern must contain {n} where the number goes."))
    try:
        value.format(year=2026, n=1)
    except (KeyError, IndexError, ValueError) as e:
        raise ValidationError(
            _("Only {year} and {n} may stand in braces: %(error)s") % {"error": e}
        ) from e


class IssuingSettings(models.Model):
    """Who issues a campaign's documents and how they are numbered; edited by the office."""

    campaign = models.OneToOneField(
        Campaign,
        on_delete=models.CASCADE,
        related_name="issuing_settings",
        verbose_name=_("campaign"),
    )
    committee_name = models.CharField(
        _("full name of the committee"),
        max_length=100,
        help_text=_("e.g. 江川市人民代表大会常务委员会"),
    )
    issuing_office = models.CharField(_("issuing office"), max_length=100)
    letterhead = models.CharField(
        _("letterhead (发文机关标志)"), max_length=60, help_text=_("Printed in red at the top.")
    )
    number_pattern = models.CharField(
        _("document number pattern"),
        max_length=40,
        default="江人常评〔{year}〕{n}号",
        validators=[validate_number_pattern],
        help_text=_("{year} is the year of issue, {n} the running number."),
    )
    next_number = models.PositiveIntegerField(_("next number"), default=1)
    signatory = models.CharField(_("signed by (发文机关署名)"), max_length=100)
    addressees = models.CharField(_("addressed to (主送)"), max_length=300)
    copy_to = models.CharField(_("copy to (抄送)"), max_length=300, blank=True)
    printed_by = models.CharField(_("printed by (印发机关)"), max_length=100)
    public = models.BooleanField(_("carries “此件公开发布”"), default=False)

    class Meta:
        verbose_name = _("issuing settings")
        verbose_name_plural = _("issuing settings")

    def __str__(self) -> str:
        return f"{self.campaign} · {self.letterhead}"


class IssuedDocument(models.Model):
    """One issued document: its number is allocated once and never reused, and what was
    printed at issue (number, date, signatory, addressees) is kept to re-render it alike."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("Notice (通报/通知)")
        REPORT = "report", _("Report (报告)")
        OPINION = "opinion", _("Opinions (意见)")
        ATTACHMENT = "attachment", _("Attachment (附件)")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="issued_documents"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # What the document is of, e.g. "round-results:12": one number per subject.
    subject = models.CharField(_("subject"), max_length=60)
    number = models.PositiveIntegerField(_("running number"))
    number_text = models.CharField(_("document number"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date of the document"))
    letterhead = models.CharField(_("letterhead"), max_length=60, blank=True)
    committee_name = models.CharField(_("issuing organ"), max_length=100, blank=True)
    signatory = models.CharField(_("signed by"), max_length=100)
    addressees = models.CharField(_("addressed to"), max_length=300)
    copy_to = models.CharField(_("copy to"), max_length=300, blank=True)
    printed_by = models.CharField(_("printed by"), max_length=100)
    public = models.BooleanField(_("published"), default=False)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subject"], name="issueddocument_one_per_subject"
            ),
            models.UniqueConstraint(
                fields=["campaign", "number"], name="issueddocument_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number_text} {self.title}"
