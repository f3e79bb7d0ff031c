"""Routes of the plan and the schedule, included in the ``appraisal`` namespace."""

from django.urls import path

from appraisal.schedule import views

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/address/", views.calendar_feed_reset, name="calendar_feed_reset"),
    path("calendar/<token:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("events/<id:pk>/", views.event_detail, name="event"),
    path("events/<id:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<id:pk>/move/", views.event_move, name="event_move"),
    path("campaigns/<id:campaign_pk>/events/new/", views.event_new, name="event_new"),
    path("appraisals/<id:pk>/schedule/", views.appraisal_schedule, name="appraisal_schedule"),
    path("office/campaigns/<id:campaign_pk>/plan/", views.campaign_plan, name="campaign_plan"),
    path("campaigns/<id:campaign_pk>/plan.pdf", views.campaign_plan_pdf, name="campaign_plan_pdf"),
    path("campaigns/<id:campaign_pk>/plan/file/", views.campaign_plan_file, name="plan_file"),
]
