from django.urls import path

from surveys.answers import views

urlpatterns = [
    path("appraisals/<id:pk>/answers/", views.finding_answers, name="finding_answers"),
]
