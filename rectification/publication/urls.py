from django.urls import path

from rectification.publication import views

urlpatterns = [
    path(
        "office/appraisals/<id:pk>/public-progress/",
        views.progress_publication,
        name="progress_publication",
    ),
]
