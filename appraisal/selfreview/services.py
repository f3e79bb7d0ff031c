"""Writes of the self-review: each atomic, each audited; status moves only through
``selfreview_move`` and ``SelfReview.TRANSITIONS``."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.access import is_investigator
from appraisal.audit import audit_log
from appraisal.errors import DomainError, NotAllowed, PhaseError
from appraisal.models import Appraisal, Campaign, User
from appraisal.selfreview import snapshots
from appraisal.selfreview.access import is_unit_head, is_unit_member
from appraisal.selfreview.models import (
    SECTION_KEYS,
    SECTION_MAX,
    SECTIONS,
    SelfReview,
    SelfReviewAttachment,
    SelfReviewVersion,
)
from appraisal.uploads import check_upload

# Submission opens with the self-review phase (a unit may prepare its draft earlier) and
# stays open until the meeting is over.
SUBMIT_PHASES = {Campaign.Phase.SELF_REVIEW, Campaign.Phase.MEETING}


class SelfReviewError(DomainError):
    pass


def _locked(self_review: SelfReview) -> SelfReview:
    return (
        SelfReview.objects.select_for_update(of=("self",))
        .select_related("appraisal__campaign")
        .get(pk=self_review.pk)
    )


def selfreview_save_draft(
    *, appraisal: Appraisal, actor: User, content: dict[str, str]
) -> SelfReview:
    """Save the unit's draft. A frozen (submitted or accepted) report refuses."""
    if not is_unit_member(actor, appraisal):
        raise NotAllowed(_("Only the unit's own team writes its self-review."))
    clean = {key: str(content.get(key, ""))[:SECTION_MAX] for key in SECTION_KEYS}
    with transaction.atomic():
        review, _created = SelfReview.objects.get_or_create(appraisal=appraisal)
        review = _locked(review)
        if not review.editable:
            raise SelfReviewError(
                _("The submitted report is frozen; it can be revised only after it is returned.")
            )
        changed = [key for key in SECTION_KEYS if getattr(review, key) != clean[key]]
        for key in SECTION_KEYS:
            setattr(review, key, clean[key])
        review.updated_by = actor
        fields = [*SECTION_KEYS, "updated_by", "updated_at"]
        if changed and review.approved_at:
            # The head approved other words: the approval does not carry over.
            fields += _clear_approval(review)
        review.save(update_fields=fields)
        audit_log(
            actor=actor,
            action="appraisal.selfreview.saved",
            obj=review,
            campaign=appraisal.campaign,
            data={"sections": changed},
        )
    return review


def _clear_approval(review: SelfReview) -> list[str]:
    """Drop the head's approval from ``review``; the fields to save."""
    review.approved_by, review.approved_at, review.approved_digest = None, None, ""
    return ["approved_by", "approved_at", "approved_digest"]


def selfreview_approval_void(*, appraisal: Appraisal, actor: User, reason: str) -> None:
    """The layers above changed what the head approved (an answer to a forwarded finding):
    the approval lapses as after an edit of the text. Call inside the caller's transaction."""
    review = SelfReview.objects.filter(appraisal=appraisal).first()
    if review is None or review.approved_at is None:
        return
    review = _locked(review)
    review.save(update_fields=[*_clear_approval(review), "updated_at"])
    audit_log(
        actor=actor,
        action="appraisal.selfreview.approval_voided",
        obj=review,
        campaign=appraisal.campaign,
        data={"reason": reason},
    )


def selfreview_approve(*, self_review: SelfReview, actor: User) -> SelfReview:
    """The unit head approves the draft as it stands now."""
    if not is_unit_head(actor, self_review.appraisal):
        raise NotAllowed(_("Only the unit's head approves its self-review."))
    with transaction.atomic():
        review = _locked(self_review)
        if not review.editable:
            raise SelfReviewError(_("Only a draft can be approved."))
        if not all(review.content().values()):
            raise SelfReviewError(_("Fill in every section before approval."))
        review.approved_by, review.approved_at = actor, timezone.now()
        review.approved_digest = review.digest()
        review.save(update_fields=["approved_by", "approved_at", "approved_digest"])
        audit_log(actor=actor, action="appraisal.selfreview.approved", obj=review)
    return review


def selfreview_move(
    *,
    self_review: SelfReview,
    actor: User,
    to: str,
    note: str = "",
    comments: dict[str, str] | None = None,
) -> SelfReview:
    """The one way a self-review changes status (``SelfReview.TRANSITIONS``).

    ``submitted``: by the unit's team, in a submission phase, with the head's approval of
    exactly this draft; freezes the next version (a revision needs ``note``).
    ``returned``: by the work group or office, with at least one comment.
    ``accepted``: by the work group or office.
    """
    with transaction.atomic():
        review = _locked(self_review)
        appraisal = review.appraisal
        if to not in review.TRANSITIONS.get(review.status, set()):
            raise SelfReviewError(
                _("A self-review that is “%(state)s” cannot be moved that way.")
                % {"state": review.get_status_display()}
            )
        now = timezone.now()
        data: dict[str, Any] = {"from": review.status, "to": to}
        if to == SelfReview.Status.SUBMITTED:
            version = _freeze(review, actor=actor, note=note, now=now)
            data["version"] = version.number
        else:
            if not is_investigator(actor, appraisal):
                raise NotAllowed(_("Only the work group and the office review a self-review."))
            clean = {k: v.strip() for k, v in (comments or {}).items() if v and v.strip()}
            if to == SelfReview.Status.RETURNED and not clean:
                raise SelfReviewError(_("Say what should change: write at least one comment."))
            latest = review.versions.order_by("-number").first()
            assert latest is not None  # submitted implies a version
            version = latest
            version.outcome = to
            version.comments = clean
            version.reviewed_by, version.reviewed_at = actor, now
            version.save(update_fields=["outcome", "comments", "reviewed_by", "reviewed_at"])
            data["version"] = version.number
            data["comments"] = sorted(clean)
        review.status = to
        review.save(update_fields=["status", "updated_at"])
        audit_log(actor=actor, action=f"appraisal.selfreview.{to}", obj=review, data=data)
    return review


def _freeze(review: SelfReview, *, actor: User, note: str, now: Any) -> SelfReviewVersion:
    appraisal = review.appraisal
    if not is_unit_member(actor, appraisal):
        raise NotAllowed(_("Only the unit's own team submits its self-review."))
    if appraisal.campaign.phase not in SUBMIT_PHASES:
        raise PhaseError(
            _("Self-reviews are submitted in the self-review phase; the campaign is in “%(p)s”.")
            % {"p": appraisal.campaign.get_phase_display()}
        )
    missing = [str(label) for key, label in SECTIONS if not getattr(review, key).strip()]
    if missing:
        raise SelfReviewError(_("Still empty: %(s)s.") % {"s": "、".join(missing)})
    wanting = snapshots.missing(review)
    if wanting:
        raise SelfReviewError(" ".join(item.message for item in wanting))
    if not review.approval_current or review.approved_by is None or review.approved_at is None:
        raise SelfReviewError(_("The unit head must approve this draft before it is submitted."))
    number = (review.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    note = note.strip()
    if number > 1 and not note:
        raise SelfReviewError(_("Say what changed since the last version."))
    extra = snapshots.collect(review)
    version = SelfReviewVersion.objects.create(
        self_review=review,
        number=number,
        content=review.content(),
        extra=extra,
        note=note[:2000],
        submitted_by=actor,
        submitted_at=now,
        approved_by=review.approved_by,
        approved_at=review.approved_at,
    )
    review.attachments.filter(version_number__isnull=True).update(version_number=number)
    return version


def selfreview_attach(
    *, appraisal: Appraisal, actor: User, upload: UploadedFile
) -> SelfReviewAttachment:
    if not is_unit_member(actor, appraisal):
        raise NotAllowed(_("Only the unit's own team writes its self-review."))
    _extension, content_type = check_upload(upload)
    with transaction.atomic():
        review, _created = SelfReview.objects.get_or_create(appraisal=appraisal)
        review = _locked(review)
        if not review.editable:
            raise SelfReviewError(_("The submitted report is frozen."))
        item = SelfReviewAttachment.objects.create(
            self_review=review,
            file=upload,
            original_name=(upload.name or "")[:200],
            content_type=content_type,
            size=upload.size or 0,
            uploaded_by=actor,
        )
        audit_log(
            actor=actor,
            action="appraisal.selfreview.attached",
            obj=item,
            campaign=appraisal.campaign,
            data={"self_review": review.pk, "size": item.size},
        )
    return item


def selfreview_detach(*, attachment: SelfReviewAttachment, actor: User) -> None:
    """Remove a file not yet submitted; a submitted one is part of a frozen version."""
    appraisal = attachment.self_review.appraisal
    if not is_unit_member(actor, appraisal):
        raise NotAllowed(_("Only the unit's own team writes its self-review."))
    with transaction.atomic():
        item = SelfReviewAttachment.objects.select_for_update().get(pk=attachment.pk)
        if item.version_number is not None:
            raise SelfReviewError(_("This file belongs to a submitted version and stays."))
        audit_log(
            actor=actor,
            action="appraisal.selfreview.detached",
            obj=item,
            campaign=appraisal.campaign,
            data={"self_review": item.self_review_id},
        )
        storage, name = item.file.storage, item.file.name
        item.delete()
        transaction.on_commit(lambda: storage.delete(name))
