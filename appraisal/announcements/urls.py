"""Routes of announcements, included in the ``appraisal`` namespace."""

from django.urls import path

from appraisal.announcements import views

urlpatterns = [
    path(
        "office/campaigns/<id:campaign_pk>/announcements/",
        views.announcement_list,
        name="announcements",
    ),
    path(
        "office/campaigns/<id:campaign_pk>/announcements/new/",
        views.announcement_new,
        name="announcement_new",
    ),
    path("office/announcements/<id:pk>/", views.announcement_detail, name="announcement"),
    path("office/announcements/<id:pk>/edit/", views.announcement_edit, name="announcement_edit"),
    path("office/announcements/<id:pk>/move/", views.announcement_move, name="announcement_move"),
    path(
        "office/announcements/<id:pk>/files/",
        views.announcement_attach,
        name="announcement_attach",
    ),
    path(
        "office/announcement-files/<id:pk>/delete/",
        views.announcement_detach,
        name="announcement_detach",
    ),
    path("announcement-files/<id:pk>/", views.announcement_file, name="announcement_file"),
    path("announcements/<id:pk>/poster.pdf", views.announcement_poster, name="announcement_poster"),
]
