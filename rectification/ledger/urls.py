"""Routes of the rectification ledger, included in the ``rectification`` namespace."""

from django.urls import path

from rectification.ledger import views

urlpatterns = [
    path("appraisals/<id:pk>/ledger/", views.ledger, name="ledger"),
    path("appraisals/<id:pk>/ledger/new/", views.item_add, name="ledger_item_add"),
    path("appraisals/<id:pk>/ledger.xlsx", views.export, name="ledger_export"),
    path("appraisals/<id:pk>/ledger/import/", views.ledger_import, name="ledger_import"),
    path(
        "appraisals/<id:pk>/ledger/import-template.xlsx",
        views.import_template,
        name="ledger_import_template",
    ),
    path("campaigns/<id:pk>/ledger/", views.campaign_ledger, name="campaign_ledger"),
    path("campaigns/<id:pk>/ledger.xlsx", views.campaign_export, name="campaign_ledger_export"),
    path("ledger-items/<id:pk>/", views.item, name="ledger_item"),
    path("ledger-items/<id:pk>/edit/", views.item_edit, name="ledger_item_edit"),
    path("ledger-items/<id:pk>/move/", views.item_move, name="ledger_item_move"),
    path("ledger-items/<id:pk>/progress/", views.item_progress, name="ledger_item_progress"),
    path("evidence/<id:pk>/", views.evidence, name="ledger_evidence"),
    path("reminders/", views.reminders, name="reminders"),
]
