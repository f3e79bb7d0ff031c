"""Questionnaire pages: the work group builds, shares and reads; people answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from appraisal import documents
from appraisal.access import (
    acting_user,
    get_appraisal_for_investigator,
    get_campaign_for_office,
    office_required,
    voter_required,
)
from appraisal.client_ip import client_address
from appraisal.errors import DomainError
from appraisal.forms import clean_code, parse_id
from appraisal.models import Appraisal, Campaign
from surveys import throttle
from surveys.findings import services
from surveys.models import Survey
from surveys.questionnaires import documents as survey_documents
from surveys.questionnaires import selectors as survey_selectors
from surveys.questionnaires import services as survey_services
from surveys.questionnaires.access import (
    get_question_for_builder,
    get_survey_for_respondent,
    get_survey_for_user,
)
from surveys.questionnaires.forms import (
    AnswerForm,
    CodeCountForm,
    LinkLimitForm,
    QuestionForm,
    SurveyForm,
)


def _survey_list(
    request: HttpRequest, campaign: Campaign, appraisal: Appraisal | None
) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        survey = survey_services.survey_save(
            campaign=campaign, appraisal=appraisal, actor=acting_user(request), **form.cleaned_data
        )
        messages.success(request, _("Survey created. Add its questions."))
        return redirect(survey)
    surveys = survey_selectors.surveys_of(campaign, appraisal)
    return render(
        request,
        "surveys/questionnaires/survey_list.html",
        {"campaign": campaign, "appraisal": appraisal, "form": form, "surveys": surveys},
    )


@require_http_methods(["GET", "POST"])
@login_required
def survey_list(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_appraisal_for_investigator(request.user, pk)
    return _survey_list(request, appraisal.campaign, appraisal)


@require_http_methods(["GET", "POST"])
@office_required
def campaign_surveys(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    return _survey_list(request, get_campaign_for_office(request.user, campaign_pk), None)


@require_http_methods(["GET", "POST"])
@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user(request.user, pk, write=request.method == "POST")
    answers = survey_selectors.response_count(survey)
    editable = not answers
    form = SurveyForm(request.POST if "save_survey" in request.POST else None, instance=survey)
    question_form = QuestionForm(request.POST if "add_question" in request.POST else None)
    actor = acting_user(request)
    if request.method == "POST":
        try:
            if "save_survey" in request.POST and form.is_valid():
                survey_services.survey_save(
                    campaign=survey.campaign,
                    appraisal=survey.appraisal,
                    actor=actor,
                    survey=survey,
                    **form.cleaned_data,
                )
                messages.success(request, _("Saved."))
                return redirect(survey)
            if "add_question" in request.POST and question_form.is_valid():
                survey_services.question_save(
                    survey=survey, actor=actor, **question_form.cleaned_data
                )
                messages.success(request, _("Question added."))
                return redirect(survey)
            if request.POST.get("state") in Survey.TRANSITIONS.values():
                survey_services.survey_set_state(
                    survey=survey, actor=actor, state=request.POST["state"]
                )
                return redirect(survey)
            if "copy" in request.POST:
                copy = survey_services.survey_copy(survey=survey, actor=actor)
                messages.success(request, _("A draft copy was made; change it freely."))
                return redirect(copy)
            if "question" in request.POST:
                question = get_question_for_builder(survey, request.POST["question"])
                if "delete" in request.POST:
                    survey_services.question_delete(question=question, actor=actor)
                else:
                    survey_services.question_move(
                        question=question, actor=actor, up="up" in request.POST
                    )
                return redirect(survey)
        except DomainError as e:
            messages.error(request, e.message)
            return redirect(survey)
    return render(
        request,
        "surveys/questionnaires/survey_detail.html",
        {
            "survey": survey,
            "appraisal": survey.appraisal,
            "form": form,
            "question_form": question_form,
            "questions": survey_selectors.questions_of(survey),
            "editable": editable,
            "answers": answers,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def question_edit(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Change a question while the survey has no answer yet."""
    survey = get_survey_for_user(request.user, pk, write=True)
    question = get_question_for_builder(survey, str(question_pk))
    if survey_selectors.response_count(survey):
        messages.error(request, _("The survey has answers and cannot change; make a copy instead."))
        return redirect(survey)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            survey_services.question_save(
                survey=survey, actor=acting_user(request), question=question, **form.cleaned_data
            )
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Question saved."))
            return redirect(survey)
    return render(
        request,
        "surveys/questionnaires/question_edit.html",
        {"survey": survey, "appraisal": survey.appraisal, "question": question, "form": form},
    )


@login_required
def survey_preview(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user(request.user, pk)
    form = AnswerForm(questions=survey_selectors.questions_of(survey))
    return render(
        request,
        "surveys/questionnaires/answer.html",
        {"survey": survey, "form": form, "preview": True},
    )


@require_http_methods(["GET", "POST"])
@login_required
def survey_share(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user(request.user, pk, write=request.method == "POST")
    link = request.build_absolute_uri(reverse("surveys:answer", args=[survey.token]))
    limit_posted = "link_limit_per_hour" in request.POST
    limit_form = LinkLimitForm(
        request.POST if limit_posted else None,
        initial={"link_limit_per_hour": survey.link_limit_per_hour},
    )
    if limit_posted and limit_form.is_valid():
        try:
            survey_services.survey_set_link_limit(
                survey=survey,
                actor=acting_user(request),
                limit=limit_form.cleaned_data["link_limit_per_hour"],
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("Saved."))
        return redirect("surveys:survey_share", pk=survey.pk)
    form = CodeCountForm(None if limit_posted else request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            n = survey_services.survey_codes_generate(
                survey=survey, actor=acting_user(request), count=form.cleaned_data["count"]
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("%(n)d survey codes made. Print the slips.") % {"n": n})
        return redirect("surveys:survey_share", pk=survey.pk)
    kind = request.GET.get("download")
    if kind == "png":
        return documents.download(documents.qr_png(link), "image/png", f"{survey.title}二维码.png")
    if kind == "svg":
        return documents.download(
            str(documents.qr_svg(link, scale=10)).encode(),
            "image/svg+xml",
            f"{survey.title}二维码.svg",
        )
    try:
        if kind == "poster":
            pdf = survey_documents.poster_pdf(survey, link=link)
            return documents.download(pdf, documents.PDF, f"{survey.title}海报.pdf")
        if kind == "slips":
            pdf = survey_documents.slips_pdf(survey, link=link)
            return documents.download(pdf, documents.PDF, f"{survey.title}答卷码.pdf")
    except documents.MissingGlyph as e:
        messages.error(request, e.message)
        return redirect("surveys:survey_share", pk=survey.pk)
    codes = survey_selectors.survey_code_counts(survey)
    return render(
        request,
        "surveys/questionnaires/survey_share.html",
        {
            "survey": survey,
            "appraisal": survey.appraisal,
            "link": link,
            "qr": documents.qr_svg(link, scale=6),
            "form": form,
            "limit_form": limit_form,
            "codes_total": codes["total"],
            "codes_used": codes["used"],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user(request.user, pk, write=request.method == "POST")
    if request.method == "POST":
        try:
            finding = services.finding_from_answer(
                answer_id=parse_id(request.POST.get("answer")) or 0, actor=acting_user(request)
            )
        except DomainError as e:
            messages.error(request, getattr(e, "message", _("That answer does not exist.")))
            return redirect("surveys:survey_results", pk=survey.pk)
        messages.success(request, _("The answer is now a finding; verify it there."))
        return redirect(finding)
    data = survey_selectors.survey_results(
        survey, text_filter=request.GET.get("q", "").strip()[:50]
    )
    data["appraisal"] = survey.appraisal
    return render(request, "surveys/questionnaires/survey_results.html", data)


@login_required
def survey_results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user(request.user, pk)
    header, rows = survey_selectors.response_rows(survey)
    questions = list(survey.questions.order_by("position", "id"))
    content = survey_documents.responses_workbook(survey, questions, header, rows)
    return documents.download(content, documents.XLSX, f"{survey.title}答卷.xlsx")


@login_required
def survey_results_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user(request.user, pk)
    try:
        pdf = survey_documents.summary_pdf(survey_selectors.survey_results(survey))
    except documents.MissingGlyph as e:
        messages.error(request, e.message)
        return redirect("surveys:survey_results", pk=survey.pk)
    title = survey_documents.summary_title(survey).replace("\n", "")
    return documents.download(pdf, documents.PDF, f"{title}.pdf")


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    survey = get_survey_for_respondent(token)
    try:
        code = clean_code(request.POST.get("code") or request.GET.get("code") or "")
    except ValidationError:
        code = ""  # not a code at all: the page asks for one
    cookie = f"pingyi_answered_{survey.pk}"
    refusal = None
    if survey.access == Survey.Access.LOGIN and not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    if not survey.accepting_on(timezone.localdate()):
        # A draft's link may already be printed on a poster: it shows no questions yet.
        refusal = _("This survey is not taking answers now.")
    elif survey.access == Survey.Access.LINK and request.COOKIES.get(cookie):
        refusal = _("You have already answered this survey on this device. Thank you.")
    elif (
        survey.access == Survey.Access.LINK
        and request.method == "GET"
        and throttle.reached(
            key=throttle.survey_link_key(survey.pk, client_address(request)),
            limit=survey.link_limit_per_hour,
        )
    ):
        # Told before filling in the form, not after.
        refusal = survey_services.link_limit_message()
    form = AnswerForm(request.POST or None, questions=survey_selectors.questions_of(survey))
    if refusal is None and request.method == "POST" and form.is_valid():
        try:
            survey_services.response_submit(
                survey=survey,
                answers=form.answers(),
                user=acting_user(request) if request.user.is_authenticated else None,
                code=code or None,
                address=client_address(request),
            )
        except DomainError as e:
            refusal = e.message
        else:
            response = render(
                request, "surveys/questionnaires/answer_thanks.html", {"survey": survey}
            )
            if survey.access == Survey.Access.LINK:
                response.set_cookie(
                    cookie, "1", max_age=365 * 24 * 3600, httponly=True, samesite="Lax"
                )
            return response
    if refusal:
        return render(
            request,
            "surveys/questionnaires/answer_refused.html",
            {"survey": survey, "refusal": refusal},
            status=409,
        )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "surveys/questionnaires/answer.html",
        {"survey": survey, "form": form, "code": code},
        status=status,
    )


@voter_required
def deputy_surveys(request: HttpRequest) -> HttpResponse:
    """Open questionnaires for signed-in deputies, each marked answered or not."""
    surveys = survey_selectors.open_surveys_for_deputy(acting_user(request))
    return render(request, "surveys/questionnaires/deputy_surveys.html", {"surveys": surveys})
