from django.urls import path

from surveys.reports import views

urlpatterns = [
    path("appraisals/<int:pk>/report/", views.report, name="report"),
    path("appraisals/<int:pk>/report/move/", views.report_move, name="report_move"),
    path("appraisals/<int:pk>/report/sign/", views.report_sign, name="report_sign"),
    path("appraisals/<int:pk>/report/pdf/", views.report_pdf, name="report_pdf"),
    path("appraisals/<int:pk>/meeting-packet.pdf", views.meeting_packet, name="meeting_packet"),
]
