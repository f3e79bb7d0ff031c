"""Self-review pages: the unit's draft, approval and submission; the work group's review;
frozen versions, their side-by-side differences, files and PDFs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from appraisal import documents
from appraisal.access import acting_user
from appraisal.errors import DomainError
from appraisal.models import Appraisal
from appraisal.selfreview import documents as self_review_documents
from appraisal.selfreview import selectors, services
from appraisal.selfreview.access import (
    can_review,
    get_appraisal_for_self_review,
    get_appraisal_for_unit_writer,
    get_attachment_for_user,
    get_version_for_user,
    is_unit_head,
    is_unit_member,
)
from appraisal.selfreview.forms import AttachmentForm, ReviewForm, SelfReviewForm, SubmitForm
from appraisal.selfreview.models import SelfReview


@login_required
@require_http_methods(["GET", "POST"])
def self_review(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_appraisal_for_self_review(request.user, pk)
    user = acting_user(request)
    review = selectors.self_review_of(appraisal)
    form = None
    if is_unit_member(user, appraisal):
        form = SelfReviewForm(request.POST or None, initial=review.content() if review else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.selfreview_save_draft(
                    appraisal=appraisal, actor=user, content=form.cleaned_data
                )
            except DomainError as e:
                messages.error(request, e.message)
            else:
                messages.success(request, _("The draft is saved."))
            return redirect("appraisal:self_review", pk=appraisal.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return _page(request, appraisal, review=review, form=form)


def _page(
    request: HttpRequest,
    appraisal: Appraisal,
    *,
    review: SelfReview | None,
    form: SelfReviewForm | None = None,
    review_form: ReviewForm | None = None,
) -> HttpResponse:
    user = acting_user(request)
    unit_member = is_unit_member(user, appraisal)
    reviewer = review is not None and can_review(user, review)
    if form is None and unit_member:
        form = SelfReviewForm(initial=review.content() if review else None)
    if review_form is None and reviewer:
        review_form = ReviewForm()
    versions = selectors.versions_of(appraisal)
    latest = versions[-1] if versions else None
    editable = unit_member and (review is None or review.editable)
    missing = selectors.submission_missing(review) if editable and review else []
    approved = bool(review and review.approval_current)
    # One main button: submit once approved and complete, else the head's approval, else save.
    if approved and not missing:
        main_action = "submit"
    elif review is not None and not approved and is_unit_head(user, appraisal):
        main_action = "approve"
    else:
        main_action = "save"
    return render(
        request,
        "appraisal/selfreview/self_review.html",
        {
            "appraisal": appraisal,
            "review": review,
            "form": form,
            "unit_member": unit_member,
            "unit_head": is_unit_head(user, appraisal),
            "reviewer": reviewer,
            "versions": versions,
            "latest": latest,
            "submit_form": SubmitForm(),
            "review_form": review_form,
            "attachment_form": AttachmentForm(),
            "attachments": list(review.attachments.all()) if review else [],
            "missing": missing,
            "approved": approved,
            "main_action": main_action,
        },
    )


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    appraisal = get_appraisal_for_unit_writer(request.user, pk)
    review = selectors.self_review_of(appraisal)
    if review is None:
        messages.error(request, _("Save the draft first."))
        return redirect("appraisal:self_review", pk=appraisal.pk)
    user = acting_user(request)
    try:
        if action == "approve":
            services.selfreview_approve(self_review=review, actor=user)
            messages.success(request, _("The draft is approved; the liaison can submit it."))
        else:
            form = SubmitForm(request.POST)
            if not form.is_valid():
                messages.error(
                    request, _("Say what changed in plain text (at most 2,000 characters).")
                )
                return redirect("appraisal:self_review", pk=appraisal.pk)
            services.selfreview_move(
                self_review=review,
                actor=user,
                to=SelfReview.Status.SUBMITTED,
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The self-review is submitted to the work group."))
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("appraisal:self_review", pk=appraisal.pk)


@require_POST
@login_required
def self_review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "approve")


@require_POST
@login_required
def self_review_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "submit")


@require_POST
@login_required
def self_review_review(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_appraisal_for_self_review(request.user, pk)
    review = selectors.self_review_of(appraisal)
    if review is None or not can_review(request.user, review):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        # The page again with the person's choice and comments kept beside the error.
        for problem in form.non_field_errors() or [_("Choose accept or return.")]:
            messages.error(request, str(problem))
        return _page(request, appraisal, review=review, review_form=form)
    try:
        services.selfreview_move(
            self_review=review,
            actor=acting_user(request),
            to=form.cleaned_data["decision"],
            comments=form.comments(),
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Your review is recorded and the unit sees it."))
    return redirect("appraisal:self_review", pk=appraisal.pk)


@require_POST
@login_required
def self_review_attach(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_appraisal_for_unit_writer(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.selfreview_attach(
                appraisal=appraisal, actor=acting_user(request), upload=form.cleaned_data["file"]
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("The file is attached."))
    else:
        for errors in form.errors.values():
            for problem in errors:
                messages.error(request, str(problem))
    return redirect("appraisal:self_review", pk=appraisal.pk)


@require_POST
@login_required
def self_review_detach(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_attachment_for_user(request.user, pk)
    appraisal = item.self_review.appraisal
    if not is_unit_member(request.user, appraisal):
        raise PermissionDenied
    try:
        services.selfreview_detach(attachment=item, actor=acting_user(request))
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("appraisal:self_review", pk=appraisal.pk)


@login_required
def self_review_attachment(request: HttpRequest, pk: int) -> FileResponse:
    item = get_attachment_for_user(request.user, pk)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )


@login_required
def self_review_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = get_version_for_user(request.user, pk, number)
    appraisal = version.self_review.appraisal
    return render(
        request,
        "appraisal/selfreview/version.html",
        {
            "appraisal": appraisal,
            "version": version,
            "attachments": version.self_review.attachments.filter(
                version_number__lte=version.number
            ),
        },
    )


@login_required
def self_review_diff(request: HttpRequest, pk: int) -> HttpResponse:
    def number(name: str, default: int) -> int:
        raw = request.GET.get(name, "")
        if not raw:
            return default
        if not (raw.isascii() and raw.isdigit() and len(raw) < 5):
            raise Http404
        return int(raw)

    appraisal = get_appraisal_for_self_review(request.user, pk)
    versions = selectors.versions_of(appraisal)
    if len(versions) < 2:
        raise Http404
    new_n = number("to", versions[-1].number)
    old_n = number("from", new_n - 1)
    old = get_version_for_user(request.user, pk, old_n)
    new = get_version_for_user(request.user, pk, new_n)
    return render(
        request,
        "appraisal/selfreview/diff.html",
        {
            "appraisal": appraisal,
            "old": old,
            "new": new,
            "versions": versions,
            "sections": selectors.version_diff(old, new),
        },
    )


@login_required
def self_review_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = get_version_for_user(request.user, pk, number)
    try:
        pdf = self_review_documents.self_review_pdf(version)
    except documents.MissingGlyph as e:
        messages.error(request, e.message)
        return redirect(version.get_absolute_url())
    return documents.download(
        pdf, documents.PDF, self_review_documents.self_review_filename(version)
    )
