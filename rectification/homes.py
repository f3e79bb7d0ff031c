"""The self-review, the investigation report and the opinion on the unit's and the work
group's home pages: what stands, what is due, and the way in. Three queries."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from appraisal.homes import Action, Panel, Todo
from appraisal.models import Appraisal, Campaign, SelfReview, User
from rectification.models import AppraisalOpinion
from surveys.models import InvestigationReport

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


def unit_panels(user: User, appraisals: Sequence[Appraisal]) -> dict[int, list[Panel]]:
    reviews, _reports, opinions = _states(appraisals)
    labels = dict(SelfReview.Status.choices)
    out: dict[int, list[Panel]] = {}
    for a in appraisals:
        url = reverse("appraisal:self_review", args=[a.pk])
        status = reviews.get(a.pk, "")
        if a.campaign.phase not in WRITING_PHASES and not status and a.pk not in opinions:
            continue  # a past campaign without these: nothing to show or do
        panel = Panel(title=_("Self-review and opinion"))
        panel.actions.append(Action(_("Self-review report"), url, primary=status != "accepted"))
        if status == SelfReview.Status.RETURNED:
            panel.todos.append(Todo(_("The work group returned the self-review: revise it."), url))
        elif status in ("", SelfReview.Status.DRAFT) and a.campaign.phase in WRITING_PHASES:
            panel.todos.append(Todo(_("Write the self-review; the unit head approves it."), url))
        elif status:
            panel.items.append((f"{_('Self-review report')}：{labels[status]}", url, None))
        opinion = opinions.get(a.pk)
        if opinion is not None and not opinion.is_draft:
            o_url = reverse("rectification:opinion", args=[a.pk])
            panel.actions.append(Action(_("Appraisal opinion"), o_url, primary=True))
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


def work_group_panels(user: User, appraisals: Sequence[Appraisal]) -> dict[int, list[Panel]]:
    reviews, reports, opinions = _states(appraisals)
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
            panel.todos.append(Todo(_("The investigation report is out for signing."), rp_url))
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
            Action(_("Self-review report"), sr_url),
            Action(_("Investigation report"), rp_url, primary=True),
        ]
        out[a.pk] = [panel]
    return out
