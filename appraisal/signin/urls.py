"""Routes of sign-in letters, included in the ``appraisal`` namespace."""

from django.urls import path

from appraisal.signin import views

urlpatterns = [
    path(
        "office/campaigns/<id:campaign_pk>/signin-letters/",
        views.campaign_letters,
        name="signin_letters",
    ),
    path("signin/<str:token>/", views.letter_password, name="signin_letter"),
]
