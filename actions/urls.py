from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.plan, name="plan"),
    path("export.csv", views.plan_export, name="plan_export"),
    path("items/<int:number>/", views.item_detail, name="item_detail"),
    path("items/<int:number>/updates/<str:period_code>/", views.update_form, name="update_form"),
    path("items/<int:number>/request-update/", views.request_update, name="request_update"),
    path("items/<int:number>/target-date/", views.target_date, name="target_date"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("activity/", views.activity_list, name="activity_list"),
    path("activity/<str:kind>/new/", views.activity_create, name="activity_create"),
]
