"""Routes of the scoring rounds, included in the ``appraisal`` namespace."""

from django.urls import path

from appraisal.scoring import views as scoring_views

urlpatterns = [
    # scoring rounds: the office
    path("office/campaigns/<id:campaign_pk>/rounds/", scoring_views.rounds_list, name="rounds"),
    path(
        "office/campaigns/<id:campaign_pk>/rounds/new/",
        scoring_views.round_edit,
        name="round_create",
    ),
    path("office/rounds/<id:pk>/", scoring_views.round_detail, name="round_detail"),
    path("office/rounds/<id:pk>/edit/", scoring_views.round_edit, name="round_edit"),
    path(
        "office/rounds/<id:pk>/<str:to>/confirm/",
        scoring_views.round_transition,
        name="round_transition",
    ),
    path("office/rounds/<id:pk>/codes/", scoring_views.round_codes, name="round_codes"),
    path(
        "office/rounds/<id:pk>/codes/<id:group_pk>.pdf",
        scoring_views.round_codes_pdf,
        name="round_codes_pdf",
    ),
    path("office/rounds/<id:pk>/tally/", scoring_views.round_tally, name="round_tally"),
    path(
        "office/rounds/<id:pk>/paper-recount/",
        scoring_views.round_paper_recount,
        name="round_paper_recount",
    ),
    path(
        "office/rounds/<id:pk>/tally/<id:group_pk>/",
        scoring_views.round_tally,
        name="round_tally_group",
    ),
    path("office/rounds/<id:pk>/screen/", scoring_views.round_screen, name="round_screen"),
    # voting
    path("vote/<id:pk>/", scoring_views.ballot, name="ballot"),
    path("v/", scoring_views.code_entry, name="code_entry"),
    path("v/<code:code>/", scoring_views.code_ballot, name="code_ballot"),
    path("vote/counted/", scoring_views.ballot_counted, name="ballot_counted"),
    # results
    path("results/", scoring_views.public_results, name="public_results"),
    path("results/<id:pk>/", scoring_views.results, name="results"),
    path("results/<id:pk>.xlsx", scoring_views.results_xlsx, name="results_xlsx"),
    path("results/<id:pk>.pdf", scoring_views.results_pdf, name="results_pdf"),
]
