"""Writes of the investigation: each atomic, each audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.access import is_investigator, roles_of
from appraisal.audit import audit_log
from appraisal.codes import new_code
from appraisal.errors import DomainError, NotAllowed
from appraisal.models import Appraisal, Campaign, ScheduledEvent, User
from appraisal.schedule import services as schedule_services
from appraisal.uploads import check_upload, delete_on_commit
from surveys import throttle
from surveys.models import Attachment, Finding, InvestigationActivity

PUBLIC_LIMIT_PER_HOUR = 5
# Phases in which findings are still being gathered and checked.
OPEN_PHASES = {
    Campaign.Phase.PREPARATION,
    Campaign.Phase.INVESTIGATION,
    Campaign.Phase.SELF_REVIEW,
    Campaign.Phase.MEETING,
}


class FindingError(DomainError):
    pass


class RateLimited(FindingError):
    pass


def _require_investigator(actor: User, appraisal: Appraisal) -> None:
    if not is_investigator(actor, appraisal):
        raise NotAllowed(_("Only the office and this appraisal's work group can do this."))


def activity_record(
    *,
    appraisal: Appraisal,
    actor: User,
    kind: str,
    held_on: date,
    place: str,
    participants: str,
    summary: str,
    attachments: Sequence[UploadedFile] = (),
    event: ScheduledEvent | None = None,
) -> InvestigationActivity:
    """Record an activity with its files (already checked by ``check_upload``). Recorded
    from a scheduled ``event`` ("record as held"), it links to it and marks it held."""
    _require_investigator(actor, appraisal)
    with transaction.atomic():
        if event is not None:
            event = _event_to_record(event=event, appraisal=appraisal)
        activity = InvestigationActivity.objects.create(
            appraisal=appraisal,
            kind=kind,
            held_on=held_on,
            place=place,
            participants=participants,
            summary=summary,
            recorded_by=actor,
            event=event,
        )
        _attach(activity=activity, actor=actor, uploads=attachments)
        audit_log(
            actor=actor,
            action="surveys.activity.recorded",
            obj=activity,
            campaign=appraisal.campaign,
            data={
                "appraisal": appraisal.pk,
                "kind": kind,
                "attachments": len(attachments),
                "event": event.pk if event is not None else None,
            },
        )
        if event is not None and event.status == ScheduledEvent.Status.SCHEDULED:
            schedule_services.event_move(
                event=event, actor=actor, to=ScheduledEvent.Status.HELD, check=False
            )
    return activity


def _event_to_record(*, event: ScheduledEvent, appraisal: Appraisal) -> ScheduledEvent:
    """The event, locked, if an activity may be recorded from it: an activity kind of this
    appraisal, not cancelled, not recorded before."""
    locked = ScheduledEvent.objects.select_for_update().get(pk=event.pk)
    if locked.appraisal_id != appraisal.pk or locked.kind not in ScheduledEvent.ACTIVITY_KINDS:
        raise FindingError(_("This event is not an investigation activity of this unit."))
    if locked.status == ScheduledEvent.Status.CANCELLED:
        raise FindingError(_("The event was cancelled; schedule it again first."))
    if InvestigationActivity.objects.filter(event=locked).exists():
        raise FindingError(_("This event is already recorded as an activity."))
    return locked


def _attach(
    *, activity: InvestigationActivity, actor: User, uploads: Sequence[UploadedFile]
) -> None:
    """Store an activity's files, each checked by content and name first."""
    for upload in uploads:
        _extension, content_type = check_upload(upload)
        Attachment.objects.create(
            activity=activity,
            file=upload,
            original_name=(upload.name or "")[:200],
            content_type=content_type,
            size=upload.size or 0,
            uploaded_by=actor,
        )


def activity_correct(
    *,
    activity: InvestigationActivity,
    actor: User,
    kind: str,
    held_on: date,
    place: str,
    participants: str,
    summary: str,
    attachments: Sequence[UploadedFile] = (),
    remove: Sequence[Attachment] = (),
) -> InvestigationActivity:
    """Correct an activity's record: by whoever recorded it (or the office), audited with
    the fields changed and their former values; further files may be added, and files
    attached by mistake removed (their names stay in the audit log)."""
    if not (actor.pk == activity.recorded_by_id or actor.is_office):
        raise NotAllowed(_("Only whoever recorded this activity can correct it."))
    _require_investigator(actor, activity.appraisal)
    with transaction.atomic():
        locked = InvestigationActivity.objects.select_for_update().get(pk=activity.pk)
        new = {
            "kind": kind,
            "held_on": held_on,
            "place": place,
            "participants": participants,
            "summary": summary,
        }
        before = {k: getattr(locked, k) for k, v in new.items() if getattr(locked, k) != v}
        ids = {a.pk for a in remove}
        if Attachment.objects.filter(pk__in=ids).exclude(activity=locked).exists():
            raise DomainError(_("A file to remove is not one of this activity's."))
        # One already gone (removed by someone else a moment ago) is simply not there.
        dropped = list(Attachment.objects.filter(activity=locked, pk__in=ids))
        if not before and not attachments and not dropped:
            return locked
        for name in before:
            setattr(locked, name, new[name])
        if before:
            locked.save(update_fields=list(before))
        for attachment in dropped:
            delete_on_commit(attachment.file)
            attachment.delete()
        _attach(activity=locked, actor=actor, uploads=attachments)
        audit_log(
            actor=actor,
            action="surveys.activity.corrected",
            obj=locked,
            campaign=locked.appraisal.campaign,
            data={
                "fields": sorted(before),
                "before": {k: str(v) for k, v in before.items()},
                "attachments": len(attachments),
                "removed": [a.original_name for a in dropped],
            },
        )
    return locked


def finding_record(
    *,
    appraisal: Appraisal,
    actor: User,
    text: str,
    topic: str,
    activity: InvestigationActivity | None = None,
) -> Finding:
    """A finding the work group heard itself, from one of its activities or directly."""
    _require_investigator(actor, appraisal)
    if activity is not None and activity.appraisal_id != appraisal.pk:
        raise FindingError(_("That activity belongs to another appraisal."))
    return _finding_create(
        appraisal=appraisal,
        actor=actor,
        action="surveys.finding.recorded",
        source=Finding.Source.ACTIVITY,
        activity=activity,
        text=text,
        topic=topic,
        submitted_by=actor,
    )


def _finding_create(
    *, appraisal: Appraisal, actor: User | None, action: str, **fields: Any
) -> Finding:
    with transaction.atomic():
        finding = Finding.objects.create(appraisal=appraisal, **fields)
        audit_log(
            actor=actor,
            action=action,
            obj=finding,
            campaign=appraisal.campaign,
            data={"appraisal": appraisal.pk, "source": fields["source"]},
        )
    return finding


def _open_for_findings(appraisal: Appraisal) -> None:
    if appraisal.campaign.phase not in OPEN_PHASES:
        raise FindingError(_("This appraisal no longer takes opinions."))


def finding_submit_by_deputy(
    *, appraisal: Appraisal, deputy: User, text: str, topic: str
) -> Finding:
    if not roles_of(deputy).voter:
        raise NotAllowed(_("Only deputies and committee members submit opinions here."))
    _open_for_findings(appraisal)
    return _finding_create(
        appraisal=appraisal,
        actor=deputy,
        action="surveys.finding.submitted",
        source=Finding.Source.DEPUTY,
        text=text,
        topic=topic,
        submitted_by=deputy,
    )


def finding_submit_public(*, appraisal: Appraisal, text: str, contact: str, address: str) -> str:
    """An opinion from the public. Returns its receipt code; stores no address with it."""
    _open_for_findings(appraisal)
    with transaction.atomic():
        if not throttle.take(key=throttle.key(address), limit=PUBLIC_LIMIT_PER_HOUR):
            raise RateLimited(
                _("Too many opinions from this network in the last hour. Please try later.")
            )
        for _attempt in range(5):
            code = new_code()
            try:
                with transaction.atomic():
                    finding = Finding.objects.create(
                        appraisal=appraisal,
                        source=Finding.Source.PUBLIC,
                        text=text,
                        contact=contact,
                        receipt_code=code,
                    )
                break
            except IntegrityError:  # a receipt code already taken: draw again
                continue
        else:
            raise FindingError(_("Please submit again."))
        audit_log(
            actor=None,
            action="surveys.finding.submitted",
            obj=finding,
            campaign=appraisal.campaign,
            data={"appraisal": appraisal.pk, "source": "public"},
        )
    return code


def finding_review(
    *,
    finding: Finding,
    actor: User,
    status: str,
    note: str,
    topic: str,
    prominent: bool,
) -> Finding:
    """Verification by the work group: status (forward only), note, topic, prominence."""
    _require_investigator(actor, finding.appraisal)
    with transaction.atomic():
        locked = Finding.objects.select_for_update().get(pk=finding.pk)
        changes: dict[str, object] = {}
        if status != locked.status:
            if status not in Finding.TRANSITIONS.get(locked.status, set()):
                raise FindingError(
                    _("A finding that is “%(status)s” cannot go back or change its verdict.")
                    % {"status": locked.get_status_display()}
                )
            if status in (Finding.Status.VERIFIED, Finding.Status.UNFOUNDED) and not note.strip():
                raise FindingError(_("Write down how it was verified before the verdict."))
            changes["status"] = status
            if status in (Finding.Status.VERIFIED, Finding.Status.UNFOUNDED):
                changes["verified_by"] = actor
                changes["verified_at"] = timezone.now()
        for name, value in (
            ("verification_note", note),
            ("topic", topic),
            ("prominent", prominent),
        ):
            if getattr(locked, name) != value:
                changes[name] = value
        if not changes:
            return locked
        for name, new in changes.items():
            setattr(locked, name, new)
        locked.save(update_fields=list(changes))
        audit_log(
            actor=actor,
            action=f"surveys.finding.{status}"
            if "status" in changes
            else "surveys.finding.changed",
            obj=locked,
            campaign=locked.appraisal.campaign,
            data={k: str(v) for k, v in changes.items() if k != "verified_by"},
        )
    return locked


def finding_from_answer(*, answer_id: int, actor: User) -> Finding:
    """Promote a free-text survey answer to a finding, to be verified like any other."""
    from surveys.models import Answer

    answer = (
        Answer.objects.select_related("question__survey__appraisal__campaign")
        .filter(pk=answer_id)
        .exclude(text="")
        .first()
    )
    if answer is None:
        raise FindingError(_("That answer does not exist."))
    appraisal = answer.question.survey.appraisal
    if appraisal is None:
        raise FindingError(
            _("An answer to a campaign survey concerns no one unit: record it on that unit.")
        )
    _require_investigator(actor, appraisal)
    return _finding_create(
        appraisal=appraisal,
        actor=actor,
        action="surveys.finding.from_survey",
        source=Finding.Source.SURVEY,
        text=answer.text,
    )


def finding_forward(*, finding: Finding, actor: User) -> Finding:
    """Send a verified finding to the unit: only from now on does the unit see it."""
    _require_investigator(actor, finding.appraisal)
    with transaction.atomic():
        locked = Finding.objects.select_for_update().get(pk=finding.pk)
        if locked.status != Finding.Status.VERIFIED:
            raise FindingError(_("Only a verified finding can be forwarded to the unit."))
        if locked.forwarded_at is not None:
            raise FindingError(_("This finding has already been forwarded."))
        locked.forwarded_at = timezone.now()
        locked.save(update_fields=["forwarded_at"])
        audit_log(
            actor=actor,
            action="surveys.finding.forwarded",
            obj=locked,
            campaign=locked.appraisal.campaign,
            data={"unit": locked.appraisal.unit.name},
        )
    return locked
