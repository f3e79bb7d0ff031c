"""Plan, schedule and calendar pages, and the personal iCalendar feed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from appraisal.access import (
    acting_user,
    can_see_appraisal,
    get_appraisal_for_user,
    get_campaign_for_office,
    is_investigator,
    office_required,
    roles_of,
)
from appraisal.documents import MissingGlyph
from appraisal.documents.http import PDF, content_disposition, download
from appraisal.errors import DomainError
from appraisal.forms import parse_id
from appraisal.models import Appraisal, Campaign, ScheduledEvent, User
from appraisal.schedule import hooks, ical, selectors, services
from appraisal.schedule.access import (
    can_manage_event,
    can_schedule,
    can_schedule_somewhere,
    get_campaign_for_member,
    get_event_for_manager,
    get_event_for_user,
)
from appraisal.schedule.documents import plan_pdf
from appraisal.schedule.forms import EventForm, EventMoveForm, PhaseDatesForm, PlanForm


def _month(value: str | None) -> tuple[int, int]:
    """``YYYY-MM`` from a link, within 1900–2200; anything else is this month."""
    today = timezone.localdate()
    text = (value or "").strip()
    if len(text) == 7 and text[4] == "-" and text.replace("-", "").isascii():
        year, month = text[:4], text[5:]
        digits = year.isdecimal() and month.isdecimal()
        if digits and 1900 <= int(year) <= 2200 and 1 <= int(month) <= 12:
            return int(year), int(month)
    return today.year, today.month


@login_required
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    view = "list" if request.GET.get("view") == "list" else "month"
    past = request.GET.get("past") == "1"
    context: dict[str, Any] = {"view": view, "past": past, **selectors.calendar_context(user)}
    if view == "month":
        year, month = _month(request.GET.get("month"))
        first = date(year, month, 1)
        weeks = selectors.month_grid(year, month, [])
        events = selectors.events_between(user, weeks[0][0].day, weeks[-1][-1].day)
        weeks = selectors.month_grid(year, month, events)
        prev_month = first - timedelta(days=1)
        next_month = first + timedelta(days=32)
        context.update(
            {
                "first": first,
                "weeks": weeks,
                "month_days": [d for week in weeks for d in week if d.in_month and d.events],
                "prev": f"{prev_month:%Y-%m}",
                "next": f"{next_month:%Y-%m}",
                "this": f"{timezone.localdate():%Y-%m}",
                "weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],
            }
        )
    else:
        events = selectors.past_events(user) if past else selectors.upcoming_events(user)
        context["days"] = selectors.by_day(events)
    feed = selectors.feed_of(user)
    context["feed_url"] = (
        request.build_absolute_uri(reverse("appraisal:calendar_feed", args=[feed.token]))
        if feed
        else ""
    )
    return render(request, "appraisal/schedule/calendar.html", context)


@login_required
@require_POST
def calendar_feed_reset(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    had_one = selectors.feed_of(user) is not None
    services.feed_reset(user=user)
    messages.success(
        request,
        _("Your calendar address is ready. Any address given out before no longer works.")
        if had_one
        else _("Your calendar address is ready."),
    )
    return redirect(reverse("appraisal:calendar") + "#subscribe")


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's events as iCalendar, for calendar programs: the secret address is the
    only key, no session is read or made."""
    user = selectors.user_for_token(token)
    if user is None:
        raise Http404
    events = selectors.feed_events(user)
    urls = {e.pk: request.build_absolute_uri(e.get_absolute_url()) for e in events}
    body = ical.feed_bytes(
        events, name=_("Work appraisal · %(name)s") % {"name": user}, url_for=urls
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition("pingyi.ics").replace(
        "attachment", "inline"
    )
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    manage = can_manage_event(request.user, event)
    return render(
        request,
        "appraisal/schedule/event_detail.html",
        {
            "event": event,
            "manage": manage,
            "see_appraisal": event.appraisal is not None
            and can_see_appraisal(request.user, event.appraisal),
            "links": hooks.event_links(request.user, [event])[event.pk],
            "moves": ScheduledEvent.TRANSITIONS.get(event.status, set()) if manage else set(),
            "activity_kinds": ScheduledEvent.ACTIVITY_KINDS,
        },
    )


def _form_appraisals(user: User, campaign: Campaign) -> list[Appraisal]:
    appraisals = campaign.appraisals.select_related("unit", "work_group")
    return [a for a in appraisals if user.is_office or is_investigator(user, a)]


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    user = acting_user(request)
    campaign = get_campaign_for_member(user, campaign_pk)
    if not can_schedule_somewhere(user, campaign):
        raise PermissionDenied
    appraisals = _form_appraisals(user, campaign)
    initial: dict[str, Any] = {}
    wanted = parse_id(request.GET.get("appraisal"))
    if wanted is not None:
        initial["appraisal"] = str(wanted)
    form = EventForm(
        request.POST or None,
        initial=initial,
        campaign=campaign,
        appraisals=appraisals,
        office=user.is_office,
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_save(actor=user, campaign=campaign, **form.service_values())
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The event is scheduled."))
            return redirect(event.get_absolute_url())
    return render(
        request,
        "appraisal/schedule/event_form.html",
        {"form": form, "campaign": campaign, "event": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    event = get_event_for_manager(user, pk)
    form = EventForm(
        request.POST or None,
        campaign=event.campaign,
        appraisals=_form_appraisals(user, event.campaign),
        office=user.is_office,
        event=event,
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_save(
                actor=user, campaign=event.campaign, event=event, **form.service_values()
            )
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The event is changed."))
            return redirect(event.get_absolute_url())
    return render(
        request,
        "appraisal/schedule/event_form.html",
        {"form": form, "campaign": event.campaign, "event": event},
    )


@login_required
@require_POST
def event_move(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_manager(request.user, pk)
    form = EventMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was incomplete; nothing was changed."))
    else:
        try:
            services.event_move(
                event=event,
                actor=acting_user(request),
                to=form.cleaned_data["to"],
                note=form.cleaned_data["note"],
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("The event's status is changed."))
    return redirect(event.get_absolute_url())


@login_required
@require_GET
def appraisal_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_appraisal_for_user(request.user, pk)
    events = selectors.appraisal_events(request.user, appraisal)
    return render(
        request,
        "appraisal/schedule/appraisal_schedule.html",
        {
            "appraisal": appraisal,
            "days": selectors.by_day(events),
            "can_schedule": can_schedule(
                request.user, appraisal.campaign, appraisal, ScheduledEvent.Kind.SYMPOSIUM
            ),
        },
    )


# ---- the office: the plan and its timetable ----------------------------------------------


def _plan_initial(campaign: Campaign) -> dict[str, Any]:
    plan = selectors.plan_of(campaign)
    if plan is None:
        return {"title": f"{campaign.title}实施方案"}
    return {"title": plan.title, "text": plan.text}


def _phase_initial(campaign: Campaign) -> dict[str, Any]:
    out = {}
    for row in selectors.phase_rows(campaign):
        out[f"{row.phase}_start"] = row.planned_start
        out[f"{row.phase}_end"] = row.planned_end
    return out


@office_required
@require_http_methods(["GET", "POST"])
def campaign_plan(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_campaign_for_office(request.user, campaign_pk)
    plan_form = PlanForm(initial=_plan_initial(campaign))
    dates_form = PhaseDatesForm(initial=_phase_initial(campaign), campaign=campaign)
    if request.method == "POST" and "save_plan" in request.POST:
        plan_form = PlanForm(request.POST, request.FILES)
        if plan_form.is_valid():
            services.plan_save(
                campaign=campaign,
                actor=acting_user(request),
                title=plan_form.cleaned_data["title"],
                text=plan_form.cleaned_data["text"],
                upload=plan_form.cleaned_data["file"] or None,
                remove_file=plan_form.cleaned_data["remove_file"],
            )
            messages.success(request, _("The implementation plan is saved."))
            return redirect("appraisal:campaign_plan", campaign_pk=campaign.pk)
    elif request.method == "POST":
        dates_form = PhaseDatesForm(request.POST, campaign=campaign)
        if dates_form.is_valid():
            try:
                services.phase_plan_save(
                    campaign=campaign,
                    actor=acting_user(request),
                    dates=dates_form.cleaned_data["dates"],
                )
            except DomainError as e:
                dates_form.add_error(None, e.message)
            else:
                messages.success(request, _("The planned phase dates are saved."))
                return redirect("appraisal:campaign_plan", campaign_pk=campaign.pk)
    return render(
        request,
        "appraisal/schedule/campaign_plan.html",
        {
            "campaign": campaign,
            "plan": selectors.plan_of(campaign),
            "rows": selectors.phase_rows(campaign),
            "plan_form": plan_form,
            "dates_form": dates_form,
            "can_schedule": can_schedule_somewhere(request.user, campaign),
            "upcoming": selectors.by_day(selectors.upcoming_events(acting_user(request), limit=20)),
        },
    )


@login_required
@require_GET
def campaign_plan_pdf(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_campaign_for_member(request.user, campaign_pk)
    plan = selectors.plan_of(campaign)
    if plan is None or not plan.text.strip():
        raise Http404
    try:
        pdf = plan_pdf(plan, selectors.phase_rows(campaign))
    except MissingGlyph as e:
        messages.error(request, e.message)
        if roles_of(request.user).office:
            return redirect("appraisal:campaign_plan", campaign_pk=campaign.pk)
        return redirect("appraisal:calendar")
    return download(pdf, PDF, f"{plan.title}.pdf")


@login_required
@require_GET
def campaign_plan_file(request: HttpRequest, campaign_pk: int) -> FileResponse:
    campaign = get_campaign_for_member(request.user, campaign_pk)
    plan = selectors.plan_of(campaign)
    if plan is None or not plan.file:
        raise Http404
    response = FileResponse(
        plan.file.open("rb"),
        as_attachment=True,
        filename=plan.original_name or "plan",
        content_type=plan.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
