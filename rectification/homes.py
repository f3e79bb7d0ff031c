"""The self-review, the investigation report and the opinion on the unit's and the work
group's home pages: what stands, what is due, and the way in. A fixed number of queries
(five at most), whatever the number of appraisals."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from appraisal.homes import Action, Panel, Todo
from appraisal.models import (
    Appraisal,
    Campaign,
    SelfReview,
    User,
    Voter,
    WorkGroupMember,
)
from rectification.models import AppraisalOpinion
from surveys.models import InvestigationReport
from surveys.reports.models import ReportSignoff
from units.models import UnitTeamMember

# Phases in which a unit still writes and submits its self-review.
WRITING_PHASES = {
    Campaign.Phase.PREPARATION,
    Campaign.Phase.INVESTIGATION,
    Campaign.Phase.SELF_REVIEW,
    Campaign.Phase.MEETING,
}


def _states(
    appraisals: Sequence[Appraisal],
) -> tuple[dict[int, str], dict[int, str], dict[int, AppraisalOpinion]]:
    ids = [a.pk for a in appraisals]
    reviews = dict(
        SelfReview.objects.filter(appraisal__in=ids).values_list("appraisal_id", "status")
    )
    reports = dict(
        InvestigationReport.objects.filter(appraisal__in=ids).values_list("appraisal_id", "status")
    )
    opinions = {o.appraisal_id: o for o in AppraisalOpinion.objects.filter(appraisal__in=ids)}
    return reviews, reports, opinions


def _drafts(appraisals: Sequence[Appraisal]) -> dict[int, SelfReview]:
    """The unit's drafts (not yet submitted) with their approval, one query."""
    return {
        r.appraisal_id: r
        for r in SelfReview.objects.filter(
            appraisal__in=[a.pk for a in appraisals], status__in=SelfReview.EDITABLE
        )
    }


def _draft_todo(review: SelfReview | None, *, head: bool) -> str:
    """What the draft waits for, said to the person it waits for."""
    if review is None or not all(review.content().values()):
        return _("Write the self-review; the unit head approves it.")
    if review.approved_at is not None:
        # Edits and changed answers clear the approval, so a set one is current.
        return _("The unit head approved the self-review: submit it to the work group.")
    if head:
        return _("The self-review draft waits for your approval (审定).")
    return _("The self-review draft waits for the unit head's approval.")


def unit_panels(user: User, appraisals: Sequence[Appraisal]) -> dict[int, list[Panel]]:
    reviews, _reports, opinions = _states(appraisals)
    drafts = _drafts(appraisals)
    heads = set(
        UnitTeamMember.objects.filter(user=user, role=UnitTeamMember.Role.HEAD).values_list(
            "unit_id", flat=True
        )
    )
    labels = dict(SelfReview.Status.choices)
    out: dict[int, list[Panel]] = {}
    for a in appraisals:
        url = reverse("appraisal:self_review", args=[a.pk])
        status = reviews.get(a.pk, "")
        if a.campaign.phase not in WRITING_PHASES and not status and a.pk not in opinions:
            continue  # a past campaign without these: nothing to show or do
        panel = Panel(title=_("Self-review and opinion"))
        to_write = status in ("", SelfReview.Status.DRAFT, SelfReview.Status.RETURNED)
        panel.actions.append(Action(_("Self-review report"), url, primary=to_write))
        if status == SelfReview.Status.RETURNED:
            panel.todos.append(Todo(_("The work group returned the self-review: revise it."), url))
        elif status in ("", SelfReview.Status.DRAFT) and a.campaign.phase in WRITING_PHASES:
            todo = _draft_todo(drafts.get(a.pk), head=a.unit_id in heads)
            panel.todos.append(Todo(todo, url))
        elif status:
            panel.items.append((f"{_('Self-review report')}：{labels[status]}", url, None))
        opinion = opinions.get(a.pk)
        if opinion is not None and not opinion.is_draft:
            o_url = reverse("rectification:opinion", args=[a.pk])
            # Main only while it waits for acknowledgment; then the ledger is the work.
            needs_receipt = opinion.status == AppraisalOpinion.Status.ISSUED
            panel.actions.append(Action(_("Appraisal opinion"), o_url, primary=needs_receipt))
            if opinion.status == AppraisalOpinion.Status.ISSUED:
                panel.todos.append(Todo(_("Acknowledge receipt of the appraisal opinion."), o_url))
            panel.todos.append(
                Todo(
                    _("Report on the rectification of %(n)s") % {"n": opinion.document_number},
                    o_url,
                    opinion.reply_deadline,
                )
            )
        out[a.pk] = [panel]
    return out


def _signer_appraisals(user: User, appraisals: Sequence[Appraisal]) -> set[int]:
    """The appraisals whose report this person signs: a deputy member of the work group
    (as ``surveys.reports.access.signers``), one query."""
    voter = Voter.objects.filter(voter_group__campaign=OuterRef("campaign"), user=user)
    member = WorkGroupMember.objects.filter(
        work_group=OuterRef("work_group"), user=user, role=WorkGroupMember.Role.MEMBER
    )
    return set(
        Appraisal.objects.filter(pk__in=[a.pk for a in appraisals])
        .filter(Exists(voter), Exists(member))
        .values_list("pk", flat=True)
    )


def work_group_panels(user: User, appraisals: Sequence[Appraisal]) -> dict[int, list[Panel]]:
    reviews, reports, opinions = _states(appraisals)
    # Reports out for signing this person has signed in the current round (one query).
    signed = set(
        ReportSignoff.objects.filter(
            user=user,
            report__appraisal__in=[a.pk for a in appraisals],
            report__status=InvestigationReport.Status.SIGNING,
            round=F("report__round"),
        ).values_list("report__appraisal_id", flat=True)
    )
    signer_of = _signer_appraisals(user, appraisals)
    review_labels = dict(SelfReview.Status.choices)
    report_labels = dict(InvestigationReport.Status.choices)
    out: dict[int, list[Panel]] = {}
    for a in appraisals:
        if a.campaign.phase == Campaign.Phase.CLOSED and a.pk not in reviews:
            continue
        sr_url = reverse("appraisal:self_review", args=[a.pk])
        rp_url = reverse("surveys:report", args=[a.pk])
        panel = Panel(title=_("Self-review, report and opinion"))
        review = reviews.get(a.pk, "")
        if review == SelfReview.Status.SUBMITTED:
            panel.todos.append(Todo(_("The unit submitted its self-review: review it."), sr_url))
        report = reports.get(a.pk, "")
        if report == InvestigationReport.Status.SIGNING:
            if a.pk in signer_of and a.pk not in signed:
                text = _("The investigation report waits for your signature.")
            elif a.pk in signer_of:
                text = _("The investigation report is out for signing; you have signed it.")
            else:
                text = _("The investigation report is out for signing.")
            panel.todos.append(Todo(text, rp_url))
        elif report in ("", InvestigationReport.Status.DRAFT, InvestigationReport.Status.RETURNED):
            panel.todos.append(Todo(_("Write the investigation report."), rp_url))
        panel.items.append(
            (
                f"{_('Self-review report')}：{review_labels.get(review, _('Not started'))}",
                sr_url,
                None,
            )
        )
        panel.items.append(
            (
                f"{_('Investigation report')}：{report_labels.get(report, _('Not started'))}",
                rp_url,
                None,
            )
        )
        opinion = opinions.get(a.pk)
        if opinion is not None and not opinion.is_draft:
            o_url = reverse("rectification:opinion", args=[a.pk])
            panel.items.append(
                (f"{opinion.document_number}：{opinion.get_status_display()}", o_url, None)
            )
        panel.actions += [
            Action(_("Self-review report"), sr_url, primary=review == SelfReview.Status.SUBMITTED),
            Action(
                _("Investigation report"),
                rp_url,
                primary=report != InvestigationReport.Status.ACCEPTED,
            ),
        ]
        out[a.pk] = [panel]
    return out
