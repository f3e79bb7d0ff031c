"""The public portal: what anyone may read, without an account, on a phone.

It sits above every layer and reads through each layer's selectors and access helpers;
it writes nothing. Its pages carry no script and stay under 100 kB."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from appraisal import selectors as appraisal_selectors
from appraisal.access import roles_of
from appraisal.announcements import selectors as announcement_selectors
from appraisal.models import Campaign
from appraisal.scoring import selectors as scoring_selectors
from appraisal.scoring.access import get_round_results_for_user
from rectification.publication import selectors as publication_selectors
from surveys.questionnaires import selectors as survey_selectors

LATEST_NOTICES = 5


@require_GET
def root(request: HttpRequest) -> HttpResponse:
    """``/``: the signed-in land on their own home; everyone else on the portal."""
    if request.user.is_authenticated:
        return redirect(roles_of(request.user).home_url())
    return portal_home(request)


def _campaign_context(campaign: Campaign) -> dict[str, Any]:
    appraisals = list(appraisal_selectors.appraisals_of(campaign))
    return {
        "campaign": campaign,
        "appraisals": appraisals,
        "rounds": list(scoring_selectors.published_rounds(campaign)),
        "progress_ids": publication_selectors.published_appraisal_ids(campaign),
    }


@require_GET
def portal_home(request: HttpRequest) -> HttpResponse:
    campaigns = list(appraisal_selectors.campaigns())
    context: dict[str, Any] = {"campaign": None, "past": campaigns[1:]}
    if campaigns:
        current = campaigns[0]
        context.update(_campaign_context(current))
        context["surveys"] = survey_selectors.open_public_surveys(current)
        context["notices"] = list(announcement_selectors.published_announcements()[:LATEST_NOTICES])
    return render(request, "portal/home.html", context)


@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/notices.html",
        {"notices": announcement_selectors.published_announcements()},
    )


@require_GET
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    found = announcement_selectors.published_announcement(pk)
    if found is None:
        gone = announcement_selectors.withdrawn_announcement(pk)
        if gone is None:
            raise Http404
        # An old link or a printed poster: say the notice was withdrawn (410 Gone).
        return render(request, "portal/notice_withdrawn.html", {"a": gone}, status=410)
    return render(request, "portal/notice.html", {"a": found})


@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_round_results_for_user(request.user, pk)
    if round.state != round.State.PUBLISHED:
        raise Http404  # the office's preview of a closed round is not the portal's
    return render(request, "portal/results.html", scoring_selectors.round_results(round))


@require_GET
def appraisal(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's public page: its published results (this year and earlier) and, once the
    office publishes it, its rectification progress."""
    found = appraisal_selectors.public_appraisal(pk)
    if found is None:
        raise Http404
    return render(
        request,
        "portal/appraisal.html",
        {
            "appraisal": found,
            "campaign": found.campaign,
            "results": scoring_selectors.published_results_for_unit(found.unit),
            "opinion_items": publication_selectors.public_progress(found),
        },
    )


@require_GET
def year(request: HttpRequest, year: int) -> HttpResponse:
    campaign = appraisal_selectors.campaign_by_year(year)
    if campaign is None:
        raise Http404
    return render(
        request,
        "portal/year.html",
        {
            **_campaign_context(campaign),
            "notices": announcement_selectors.published_announcements(campaign),
        },
    )
