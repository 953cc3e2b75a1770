from django.urls import path

from casework import case_life_views as life
from casework import documents_views as documents
from casework import views
from casework.chronology_export import FORMATS

app_name = "casework"

urlpatterns = [
    path("my-tasks/", views.my_tasks, name="my_tasks"),
    path("young-people/<int:pk>/irds/", views.ird_list, name="ird_list"),
    path("young-people/<int:pk>/irds/new/", views.ird_create, name="ird_create"),
    path("irds/<int:pk>/", views.ird_detail, name="ird_detail"),
    path("irds/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/complete/", views.action_complete, name="action_complete"),
    path("young-people/<int:pk>/notes/", views.note_list, name="note_list"),
    path("young-people/<int:pk>/notes/new/", views.note_create, name="note_create"),
    path("notes/<int:pk>/", views.note_detail, name="note_detail"),
    path("young-people/<int:pk>/meetings/", views.meeting_list, name="meeting_list"),
    path("young-people/<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path(
        "young-people/<int:pk>/conference-chronology/",
        views.conference_chronology,
        name="conference_chronology",
    ),
    path("young-people/<int:pk>/agency-cases/", life.agency_cases, name="agency_cases"),
    path(
        "young-people/<int:pk>/agency-cases/open/",
        life.agency_case_open,
        name="agency_case_open",
    ),
    path("agency-cases/<int:pk>/", life.agency_case_detail, name="agency_case_detail"),
    path("agency-cases/<int:pk>/change/", life.agency_case_change, name="agency_case_change"),
    path("young-people/<int:pk>/transfer/", life.transfer_create, name="transfer_create"),
    path("young-people/<int:pk>/safety-plans/", life.safety_plan_list, name="safety_plan_list"),
    path(
        "young-people/<int:pk>/safety-plans/new/",
        life.safety_plan_create,
        name="safety_plan_create",
    ),
    path("safety-plans/<int:pk>/", life.safety_plan_detail, name="safety_plan_detail"),
    path("safety-plans/<int:pk>/review/", life.safety_plan_review, name="safety_plan_review"),
    path("young-people/<int:pk>/documents/", documents.document_list, name="document_list"),
    path(
        "young-people/<int:pk>/documents/new/",
        documents.document_upload,
        name="document_upload",
    ),
    path("documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path("documents/<int:pk>/download/", documents.document_download, name="document_download"),
    path("transfers/<int:pk>/", life.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/decide/", life.transfer_decide, name="transfer_decide"),
    *(
        path(
            f"young-people/<int:pk>/conference-chronology.{file_format}",
            views.conference_chronology_export,
            {"file_format": file_format},
            name=f"conference_chronology_{file_format}",
        )
        for file_format in FORMATS
    ),
]
