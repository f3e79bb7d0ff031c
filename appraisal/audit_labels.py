"""What each audit action code means, in words the office reads in the audit log.

Every code that ``audit_log`` is called with has a label here (a test walks the source
to make sure); admin codes (``admin.<app>.<model>.<verb>``) are built from the model's
name.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "appraisal.announcement.attached": _("Announcement: file attached"),
    "appraisal.announcement.changed": _("Announcement changed"),
    "appraisal.announcement.created": _("Announcement drafted"),
    "appraisal.announcement.detached": _("Announcement: file removed"),
    "appraisal.announcement.draft": _("Announcement: schedule cancelled"),
    "appraisal.announcement.published": _("Announcement published"),
    "appraisal.announcement.scheduled": _("Announcement scheduled"),
    "appraisal.announcement.withdrawn": _("Announcement withdrawn"),
    "rectification.progress.published": _("Rectification progress published"),
    "rectification.progress.withdrawn": _("Rectification progress withdrawn from the public"),
    "appraisal.ballot.cast": _("Ballot cast"),
    "appraisal.campaign.phase_changed": _("Campaign moved to the next phase"),
    "appraisal.role.granted": _("Role granted"),
    "appraisal.roster.imported": _("Roster imported"),
    "appraisal.round.attendance": _("Scoring round: attendance recorded"),
    "appraisal.round.changed": _("Scoring round changed"),
    "appraisal.round.closed": _("Scoring round closed"),
    "appraisal.round.codes_generated": _("Scoring round: voting codes made"),
    "appraisal.round.created": _("Scoring round created"),
    "appraisal.round.opened": _("Scoring round opened"),
    "appraisal.round.paper_recount": _("Scoring round: a group's paper count cleared"),
    "appraisal.round.paper_tally_entered": _("Scoring round: paper ballots counted"),
    "appraisal.round.published": _("Scoring results published"),
    "documents.document.issued": _("Document issued (number allocated)"),
    "documents.settings.saved": _("Issuing settings saved"),
    "appraisal.signin.letters_issued": _("Sign-in letters printed"),
    "appraisal.signin.password_set": _("Password set with a sign-in letter"),
    "surveys.activity.corrected": _("Investigation activity corrected"),
    "surveys.activity.recorded": _("Investigation activity recorded"),
    "surveys.finding.changed": _("Finding changed"),
    "surveys.finding.forwarded": _("Finding forwarded to the unit"),
    "surveys.finding.from_survey": _("Survey answer made a finding"),
    "surveys.finding.received": _("Finding: received"),
    "surveys.finding.recorded": _("Finding recorded"),
    "surveys.finding.submitted": _("Opinion submitted"),
    "surveys.finding.unfounded": _("Finding: not substantiated"),
    "surveys.finding.verified": _("Finding verified"),
    "surveys.finding.verifying": _("Finding: verification started"),
    "surveys.question.deleted": _("Survey question deleted"),
    "surveys.question.moved": _("Survey question moved"),
    "surveys.question.saved": _("Survey question saved"),
    "surveys.survey.changed": _("Questionnaire changed"),
    "surveys.survey.closed": _("Questionnaire closed"),
    "surveys.survey.codes_generated": _("Survey codes made"),
    "surveys.survey.copied": _("Questionnaire copied"),
    "surveys.survey.created": _("Questionnaire created"),
    "surveys.survey.link_limit_changed": _("Questionnaire: hourly answers per address changed"),
    "surveys.survey.open": _("Questionnaire opened"),
    "appraisal.selfreview.saved": _("Self-review draft saved"),
    "appraisal.selfreview.approved": _("Self-review approved by the unit head"),
    "appraisal.selfreview.approval_voided": _("Self-review approval lapsed: an answer changed"),
    "appraisal.selfreview.submitted": _("Self-review submitted"),
    "appraisal.selfreview.returned": _("Self-review returned for revision"),
    "appraisal.selfreview.accepted": _("Self-review accepted"),
    "appraisal.selfreview.attached": _("Self-review: file attached"),
    "appraisal.selfreview.detached": _("Self-review: file removed"),
    "surveys.finding.answered": _("Unit answered a forwarded finding"),
    "surveys.report.saved": _("Investigation report draft saved"),
    "surveys.report.signing": _("Investigation report sent for signing"),
    "surveys.report.draft": _("Investigation report taken back for editing"),
    "surveys.report.submitted": _("Investigation report sent to the office"),
    "surveys.report.returned": _("Investigation report returned for revision"),
    "surveys.report.accepted": _("Investigation report accepted"),
    "surveys.report.signed": _("Investigation report signed by a deputy"),
    "surveys.report.dissent": _("Dissent recorded on the investigation report"),
    "appraisal.plan.saved": _("Implementation plan saved"),
    "appraisal.plan.phase_dates": _("Planned phase dates set"),
    "appraisal.event.scheduled": _("Event scheduled"),
    "appraisal.event.changed": _("Scheduled event changed"),
    "appraisal.event.held": _("Scheduled event held"),
    "appraisal.event.cancelled": _("Scheduled event cancelled"),
    "appraisal.event.reinstated": _("Cancelled event scheduled again"),
    "appraisal.calendar_feed.created": _("Calendar subscription address created"),
    "appraisal.calendar_feed.reset": _("Calendar subscription address reset"),
    "rectification.opinion.saved": _("Appraisal opinion draft saved"),
    "rectification.opinion.item_added": _("Appraisal opinion: item added"),
    "rectification.opinion.item_changed": _("Appraisal opinion: item changed"),
    "rectification.opinion.item_removed": _("Appraisal opinion: item removed"),
    "rectification.opinion.issued": _("Appraisal opinion issued"),
    "rectification.opinion.acknowledged": _("Appraisal opinion acknowledged by the unit"),
    "rectification.opinion.published": _("Appraisal opinion shown to deputies"),
    "rectification.item.created": _("Rectification item added"),
    "rectification.item.changed": _("Rectification plan changed"),
    "rectification.item.submit": _("Rectification plan submitted"),
    "rectification.item.approve": _("Rectification plan approved"),
    "rectification.item.return_plan": _("Rectification plan returned"),
    "rectification.item.accept_explanation": _("Explanation of a rectification item accepted"),
    "rectification.item.reject_explanation": _("Explanation of a rectification item rejected"),
    "rectification.item.start": _("Rectification item started"),
    "rectification.item.progress": _("Rectification progress reported"),
    "rectification.item.finish": _("Rectification item marked done"),
    "rectification.item.close": _("Rectification item closed (销号)"),
    "rectification.item.return": _("Rectification item returned for more work"),
    "rectification.item.reopen": _("Closed rectification item reopened"),
    "rectification.report.generated": _("Rectification report written from the ledger"),
    "rectification.report.saved": _("Rectification report draft saved"),
    "rectification.report.approved": _("Rectification report approved by the unit head"),
    "rectification.report.submitted": _("Rectification report submitted to the committee"),
    "rectification.report.returned": _("Rectification report returned for revision"),
    "rectification.report.accepted": _("Rectification report accepted"),
    "rectification.reminders.created": _("Ledger reminders written"),
    "rectification.ledger.imported": _("Rectification ledger imported from Excel"),
    "rectification.digest.created": _("Weekly ledger digest written for the office"),
    "rectification.notices.read": _("Closure notices marked read"),
}

ADMIN_VERBS = {
    "created": _("Administration: %(model)s added"),
    "changed": _("Administration: %(model)s changed"),
    "deleted": _("Administration: %(model)s deleted"),
}


def action_label(code: str) -> str:
    """The code in words; an unknown code is shown as it is rather than hidden."""
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    parts = code.split(".")
    if len(parts) == 4 and parts[0] == "admin" and parts[3] in ADMIN_VERBS:
        try:
            model = apps.get_model(parts[1], parts[2])
        except LookupError:
            name = f"{parts[1]}.{parts[2]}"
        else:
            name = str(model._meta.verbose_name)
        return gettext(str(ADMIN_VERBS[parts[3]])) % {"model": name}
    return code
