"""The floor the ballot benchmark is measured against: the least a signed-in form POST
can cost here (same session, CSRF and auth middleware, one INSERT). Mounted only by
``bench.urls``, which the benchmark's gunicorn uses; never in production."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from appraisal.models import AuditEvent


@login_required
@require_POST
def floor(request: HttpRequest) -> HttpResponse:
    AuditEvent.objects.create(action="bench.floor")
    return HttpResponse(status=204)
