"""Routes of questionnaires, included in the ``surveys`` namespace."""

from django.urls import path

from surveys.questionnaires import views as survey_views

urlpatterns = [
    path("appraisals/<int:pk>/surveys/", survey_views.survey_list, name="survey_list"),
    path(
        "office/campaigns/<int:campaign_pk>/surveys/",
        survey_views.campaign_surveys,
        name="campaign_surveys",
    ),
    path("surveys/<int:pk>/", survey_views.survey_detail, name="survey"),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/",
        survey_views.question_edit,
        name="question_edit",
    ),
    path("surveys/<int:pk>/preview/", survey_views.survey_preview, name="survey_preview"),
    path("surveys/<int:pk>/share/", survey_views.survey_share, name="survey_share"),
    path("surveys/<int:pk>/results/", survey_views.survey_results, name="survey_results"),
    path("surveys/<int:pk>/results.xlsx", survey_views.survey_results_xlsx, name="survey_xlsx"),
    path("surveys/<int:pk>/results.pdf", survey_views.survey_results_pdf, name="survey_pdf"),
    path("s/<str:token>/", survey_views.answer, name="answer"),
    path("deputy/surveys/", survey_views.deputy_surveys, name="deputy_surveys"),
]
