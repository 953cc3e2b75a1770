"""The case's life (issue 17): each agency's case of a child (allocated worker and team;
opened, closed with a reason, reopened; history kept) and the transfer of ownership with the
receiving agency's acceptance."""

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from audit.models import AccessEvent
from cases.models import YoungPerson
from cases.services import case_share
from casework import case_life
from casework.models import AgencyCase, TransferRequest
from partnership.models import Agency
from partnership.roles import Role
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db


def _events(case: AgencyCase | TransferRequest) -> list[str]:
    return [
        event.detail["event"]
        for event in AccessEvent.objects.filter(object_id=case.pk).order_by("pk")
        if "event" in event.detail
    ]


def test_open_allocate_close_and_reopen_keep_the_history(
    young_person: YoungPerson, cfs_practitioner: User, make_user: Callable[..., User]
) -> None:
    colleague = make_user("cfs", Role.PRACTITIONER, username="cfs.colleague")
    case = case_life.agency_case_open(actor=cfs_practitioner, young_person=young_person)
    assert case.allocated_worker == cfs_practitioner
    assert case_life.agency_case_open(actor=cfs_practitioner, young_person=young_person) == case
    case_life.agency_case_allocate(
        actor=cfs_practitioner, case=case, allocated_worker=colleague, team="East"
    )
    case_life.agency_case_close(
        actor=cfs_practitioner, case=case, reason=AgencyCase.ClosureReason.RISK_REDUCED
    )
    case.refresh_from_db()
    assert case.status == AgencyCase.Status.CLOSED and case.closed_at is not None
    case_life.agency_case_reopen(actor=cfs_practitioner, case=case)
    case.refresh_from_db()
    assert case.status == AgencyCase.Status.OPEN and case.closure_reason == ""
    statuses = list(case.history.order_by("history_date").values_list("status", "closure_reason"))
    assert statuses[-2:] == [("closed", "risk_reduced"), ("open", "")]
    assert _events(case) == ["opened", "allocated", "closed", "reopened"]


def test_case_life_rules(
    young_person: YoungPerson, cfs_practitioner: User, police_practitioner: User
) -> None:
    case = case_life.agency_case_open(actor=cfs_practitioner, young_person=young_person)
    with pytest.raises(ValidationError):
        case_life.agency_case_allocate(
            actor=cfs_practitioner, case=case, allocated_worker=police_practitioner, team=""
        )
    with pytest.raises(ValidationError):
        case_life.agency_case_close(actor=cfs_practitioner, case=case, reason="")
    with pytest.raises(ValidationError):
        case_life.agency_case_reopen(actor=cfs_practitioner, case=case)
    # Police do not see this child: they neither open a case nor change CFS's.
    with pytest.raises(PermissionDenied):
        case_life.agency_case_open(actor=police_practitioner, young_person=young_person)
    with pytest.raises(PermissionDenied):
        case_life.agency_case_close(actor=police_practitioner, case=case, reason="other")


def test_another_agencys_case_answers_404(
    young_person: YoungPerson, cfs_practitioner: User, police_practitioner: User
) -> None:
    case = case_life.agency_case_open(actor=cfs_practitioner, young_person=young_person)
    police = client_for(police_practitioner)
    for name, pk in (
        ("casework:agency_case_detail", case.pk),
        ("casework:agency_case_change", case.pk),
        ("casework:agency_cases", young_person.pk),
    ):
        assert police.get(reverse(name, args=[pk])).status_code == 404


def test_closing_and_reopening_through_the_page(
    young_person: YoungPerson, cfs_practitioner: User
) -> None:
    client = client_for(cfs_practitioner)
    assert (
        client.post(
            reverse("casework:agency_case_open", args=[young_person.pk]), {"confirm": "yes"}
        ).status_code
        == 302
    )
    case = AgencyCase.objects.get(young_person=young_person)
    url = reverse("casework:agency_case_change", args=[case.pk])
    response = client.post(url, {"op": "close", "closure_reason": "moved_away"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == AgencyCase.Status.CLOSED
    assert client.post(url, {"op": "reopen"}).status_code == 302
    page = client.get(reverse("casework:agency_case_detail", args=[case.pk]))
    assert "Moved out of the area" in page.content.decode()


def test_transfer_is_accepted_by_the_receiving_agency(
    young_person: YoungPerson,
    cfs_manager: User,
    police_manager: User,
    police_practitioner: User,
) -> None:
    police = Agency.objects.get(code="police")
    transfer = case_life.transfer_request(
        actor=cfs_manager, young_person=young_person, to_agency=police, reason="Police lead now."
    )
    with pytest.raises(ValidationError):  # one pending request at a time
        case_life.transfer_request(
            actor=cfs_manager, young_person=young_person, to_agency=police, reason="Again."
        )
    # The receiving agency sees the request before the case is theirs; only a manager decides.
    assert (
        client_for(police_practitioner)
        .get(reverse("casework:transfer_detail", args=[transfer.pk]))
        .status_code
        == 200
    )
    assert (
        client_for(police_practitioner)
        .get(reverse("casework:transfer_decide", args=[transfer.pk]))
        .status_code
        == 403
    )
    response = client_for(police_manager).post(
        reverse("casework:transfer_decide", args=[transfer.pk]),
        {"decision": "accept", "decision_note": "We take it."},
    )
    assert response.status_code == 302
    young_person.refresh_from_db()
    transfer.refresh_from_db()
    assert young_person.owner_agency == police
    assert transfer.status == TransferRequest.Status.ACCEPTED
    assert transfer.decided_by == police_manager
    assert AgencyCase.objects.get(young_person=young_person, agency=police).status == "open"
    with pytest.raises(PermissionDenied):  # decided: nothing more to decide
        case_life.transfer_decide(actor=police_manager, request=transfer, accept=False)


def test_declined_transfer_moves_nothing(
    young_person: YoungPerson, cfs_manager: User, cfs_practitioner: User, police_manager: User
) -> None:
    police = Agency.objects.get(code="police")
    with pytest.raises(PermissionDenied):  # only the owning agency's managers ask
        case_life.transfer_request(
            actor=cfs_practitioner, young_person=young_person, to_agency=police, reason="x"
        )
    transfer = case_life.transfer_request(
        actor=cfs_manager, young_person=young_person, to_agency=police, reason="Police lead."
    )
    with pytest.raises(PermissionDenied):  # the requesting agency cannot accept for police
        case_life.transfer_decide(actor=cfs_manager, request=transfer, accept=True)
    case_life.transfer_decide(actor=police_manager, request=transfer, accept=False, note="No.")
    young_person.refresh_from_db()
    assert young_person.owner_agency.code == "cfs"
    assert TransferRequest.objects.get().status == TransferRequest.Status.DECLINED


def _queries(user: User, path: str) -> int:
    client = client_for(user)
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_agency_cases_page_runs_a_constant_number_of_queries(
    young_person: YoungPerson,
    cfs_practitioner: User,
    cfs_manager: User,
    make_user: Callable[..., User],
) -> None:
    case_life.agency_case_open(actor=cfs_practitioner, young_person=young_person)
    path = reverse("casework:agency_cases", args=[young_person.pk])
    few = _queries(cfs_practitioner, path)
    for code in ("police", "nhs"):
        case_share(
            actor=cfs_manager,
            young_person=young_person,
            agency=Agency.objects.get(code=code),
            lawful_basis="child_protection",
            reason="Joint work.",
        )
        worker = make_user(code, Role.PRACTITIONER, username=f"{code}.worker")
        case_life.agency_case_open(actor=worker, young_person=young_person)
    case_life.transfer_request(
        actor=cfs_manager,
        young_person=young_person,
        to_agency=Agency.objects.get(code="nhs"),
        reason="Health lead.",
    )
    assert AgencyCase.objects.count() == 3
    assert _queries(cfs_practitioner, path) == few
