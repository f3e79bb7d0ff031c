"""Writes of the investigation report: each atomic, each audited; status moves only
through ``report_move`` and ``InvestigationReport.TRANSITIONS``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.audit import audit_log
from appraisal.errors import DomainError, NotAllowed
from appraisal.models import Appraisal, User
from surveys.reports import selectors
from surveys.reports.access import is_group_leader, is_group_member, signers
from surveys.reports.models import InvestigationReport, ReportFinding, ReportSignoff


class ReportError(DomainError):
    pass


def _locked(report: InvestigationReport) -> InvestigationReport:
    return (
        InvestigationReport.objects.select_for_update(of=("self",))
        .select_related("appraisal__campaign", "appraisal__unit", "appraisal__work_group")
        .get(pk=report.pk)
    )


def report_save_draft(
    *,
    appraisal: Appraisal,
    actor: User,
    title: str,
    body: str,
    included: set[int],
    reasons: Mapping[int, str],
    compose: bool = False,
) -> InvestigationReport:
    """Save the work group's draft: the text, which verified findings it includes, and why
    any is left out. ``compose`` replaces the text by one drafted from the data."""
    if not is_group_member(actor, appraisal):
        raise NotAllowed(_("Only the work group's members write its investigation report."))
    findings = selectors.verified_findings(appraisal)
    with transaction.atomic():
        report, created = InvestigationReport.objects.get_or_create(
            appraisal=appraisal, defaults={"title": selectors.report_default_title(appraisal)}
        )
        report = _locked(report)
        if not report.editable:
            raise ReportError(
                _("The text is frozen while it is signed or reviewed; it changes after a return.")
            )
        hidden = [
            f
            for f in findings
            if f.prominent and f.pk not in included and not reasons.get(f.pk, "").strip()
        ]
        if hidden:
            raise ReportError(
                _(
                    "A prominent problem may not be left out of the report without a "
                    "written reason: %(f)s"
                )
                % {"f": "；".join(f.text[:30] for f in hidden)}
            )
        picked = [f for f in findings if f.pk in included]
        report.title = title.strip() or selectors.report_default_title(appraisal)
        report.body = selectors.compose_body(appraisal, picked) if compose else body
        report.updated_by = actor
        report.save(update_fields=["title", "body", "updated_by", "updated_at"])
        existing = selectors.choices_of(report)
        for f in findings:
            choice = existing.get(f.pk) or ReportFinding(report=report, finding=f)
            choice.included = f.pk in included
            choice.omission_reason = "" if choice.included else reasons.get(f.pk, "").strip()
            choice.save()
        audit_log(
            actor=actor,
            action="surveys.report.saved",
            obj=report,
            campaign=appraisal.campaign,
            data={"created": created, "included": sorted(included), "composed": compose},
        )
    return report


def report_move(
    *,
    report: InvestigationReport,
    actor: User,
    to: str,
    comment: str = "",
    missing_reason: str = "",
) -> InvestigationReport:
    """The one way a report changes status (``InvestigationReport.TRANSITIONS``).

    ``signing``: by the leader; refused while a prominent verified finding is left out
    without a reason; opens a new signing round and freezes the text.
    ``draft``: the leader takes the text back before it is sent (signatures of the
    round lapse). ``submitted``: by the leader, when every deputy signed or dissented,
    or with ``missing_reason``. ``returned`` (with a comment) / ``accepted``: the office.
    """
    with transaction.atomic():
        locked = _locked(report)
        appraisal = locked.appraisal
        if to not in locked.TRANSITIONS.get(locked.status, set()):
            raise ReportError(
                _("A report that is “%(state)s” cannot be moved that way.")
                % {"state": locked.get_status_display()}
            )
        now = timezone.now()
        data: dict[str, Any] = {"from": locked.status, "to": to}
        fields = ["status", "updated_at"]
        S = InvestigationReport.Status
        if to in (S.SIGNING, S.DRAFT, S.SUBMITTED):
            if not is_group_leader(actor, appraisal):
                raise NotAllowed(_("Only the work group's leader moves the report on."))
        elif not actor.is_office:
            raise NotAllowed(_("Only the office reviews investigation reports."))
        if to == S.SIGNING:
            hidden = selectors.concealed(locked)
            if hidden:
                raise ReportError(
                    _(
                        "A prominent problem may not be left out of the report without a "
                        "written reason: %(f)s"
                    )
                    % {"f": "；".join(f.text[:30] for f in hidden)}
                )
            if not locked.body.strip():
                raise ReportError(_("The report has no text yet."))
            locked.round += 1
            locked.missing_reason = ""
            fields += ["round", "missing_reason"]
            data["round"] = locked.round
        elif to == S.SUBMITTED:
            signed = set(
                locked.signoffs.filter(round=locked.round).values_list("user_id", flat=True)
            )
            missing = [u for u in signers(appraisal) if u.pk not in signed]
            reason = missing_reason.strip()
            if missing and not reason:
                raise ReportError(
                    _("Not everyone has signed (%(names)s): record why, or wait.")
                    % {"names": "、".join(u.get_full_name() for u in missing)}
                )
            locked.missing_reason = reason if missing else ""
            locked.submitted_by, locked.submitted_at = actor, now
            fields += ["missing_reason", "submitted_by", "submitted_at"]
            data["missing"] = [u.pk for u in missing]
        elif to in (S.RETURNED, S.ACCEPTED):
            if to == S.RETURNED and not comment.strip():
                raise ReportError(_("Say what should change."))
            locked.review_comment = comment.strip()
            locked.reviewed_by, locked.reviewed_at = actor, now
            fields += ["review_comment", "reviewed_by", "reviewed_at"]
        locked.status = to
        locked.save(update_fields=fields)
        audit_log(
            actor=actor,
            action=f"surveys.report.{to}",
            obj=locked,
            campaign=appraisal.campaign,
            data=data,
        )
    return locked


def report_sign(
    *, report: InvestigationReport, actor: User, decision: str, note: str = ""
) -> ReportSignoff:
    """A deputy of the work group signs the text of the current round, or dissents (with
    a note). Once per round."""
    appraisal = report.appraisal
    if actor.pk not in {u.pk for u in signers(appraisal)}:
        raise NotAllowed(_("Only the deputies of the work group sign its report."))
    if decision not in ReportSignoff.Decision.values:
        raise ReportError(_("Sign or record a dissent."))
    if decision == ReportSignoff.Decision.DISSENT and not note.strip():
        raise ReportError(_("Write down the dissent."))
    try:
        with transaction.atomic():
            locked = _locked(report)
            if locked.status != InvestigationReport.Status.SIGNING:
                raise ReportError(_("The report is not out for signing."))
            signoff = ReportSignoff.objects.create(
                report=locked, round=locked.round, user=actor, decision=decision, note=note.strip()
            )
            audit_log(
                actor=actor,
                action=f"surveys.report.{decision}",
                obj=locked,
                campaign=appraisal.campaign,
                data={"round": locked.round},
            )
    except IntegrityError:
        raise ReportError(_("You have already signed this text.")) from None
    return signoff
