from __future__ import annotations

import base64
import hashlib
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from appraisal import documents, homes, selectors, services, stages
from appraisal.access import (
    get_appraisal_for_user,
    get_campaign_for_office,
    office_required,
    roles_of,
    unit_required,
    voter_required,
    work_group_required,
)
from appraisal.errors import DomainError
from appraisal.forms import PhaseAdvanceForm, RosterUploadForm
from appraisal.models import Campaign, ScoringRound, User
from appraisal.roster import (
    CHANGE_LABELS,
    RosterInvalid,
    roster_import,
    roster_parse,
    roster_preview,
    roster_template,
)
from appraisal.scoring import selectors as scoring_selectors


def _open_rounds(request: HttpRequest) -> list[ScoringRound]:
    """The scoring rounds open for this person: every home page shows them at the top,
    since someone with several roles lands on only one of them."""
    if not roles_of(request.user).voter:
        return []
    return list(scoring_selectors.open_rounds_for_voter(request.user))  # type: ignore[arg-type]


@login_required
def no_role(request: HttpRequest) -> HttpResponse:
    return render(request, "appraisal/no_role.html")


@office_required
def office_overview(request: HttpRequest, campaign_pk: int | None = None) -> HttpResponse:
    if campaign_pk is None and not selectors.campaign_exists():
        return render(request, "appraisal/office_overview.html", {"campaign": None})
    campaign = get_campaign_for_office(request.user, campaign_pk)
    context = selectors.office_overview(campaign)
    context["links"] = stages.links_for("campaign", request.user, campaign)
    context["open_rounds"] = _open_rounds(request)
    return render(request, "appraisal/office_overview.html", context)


@office_required
@require_http_methods(["GET", "POST"])
def campaign_advance(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_campaign_for_office(request.user, campaign_pk)
    if request.method == "POST":
        form = PhaseAdvanceForm(request.POST)
        if form.is_valid():
            try:
                campaign = services.campaign_advance_phase(
                    campaign=campaign,
                    actor=request.user,  # type: ignore[arg-type]
                    from_phase=form.cleaned_data["from_phase"],
                )
            except DomainError as e:
                messages.error(request, e.message)
            else:
                messages.success(
                    request,
                    _("The campaign is now in phase “%(phase)s”.")
                    % {"phase": campaign.get_phase_display()},
                )
        else:
            messages.error(request, _("The request was incomplete; nothing was changed."))
        return redirect("appraisal:office_campaign", campaign_pk=campaign.pk)
    form = PhaseAdvanceForm(initial={"from_phase": campaign.phase})
    return render(
        request,
        "appraisal/campaign_advance.html",
        {
            "campaign": campaign,
            "form": form,
            "still_open": selectors.open_before_leaving(campaign) if campaign.next_phase else [],
        },
    )


@office_required
def roster_template_download(request: HttpRequest) -> HttpResponse:
    return documents.download(roster_template(), documents.XLSX, "评议名册模板.xlsx")


def _roster_session_key(campaign: Campaign) -> str:
    return f"pingyi_roster_{campaign.pk}"


@office_required
@require_http_methods(["GET", "POST"])
def roster_upload(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    """Upload, check and preview a roster; import it only when the office confirms the
    preview. The checked file waits in the session between the two steps."""
    campaign = get_campaign_for_office(request.user, campaign_pk)
    actor: User = request.user  # type: ignore[assignment]
    key = _roster_session_key(campaign)
    context: dict[str, object] = {"campaign": campaign}
    form = RosterUploadForm()
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.get(key)
        if not pending or pending.get("digest") != request.POST.get("digest"):
            messages.error(request, _("The checked file is no longer there. Upload it again."))
            return redirect("appraisal:roster_upload", campaign_pk=campaign.pk)
        try:
            roster = roster_parse(BytesIO(base64.b64decode(pending["data"])), campaign=campaign)
        except RosterInvalid as e:
            context["errors"] = e.errors
        else:
            summary = roster_import(campaign=campaign, roster=roster, actor=actor)
            del request.session[key]
            context["summary"] = summary
            context["changes"] = [
                (CHANGE_LABELS[k], n) for k, n in sorted(summary.changes.items()) if n
            ]
    elif request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            content = form.cleaned_data["file"].read()
            try:
                roster = roster_parse(BytesIO(content), campaign=campaign)
            except RosterInvalid as e:
                context["errors"] = e.errors
            else:
                digest = hashlib.sha256(content).hexdigest()
                request.session[key] = {
                    "data": base64.b64encode(content).decode(),
                    "digest": digest,
                }
                context["preview"] = roster_preview(campaign=campaign, roster=roster, actor=actor)
                context["digest"] = digest
                form = RosterUploadForm()
    context["form"] = form
    return render(request, "appraisal/roster_upload.html", context)


@work_group_required
def workgroup_home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    appraisals = list(selectors.appraisals_for_work_group_member(user))
    return render(
        request,
        "appraisal/workgroup_home.html",
        {
            "appraisals": appraisals,
            "cards": homes.panels_for("work_group", user, appraisals),
            "open_rounds": _open_rounds(request),
        },
    )


@unit_required
def unit_home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    appraisals = list(selectors.appraisals_for_unit_member(user))
    unit = roles_of(request.user).unit
    return render(
        request,
        "appraisal/unit_home.html",
        {
            "appraisals": appraisals,
            "cards": homes.panels_for("unit", user, appraisals),
            "unit": unit,
            "results": scoring_selectors.published_results_for_unit(unit),  # type: ignore[arg-type]
            "open_rounds": _open_rounds(request),
        },
    )


@voter_required
def deputy_home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    links = stages.links_for("deputy", user)
    return render(
        request,
        "appraisal/deputy_home.html",
        {
            "voter_entries": selectors.voter_entries(user),
            "open_rounds": _open_rounds(request),
            "published": scoring_selectors.published_rounds()[:10],
            # What waits for this deputy (a questionnaire to answer, a report to sign) is
            # "open for you", first; the other ways in are cards further down.
            "waiting": [link for link in links if link.primary],
            "links": [link for link in links if not link.primary],
            # The apps' own blocks: the opinions and findings the deputy raised with the
            # rectification built on them, notifications.
            "sections": homes.deputy_sections(user),
        },
    )


@login_required
def appraisal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_appraisal_for_user(request.user, pk)
    context = selectors.appraisal_detail(appraisal)
    context["links"] = stages.links_for("appraisal", request.user, appraisal)
    return render(request, "appraisal/appraisal_detail.html", context)
