"""The office prints sign-in letters; a person opens the letter's link and chooses a
password."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from appraisal.access import get_campaign_for_office, office_required
from appraisal.errors import DomainError
from appraisal.signin import selectors, services
from appraisal.signin.documents import letters_response
from appraisal.signin.forms import LetterPasswordForm, LetterPeopleForm


@office_required
@require_http_methods(["GET", "POST"])
def campaign_letters(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_campaign_for_office(request.user, campaign_pk)
    sections = selectors.campaign_people(campaign)
    form = LetterPeopleForm(
        request.POST or None, people=selectors.campaign_people_queryset(campaign)
    )
    if request.method == "POST" and form.is_valid():
        try:
            # The letters are recorded only if they print: a name no font has rolls the
            # record back and is a message on the form.
            with transaction.atomic():
                letters = services.letters_issue(
                    users=list(form.cleaned_data["people"]),
                    actor=request.user,  # type: ignore[arg-type]
                    campaign=campaign,
                )
                return letters_response(request, letters)
        except DomainError as e:
            form.add_error(None, e.message)
    chosen = {str(v) for v in form["people"].value() or []} if form.is_bound else None
    return render(
        request,
        "appraisal/signin_letters.html",
        {
            "campaign": campaign,
            "sections": sections,
            "form": form,
            "chosen": chosen,
            "days": services.letter_days(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def letter_password(request: HttpRequest, token: str) -> HttpResponse:
    """The link of a letter: choose a password, once, before the letter expires."""
    try:
        user = services.letter_user(token)
    except DomainError as e:
        return render(request, "registration/signin_letter_invalid.html", {"error": e.message},
                      status=410)  # fmt: skip
    form = LetterPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_set_with_letter(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except DomainError as e:
            return render(request, "registration/signin_letter_invalid.html",
                          {"error": e.message}, status=410)  # fmt: skip
        messages.success(request, _("Your password is set. Sign in with it now."))
        return redirect("login")
    return render(request, "registration/signin_letter.html", {"form": form, "person": user})
