"""Appraisal opinion pages: the office drafts and issues; the unit reads and acknowledges;
the work group follows; deputies read what the office shows them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from appraisal import documents
from appraisal.access import (
    acting_user,
    can_see_appraisal,
    get_appraisal_for_user,
    get_campaign_for_office,
    is_investigator,
    office_required,
    roles_of,
    voter_required,
)
from appraisal.errors import DomainError
from appraisal.models import Appraisal
from appraisal.selfreview.access import is_unit_member
from rectification.opinions import documents as opinion_documents
from rectification.opinions import selectors, services
from rectification.opinions.access import (
    get_appraisal_for_opinion_office,
    get_opinion_for_user,
    get_opinion_item_for_office,
)
from rectification.opinions.documents import opinion_pdf as opinion_pdf_bytes
from rectification.opinions.forms import IssueForm, OpinionForm, OpinionItemForm
from rectification.opinions.models import AppraisalOpinion, OpinionItem


@login_required
@require_http_methods(["GET", "POST"])
def opinion(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    office = roles_of(user).office
    if office:
        appraisal = get_appraisal_for_opinion_office(user, pk)
        current = selectors.opinion_of(appraisal)
    else:
        try:
            current = get_opinion_for_user(user, pk)
            appraisal = current.appraisal
        except Http404:
            # No opinion issued yet: those who may open the appraisal (its unit's team,
            # whose appraisal page links here) read "not drafted yet"; others get 404.
            appraisal = get_appraisal_for_user(user, pk)
            current = None
    form = None
    if office and (current is None or current.is_draft):
        initial = (
            {
                "title": current.title,
                "preamble": current.preamble,
                "reply_deadline": current.reply_deadline,
            }
            if current
            else {
                "title": selectors.opinion_default_title(appraisal),
                "reply_deadline": OpinionForm.default_deadline(),
            }
        )
        form = OpinionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            services.opinion_save_draft(appraisal=appraisal, actor=user, **form.cleaned_data)
            messages.success(request, _("The draft opinion is saved."))
            return redirect("rectification:opinion", pk=appraisal.pk)
    elif request.method == "POST":
        raise PermissionDenied
    can_draft = current is not None and current.is_draft and office
    return render(
        request,
        "rectification/opinions/opinion.html",
        {
            "appraisal": appraisal,
            "opinion": current,
            "items": selectors.items_of(current) if current else [],
            "form": form,
            "office": office,
            "item_form": OpinionItemForm(appraisal=appraisal) if can_draft else None,
            "issue_form": IssueForm(initial={"issue_date": timezone.localdate()})
            if can_draft
            else None,
            "unit_member": is_unit_member(user, appraisal),
            "investigator": is_investigator(user, appraisal),
            "see_appraisal": can_see_appraisal(user, appraisal),
        },
    )


def _office_draft(request: HttpRequest, pk: int) -> tuple[Appraisal, AppraisalOpinion]:
    appraisal = get_appraisal_for_opinion_office(request.user, pk)
    current = selectors.opinion_of(appraisal)
    if current is None:
        raise Http404
    return appraisal, current


@require_POST
@login_required
def opinion_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal, current = _office_draft(request, pk)
    form = OpinionItemForm(request.POST, appraisal=appraisal)
    if form.is_valid():
        try:
            services.opinion_item_add(
                opinion=current, actor=acting_user(request), **form.cleaned_data
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("The item is added."))
    else:
        messages.error(request, _("Write both the problem and the requirement."))
    return redirect("rectification:opinion", pk=appraisal.pk)


def _item_for_office(request: HttpRequest, pk: int) -> OpinionItem:
    return get_opinion_item_for_office(request.user, pk)


@login_required
@require_http_methods(["GET", "POST"])
def opinion_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_office(request, pk)
    appraisal = item.opinion.appraisal
    form = OpinionItemForm(
        request.POST or None,
        appraisal=appraisal,
        initial={
            "problem": item.problem,
            "requirement": item.requirement,
            "findings": list(item.findings.all()),
            "report_passage": item.report_passage,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_item_update(item=item, actor=acting_user(request), **form.cleaned_data)
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("The item is saved."))
        return redirect("rectification:opinion", pk=appraisal.pk)
    return render(
        request,
        "rectification/opinions/item.html",
        {"appraisal": appraisal, "item": item, "form": form},
    )


@require_POST
@login_required
def opinion_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_office(request, pk)
    appraisal = item.opinion.appraisal
    try:
        services.opinion_item_remove(item=item, actor=acting_user(request))
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("rectification:opinion", pk=appraisal.pk)


@require_POST
@login_required
def opinion_issue(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal, current = _office_draft(request, pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date of issue."))
        return redirect("rectification:opinion", pk=appraisal.pk)
    try:
        issued = services.opinion_move(
            opinion=current,
            actor=acting_user(request),
            to=AppraisalOpinion.Status.ISSUED,
            issue_date=form.cleaned_data["issue_date"],
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request,
            _("Issued as %(n)s; the unit sees it now.") % {"n": issued.document_number},
        )
    return redirect("rectification:opinion", pk=appraisal.pk)


@require_POST
@login_required
def opinion_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    current = get_opinion_for_user(request.user, pk)
    if not is_unit_member(request.user, current.appraisal):
        raise PermissionDenied
    try:
        services.opinion_move(
            opinion=current, actor=acting_user(request), to=AppraisalOpinion.Status.ACKNOWLEDGED
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Receipt is acknowledged."))
    return redirect("rectification:opinion", pk=pk)


@require_POST
@login_required
def opinion_publish(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal, current = _office_draft(request, pk)
    try:
        services.opinion_publish(opinion=current, actor=acting_user(request))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Deputies can now read this opinion."))
    return redirect("rectification:opinion", pk=appraisal.pk)


def opinion_document(current: AppraisalOpinion) -> bytes:
    return opinion_pdf_bytes(current)


@login_required
def opinion_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    current = get_opinion_for_user(request.user, pk)
    name = f"{current.document_number or '评议意见（草稿）'}{current.title}.pdf"
    try:
        pdf = opinion_document(current)
    except documents.MissingGlyph as e:
        messages.error(request, e.message)
        return redirect("rectification:opinion", pk=current.appraisal_id)
    return documents.download(pdf, "application/pdf", name)


@office_required
def campaign_summary_pdf(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    """The office's summary: every appraisal's status in each phase, findings by topic
    and status, opinions issued and acknowledged."""
    campaign = get_campaign_for_office(request.user, campaign_pk)
    try:
        pdf = opinion_documents.campaign_summary_pdf(campaign)
    except documents.MissingGlyph as e:
        messages.error(request, e.message)
        return redirect("appraisal:office_campaign", campaign_pk=campaign.pk)
    return documents.download(pdf, documents.PDF, f"{campaign.title}进展情况汇总.pdf")


@voter_required
def deputy_progress(request: HttpRequest) -> HttpResponse:
    """Deputies follow each unit: self-review submitted / accepted, and the committee's
    opinion once the office shows it to them."""
    return render(
        request,
        "rectification/opinions/deputy_progress.html",
        {"rows": selectors.progress_for_voter(acting_user(request))},
    )
