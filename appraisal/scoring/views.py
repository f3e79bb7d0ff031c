"""Pages of the scoring rounds: the office's set-up and control, the ballot, the results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from appraisal import documents, stages
from appraisal.access import acting_user, get_campaign_for_office, office_required
from appraisal.errors import DomainError
from appraisal.models import (
    Campaign,
    ScoringRound,
    User,
)
from appraisal.scoring import documents as round_documents
from appraisal.scoring import selectors
from appraisal.scoring import services as scoring
from appraisal.scoring.access import (
    get_round_for_ballot,
    get_round_for_office,
    get_round_results_for_user,
    get_voter_group_of_round,
)
from appraisal.scoring.forms import (
    AttendanceForm,
    BallotForm,
    CodeEntryForm,
    CodesForm,
    RecountForm,
    RoundForm,
    TallyForm,
    apply_preset,
    preset_values,
)
from appraisal.scoring.rules import PRESETS

# ---- the office -------------------------------------------------------------------------


@office_required
@require_http_methods(["GET", "POST"])
def round_edit(
    request: HttpRequest, campaign_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    round = get_round_for_office(request.user, pk) if pk is not None else None
    campaign = round.campaign if round else get_campaign_for_office(request.user, campaign_pk)
    if round is not None and round.state != ScoringRound.State.DRAFT:
        messages.error(
            request, _("The round has opened; its ballot and rule can no longer change.")
        )
        return redirect(round)
    form = RoundForm(request.POST or None, instance=round, campaign=campaign)
    if request.method == "POST" and "apply_preset" in request.POST:
        # Without the page's script: show the form again with the preset filled in.
        form = RoundForm(
            instance=round, campaign=campaign, initial=apply_preset(request.POST, form)
        )
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round = scoring.round_save(
                campaign=campaign,
                actor=acting_user(request),
                round=round,
                title=data["title"],
                kind=data["kind"],
                appraisals=data["appraisals"],
                voter_groups=data["voter_groups"],
                allow_unknown=data["allow_unknown"],
                rule={k: data[k] for k in scoring.RULE_FIELDS if k in data},
            )
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The round is saved. Record the attendance, then open it."))
            return redirect(round)
    # What the layers above say of each unit before a second round scores it (its
    # rectification report); in the second-scoring phase a new round starts as round 2 on
    # the units that meet it.
    offered = selectors.appraisals_of(campaign)
    second = stages.round_prerequisites(ScoringRound.Kind.SECOND, offered)
    if (
        round is None
        and request.method == "GET"
        and campaign.phase == Campaign.Phase.SECOND_SCORING
    ):
        form.fields["kind"].initial = ScoringRound.Kind.SECOND
        form.fields["appraisals"].initial = [
            a.pk for a in offered if second[a.pk] and all(p.met for p in second[a.pk])
        ]
    return render(
        request,
        "appraisal/scoring/round_edit.html",
        {
            "form": form,
            "campaign": campaign,
            "round": round,
            "presets": {name: preset_values(name) for name in PRESETS},
            "second_round": [(a, second[a.pk]) for a in offered if second[a.pk]],
        },
    )


@office_required
@require_http_methods(["GET", "POST"])
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_round_for_office(request.user, pk)
    groups = selectors.round_groups(round)
    editable = round.state != ScoringRound.State.PUBLISHED
    form = AttendanceForm(request.POST or None, groups=groups, editable=editable)
    if request.method == "POST" and form.is_valid():
        try:
            scoring.round_set_attendance(
                round=round, actor=acting_user(request), groups=form.values()
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("Attendance saved."))
        return redirect(round)
    context = selectors.round_overview(round)
    context.update(
        {
            "form": form,
            "editable": editable,
            "recount_form": RecountForm(round=round),
            "blockers": (
                selectors.publication_blockers(round)
                if round.state == ScoringRound.State.CLOSED
                else []
            ),
        }
    )
    return render(request, "appraisal/scoring/round_detail.html", context)


# A round is opened in the phase whose scoring it is; elsewhere the office confirms twice.
SCORING_PHASES = (Campaign.Phase.MEETING, Campaign.Phase.SECOND_SCORING)
# What the office is told after each move.
DONE: dict[str, Promise] = {
    ScoringRound.State.OPEN: gettext_lazy("Voting is open."),
    ScoringRound.State.CLOSED: gettext_lazy(
        "Voting is closed and the ballots are counted. Check the results, then publish them."
    ),
    ScoringRound.State.PUBLISHED: gettext_lazy("The results are published."),
}


@office_required
@require_http_methods(["GET", "POST"])
def round_transition(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    """Confirm and make one of the round's moves (``ScoringRound.TRANSITIONS``)."""
    if to not in ScoringRound.STAMPS:
        raise Http404
    round = get_round_for_office(request.user, pk)
    outside_phase = to == ScoringRound.State.OPEN and round.campaign.phase not in SCORING_PHASES
    context: dict[str, Any] = {
        "round": round,
        "to": to,
        "allowed": round.can_move_to(to),
        "outside_phase": outside_phase,
    }
    if to == ScoringRound.State.CLOSED:
        context["turnout"] = selectors.close_turnout(round)
    if to == ScoringRound.State.PUBLISHED and round.state == ScoringRound.State.CLOSED:
        # Say why before the office confirms, not after (the service refuses all the same).
        context["blockers"] = selectors.publication_blockers(round)
    if request.method == "POST":
        if outside_phase and not request.POST.get("outside_phase"):
            context["phase_error"] = True
            return render(request, "appraisal/scoring/round_confirm.html", context, status=400)
        try:
            scoring.round_move(round=round, to=to, actor=acting_user(request))
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, str(DONE[to]))
        return redirect(round)
    return render(request, "appraisal/scoring/round_confirm.html", context)


@office_required
@require_http_methods(["GET", "POST"])
def round_codes(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_round_for_office(request.user, pk)
    form = CodesForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        try:
            codes = scoring.codes_generate(
                round=round,
                voter_group=form.cleaned_data["voter_group"],
                count=form.cleaned_data["count"],
                actor=acting_user(request),
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("%(n)d codes made. Print the slips.") % {"n": len(codes)})
        return redirect("appraisal:round_codes", pk=round.pk)
    return render(
        request,
        "appraisal/scoring/round_codes.html",
        {
            "round": round,
            "form": form,
            "summary": selectors.code_summary(round),
            "room": selectors.code_rooms(round),
        },
    )


@office_required
@require_POST
def round_paper_recount(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_round_for_office(request.user, pk)
    form = RecountForm(request.POST, round=round)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(round)
    try:
        scoring.paper_recount(
            round=round,
            voter_group=form.cleaned_data["voter_group"],
            actor=acting_user(request),
            reason=form.cleaned_data["reason"],
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request,
            _(
                "The paper count of %(group)s is cleared. Record the ballots returned again, "
                "then both tellers enter their counts."
            )
            % {"group": form.cleaned_data["voter_group"].name},
        )
    return redirect(round)


@office_required
def round_codes_pdf(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    round = get_round_for_office(request.user, pk)
    group = get_voter_group_of_round(round, group_pk)
    codes = selectors.unused_codes(round, group)
    base = request.build_absolute_uri(reverse("appraisal:code_ballot", args=["CODE"]))
    slips = [documents.Slip(c.code, base.replace("CODE", c.code)) for c in codes]
    try:
        pdf = documents.code_slips_pdf(
            title=round.campaign.title,
            subtitle=f"{round.title} · {group.name}",
            kind_label=_("Voting code (works once)"),
            entry_url=request.build_absolute_uri(reverse("appraisal:code_entry")),
            hint=_("The code works once; the ballot carries no name."),
            slips=slips,
        )
    except documents.MissingGlyph as e:
        messages.error(request, e.message)
        return redirect("appraisal:round_codes", pk=round.pk)
    return documents.download(
        pdf, documents.PDF, f"{round.campaign.title}{round.title}测评码（{group.name}）.pdf"
    )


@office_required
@require_http_methods(["GET", "POST"])
def round_tally(request: HttpRequest, pk: int, group_pk: int | None = None) -> HttpResponse:
    round = get_round_for_office(request.user, pk)
    groups = selectors.round_groups(round)
    current = next((g for g in groups if g.voter_group_id == group_pk), None)
    if group_pk is None and groups:
        return redirect(
            "appraisal:round_tally_group", pk=round.pk, group_pk=groups[0].voter_group_id
        )
    if current is None:
        raise Http404
    appraisals = list(round.appraisals.select_related("unit").order_by("sort_order"))
    mine = selectors.my_tally(round, current.voter_group_id, acting_user(request))
    form = TallyForm(request.POST or None, round=round, appraisals=appraisals, initial_rows=mine)
    if request.method == "POST" and form.is_valid():
        try:
            status = scoring.paper_tally_enter(
                round=round,
                voter_group=current.voter_group,
                actor=acting_user(request),
                rows=form.values(),
            )
        except DomainError as e:
            # Refused (e.g. more returned than present): the form comes back as typed, so
            # the teller corrects one figure instead of entering the whole sheet again.
            form.add_error(None, e.message)
        else:
            if "waiting" in status.values():
                messages.success(
                    request,
                    _(
                        "Your count is saved. The comparison shows once the second teller "
                        "has entered theirs."
                    ),
                )
            else:
                messages.success(
                    request,
                    _(
                        "Your count is saved. Both tellers agree on %(confirmed)d units and "
                        "differ on %(differs)d."
                    )
                    % {s: list(status.values()).count(s) for s in ("confirmed", "differs")},
                )
            return redirect("appraisal:round_tally_group", pk=round.pk, group_pk=group_pk)
    context = {
        "round": round,
        "groups": groups,
        "current": current,
        "form": form,
        "tally_rows": [
            (a, list(zip(cells, form.column_labels, strict=True))) for a, cells in form.rows
        ],
        "comparison": selectors.tally_comparison(
            round, current.voter_group_id, appraisals, form.columns
        ),
    }
    return render(request, "appraisal/scoring/round_tally.html", context)


@office_required
def round_screen(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_round_for_office(request.user, pk)
    context = {"round": round, "turnout": selectors.turnout(round)}
    template = (
        "appraisal/scoring/_turnout.html" if request.htmx else "appraisal/scoring/round_screen.html"  # type: ignore[attr-defined]
    )
    return render(request, template, context)


# ---- voting ----------------------------------------------------------------------------
# Every ballot page is ``never_cache`` (Cache-Control: no-store): a browser keeps no copy
# to show on Back, nor in its back/forward cache, on a shared or borrowed phone. The
# choices live only in the review form's POST; once the ballot is cast, a replayed review
# is refused like any other ballot from someone who has voted.


def _not_open(round: ScoringRound) -> str:
    if round.state == ScoringRound.State.DRAFT:
        return _("Voting in this round has not opened yet.")
    return _("Voting in this round has ended.")


def _ballot(
    request: HttpRequest,
    definition: selectors.BallotDefinition,
    *,
    voter: User | None,
    code: str | None,
) -> HttpResponse:
    form = BallotForm(request.POST or None, definition=definition)
    # What a signed-in voter may read before scoring each unit (round 2: its rectification
    # report), from the layers above through ``stages``; opened in a new tab.
    links = stages.ballot_links(
        voter, definition.round_id, definition.kind, list(definition.appraisal_ids), code
    )
    context: dict[str, Any] = {
        "round": definition,
        "form": form,
        "code": code,
        "units": [(form[f"a{aid}"], links.get(aid, [])) for aid, _name in definition.units],
    }
    if request.method == "POST" and form.is_valid() and "change" not in request.POST:
        if "confirm" not in request.POST:
            context["review"] = form.review()
            return render(request, "appraisal/scoring/ballot_review.html", context)
        try:
            scoring.ballot_cast(
                round_id=definition.round_id, choices=form.choices(), voter=voter, code=code
            )
        except DomainError as e:
            context["refusal"] = e.message
            return render(request, "appraisal/scoring/ballot_refused.html", context, status=409)
        return redirect("appraisal:ballot_counted")
    return render(request, "appraisal/scoring/ballot.html", context)


def _refused(request: HttpRequest, round: Any, refusal: str, status: int = 200) -> HttpResponse:
    return render(
        request,
        "appraisal/scoring/ballot_refused.html",
        {"round": round, "refusal": refusal},
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    definition = selectors.ballot_definition(pk)
    if definition is None:
        raise Http404
    # The final POST is checked under lock by ballot_cast; the form and the review are
    # checked here, so that nobody is shown a ballot (or their choices) they cannot cast.
    if request.method == "GET" or "confirm" not in request.POST:
        round = get_round_for_ballot(pk)
        user = acting_user(request)
        if not round.is_open:
            return _refused(request, round, _not_open(round))
        if not selectors.voter_on_roll(round, user):
            return _refused(request, round, _("You are not on the roll of this round."))
        if selectors.voter_has_voted(round, user):
            return _refused(
                request,
                round,
                _("You have already voted in this round. Your ballot has been counted."),
            )
    return _ballot(request, definition, voter=acting_user(request), code=None)


def _code_entry(request: HttpRequest, form: CodeEntryForm, status: int = 200) -> HttpResponse:
    return render(request, "appraisal/scoring/code_entry.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def code_entry(request: HttpRequest) -> HttpResponse:
    form = CodeEntryForm(request.GET or None)
    if form.is_valid():
        return redirect("appraisal:code_ballot", code=form.cleaned_data["code"])
    return _code_entry(request, form)


@never_cache
@require_http_methods(["GET", "POST"])
def code_ballot(request: HttpRequest, code: str) -> HttpResponse:
    code = code.upper()
    found = selectors.voting_code(code)
    if found is None:
        # Not a dead end: the entry box again, with the code as typed, to correct it.
        form = CodeEntryForm({"code": code})
        form.is_valid()
        form.add_error(
            None if form.has_error("code") else "code",
            _("This code is not valid. Check the slip, or ask the meeting staff."),
        )
        return _code_entry(request, form, status=404)
    if request.method == "GET" or "confirm" not in request.POST:
        if not found.round.is_open:
            return _refused(request, found.round, _not_open(found.round))
        if found.used:
            return _refused(request, found.round, _("This code has already been used."))
    definition = selectors.ballot_definition(found.round_id)
    assert definition is not None
    return _ballot(request, definition, voter=None, code=code)


@never_cache
def ballot_counted(request: HttpRequest) -> HttpResponse:
    return render(request, "appraisal/scoring/ballot_counted.html")


# ---- results ---------------------------------------------------------------------------


def results(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_round_results_for_user(request.user, pk)
    return render(request, "appraisal/scoring/results.html", selectors.round_results(round))


def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_round_results_for_user(request.user, pk)
    data = selectors.round_results(round)
    issued = round_documents.results_issued(round)
    return documents.download(
        round_documents.results_workbook(data),
        documents.XLSX,
        round_documents.results_filename(round, issued, "xlsx"),
    )


def results_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_round_results_for_user(request.user, pk)
    issued = round_documents.results_issued(round)
    try:
        pdf = round_documents.results_pdf(selectors.round_results(round), issued=issued)
    except documents.MissingGlyph as e:
        messages.error(request, e.message)
        return redirect("appraisal:results", pk=round.pk)
    return documents.download(
        pdf, documents.PDF, round_documents.results_filename(round, issued, "pdf")
    )


def public_results(request: HttpRequest) -> HttpResponse:
    return render(
        request, "appraisal/scoring/public_results.html", {"rounds": selectors.published_rounds()}
    )


@office_required
def rounds_list(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_campaign_for_office(request.user, campaign_pk)
    return render(
        request,
        "appraisal/scoring/rounds.html",
        {"campaign": campaign, "rounds": campaign.rounds.order_by("kind", "created_at")},
    )
