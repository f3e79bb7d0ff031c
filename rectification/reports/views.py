"""Rectification report pages: the unit's draft (generate, edit, approve, submit), the
review, frozen versions and their PDFs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appraisal import documents
from appraisal.access import acting_user
from appraisal.errors import DomainError
from rectification.reports import access, selectors, services
from rectification.reports.documents import report_blocks, report_filename, report_pdf
from rectification.reports.forms import ReportForm, ReviewForm, SubmitForm
from rectification.reports.models import RectificationReport


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    appraisal = access.get_appraisal_for_report(user, pk)
    current = selectors.report_of(appraisal)
    unit_member = access.is_unit_member(user, appraisal)
    form = None
    if unit_member and current is not None and current.editable:
        form = ReportForm(request.POST or None, report=current)
        if request.method == "POST" and form.is_valid():
            try:
                services.report_save_draft(
                    report=current,
                    actor=user,
                    title=form.cleaned_data["title"],
                    texts=form.texts(),
                )
            except DomainError as e:
                messages.error(request, e.message)
            else:
                messages.success(request, _("The draft is saved."))
            return redirect("rectification:report", pk=appraisal.pk)
    elif request.method == "POST":
        raise PermissionDenied
    versions = selectors.versions_of(appraisal)
    latest = versions[-1] if versions else None
    opinion = selectors.issued_opinion(appraisal)
    reviewer = access.can_review(user, appraisal)
    unit_head = access.is_unit_head(user, appraisal)
    return render(
        request,
        "rectification/reports/report.html",
        {
            "appraisal": appraisal,
            "report": current,
            "form": form,
            "unit_member": unit_member,
            "unit_head": unit_head,
            "main_action": _main_action(current, unit_head=unit_head),
            "reviewer": reviewer,
            "versions": versions,
            "latest": latest,
            "opinion": opinion,
            "today": timezone.localdate(),
            "can_write": appraisal.campaign.phase in services.PHASES and opinion is not None,
            "now_tiles": selectors.count_tiles(selectors.ledger_counts(appraisal)),
            "latest_tiles": selectors.count_tiles(latest.counts()) if latest else [],
            "to_fill": selectors.to_fill(current.sections) if current else [],
            "submit_form": SubmitForm(),
            "review_form": ReviewForm() if reviewer else None,
        },
    )


def _main_action(current: RectificationReport | None, *, unit_head: bool) -> str:
    """The one primary button of the unit's page: write the draft while there is none,
    then save it, the head approves it, and once approved it is submitted."""
    if current is None:
        return "generate"
    if current.awaiting_submission:
        return "submit"
    return "approve" if unit_head else "save"


def _back(pk: int) -> HttpResponse:
    return redirect("rectification:report", pk=pk)


@login_required
@require_POST
def report_generate(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    appraisal = access.get_appraisal_for_report_writer(user, pk)
    try:
        services.report_generate(
            appraisal=appraisal, actor=user, seen=request.POST.get("seen", "")[:64]
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request,
            _("The draft is written from the ledger. Complete it where marked 【请填写…】."),
        )
    return _back(appraisal.pk)


def _own_report(request: HttpRequest, pk: int) -> RectificationReport | None:
    appraisal = access.get_appraisal_for_report_writer(acting_user(request), pk)
    current = selectors.report_of(appraisal)
    if current is None:
        messages.error(request, _("Generate the draft from the ledger first."))
    return current


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    current = _own_report(request, pk)
    if current is not None:
        try:
            services.report_approve(report=current, actor=acting_user(request))
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("The report is approved; the liaison can submit it."))
    return _back(pk)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    current = _own_report(request, pk)
    form = SubmitForm(request.POST)
    if current is not None:
        if not form.is_valid():
            messages.error(request, _("Say what changed in plain text (at most 2,000 characters)."))
            return _back(pk)
        try:
            services.report_move(
                report=current,
                actor=acting_user(request),
                to=RectificationReport.Status.SUBMITTED,
                note=form.cleaned_data["note"],
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("The rectification report is submitted to the committee."))
    return _back(pk)


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    appraisal = access.get_appraisal_for_report_reviewer(user, pk)
    current = selectors.report_of(appraisal)
    if current is None:
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for problem in form.non_field_errors() or [_("Choose accept or return.")]:
            messages.error(request, str(problem))
        return _back(pk)
    try:
        services.report_move(
            report=current,
            actor=user,
            to=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Your review is recorded and the unit sees it."))
    return _back(pk)


@login_required
@require_GET
def report_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version, as_voter = access.get_version_for_user(acting_user(request), pk, number)
    return render(
        request,
        "rectification/reports/version.html",
        {
            "appraisal": version.report.appraisal,
            "version": version,
            "as_voter": as_voter,
            "tiles": selectors.count_tiles(version.counts()),
            # The text as the PDF lays it out: 一、 per section, （一） per item.
            "blocks": report_blocks(version.sections),
        },
    )


@never_cache
@require_GET
def report_for_code(request: HttpRequest, code: str, pk: int, number: int) -> HttpResponse:
    """A submitted version for a voter of an open second round who has a one-time code and
    no account (linked from the code's ballot)."""
    version = access.get_version_for_code(code, pk, number)
    return render(
        request,
        "rectification/reports/version.html",
        {
            "appraisal": version.report.appraisal,
            "version": version,
            "as_voter": True,
            "no_pdf": True,
            "tiles": selectors.count_tiles(version.counts()),
            "blocks": report_blocks(version.sections),
        },
    )


@login_required
@require_GET
def report_version_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version, _as_voter = access.get_version_for_user(acting_user(request), pk, number)
    try:
        pdf = report_pdf(version)
    except documents.MissingGlyph as e:
        messages.error(request, e.message)
        return redirect(version)
    return documents.download(pdf, documents.PDF, report_filename(version))
