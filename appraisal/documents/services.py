"""Writes of the document layer: issuing settings and the allocation of document numbers."""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from appraisal.audit import audit_log
from appraisal.documents.models import IssuedDocument, IssuingSettings
from appraisal.models import Campaign, User

EDITABLE = (
    "committee_name",
    "issuing_office",
    "letterhead",
    "number_pattern",
    "signatory",
    "addressees",
    "copy_to",
    "printed_by",
    "public",
)


def default_settings(campaign: Campaign) -> IssuingSettings:
    """Unsaved defaults from the campaign's title (江川市人大常委会2026年度工作评议)."""
    match = re.match(r"(.+?[市县区州旗盟])", campaign.title)
    place = match.group(1) if match else ""
    committee = f"{place}人民代表大会常务委员会" if place else "人民代表大会常务委员会"
    short = (place[:1] if place else "") + "人常评"
    office = f"{place}人大常委会工作评议领导小组办公室"
    return IssuingSettings(
        campaign=campaign,
        committee_name=committee,
        issuing_office=office,
        letterhead=f"{place}人大常委会工作评议领导小组办公室" if place else office,
        number_pattern=f"{short}〔{{year}}〕{{n}}号",
        signatory=office,
        addressees="各被评议单位，各评议工作组",
        copy_to=f"{place}人大常委会主任会议成员，{place}人民政府办公室",
        printed_by=f"{place}人大常委会办公室",
        public=False,
    )


def issuing_settings_of(campaign: Campaign) -> IssuingSettings:
    """The campaign's settings, or their defaults (unsaved) when the office has set none."""
    found = IssuingSettings.objects.filter(campaign=campaign).first()
    return found if found is not None else default_settings(campaign)


def issued_register(campaign: Campaign) -> QuerySet[IssuedDocument]:
    """The campaign's register of issued documents, the latest number first."""
    return IssuedDocument.objects.filter(campaign=campaign).order_by("-number")


def issuing_settings_save(
    *, campaign: Campaign, actor: User | None, values: dict[str, object]
) -> IssuingSettings:
    with transaction.atomic():
        settings = IssuingSettings.objects.select_for_update().filter(
            campaign=campaign
        ).first() or default_settings(campaign)
        changed = {}
        for name in EDITABLE:
            if name in values and getattr(settings, name) != values[name]:
                setattr(settings, name, values[name])
                changed[name] = str(values[name])
        settings.full_clean()
        settings.save()
        audit_log(
            actor=actor,
            action="documents.settings.saved",
            obj=settings,
            campaign=campaign,
            data=changed,
        )
    return settings


def document_issue(
    *,
    campaign: Campaign,
    kind: str,
    subject: str,
    title: str,
    date: dt.date,
    actor: User | None,
) -> IssuedDocument:
    """Issue a document once: its number is the next of the settings' counter, taken under a
    row lock, never reused; issuing the same subject again returns the first issue."""
    with transaction.atomic():
        settings = IssuingSettings.objects.select_for_update().filter(campaign=campaign).first()
        if settings is None:
            try:
                with transaction.atomic():  # another issue may create them at the same time
                    default_settings(campaign).save()
            except IntegrityError:
                pass
            settings = IssuingSettings.objects.select_for_update().get(campaign=campaign)
        existing = IssuedDocument.objects.filter(campaign=campaign, subject=subject).first()
        if existing is not None:
            return existing
        number = settings.next_number
        settings.next_number = number + 1
        settings.save(update_fields=["next_number"])
        document = IssuedDocument.objects.create(
            campaign=campaign,
            kind=kind,
            subject=subject,
            number=number,
            number_text=settings.number_pattern.format(year=date.year, n=number),
            title=title,
            date=date,
            letterhead=settings.letterhead,
            committee_name=settings.committee_name,
            signatory=settings.signatory,
            addressees=settings.addressees,
            copy_to=settings.copy_to,
            printed_by=settings.printed_by,
            public=settings.public,
            issued_by=actor if actor is not None and actor.pk else None,
        )
        audit_log(
            actor=actor,
            action="documents.document.issued",
            obj=document,
            campaign=campaign,
            data={"number": document.number_text, "subject": subject},
        )
    return document
