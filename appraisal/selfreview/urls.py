"""Routes of the self-review, included in the ``appraisal`` namespace."""

from django.urls import path

from appraisal.selfreview import views

urlpatterns = [
    path("appraisals/<int:pk>/self-review/", views.self_review, name="self_review"),
    path(
        "appraisals/<int:pk>/self-review/approve/",
        views.self_review_approve,
        name="self_review_approve",
    ),
    path(
        "appraisals/<int:pk>/self-review/submit/",
        views.self_review_submit,
        name="self_review_submit",
    ),
    path(
        "appraisals/<int:pk>/self-review/review/",
        views.self_review_review,
        name="self_review_review",
    ),
    path(
        "appraisals/<int:pk>/self-review/attach/",
        views.self_review_attach,
        name="self_review_attach",
    ),
    path("appraisals/<int:pk>/self-review/diff/", views.self_review_diff, name="self_review_diff"),
    path(
        "appraisals/<int:pk>/self-review/v<int:number>/",
        views.self_review_version,
        name="self_review_version",
    ),
    path(
        "appraisals/<int:pk>/self-review/v<int:number>/pdf/",
        views.self_review_pdf,
        name="self_review_pdf",
    ),
    path(
        "self-review-files/<int:pk>/", views.self_review_attachment, name="self_review_attachment"
    ),
    path("self-review-files/<int:pk>/remove/", views.self_review_detach, name="self_review_detach"),
]
