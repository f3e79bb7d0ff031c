from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("public/", views.portal_home, name="home"),
    path("public/notices/", views.notices, name="notices"),
    path("public/notices/<id:pk>/", views.notice, name="notice"),
    path("public/results/<id:pk>/", views.results, name="results"),
    path("public/units/<id:pk>/", views.appraisal, name="appraisal"),
    path("public/years/<id:year>/", views.year, name="year"),
]
