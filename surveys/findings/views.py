"""Investigation pages: the work group's activities and findings, the unit's forwarded
findings, deputies' and the public's opinions with their receipt codes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from appraisal.access import (
    acting_user,
    get_appraisal_for_investigator,
    get_appraisal_for_user,
    is_investigator,
    voter_required,
)
from appraisal.client_ip import client_address
from appraisal.errors import DomainError
from appraisal.models import ScheduledEvent
from appraisal.schedule.access import get_event_for_user
from surveys import feedback, throttle
from surveys.findings import selectors, services
from surveys.findings.access import (
    get_activity_for_recorder,
    get_attachment_for_user,
    get_finding_for_user,
)
from surveys.findings.forms import (
    ActivityCorrectForm,
    ActivityForm,
    FindingFilterForm,
    FindingRecordForm,
    FindingReviewForm,
    OpinionForm,
    ReceiptForm,
)
from surveys.models import Finding


@login_required
@require_http_methods(["GET", "POST"])
def activities(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_appraisal_for_investigator(request.user, pk)
    form = ActivityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.activity_record(
            appraisal=appraisal, actor=acting_user(request), **form.cleaned_data
        )
        messages.success(request, _("The activity is recorded."))
        return redirect("surveys:activities", pk=appraisal.pk)
    return render(
        request,
        "surveys/findings/activities.html",
        {
            "appraisal": appraisal,
            "form": form,
            "activities": selectors.activities_of(appraisal),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an activity: its recorder (or the office); others of the group get a 404."""
    activity = get_activity_for_recorder(request.user, pk)
    appraisal = activity.appraisal
    actor = acting_user(request)
    form = ActivityCorrectForm(request.POST or None, request.FILES or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ActivityForm.Meta.fields}
        try:
            services.activity_correct(
                activity=activity,
                actor=actor,
                attachments=form.cleaned_data["attachments"],
                remove=list(form.cleaned_data.get("remove") or []),
                **data,
            )
        except DomainError as e:  # e.g. the file was removed by someone else meanwhile
            messages.error(request, e.message)
            return redirect("surveys:activity_edit", pk=activity.pk)
        messages.success(request, _("The activity is corrected."))
        return redirect("surveys:activities", pk=appraisal.pk)
    return render(
        request,
        "surveys/findings/activity_edit.html",
        {"appraisal": appraisal, "activity": activity, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_from_event(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a scheduled event as held: the activity form, filled in from the event."""
    event = get_event_for_user(request.user, pk)
    if event.appraisal is None or event.kind not in ScheduledEvent.ACTIVITY_KINDS:
        raise Http404
    appraisal = get_appraisal_for_investigator(request.user, event.appraisal.pk)
    initial = {
        "kind": event.kind,
        "held_on": timezone.localdate(event.starts_at),
        "place": event.place,
        "summary": event.notes,
    }
    form = ActivityForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_record(
                appraisal=appraisal, actor=acting_user(request), event=event, **form.cleaned_data
            )
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The activity is recorded; the event is marked held."))
            return redirect("surveys:activities", pk=appraisal.pk)
    return render(
        request,
        "surveys/findings/activity_from_event.html",
        {"appraisal": appraisal, "event": event, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def findings(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_appraisal_for_user(request.user, pk)
    investigator = is_investigator(request.user, appraisal)
    form = FindingRecordForm(request.POST or None, appraisal=appraisal) if investigator else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            services.finding_record(
                appraisal=appraisal,
                actor=acting_user(request),
                text=form.cleaned_data["text"],
                topic=form.cleaned_data["topic"],
                activity=form.cleaned_data["activity"],
            )
            messages.success(request, _("The finding is recorded; verify it before it goes on."))
            return redirect("surveys:findings", pk=appraisal.pk)
    filters = FindingFilterForm(request.GET, investigator=investigator).filters()
    return render(
        request,
        "surveys/findings/findings.html",
        {
            "appraisal": appraisal,
            "investigator": investigator,
            "form": form,
            "filters": filters,
            "filtered": any(filters.values()),
            "findings": selectors.findings_for(acting_user(request), appraisal, filters),
            "statuses": Finding.Status.choices,
            "topics": Finding.Topic.choices,
            "sources": Finding.Source.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_finding_for_user(request.user, pk, write=request.method == "POST")
    investigator = is_investigator(request.user, item.appraisal)
    form = None
    if investigator:
        form = FindingReviewForm(
            request.POST or None,
            current=item.status,
            initial={
                "status": item.status,
                "note": item.verification_note,
                "topic": item.topic,
                "prominent": item.prominent,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.finding_review(
                    finding=item,
                    actor=acting_user(request),
                    status=form.chosen_status,
                    note=form.cleaned_data["note"],
                    topic=form.cleaned_data["topic"],
                    prominent=form.cleaned_data["prominent"],
                )
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("Saved."))
                return redirect(item)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "surveys/findings/finding.html",
        {"finding": item, "appraisal": item.appraisal, "investigator": investigator, "form": form},
    )


@login_required
@require_POST
def finding_forward(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_finding_for_user(request.user, pk, write=True)
    try:
        services.finding_forward(finding=item, actor=acting_user(request))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Forwarded: the unit now sees this finding."))
    return redirect(item)


@voter_required
@require_http_methods(["GET", "POST"])
def deputy_opinions(request: HttpRequest) -> HttpResponse:
    form = OpinionForm(
        request.POST or None, appraisals=selectors.appraisals_taking_opinions(), public=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_submit_by_deputy(
                appraisal=form.cleaned_data["appraisal"],
                deputy=acting_user(request),
                text=form.cleaned_data["text"],
                topic=form.cleaned_data["topic"],
            )
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Thank you. The work group will verify your opinion."))
            return redirect("surveys:deputy_opinions")
    mine, _more = selectors.mine_with_progress(acting_user(request))
    return render(request, "surveys/findings/deputy_opinions.html", {"form": form, "mine": mine})


@require_http_methods(["GET", "POST"])
def public_opinion(request: HttpRequest) -> HttpResponse:
    form = OpinionForm(
        request.POST or None, appraisals=selectors.appraisals_taking_opinions(), public=True
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                code = services.finding_submit_public(
                    appraisal=form.cleaned_data["appraisal"],
                    text=form.cleaned_data["text"],
                    contact=form.cleaned_data["contact"],
                    address=client_address(request),
                )
            except DomainError as e:
                form.add_error(None, e.message)
                status = 429 if isinstance(e, services.RateLimited) else 409
            else:
                # Post/redirect/get: a reload of the receipt must not submit again, and the
                # code travels in the session, never in a URL that logs would keep.
                request.session[RECEIPT_SESSION_KEY] = code
                return redirect("surveys:opinion_receipt")
        else:
            status = 400
    return render(request, "surveys/findings/opinion_form.html", {"form": form}, status=status)


RECEIPT_SESSION_KEY = "opinion_receipt"


def opinion_receipt(request: HttpRequest) -> HttpResponse:
    """The receipt code of the opinion just submitted, shown once."""
    code = request.session.pop(RECEIPT_SESSION_KEY, None)
    if code is None:
        return redirect("surveys:opinion_status")
    return render(request, "surveys/findings/opinion_receipt.html", {"code": code})


# Lookups of receipt codes per network address and hour: plenty for people following
# their opinions, far too few to guess one of 31^10 codes.
RECEIPT_LOOKUPS_PER_HOUR = 30


def opinion_status(request: HttpRequest) -> HttpResponse:
    """A public opinion's status by its receipt code and, once the committee's opinion
    rests on it, the progress of the rectification items built on it."""
    form = ReceiptForm(request.GET or None)
    found = None
    status = 200
    if form.is_valid():
        # Every lookup counts, found or not, so the count tells nothing about codes.
        if not throttle.take(
            key=throttle.key("receipt-lookup", client_address(request)),
            limit=RECEIPT_LOOKUPS_PER_HOUR,
        ):
            form.add_error(
                None, _("Too many lookups from this network in the last hour. Please try later.")
            )
            status = 429
        else:
            found = selectors.finding_by_receipt(form.cleaned_data["code"])
            if found is None:
                form.add_error(
                    "code", _("No opinion has this receipt code. Check it and try again.")
                )
    lines = feedback.progress_for([found]) if found is not None else {}
    return render(
        request,
        "surveys/findings/opinion_status.html",
        {"form": form, "found": found, "lines": lines.get(found.pk, []) if found else []},
        status=status,
    )


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """An activity's file, for those who investigate its appraisal; never a public URL."""
    item = get_attachment_for_user(request.user, pk)
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)
    response["Content-Type"] = item.content_type
    return response
