"""The one write a deputy makes here: marking their closure notices read. The list is on
the reminders page (``ledger.views.reminders``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from appraisal.access import acting_user
from rectification.feedback import services


@login_required
@require_POST
def notices_read(request: HttpRequest) -> HttpResponse:
    services.notices_mark_read(person=acting_user(request))
    return redirect("rectification:reminders")
