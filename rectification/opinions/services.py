"""Writes of the appraisal opinions: each atomic, each audited; status moves only through
``opinion_move`` and ``AppraisalOpinion.TRANSITIONS``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.audit import audit_log
from appraisal.documents.models import IssuedDocument
from appraisal.documents.services import document_issue
from appraisal.errors import DomainError, NotAllowed, PhaseError
from appraisal.models import Appraisal, Campaign, User
from appraisal.selfreview.access import is_unit_member
from rectification.opinions import selectors
from rectification.opinions.models import AppraisalOpinion, OpinionItem
from surveys.models import Finding

ISSUE_PHASES = {Campaign.Phase.OPINIONS}


class OpinionError(DomainError):
    pass


def _require_office(actor: User) -> None:
    if not actor.is_office:
        raise NotAllowed(_("Only the office drafts and issues appraisal opinions."))


def _locked(opinion: AppraisalOpinion) -> AppraisalOpinion:
    return (
        AppraisalOpinion.objects.select_for_update(of=("self",))
        .select_related("appraisal__campaign", "appraisal__unit")
        .get(pk=opinion.pk)
    )


def _draft(opinion: AppraisalOpinion) -> AppraisalOpinion:
    locked = _locked(opinion)
    if not locked.is_draft:
        raise OpinionError(_("An issued opinion is frozen; nobody changes it."))
    return locked


def opinion_save_draft(
    *,
    appraisal: Appraisal,
    actor: User,
    title: str,
    preamble: str,
    reply_deadline: date | None,
) -> AppraisalOpinion:
    _require_office(actor)
    with transaction.atomic():
        opinion, created = AppraisalOpinion.objects.get_or_create(
            appraisal=appraisal,
            defaults={
                "campaign": appraisal.campaign,
                "title": title or selectors.opinion_default_title(appraisal),
            },
        )
        opinion = _draft(opinion)
        opinion.title = title.strip() or selectors.opinion_default_title(appraisal)
        opinion.preamble = preamble
        opinion.reply_deadline = reply_deadline
        opinion.save(update_fields=["title", "preamble", "reply_deadline", "updated_at"])
        audit_log(
            actor=actor,
            action="rectification.opinion.saved",
            obj=opinion,
            data={"appraisal": appraisal.pk, "created": created},
        )
    return opinion


def _check_findings(opinion: AppraisalOpinion, findings: Iterable[Finding]) -> list[Finding]:
    findings = list(findings)
    for f in findings:
        if f.appraisal_id != opinion.appraisal_id or f.status != Finding.Status.VERIFIED:
            raise OpinionError(_("An item rests only on verified findings of this appraisal."))
    return findings


def opinion_item_add(
    *,
    opinion: AppraisalOpinion,
    actor: User,
    problem: str,
    requirement: str,
    findings: Iterable[Finding] = (),
    report_passage: str = "",
) -> OpinionItem:
    _require_office(actor)
    with transaction.atomic():
        opinion = _draft(opinion)
        linked = _check_findings(opinion, findings)
        number = (opinion.items.aggregate(n=Max("number"))["n"] or 0) + 1
        item = OpinionItem.objects.create(
            opinion=opinion,
            number=number,
            problem=problem,
            requirement=requirement,
            report_passage=report_passage,
        )
        item.findings.set(linked)
        audit_log(
            actor=actor,
            action="rectification.opinion.item_added",
            obj=item,
            campaign=opinion.campaign,
            data={"opinion": opinion.pk, "number": number, "findings": [f.pk for f in linked]},
        )
    return item


def opinion_item_update(
    *,
    item: OpinionItem,
    actor: User,
    problem: str,
    requirement: str,
    findings: Iterable[Finding] = (),
    report_passage: str = "",
) -> OpinionItem:
    _require_office(actor)
    with transaction.atomic():
        opinion = _draft(item.opinion)
        linked = _check_findings(opinion, findings)
        item.problem, item.requirement, item.report_passage = problem, requirement, report_passage
        item.save(update_fields=["problem", "requirement", "report_passage"])
        item.findings.set(linked)
        audit_log(
            actor=actor,
            action="rectification.opinion.item_changed",
            obj=item,
            campaign=opinion.campaign,
            data={"opinion": opinion.pk, "number": item.number},
        )
    return item


def opinion_item_remove(*, item: OpinionItem, actor: User) -> None:
    """Remove an item from a draft; the later items close up, so the issued numbers run
    1, 2, 3 … without gaps (they are frozen from the issue on)."""
    _require_office(actor)
    with transaction.atomic():
        opinion = _draft(item.opinion)
        number = item.number
        audit_log(
            actor=actor,
            action="rectification.opinion.item_removed",
            obj=item,
            campaign=opinion.campaign,
            data={"opinion": opinion.pk, "number": number},
        )
        item.delete()
        # One row at a time, in order, so the unique (opinion, number) holds throughout.
        for later in opinion.items.filter(number__gt=number).order_by("number"):
            later.number = F("number") - 1
            later.save(update_fields=["number"])


def opinion_subject(opinion: AppraisalOpinion) -> str:
    """The opinion's subject in the document layer: one issued document per opinion."""
    return f"opinion:{opinion.pk}"


def opinion_move(
    *, opinion: AppraisalOpinion, actor: User, to: str, issue_date: date | None = None
) -> AppraisalOpinion:
    """The one way an opinion changes status (``AppraisalOpinion.TRANSITIONS``).

    ``issued``: by the office, in the opinions phase, with items and a reply deadline
    after the date of issue; allocates the document number and freezes the text.
    ``acknowledged``: by the unit's own team, once; the time is recorded.
    """
    with transaction.atomic():
        locked = _locked(opinion)
        if to not in locked.TRANSITIONS.get(locked.status, set()):
            raise OpinionError(
                _("An opinion that is “%(state)s” cannot be moved that way.")
                % {"state": locked.get_status_display()}
            )
        now = timezone.now()
        data: dict[str, Any] = {"from": locked.status, "to": to}
        fields = ["status", "updated_at"]
        if to == AppraisalOpinion.Status.ISSUED:
            _require_office(actor)
            campaign = locked.appraisal.campaign
            if campaign.phase not in ISSUE_PHASES:
                raise PhaseError(
                    _("Opinions are issued in the opinions phase; the campaign is in “%(p)s”.")
                    % {"p": campaign.get_phase_display()}
                )
            day = issue_date or timezone.localdate()
            if not locked.items.exists():
                raise OpinionError(_("An opinion needs at least one item."))
            if locked.reply_deadline is None or locked.reply_deadline <= day:
                raise OpinionError(_("Set a reply deadline after the date of issue."))
            # The number is the campaign's next document number (issuing settings' pattern,
            # e.g. 江人常评〔2026〕3号), allocated by the document layer under its row lock.
            issued = document_issue(
                campaign=campaign,
                kind=IssuedDocument.Kind.OPINION,
                subject=opinion_subject(locked),
                title=locked.title,
                date=day,
                actor=actor,
            )
            locked.number, locked.document_number = issued.number, issued.number_text
            locked.issue_date, locked.issued_at, locked.issued_by = day, now, actor
            fields += ["number", "document_number", "issue_date", "issued_at", "issued_by"]
            data.update(number=locked.document_number, items=locked.items.count())
        else:
            if not is_unit_member(actor, locked.appraisal):
                raise NotAllowed(_("Only the unit's own team acknowledges its opinion."))
            locked.acknowledged_at, locked.acknowledged_by = now, actor
            fields += ["acknowledged_at", "acknowledged_by"]
        locked.status = to
        locked.save(update_fields=fields)
        audit_log(actor=actor, action=f"rectification.opinion.{to}", obj=locked, data=data)
    return locked


def opinion_publish(*, opinion: AppraisalOpinion, actor: User) -> AppraisalOpinion:
    """Show an issued opinion to the campaign's deputies (the unit sees it from the issue)."""
    _require_office(actor)
    with transaction.atomic():
        locked = _locked(opinion)
        if locked.is_draft:
            raise OpinionError(_("Only an issued opinion can be shown to deputies."))
        if locked.published_at is None:
            locked.published_at = timezone.now()
            locked.save(update_fields=["published_at", "updated_at"])
            audit_log(actor=actor, action="rectification.opinion.published", obj=locked)
    return locked
