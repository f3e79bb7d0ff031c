from django.urls import path

from surveys.reports import views

urlpatterns = [
    path("appraisals/<id:pk>/report/", views.report, name="report"),
    path("appraisals/<id:pk>/report/move/", views.report_move, name="report_move"),
    path("appraisals/<id:pk>/report/sign/", views.report_sign, name="report_sign"),
    path("appraisals/<id:pk>/report/pdf/", views.report_pdf, name="report_pdf"),
    path("appraisals/<id:pk>/meeting-packet.pdf", views.meeting_packet, name="meeting_packet"),
]
