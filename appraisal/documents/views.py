"""The office's page for who issues the campaign's documents, and the register."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from appraisal.access import acting_user, get_campaign_for_office, office_required
from appraisal.documents.forms import IssuingSettingsForm
from appraisal.documents.services import issued_register, issuing_settings_of, issuing_settings_save


@office_required
@require_http_methods(["GET", "POST"])
def issuing_settings(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_campaign_for_office(request.user, campaign_pk)
    current = issuing_settings_of(campaign)
    form = IssuingSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            issuing_settings_save(
                campaign=campaign, actor=acting_user(request), values=form.cleaned_data
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved. Documents issued from now on carry these."))
            return redirect("appraisal:issuing_settings", campaign_pk=campaign.pk)
    issued = issued_register(campaign)
    return render(
        request,
        "appraisal/issuing_settings.html",
        {"campaign": campaign, "form": form, "issued": issued},
    )
