from collections.abc import Callable

from django.http import HttpResponse
from django.urls import URLPattern, path

from casework import case_life_views as life
from casework import documents_views as documents
from casework import views
from casework.chronology_export import FORMATS

app_name = "casework"

View = Callable[..., HttpResponse]


def _young_persons_records(
    segment: str, list_view: View, create_view: View, detail_view: View, *, create: str = "new"
) -> list[URLPattern]:
    """A record type's pages: its list and its create page under the young person, and each
    record's own page. Each URL is named after its view (``note_list``, ``note_create``...)."""
    return [
        path(f"young-people/<int:pk>/{segment}/", list_view, name=list_view.__name__),
        path(f"young-people/<int:pk>/{segment}/{create}/", create_view, name=create_view.__name__),
        path(f"{segment}/<int:pk>/", detail_view, name=detail_view.__name__),
    ]


urlpatterns = [
    path("my-tasks/", views.my_tasks, name="my_tasks"),
    *_young_persons_records("irds", views.ird_list, views.ird_create, views.ird_detail),
    path("irds/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/complete/", views.action_complete, name="action_complete"),
    *_young_persons_records("notes", views.note_list, views.note_create, views.note_detail),
    *_young_persons_records(
        "meetings", views.meeting_list, views.meeting_create, views.meeting_detail
    ),
    path(
        "young-people/<int:pk>/conference-chronology/",
        views.conference_chronology,
        name="conference_chronology",
    ),
    *_young_persons_records(
        "agency-cases",
        life.agency_cases,
        life.agency_case_open,
        life.agency_case_detail,
        create="open",
    ),
    path("agency-cases/<int:pk>/change/", life.agency_case_change, name="agency_case_change"),
    path("young-people/<int:pk>/transfer/", life.transfer_create, name="transfer_create"),
    *_young_persons_records(
        "safety-plans", life.safety_plan_list, life.safety_plan_create, life.safety_plan_detail
    ),
    path("safety-plans/<int:pk>/review/", life.safety_plan_review, name="safety_plan_review"),
    *_young_persons_records(
        "documents",
        documents.document_list,
        documents.document_upload,
        documents.document_detail,
    ),
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
