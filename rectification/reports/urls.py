"""Routes of the rectification report, included in the ``rectification`` namespace."""

from django.urls import path

from rectification.reports import views

urlpatterns = [
    path("appraisals/<id:pk>/rectification-report/", views.report, name="report"),
    path(
        "appraisals/<id:pk>/rectification-report/generate/",
        views.report_generate,
        name="report_generate",
    ),
    path(
        "appraisals/<id:pk>/rectification-report/approve/",
        views.report_approve,
        name="report_approve",
    ),
    path(
        "appraisals/<id:pk>/rectification-report/submit/",
        views.report_submit,
        name="report_submit",
    ),
    path(
        "appraisals/<id:pk>/rectification-report/review/",
        views.report_review,
        name="report_review",
    ),
    path(
        "appraisals/<id:pk>/rectification-report/v<id:number>/",
        views.report_version,
        name="report_version",
    ),
    path(
        "appraisals/<id:pk>/rectification-report/v<id:number>/pdf/",
        views.report_version_pdf,
        name="report_version_pdf",
    ),
    # for a voter with a one-time code of an open second round (no account)
    path(
        "v/<code:code>/rectification-report/<id:pk>/v<id:number>/",
        views.report_for_code,
        name="report_for_code",
    ),
]
