"""Writes of the rectification report: each atomic, each audited; status moves only
through ``report_move`` and ``RectificationReport.TRANSITIONS``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.audit import audit_log
from appraisal.errors import DomainError, NotAllowed, PhaseError
from appraisal.models import Appraisal, Campaign, User
from rectification.reports import selectors
from rectification.reports.access import is_investigator, is_unit_head, is_unit_member
from rectification.reports.models import (
    SECTION_MAX,
    TITLE_MAX,
    RectificationReport,
    RectificationReportVersion,
)

# The unit writes and submits its report while it rectifies and until the second round.
PHASES = {Campaign.Phase.RECTIFICATION, Campaign.Phase.SECOND_SCORING}
Status = RectificationReport.Status


class ReportError(DomainError):
    pass


def _require_unit(actor: User, appraisal: Appraisal) -> None:
    if not is_unit_member(actor, appraisal):
        raise NotAllowed(_("Only the unit's own team writes its rectification report."))


def _require_phase(appraisal: Appraisal) -> None:
    if appraisal.campaign.phase not in PHASES:
        raise PhaseError(
            _(
                "The rectification report is written and submitted in the rectification and "
                "second-scoring phases; the campaign is in “%(p)s”."
            )
            % {"p": appraisal.campaign.get_phase_display()}
        )


def _locked(report: RectificationReport) -> RectificationReport:
    return (
        RectificationReport.objects.select_for_update(of=("self",))
        .select_related("appraisal__campaign", "appraisal__unit")
        .get(pk=report.pk)
    )


def _set_content(
    report: RectificationReport, title: str, sections: list[dict[str, Any]]
) -> list[str]:
    """Put the new text in; the head's approval goes if a word changed. Returns the fields."""
    changed = title != report.title or sections != report.sections
    report.title, report.sections = title, sections
    fields = ["title", "sections", "updated_by", "updated_at"]
    if changed and report.approved_at:
        # The head approved other words: the approval does not carry over.
        report.approved_by, report.approved_at, report.approved_digest = None, None, ""
        fields += ["approved_by", "approved_at", "approved_digest"]
    return fields


def report_generate(
    *, appraisal: Appraisal, actor: User, seen: str | None = None
) -> RectificationReport:
    """(Re)write the draft from the ledger as it stands: what was done per opinion item, the
    evidence, what remains. Replaces the draft's text; a frozen report refuses.

    ``seen`` is the digest of the draft on the page the person asked from: text written
    into the draft after that page was opened (by a colleague, the head, another tab) is
    never replaced unseen. None skips the check (the demo, scripts)."""
    _require_unit(actor, appraisal)
    # Read afresh: the phase decides, not what the caller holds.
    _require_phase(Appraisal.objects.select_related("campaign").get(pk=appraisal.pk))
    if selectors.issued_opinion(appraisal) is None:
        raise ReportError(_("The report answers an issued appraisal opinion; there is none."))
    title, sections = selectors.compose(appraisal)
    with transaction.atomic():
        report, created = RectificationReport.objects.get_or_create(
            appraisal=appraisal, defaults={"title": title}
        )
        report = _locked(report)
        _require_phase(report.appraisal)
        if not report.editable:
            raise ReportError(
                _("The submitted report is frozen; it can be revised only after it is returned.")
            )
        if seen is not None and not created and report.has_own_text and seen != report.digest():
            raise ReportError(
                _(
                    "The draft was changed after you opened the page, and writing it again "
                    "would replace that text. Look at the draft first, then decide."
                )
            )
        fields = _set_content(report, title, sections)
        report.generated_at, report.updated_by = timezone.now(), actor
        report.generated_digest = report.digest()
        report.save(update_fields=[*fields, "generated_at", "generated_digest"])
        audit_log(
            actor=actor,
            action="rectification.report.generated",
            obj=report,
            campaign=appraisal.campaign,
            data={"sections": len(sections)},
        )
    return report


def report_save_draft(
    *, report: RectificationReport, actor: User, title: str, texts: Mapping[str, str]
) -> RectificationReport:
    """Save the unit's edit of the draft: the title and each section's text (by key)."""
    with transaction.atomic():
        locked = _locked(report)
        appraisal = locked.appraisal
        _require_unit(actor, appraisal)
        _require_phase(appraisal)
        if not locked.editable:
            raise ReportError(
                _("The submitted report is frozen; it can be revised only after it is returned.")
            )
        title = " ".join(title.split())[:TITLE_MAX]
        if not title:
            raise ReportError(_("The report needs a title."))
        sections = [
            {**s, "text": str(texts.get(s["key"], s["text"])).strip()[:SECTION_MAX]}
            for s in locked.sections
        ]
        changed = [s["key"] for s, old in zip(sections, locked.sections, strict=True) if s != old]
        fields = _set_content(locked, title, sections)
        locked.updated_by = actor
        locked.save(update_fields=fields)
        audit_log(
            actor=actor,
            action="rectification.report.saved",
            obj=locked,
            campaign=appraisal.campaign,
            data={"sections": changed, "title": title != report.title},
        )
    return locked


def report_approve(*, report: RectificationReport, actor: User) -> RectificationReport:
    """The unit head approves the draft as it stands now; any later edit needs a new one."""
    with transaction.atomic():
        locked = _locked(report)
        appraisal = locked.appraisal
        if not is_unit_head(actor, appraisal):
            raise NotAllowed(_("Only the unit's head approves its rectification report."))
        if not locked.editable:
            raise ReportError(_("Only a draft can be approved."))
        if locked.approval_current:
            raise ReportError(_("The head has already approved this text."))
        missing = selectors.to_fill(locked.sections)
        if missing:
            raise ReportError(
                _("Still to be written (【请填写…】): %(s)s.") % {"s": "、".join(missing)}
            )
        locked.approved_by, locked.approved_at = actor, timezone.now()
        locked.approved_digest = locked.digest()
        locked.save(update_fields=["approved_by", "approved_at", "approved_digest"])
        audit_log(
            actor=actor,
            action="rectification.report.approved",
            obj=locked,
            campaign=appraisal.campaign,
        )
    return locked


def report_move(
    *, report: RectificationReport, actor: User, to: str, note: str = "", comment: str = ""
) -> RectificationReport:
    """The one way a report changes status (``RectificationReport.TRANSITIONS``).

    ``submitted``: by the unit's team, in the rectification or second-scoring phase, with
    the head's approval of exactly this text; freezes the next version with the ledger's
    counts, marked late after the opinion's reply deadline (a revision needs ``note``).
    ``returned``: by the work group or the office, with a comment. ``accepted``: likewise.
    """
    with transaction.atomic():
        locked = _locked(report)
        appraisal = locked.appraisal
        by = locked.TRANSITIONS.get(locked.status, {}).get(to)
        if by is None:
            raise ReportError(
                _("A rectification report that is “%(state)s” cannot be moved that way.")
                % {"state": locked.get_status_display()}
            )
        if by == "unit":
            _require_unit(actor, appraisal)
        elif not is_investigator(actor, appraisal):
            raise NotAllowed(_("Only the work group and the office review the report."))
        now = timezone.now()
        data: dict[str, Any] = {"from": locked.status, "to": to}
        if to == Status.SUBMITTED:
            version = _freeze(locked, actor=actor, note=note, now=now)
            data.update(version=version.number, late=version.late, counts=version.counts())
        else:
            comment = comment.strip()
            if to == Status.RETURNED and not comment:
                raise ReportError(_("Say what should change: write a comment."))
            latest = locked.versions.order_by("-number").first()
            assert latest is not None  # submitted implies a version
            version = latest
            version.outcome, version.comment = to, comment[:4000]
            version.reviewed_by, version.reviewed_at = actor, now
            version.save(update_fields=["outcome", "comment", "reviewed_by", "reviewed_at"])
            data["version"] = version.number
        locked.status = to
        locked.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=actor,
            action=f"rectification.report.{to}",
            obj=locked,
            campaign=appraisal.campaign,
            data=data,
        )
    return locked


def _freeze(
    report: RectificationReport, *, actor: User, note: str, now: Any
) -> RectificationReportVersion:
    appraisal = report.appraisal
    _require_phase(appraisal)
    if not report.approval_current or report.approved_by is None or report.approved_at is None:
        raise ReportError(_("The unit head must approve this text before it is submitted."))
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    note = note.strip()
    if number > 1 and not note:
        raise ReportError(_("Say what changed since the last version."))
    opinion = selectors.issued_opinion(appraisal)
    deadline = opinion.reply_deadline if opinion else None
    today = timezone.localdate(now)
    return RectificationReportVersion.objects.create(
        report=report,
        number=number,
        title=report.title,
        sections=report.sections,
        note=note[:2000],
        submitted_by=actor,
        submitted_at=now,
        approved_by=report.approved_by,
        approved_at=report.approved_at,
        deadline=deadline,
        late=bool(deadline and today > deadline),
        **selectors.ledger_counts(appraisal, today),
    )
