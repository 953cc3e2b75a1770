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
    path("young-people/<int:pk>/edit/", views.young_person_edit, name="young_person_edit"),
    path("young-people/<int:pk>/chronology/", views.chronology, name="chronology"),
    path("young-people/<int:pk>/history/", views.young_person_history, name="young_person_history"),
    path("young-people/<int:pk>/access-log/", views.access_log, name="access_log"),
    path("young-people/<int:pk>/share/", views.share_create, name="share_create"),
    path("young-people/<int:pk>/referrals/new/", views.referral_create, name="referral_create"),
    path("young-people/<int:pk>/markers/new/", views.marker_create, name="marker_create"),
    path(
        "young-people/<int:pk>/assessments/new/", views.assessment_create, name="assessment_create"
    ),
    path("young-people/<int:pk>/missing/new/", views.missing_create, name="missing_create"),
    path("young-people/<int:pk>/support/new/", views.support_create, name="support_create"),
    path("young-people/<int:pk>/feedback/new/", views.feedback_create, name="feedback_create"),
    path("shares/<int:pk>/revoke/", views.share_revoke, name="share_revoke"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/", views.referral_start, name="referral_start"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/edit/", views.referral_edit, name="referral_edit"),
    path("markers/<int:pk>/edit/", views.marker_edit, name="marker_edit"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("missing/", views.missing_list, name="missing_list"),
    path("missing/<int:pk>/", views.missing_detail, name="missing_detail"),
    path("missing/<int:pk>/edit/", views.missing_edit, name="missing_edit"),
    path("support/<int:pk>/edit/", views.support_edit, name="support_edit"),
    *[
        path(f"{kind}/<int:pk>/history/", views.record_history_view(kind), name=f"{kind}_history")
        for kind in views.HISTORY_MODELS
    ],
]
