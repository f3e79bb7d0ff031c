"""Routes of the feedback, included in the ``rectification`` namespace."""

from django.urls import path

from rectification.feedback import views

urlpatterns = [
    path("reminders/read/", views.notices_read, name="notices_read"),
]
