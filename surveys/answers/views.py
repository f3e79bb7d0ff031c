"""The unit answers each forwarded finding; the work group and the office read the answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from appraisal.access import acting_user, get_appraisal_for_user
from appraisal.errors import DomainError
from appraisal.selfreview.access import is_unit_member
from appraisal.selfreview.selectors import self_review_of
from surveys.answers import selectors, services
from surveys.answers.forms import FindingAnswerForm


@login_required
@require_http_methods(["GET", "POST"])
def finding_answers(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_appraisal_for_user(request.user, pk)
    user = acting_user(request)
    unit_member = is_unit_member(user, appraisal)
    review = self_review_of(appraisal)
    editable = unit_member and (review is None or review.editable)
    findings = list(selectors.forwarded_findings(appraisal))
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        raw = request.POST.get("finding", "")
        finding = next(
            (f for f in findings if raw.isascii() and raw.isdigit() and str(f.pk) == raw), None
        )
        if finding is None:
            raise Http404
        form = FindingAnswerForm(request.POST, prefix=f"f{finding.pk}")
        if form.is_valid():
            try:
                services.finding_answer_save(finding=finding, actor=user, **form.cleaned_data)
            except DomainError as e:
                messages.error(request, e.message)
            else:
                messages.success(request, _("The answer is saved."))
            return redirect("surveys:finding_answers", pk=appraisal.pk)
        forms_by_id = {finding.pk: form}
    else:
        forms_by_id = {}
    rows = []
    for f in findings:
        answer = getattr(f, "answer", None)
        form = forms_by_id.get(f.pk) or FindingAnswerForm(
            prefix=f"f{f.pk}",
            initial={"response": answer.response, "text": answer.text} if answer else None,
        )
        rows.append((f, answer, form))
    return render(
        request,
        "surveys/answers/finding_answers.html",
        {"appraisal": appraisal, "rows": rows, "editable": editable, "review": review},
    )
