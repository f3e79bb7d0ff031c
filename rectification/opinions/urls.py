"""Routes of the appraisal opinions, included in the ``rectification`` namespace."""

from django.urls import path

from rectification.opinions import views

urlpatterns = [
    path("appraisals/<id:pk>/opinion/", views.opinion, name="opinion"),
    path("appraisals/<id:pk>/opinion/items/", views.opinion_item_add, name="opinion_item_add"),
    path("appraisals/<id:pk>/opinion/issue/", views.opinion_issue, name="opinion_issue"),
    path(
        "appraisals/<id:pk>/opinion/acknowledge/",
        views.opinion_acknowledge,
        name="opinion_acknowledge",
    ),
    path("appraisals/<id:pk>/opinion/publish/", views.opinion_publish, name="opinion_publish"),
    path("appraisals/<id:pk>/opinion/pdf/", views.opinion_pdf, name="opinion_pdf"),
    path("deputy/progress/", views.deputy_progress, name="deputy_progress"),
    path("opinion-items/<id:pk>/", views.opinion_item, name="opinion_item"),
    path("opinion-items/<id:pk>/remove/", views.opinion_item_remove, name="opinion_item_remove"),
    path(
        "office/campaigns/<id:campaign_pk>/summary.pdf",
        views.campaign_summary_pdf,
        name="campaign_summary",
    ),
]
