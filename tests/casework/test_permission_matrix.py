"""Every casework URL x every persona -> the status it must answer (personas not named: 404).

The world is the project matrix's (tests/maog/conftest.py: a CFS case shared with NHS and
police), plus ``casework_objects``: an IRD held by CFS with police taking part, and an action
of it given to the NHS practitioner. tests/security/authorization.py reads these
expectations into the project-wide matrix (GET and POST, forbidden looks like missing, out of
reach writes nothing); the tests here check the casework rows on their own.
"""

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.models import YoungPerson
from casework import case_life, documents, safety_plan, services
from casework.models import CaseDocument, CaseNote, Ird, Meeting
from casework.services import Participant
from partnership.models import Agency
from tests.cases.conftest import client_for
from tests.maog.conftest import build_world, world_people
from tests.urlwalk import project_routes

pytestmark = pytest.mark.django_db

CASEWORKERS = ("owner_practitioner", "owner_manager", "other_agency", "shared_agency", "maog")
EVERY_CASEWORKER = dict.fromkeys(CASEWORKERS, 200)
# The case is shared with NHS and police: they see the child, its IRDs and their actions.
CASE_READ = {p: 200 for p in ("owner_practitioner", "owner_manager", "shared_agency", "maog")}
OWNER_EDIT = {"owner_practitioner": 200, "owner_manager": 200, "shared_agency": 403, "maog": 403}
# The action is the NHS practitioner's; the IRD's owners may complete it too; police see it.
ACTION_COMPLETE = {**CASE_READ, "maog": 403}
# Only a manager of the owning agency (CFS) asks for a transfer; the others who see it, 403.
TRANSFER_REQUEST = {**OWNER_EDIT, "owner_practitioner": 403}
# The transfer goes from CFS to NHS: both agencies see it, police do not; only an NHS manager
# (none in this world) decides, so everyone who sees it is refused (tests/casework/test_case_life).
TRANSFER_READ = {p: 200 for p in ("owner_practitioner", "owner_manager", "shared_agency")}
TRANSFER_DECIDE = dict.fromkeys(TRANSFER_READ, 403)

CASEWORK_EXPECTATIONS: dict[str, tuple[str | None, dict[str, int]]] = {
    "casework:my_tasks": (None, EVERY_CASEWORKER),
    "casework:ird_list": ("young_person", CASE_READ),
    "casework:ird_create": ("young_person", CASE_READ),
    "casework:ird_detail": ("ird", CASE_READ),
    "casework:action_create": ("ird", OWNER_EDIT),
    "casework:action_detail": ("ird_action", CASE_READ),
    "casework:action_complete": ("ird_action", ACTION_COMPLETE),
    "casework:note_list": ("young_person", CASE_READ),
    "casework:note_create": ("young_person", CASE_READ),
    "casework:note_detail": ("case_note", CASE_READ),
    "casework:meeting_list": ("young_person", CASE_READ),
    "casework:meeting_create": ("young_person", CASE_READ),
    "casework:meeting_detail": ("meeting", CASE_READ),
    "casework:agency_cases": ("young_person", CASE_READ),
    "casework:agency_case_open": ("young_person", CASE_READ),
    "casework:agency_case_detail": ("agency_case", CASE_READ),
    "casework:agency_case_change": ("agency_case", OWNER_EDIT),
    "casework:transfer_create": ("young_person", TRANSFER_REQUEST),
    "casework:transfer_detail": ("transfer", TRANSFER_READ),
    "casework:safety_plan_list": ("young_person", CASE_READ),
    "casework:safety_plan_detail": ("safety_plan", CASE_READ),
    "casework:safety_plan_create": ("young_person", CASE_READ),
    "casework:safety_plan_review": ("safety_plan", OWNER_EDIT),
    "casework:transfer_decide": ("transfer", TRANSFER_DECIDE),
    "casework:conference_chronology": ("young_person", CASE_READ),
    "casework:conference_chronology_csv": ("young_person", CASE_READ),
    "casework:conference_chronology_pdf": ("young_person", CASE_READ),
    # Documents: seen, uploaded to and downloaded with the case (tests/casework/test_documents).
    "casework:document_list": ("young_person", CASE_READ),
    "casework:document_upload": ("young_person", CASE_READ),
    "casework:document_detail": ("case_document", CASE_READ),
    "casework:document_download": ("case_document", CASE_READ),
}
# An empty POST completes an action (the note is optional): a declared write.
CASEWORK_IN_REACH_WRITES = {
    "casework:action_complete": {
        "owner_practitioner": 302,
        "owner_manager": 302,
        "shared_agency": 302,
    }
}


def casework_objects(people: dict[str, User], young_person: YoungPerson) -> dict[str, Any]:
    """The casework records of the matrix world."""
    ird = services.ird_create(
        actor=people["owner_practitioner"],
        young_person=young_person,
        participants=[
            Participant(agency=Agency.objects.get(code="cfs"), name="Sam Social"),
            Participant(agency=Agency.objects.get(code="police"), name="DC Reid"),
        ],
        held_at=timezone.now() - dt.timedelta(hours=3),
        concerns="Seen with older men.",
        decision=Ird.Decision.JOINT,
        reasons="Shared information meets the threshold.",
    )
    action = services.ird_action_create(
        actor=people["owner_practitioner"],
        ird=ird,
        description="Arrange a health assessment.",
        agency=Agency.objects.get(code="nhs"),
        assigned_to=people["shared_agency"],
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )
    note = services.case_note_create(
        actor=people["owner_practitioner"],
        young_person=young_person,
        contact_type=CaseNote.ContactType.HOME_VISIT,
        contact_at=timezone.now() - dt.timedelta(hours=1),
        narrative="Visited at home.",
        significant=True,
    )
    meeting = services.meeting_create(
        actor=people["owner_practitioner"],
        young_person=young_person,
        meeting_type=Meeting.MeetingType.CPPM,
        held_at=timezone.now() - dt.timedelta(hours=2),
        participants="Sam Social, social worker, CFS",
        decisions="Register; core group in two weeks.",
    )
    agency_case = case_life.agency_case_open(
        actor=people["owner_practitioner"], young_person=young_person
    )
    transfer = case_life.transfer_request(
        actor=people["owner_manager"],
        young_person=young_person,
        to_agency=Agency.objects.get(code="nhs"),
        reason="The health team now leads the work.",
    )
    plan = safety_plan.safety_plan_create(
        actor=people["owner_practitioner"],
        young_person=young_person,
        content=safety_plan.PlanContent(
            risks="Contact with older men.",
            review_on=timezone.localdate() + dt.timedelta(days=28),
            actions=[
                safety_plan.ProtectiveAction(
                    "Collected from school", "Carer", timezone.localdate() + dt.timedelta(days=7)
                )
            ],
        ),
    )
    document = documents.case_document_upload(
        actor=people["owner_practitioner"],
        young_person=young_person,
        title="Core group minutes",
        kind=CaseDocument.Kind.MINUTES,
        upload=SimpleUploadedFile("minutes.txt", b"Core group met; plan agreed.\n"),
    )
    return {
        "case_document": document,
        "safety_plan": plan,
        "ird": ird,
        "ird_action": action,
        "case_note": note,
        "meeting": meeting,
        "agency_case": agency_case,
        "transfer": transfer,
    }


def test_every_casework_url_has_declared_expectations() -> None:
    routes = {route.name for route in project_routes() if route.name.startswith("casework:")}
    assert routes == set(CASEWORK_EXPECTATIONS)


def test_casework_matrix(make_user: Any) -> None:
    people = world_people(make_user)
    world = build_world(people)
    objects = {**world["objects"], **casework_objects(people, world["objects"]["young_person"])}
    failures = []
    for persona, user in people.items():
        if persona == "non_maog":
            continue
        client = client_for(user)
        for name, (key, allowed) in CASEWORK_EXPECTATIONS.items():
            args = [objects[key].pk] if key else []
            status = client.get(reverse(name, args=args)).status_code
            if status != allowed.get(persona, 404):
                failures.append(f"{persona} {name}: {status}, expected {allowed.get(persona, 404)}")
    assert not failures, "\n".join(failures)
