from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("attention/", views.attention, name="attention"),
    path("young-people/", views.young_person_list, name="young_person_list"),
    path("young-people/find/", views.young_person_find, name="young_person_find"),
    path("young-people/new/", views.young_person_create, name="young_person_create"),
    path("young-people/<int:pk>/", views.young_person_detail, name="young_person_detail"),
    path("young-people/<int:pk>/chronology/", views.chronology, name="chronology"),
    path("young-people/<int:pk>/access-log/", views.access_log, name="access_log"),
    path("young-people/<int:pk>/share/", views.share_create, name="share_create"),
    path(
        "young-people/<int:pk>/assessments/new/", views.assessment_create, name="assessment_create"
    ),
    path("shares/<int:pk>/revoke/", views.share_revoke, name="share_revoke"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/", views.referral_start, name="referral_start"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("missing/", views.missing_list, name="missing_list"),
    # Create, detail, edit and history pages of every record type, from one registry.
    *views.record_urlpatterns(),
]
