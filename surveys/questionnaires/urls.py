"""Routes of questionnaires, included in the ``surveys`` namespace."""

from django.urls import path

from surveys.questionnaires import views as survey_views

urlpatterns = [
    path("appraisals/<id:pk>/surveys/", survey_views.survey_list, name="survey_list"),
    path(
        "office/campaigns/<id:campaign_pk>/surveys/",
        survey_views.campaign_surveys,
        name="campaign_surveys",
    ),
    path("surveys/<id:pk>/", survey_views.survey_detail, name="survey"),
    path(
        "surveys/<id:pk>/questions/<id:question_pk>/",
        survey_views.question_edit,
        name="question_edit",
    ),
    path("surveys/<id:pk>/preview/", survey_views.survey_preview, name="survey_preview"),
    path("surveys/<id:pk>/share/", survey_views.survey_share, name="survey_share"),
    path("surveys/<id:pk>/results/", survey_views.survey_results, name="survey_results"),
    path("surveys/<id:pk>/results.xlsx", survey_views.survey_results_xlsx, name="survey_xlsx"),
    path("surveys/<id:pk>/results.pdf", survey_views.survey_results_pdf, name="survey_pdf"),
    path("s/<token:token>/", survey_views.answer, name="answer"),
    path("deputy/surveys/", survey_views.deputy_surveys, name="deputy_surveys"),
]
