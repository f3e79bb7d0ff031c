"""Routes of activities and findings, included in the ``surveys`` namespace."""

from django.urls import path

from surveys.findings import views

urlpatterns = [
    path("appraisals/<id:pk>/activities/", views.activities, name="activities"),
    path("activities/<id:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("events/<id:pk>/record/", views.activity_from_event, name="activity_from_event"),
    path("appraisals/<id:pk>/findings/", views.findings, name="findings"),
    path("findings/<id:pk>/", views.finding, name="finding"),
    path("attachments/<id:pk>/", views.attachment, name="attachment"),
    path("findings/<id:pk>/forward/", views.finding_forward, name="finding_forward"),
    path("deputy/opinions/", views.deputy_opinions, name="deputy_opinions"),
    path("opinion/", views.public_opinion, name="public_opinion"),
    path("opinion/received/", views.opinion_receipt, name="opinion_receipt"),
    path("opinion/status/", views.opinion_status, name="opinion_status"),
]
