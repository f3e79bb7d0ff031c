"""Routes of the self-review, included in the ``appraisal`` namespace."""

from django.urls import path

from appraisal.selfreview import views

urlpatterns = [
    path("appraisals/<id:pk>/self-review/", views.self_review, name="self_review"),
    path(
        "appraisals/<id:pk>/self-review/approve/",
        views.self_review_approve,
        name="self_review_approve",
    ),
    path(
        "appraisals/<id:pk>/self-review/submit/",
        views.self_review_submit,
        name="self_review_submit",
    ),
    path(
        "appraisals/<id:pk>/self-review/review/",
        views.self_review_review,
        name="self_review_review",
    ),
    path(
        "appraisals/<id:pk>/self-review/attach/",
        views.self_review_attach,
        name="self_review_attach",
    ),
    path("appraisals/<id:pk>/self-review/diff/", views.self_review_diff, name="self_review_diff"),
    path(
        "appraisals/<id:pk>/self-review/v<id:number>/",
        views.self_review_version,
        name="self_review_version",
    ),
    path(
        "appraisals/<id:pk>/self-review/v<id:number>/pdf/",
        views.self_review_pdf,
        name="self_review_pdf",
    ),
    path("self-review-files/<id:pk>/", views.self_review_attachment, name="self_review_attachment"),
    path("self-review-files/<id:pk>/remove/", views.self_review_detach, name="self_review_detach"),
]
