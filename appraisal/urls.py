from django.urls import path

from appraisal import views
from appraisal.announcements import urls as announcement_urls
from appraisal.documents import views as document_views
from appraisal.schedule import urls as schedule_urls
from appraisal.scoring import urls as scoring_urls
from appraisal.selfreview import urls as selfreview_urls
from appraisal.signin import urls as signin_urls

app_name = "appraisal"

urlpatterns = [
    path("office/", views.office_overview, name="office_overview"),
    path("office/campaigns/<id:campaign_pk>/", views.office_overview, name="office_campaign"),
    path(
        "office/campaigns/<id:campaign_pk>/advance/",
        views.campaign_advance,
        name="campaign_advance",
    ),
    path("office/campaigns/<id:campaign_pk>/roster/", views.roster_upload, name="roster_upload"),
    path(
        "office/campaigns/<id:campaign_pk>/documents/",
        document_views.issuing_settings,
        name="issuing_settings",
    ),
    path("office/roster-template.xlsx", views.roster_template_download, name="roster_template"),
    path("groups/", views.workgroup_home, name="workgroup_home"),
    path("unit/", views.unit_home, name="unit_home"),
    path("deputy/", views.deputy_home, name="deputy_home"),
    path("no-role/", views.no_role, name="no_role"),
    path("appraisals/<id:pk>/", views.appraisal_detail, name="detail"),
]

urlpatterns += scoring_urls.urlpatterns
urlpatterns += selfreview_urls.urlpatterns
urlpatterns += signin_urls.urlpatterns
urlpatterns += announcement_urls.urlpatterns
urlpatterns += schedule_urls.urlpatterns
