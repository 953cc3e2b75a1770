from django.urls import path

from performance import views

app_name = "performance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/status", views.report_status, name="report_status"),
    path("reports/<int:pk>/download", views.report_download, name="report_download"),
    path("reports/<int:pk>/<slug:step>", views.report_step, name="report_step"),
]
