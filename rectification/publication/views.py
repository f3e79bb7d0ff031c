from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from appraisal.access import acting_user, get_appraisal_for_user, office_required
from appraisal.errors import DomainError
from rectification.publication import selectors, services
from rectification.publication.forms import PublicationForm


@office_required
@require_http_methods(["GET", "POST"])
def progress_publication(request: HttpRequest, pk: int) -> HttpResponse:
    """The office sees what the public would see and publishes or withdraws it."""
    appraisal = get_appraisal_for_user(request.user, pk)
    publication = selectors.publication_of(appraisal)
    published = publication is not None and publication.state == publication.State.PUBLISHED
    form = PublicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_publication_move(
                appraisal=appraisal, action=form.cleaned_data["action"], actor=acting_user(request)
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(
                request,
                _("Published on the public portal.")
                if form.cleaned_data["action"] == "publish"
                else _("Withdrawn from the public portal."),
            )
        return redirect("rectification:progress_publication", pk=appraisal.pk)
    return render(
        request,
        "rectification/publication/office.html",
        {
            "appraisal": appraisal,
            "publication": publication,
            "published": published,
            "opinion_items": selectors.progress_items(appraisal),
        },
    )
