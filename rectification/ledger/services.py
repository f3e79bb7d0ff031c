"""Writes of the rectification ledger: each atomic, each audited. Status changes only
through ``item_move`` and ``RectificationItem.TRANSITIONS``."""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.access import is_investigator
from appraisal.audit import audit_log
from appraisal.errors import DomainError, NotAllowed, PhaseError
from appraisal.models import Appraisal, Campaign, User
from appraisal.selfreview.access import is_unit_member
from appraisal.uploads import check_upload
from rectification.feedback import selectors as feedback
from rectification.feedback.services import closure_notices_create
from rectification.ledger.models import Evidence, ProgressUpdate, RectificationItem
from rectification.opinions.models import AppraisalOpinion, OpinionItem

# Items are prepared as drafts once the opinion is issued; the work itself — submitting
# plans, progress, checking and closing — runs in the rectification phase and goes on
# while the second round is prepared. A closed campaign is read-only.
DRAFT_PHASES = {
    Campaign.Phase.OPINIONS,
    Campaign.Phase.RECTIFICATION,
    Campaign.Phase.SECOND_SCORING,
}
WORK_PHASES = {Campaign.Phase.RECTIFICATION, Campaign.Phase.SECOND_SCORING}

Item = RectificationItem
Category = RectificationItem.Category
Status = RectificationItem.Status


class LedgerError(DomainError):
    pass


def _require_unit(actor: User, appraisal: Appraisal) -> None:
    if not is_unit_member(actor, appraisal):
        raise NotAllowed(_("Only the unit's own team writes its rectification ledger."))


def _require_phase(appraisal: Appraisal, phases: AbstractSet[str]) -> None:
    campaign = appraisal.campaign
    if campaign.phase not in phases:
        raise PhaseError(
            _("The rectification ledger cannot be changed in the “%(p)s” phase.")
            % {"p": campaign.get_phase_display()}
        )


def _locked(item: RectificationItem) -> RectificationItem:
    return (
        RectificationItem.objects.select_for_update(of=("self",))
        .select_related("appraisal__campaign", "appraisal__unit", "opinion_item")
        .get(pk=item.pk)
    )


def _check_fields(*, category: str, explanation: str, deadline: date | None, measures: str) -> None:
    if category not in Category.values:
        raise LedgerError(_("Choose a category."))
    if category == Category.EXPLANATION:
        if not explanation.strip():
            raise LedgerError(_("An item to be explained needs its explanation."))
    else:
        if not measures.strip():
            raise LedgerError(_("Write the measures."))
        if deadline is None:
            raise LedgerError(_("Set a deadline."))


def item_create(
    *,
    opinion_item: OpinionItem,
    actor: User,
    problem: str,
    measures: str,
    standard: str,
    category: str,
    explanation: str,
    responsible_leader: str,
    responsible_department: str,
    deadline: date | None,
) -> RectificationItem:
    """A draft item built by the unit from one item of its issued opinion."""
    # Read afresh: the phase and the opinion's status decide, not what the caller holds.
    opinion = AppraisalOpinion.objects.select_related("appraisal__campaign").get(
        pk=opinion_item.opinion_id
    )
    appraisal = opinion.appraisal
    _require_unit(actor, appraisal)
    _require_phase(appraisal, DRAFT_PHASES)
    if opinion.status == AppraisalOpinion.Status.DRAFT:
        raise LedgerError(_("Items are built from an issued opinion."))
    _check_fields(category=category, explanation=explanation, deadline=deadline, measures=measures)
    with transaction.atomic():
        item = RectificationItem.objects.create(
            appraisal=appraisal,
            opinion_item=opinion_item,
            problem=problem,
            measures=measures,
            standard=standard,
            category=category,
            explanation=explanation,
            responsible_leader=responsible_leader,
            responsible_department=responsible_department,
            deadline=deadline,
            created_by=actor,
        )
        audit_log(
            actor=actor,
            action="rectification.item.created",
            obj=item,
            campaign=appraisal.campaign,
            data={"opinion_item": opinion_item.number, "category": category},
        )
    return item


EDITABLE_FIELDS = (
    "problem",
    "measures",
    "standard",
    "category",
    "explanation",
    "responsible_leader",
    "responsible_department",
    "deadline",
)


def item_update(*, item: RectificationItem, actor: User, **fields: Any) -> RectificationItem:
    """Change a draft plan (a returned plan comes back as a draft)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        locked = _locked(item)
        _require_unit(actor, locked.appraisal)
        _require_phase(locked.appraisal, DRAFT_PHASES)
        if not locked.editable:
            raise LedgerError(_("Only a draft plan can be changed."))
        for name, value in fields.items():
            setattr(locked, name, value)
        _check_fields(
            category=locked.category,
            explanation=locked.explanation,
            deadline=locked.deadline,
            measures=locked.measures,
        )
        locked.save(update_fields=[*fields, "updated_at"])
        audit_log(
            actor=actor,
            action="rectification.item.changed",
            obj=locked,
            campaign=locked.appraisal.campaign,
            data={"fields": sorted(fields)},
        )
    return locked


def may_make(actor: User, by: str, appraisal: Appraisal) -> bool:
    if by == "unit":
        return is_unit_member(actor, appraisal)
    if by == "group":
        return is_investigator(actor, appraisal)
    return bool(actor.is_office)


def item_move(
    *, item: RectificationItem, actor: User, action: str, reason: str = ""
) -> RectificationItem:
    """The one way an item changes status (``RectificationItem.TRANSITIONS``).

    ``submit`` the plan (unit) → ``approve`` or ``return_plan`` (work group; for an item
    to be explained ``accept_explanation`` / ``reject_explanation``) → ``start`` →
    ``finish`` with evidence (unit) → ``close`` (销号) or ``return`` with a reason (work
    group) → ``reopen`` a closed item (office, with a reason).
    """
    reason = reason.strip()
    with transaction.atomic():
        locked = _locked(item)
        appraisal = locked.appraisal
        move = locked.moves().get(action)
        if move is None:
            raise LedgerError(
                _("An item that is “%(state)s” cannot be moved that way.")
                % {"state": locked.get_status_display()}
            )
        if not may_make(actor, move.by, appraisal):
            raise NotAllowed(
                {
                    "unit": _("Only the unit's own team does this."),
                    "group": _("Only the work group of this appraisal does this."),
                    "office": _("Only the office reopens an item."),
                }[move.by]
            )
        _require_phase(appraisal, WORK_PHASES)
        if move.reason and not reason:
            raise LedgerError(_("Give a reason."))
        if action == "finish" and not locked.evidence.exists():
            raise LedgerError(_("Attach evidence before marking the item done."))
        data: dict[str, Any] = {"from": locked.status, "to": move.to, "action": action}
        fields = ["status", "updated_at"]
        if move.reason:
            locked.comment = reason
            fields.append("comment")
            data["reason"] = reason
        if action == "finish":
            locked.percent = 100
            fields.append("percent")
        elif locked.status in (Status.DONE, Status.CLOSED) and move.to not in Item.FINISHED:
            # Back to work (returned, reopened): not 100 % any more (``Item.REWORK_MAX``).
            last = locked.progress.order_by("-day", "-id").values_list("percent", flat=True)
            locked.percent = locked.rework_percent(last.first())
            fields.append("percent")
            data["percent"] = locked.percent
        if move.to in RectificationItem.FINISHED:
            locked.closed_on, locked.closed_by = timezone.localdate(), actor
            locked.closing_note = reason
            fields += ["closed_on", "closed_by", "closing_note"]
        elif locked.closed_on is not None:
            locked.closed_on, locked.closed_by = None, None
            fields += ["closed_on", "closed_by"]
        locked.status = move.to
        locked.save(update_fields=fields)
        # Those who raised a finding the item rests on hear of its close (销号): the
        # notices are written here, with the close, so there is one per closure.
        people = feedback.raisers_of(locked) if move.to == Status.CLOSED else []
        if people:
            data["notified"] = len(people)
        event = audit_log(
            actor=actor,
            action=f"rectification.item.{action}",
            obj=locked,
            campaign=appraisal.campaign,
            data=data,
        )
        if people:
            closure_notices_create(item=locked, closure=event, people=people)
    return locked


def progress_post(
    *,
    item: RectificationItem,
    actor: User,
    day: date,
    text: str,
    percent: int,
    uploads: Sequence[UploadedFile] = (),
) -> ProgressUpdate:
    """A progress report with its evidence files. The first report on an approved or
    returned item moves it to “in progress” (through ``item_move``)."""
    if not 0 <= percent <= 100:
        raise LedgerError(_("The percentage runs from 0 to 100."))
    if day > timezone.localdate():
        raise LedgerError(_("Progress is reported for today or an earlier date."))
    year = item.appraisal.campaign.year
    if day < date(year, 1, 1):
        # Work on a campaign's problems starts in its year (fixing while reviewing, 边查边改,
        # included); an earlier date is a slip of the keyboard.
        raise LedgerError(
            _("Progress is reported for a date in %(year)d or later.") % {"year": year}
        )
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, check_upload(upload)[1]))
        except ValidationError as e:
            raise LedgerError(" ".join(e.messages)) from None
    with transaction.atomic():
        locked = _locked(item)
        appraisal = locked.appraisal
        _require_unit(actor, appraisal)
        _require_phase(appraisal, WORK_PHASES)
        if locked.status not in RectificationItem.REPORTABLE:
            raise LedgerError(
                _("Progress is reported once the plan is approved and until the item is done.")
            )
        if locked.status != Status.IN_PROGRESS:
            locked = item_move(item=locked, actor=actor, action="start")
        update = ProgressUpdate.objects.create(
            item=locked, day=day, text=text, percent=percent, created_by=actor
        )
        for upload, content_type in checked:
            Evidence.objects.create(
                item=locked,
                progress=update,
                file=upload,
                original_name=(upload.name or "")[:200],
                content_type=content_type,
                size=upload.size or 0,
                uploaded_by=actor,
            )
        locked.percent = percent
        locked.save(update_fields=["percent", "updated_at"])
        audit_log(
            actor=actor,
            action="rectification.item.progress",
            obj=locked,
            campaign=appraisal.campaign,
            data={"percent": percent, "day": day.isoformat(), "files": len(checked)},
        )
    return update
