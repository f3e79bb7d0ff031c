"""Investigation report pages: the work group drafts, its deputies sign, its leader sends
it on, the office reviews; the office prints each unit's meeting packet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from appraisal import documents
from appraisal.access import acting_user, get_appraisal_for_user, office_required
from appraisal.errors import DomainError
from surveys.reports import documents as report_documents
from surveys.reports import selectors, services
from surveys.reports.access import (
    get_appraisal_for_report,
    is_group_leader,
    is_group_member,
    require_group_member,
    signers,
)
from surveys.reports.forms import MoveForm, ReportForm, SignForm


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_appraisal_for_report(request.user, pk)
    user = acting_user(request)
    current = selectors.report_of(appraisal)
    member = is_group_member(user, appraisal)
    findings = selectors.verified_findings(appraisal)
    form = None
    if member and (current is None or current.editable):
        form = ReportForm(
            request.POST or None,
            findings=findings,
            choices=selectors.choices_of(current),
            initial={
                "title": current.title if current else selectors.report_default_title(appraisal),
                "body": current.body if current else "",
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.report_save_draft(
                    appraisal=appraisal,
                    actor=user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    included=form.included(),
                    reasons=form.reasons(),
                    compose="compose" in request.POST,
                )
            except DomainError as e:
                messages.error(request, e.message)
            else:
                messages.success(request, _("The draft report is saved."))
                return redirect("surveys:report", pk=appraisal.pk)
    elif request.method == "POST":
        raise PermissionDenied
    signoffs = (
        list(current.signoffs.filter(round=current.round).select_related("user")) if current else []
    )
    signed = {s.user_id: s for s in signoffs}
    people = signers(appraisal)
    return render(
        request,
        "surveys/reports/report.html",
        {
            "appraisal": appraisal,
            "report": current,
            "form": form,
            "leader": is_group_leader(user, appraisal),
            "office": user.is_office,
            "signers": [(u, signed.get(u.pk)) for u in people],
            "everyone_signed": all(u.pk in signed for u in people),
            "can_sign": current is not None
            and current.status == "signing"
            and user.pk in {u.pk for u in people}
            and user.pk not in signed,
            "sign_form": SignForm(),
            "omissions": selectors.omissions(current) if current else [],
            "mentioned": {c.pk for c in selectors.mentioned_omissions(current)}
            if current
            else set(),
            "grouped": selectors.grouped_findings(current) if current else [],
            "concealed": selectors.concealed(current) if current else [],
            "activities": selectors.activities(appraisal),
            "questionnaires": selectors.questionnaire_results(appraisal),
        },
    )


@require_POST
@login_required
def report_move(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_appraisal_for_report(request.user, pk)
    current = selectors.report_of(appraisal)
    form = MoveForm(request.POST)
    if current is None or not form.is_valid():
        raise Http404
    try:
        moved = services.report_move(
            report=current, actor=acting_user(request), **form.cleaned_data
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request, _("The report is now “%(s)s”.") % {"s": _status_label(form.cleaned_data["to"])}
        )
        if moved.status == "signing":
            for choice in selectors.mentioned_omissions(moved):
                messages.warning(request, _mentioned_warning(choice.finding.text))
    return redirect("surveys:report", pk=appraisal.pk)


def _mentioned_warning(text: str) -> str:
    return _(
        "“%(f)s” is left out of the report, but the text still mentions it: the text and "
        "the annex of included problems disagree."
    ) % {"f": text[:40]}


def _status_label(status: str) -> str:
    from surveys.reports.models import InvestigationReport

    return str(dict(InvestigationReport.Status.choices)[status])


@require_POST
@login_required
def report_sign(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_appraisal_for_report(request.user, pk)
    require_group_member(request.user, appraisal)
    current = selectors.report_of(appraisal)
    form = SignForm(request.POST)
    if current is None or not form.is_valid():
        messages.error(request, _("Sign or record a dissent."))
        return redirect("surveys:report", pk=appraisal.pk)
    try:
        services.report_sign(report=current, actor=acting_user(request), **form.cleaned_data)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Your decision is recorded."))
    return redirect("surveys:report", pk=appraisal.pk)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_appraisal_for_report(request.user, pk)
    current = selectors.report_of(appraisal)
    if current is None:
        raise Http404
    try:
        pdf = report_documents.report_pdf(current)
    except documents.MissingGlyph as e:
        messages.error(request, e.message)
        return redirect("surveys:report", pk=appraisal.pk)
    return documents.download(pdf, documents.PDF, f"{current.title}.pdf")


@office_required
def meeting_packet(request: HttpRequest, pk: int) -> HttpResponse:
    """What the voters read before scoring: the unit's latest self-review and the work
    group's report, as one PDF."""
    appraisal = get_appraisal_for_user(request.user, pk)
    try:
        pdf = report_documents.meeting_packet_pdf(appraisal)
    except documents.MissingGlyph as e:
        messages.error(request, e.message)
        return redirect(appraisal.get_absolute_url())
    if pdf is None:
        messages.error(request, _("Neither a self-review nor a report exists yet."))
        return redirect(appraisal.get_absolute_url())
    return documents.download(pdf, "application/pdf", f"{appraisal.unit.name}工作评议会议材料.pdf")
