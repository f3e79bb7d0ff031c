from django.urls import path

from surveys.answers import views

urlpatterns = [
    path("appraisals/<int:pk>/answers/", views.finding_answers, name="finding_answers"),
]
