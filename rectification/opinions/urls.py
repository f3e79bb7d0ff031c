"""Routes of the appraisal opinions, included in the ``rectification`` namespace."""

from django.urls import path

from rectification.opinions import views

urlpatterns = [
    path("appraisals/<int:pk>/opinion/", views.opinion, name="opinion"),
    path("appraisals/<int:pk>/opinion/items/", views.opinion_item_add, name="opinion_item_add"),
    path("appraisals/<int:pk>/opinion/issue/", views.opinion_issue, name="opinion_issue"),
    path(
        "appraisals/<int:pk>/opinion/acknowledge/",
        views.opinion_acknowledge,
        name="opinion_acknowledge",
    ),
    path("appraisals/<int:pk>/opinion/publish/", views.opinion_publish, name="opinion_publish"),
    path("appraisals/<int:pk>/opinion/pdf/", views.opinion_pdf, name="opinion_pdf"),
    path("deputy/progress/", views.deputy_progress, name="deputy_progress"),
    path("opinion-items/<int:pk>/", views.opinion_item, name="opinion_item"),
    path("opinion-items/<int:pk>/remove/", views.opinion_item_remove, name="opinion_item_remove"),
    path(
        "office/campaigns/<int:campaign_pk>/summary.pdf",
        views.campaign_summary_pdf,
        name="campaign_summary",
    ),
]
