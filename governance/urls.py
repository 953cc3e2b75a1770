from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("", views.home, name="home"),
    path("retention/", views.retention_queue_page, name="retention_queue"),
    path("access-audit/", views.access_audit_page, name="access_audit"),
    path("access-audit.csv", views.access_audit_csv, name="access_audit_csv"),
    path("privacy/", views.privacy_notice, name="privacy_notice"),
    path("subject-access/", views.sar_start, name="sar_start"),
    path("subject-access/<int:pk>/", views.sar_detail, name="sar_detail"),
    path("subject-access/<int:pk>/report.pdf", views.sar_pdf, name="sar_pdf"),
    path("subject-access/<int:pk>/report.json", views.sar_json, name="sar_json"),
]
