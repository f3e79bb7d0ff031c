"""The office's pages for announcements, and the poster and attachments (public once the
notice is published). The portal shows published notices; see ``portal/``."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from appraisal import documents
from appraisal.access import acting_user, get_campaign_for_office, office_required, roles_of
from appraisal.announcements import documents as announcement_documents
from appraisal.announcements import selectors, services
from appraisal.announcements.access import get_announcement_for_office, get_attachment_for_user
from appraisal.announcements.forms import AnnouncementForm, AttachmentForm, MoveForm
from appraisal.announcements.models import Announcement
from appraisal.errors import DomainError
from appraisal.selectors import appraisals_of

MOVE_LABELS = {
    "publish": _("Publish now"),
    "schedule": _("Schedule publication"),
    "unschedule": _("Cancel the schedule"),
    "withdraw": _("Withdraw"),
}


@office_required
def announcement_list(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_campaign_for_office(request.user, campaign_pk)
    return render(
        request,
        "appraisal/announcements/list.html",
        {"campaign": campaign, "announcements": selectors.announcements_of(campaign)},
    )


@office_required
@require_http_methods(["GET", "POST"])
def announcement_new(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_campaign_for_office(request.user, campaign_pk)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = services.announcement_save(
                campaign=campaign, actor=acting_user(request), values=form.cleaned_data
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("Draft saved. Preview it, then publish or schedule it."))
            return redirect("appraisal:announcement", pk=announcement.pk)
    return render(
        request, "appraisal/announcements/edit.html", {"campaign": campaign, "form": form}
    )


@office_required
@require_http_methods(["GET", "POST"])
def announcement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_announcement_for_office(request.user, pk)
    if not announcement.editable:
        messages.error(request, _("Only a draft can be changed."))
        return redirect("appraisal:announcement", pk=announcement.pk)
    form = AnnouncementForm(request.POST or None, instance=announcement)
    if request.method == "POST" and form.is_valid():
        try:
            services.announcement_save(
                campaign=announcement.campaign,
                actor=acting_user(request),
                values=form.cleaned_data,
                announcement=announcement,
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("appraisal:announcement", pk=announcement.pk)
        announcement.refresh_from_db()
    return render(
        request,
        "appraisal/announcements/edit.html",
        {"campaign": announcement.campaign, "announcement": announcement, "form": form},
    )


@office_required
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview, as the portal will show it, with the moves open to it and its history."""
    announcement = get_announcement_for_office(request.user, pk)
    return render(
        request,
        "appraisal/announcements/detail.html",
        {
            "a": announcement,
            "campaign": announcement.campaign,
            "attachments": list(announcement.attachments.all()),
            "moves": [(action, MOVE_LABELS[action]) for action in announcement.moves()],
            "history": selectors.announcement_history(announcement),
            "attach_form": AttachmentForm() if announcement.editable else None,
            "qr_target": _qr_target(request, announcement),
        },
    )


@office_required
@require_http_methods(["GET", "POST"])
def announcement_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm a move (publish, schedule, unschedule, withdraw), then make it."""
    announcement = get_announcement_for_office(request.user, pk)
    action = request.GET.get("action", "")
    if action not in MOVE_LABELS:
        raise Http404
    form = MoveForm(request.POST if request.method == "POST" else None, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.announcement_move(
                announcement=announcement,
                action=action,
                actor=acting_user(request),
                reason=form.cleaned_data.get("reason", ""),
                publish_at=form.cleaned_data.get("publish_at"),
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(
                request,
                _("Done: the notice is now “%(state)s”.") % {"state": moved.get_state_display()},
            )
            return redirect("appraisal:announcement", pk=announcement.pk)
    return render(
        request,
        "appraisal/announcements/confirm.html",
        {
            "a": announcement,
            "action": action,
            "label": MOVE_LABELS[action],
            "allowed": action in announcement.moves(),
            "form": form,
        },
    )


@office_required
@require_POST
def announcement_attach(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_announcement_for_office(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.announcement_attach(
                announcement=announcement,
                actor=acting_user(request),
                uploads=[form.cleaned_data["file"]],
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("File attached."))
    else:
        for error in form.errors.get("file", []):
            messages.error(request, str(error))
    return redirect("appraisal:announcement", pk=announcement.pk)


@office_required
@require_POST
def announcement_detach(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_attachment_for_user(request.user, pk)
    try:
        services.announcement_detach(attachment=attachment, actor=acting_user(request))
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("appraisal:announcement", pk=attachment.announcement_id)


def announcement_file(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment: to anyone once its notice is published, to the office always."""
    attachment = get_attachment_for_user(request.user, pk)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name
    )
    response["Content-Type"] = attachment.content_type
    return response


def announcement_poster(request: HttpRequest, pk: int) -> HttpResponse:
    """The poster PDF: to anyone once published, to the office as a marked draft before."""
    if roles_of(request.user).office:
        announcement = get_announcement_for_office(request.user, pk)
    else:
        found = selectors.published_announcement(pk)
        if found is None:
            raise Http404
        announcement = found
    units = [a.unit.name for a in appraisals_of(announcement.campaign)]
    try:
        pdf = announcement_documents.poster_pdf(
            announcement, target=_qr_target(request, announcement), units=units
        )
    except documents.MissingGlyph as e:
        messages.error(request, e.message)
        # Back to the page this person came from: the public never reaches the office's.
        if roles_of(request.user).office:
            return redirect("appraisal:announcement", pk=announcement.pk)
        return redirect(announcement_documents.public_path(announcement))
    return documents.download(pdf, documents.PDF, f"{announcement.title}.pdf")


def _qr_target(request: HttpRequest, announcement: Announcement) -> str:
    return announcement_documents.qr_target(announcement, absolute=request.build_absolute_uri)
