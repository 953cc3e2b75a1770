"""IRDs: recording one, who sees it (participation grants), the links to people considered,
and its place in the chronology."""

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AccessEvent
from cases import services as case_services
from cases.chronology import young_person_chronology
from cases.models import Referral, YoungPerson
from casework import permissions, services
from casework.apps import referral_links
from casework.models import Ird
from casework.services import Participant
from partnership.models import Agency
from partnership.roles import Role
from tests.cases.conftest import client_for, date_fields
from tests.factories import PersonOfConcernFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


def normalise(content: bytes) -> str:
    """A page without its per-response CSRF token (and CSP nonce)."""
    return re.sub(r'(value|nonce)="[A-Za-z0-9+/=_-]{20,}"', "", content.decode())


def test_participating_agencies_see_the_ird_and_others_do_not(
    ird: Ird,
    police_practitioner: User,
    nhs_practitioner: User,
    cfs_practitioner: User,
) -> None:
    assert permissions.ird_policy.visible_to(police_practitioner).filter(pk=ird.pk).exists()
    assert permissions.ird_policy.visible_to(cfs_practitioner).filter(pk=ird.pk).exists()
    # Health did not take part and the case was not shared with it.
    assert not permissions.ird_policy.visible_to(nhs_practitioner).exists()
    url = reverse("casework:ird_detail", args=[ird.pk])
    assert client_for(police_practitioner).get(url).status_code == 200
    assert client_for(nhs_practitioner).get(url).status_code == 404
    # The participation grant opens the IRD, never the child's case.
    case = reverse("cases:young_person_detail", args=[ird.young_person_id])
    assert client_for(police_practitioner).get(case).status_code == 404


def test_an_ird_out_of_reach_answers_like_a_missing_one(ird: Ird, nhs_practitioner: User) -> None:
    client = client_for(nhs_practitioner)
    hidden = client.get(reverse("casework:ird_detail", args=[ird.pk]))
    missing = client.get(reverse("casework:ird_detail", args=[ird.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert normalise(hidden.content) == normalise(missing.content)
    assert client.get(reverse("casework:action_create", args=[ird.pk])).status_code == 404


def test_viewing_an_ird_is_logged(ird: Ird, police_practitioner: User) -> None:
    client_for(police_practitioner).get(reverse("casework:ird_detail", args=[ird.pk]))
    event = AccessEvent.objects.get(action=AccessEvent.Action.VIEW, object_type="casework.ird")
    assert event.user == police_practitioner
    assert event.detail == {"young_person": ird.young_person_id}


def test_the_create_is_audited_and_the_grants_recorded(ird: Ird) -> None:
    actions = set(
        AccessEvent.objects.filter(object_type="casework.ird", object_id=ird.pk).values_list(
            "action", flat=True
        )
    )
    assert actions == {AccessEvent.Action.CREATE, AccessEvent.Action.SHARE}
    assert ird.history.count() == 1
    assert ird.history.first().history_user == ird.created_by


def test_only_people_the_user_may_see_can_be_linked(
    young_person: YoungPerson, make_ird: Callable[..., Ird]
) -> None:
    police_child = YoungPersonFactory(owner_agency=Agency.objects.get(code="police"))
    with pytest.raises(ValidationError) as error:
        make_ird(young_person, other_young_people=[police_child])
    assert "other_young_people" in error.value.message_dict
    hidden_person = PersonOfConcernFactory()  # police's, not shared with CFS
    with pytest.raises(ValidationError) as error:
        make_ird(young_person, persons_of_concern=[hidden_person])
    assert "persons_of_concern" in error.value.message_dict
    assert not Ird.objects.exists()


def test_linked_people_show_only_to_those_who_may_see_them(
    young_person: YoungPerson,
    make_ird: Callable[..., Ird],
    cfs_practitioner: User,
    police_practitioner: User,
) -> None:
    sibling = case_services.young_person_create(
        actor=cfs_practitioner,
        first_name="Siobhan",
        last_name="Sibling",
        date_of_birth=timezone.localdate() - dt.timedelta(days=12 * 365),
        sex="female",
    )
    ird = make_ird(young_person, other_young_people=[sibling])
    owner = client_for(cfs_practitioner).get(reverse("casework:ird_detail", args=[ird.pk]))
    assert "Siobhan Sibling" in owner.content.decode()
    police = client_for(police_practitioner).get(reverse("casework:ird_detail", args=[ird.pk]))
    assert "Siobhan" not in police.content.decode()
    assert "1 record you cannot see" in police.content.decode()


def test_a_referral_links_only_with_outcome_ird(
    young_person: YoungPerson, referral: Referral, make_ird: Callable[..., Ird]
) -> None:
    with pytest.raises(ValidationError) as error:
        make_ird(young_person, referral=referral)
    assert error.value.message_dict["referral"] == [services.ERROR_REFERRAL_NOT_IRD]
    referral.outcome = Referral.Outcome.IRD
    referral.outcome_date = referral.received_on
    referral.save()
    ird = make_ird(young_person, referral=referral)
    reconvened = make_ird(young_person, referral=referral, reconvened_from=ird)
    assert list(ird.reconvenings.all()) == [reconvened]


def test_the_referral_page_links_to_the_ird_held_about_it(
    young_person: YoungPerson,
    referral: Referral,
    make_ird: Callable[..., Ird],
    cfs_practitioner: User,
    cfs_manager: User,
    nhs_practitioner: User,
    make_user: Callable[..., User],
) -> None:
    url = reverse("cases:referral_detail", args=[referral.pk])
    assert "Related records" not in client_for(cfs_practitioner).get(url).content.decode()
    referral.outcome = Referral.Outcome.IRD
    referral.outcome_date = referral.received_on
    referral.save()
    ird = make_ird(young_person, referral=referral)
    make_ird(young_person)  # another IRD about the child, not about this referral
    link = f'href="{reverse("casework:ird_detail", args=[ird.pk])}"'
    label = f"IRD held on {timezone.localtime(ird.held_at):%-d %B %Y}"
    page = client_for(cfs_practitioner).get(url).content.decode()
    assert page.count('href="/casework/irds/') == 1 and link in page and label in page
    # The agency the case is shared with sees the referral, and so the link.
    case_services.case_share(
        actor=cfs_manager,
        young_person=young_person,
        agency=Agency.objects.get(code="nhs"),
        lawful_basis="child_protection",
        reason="Health assessment.",
    )
    assert link in client_for(nhs_practitioner).get(url).content.decode()
    # An agency that sees neither gets 404 for the referral, link and all.
    outsider = make_user("barnardos", Role.PRACTITIONER, username="barnardos.worker")
    assert client_for(outsider).get(url).status_code == 404
    # The link names only IRDs the user may see (the policy decides, not the page).
    assert referral_links(user=outsider, record=referral) == []
    assert [entry.label for entry in referral_links(user=cfs_practitioner, record=referral)] == [
        label
    ]


def test_another_agency_must_take_part(young_person: YoungPerson, cfs_practitioner: User) -> None:
    with pytest.raises(ValidationError) as error:
        services.ird_create(
            actor=cfs_practitioner,
            young_person=young_person,
            participants=[Participant(agency=Agency.objects.get(code="cfs"), name="Sam")],
            held_at=timezone.now(),
            concerns="x",
            decision=Ird.Decision.JOINT,
            reasons="y",
        )
    assert services.ERROR_PARTICIPANTS in error.value.messages


def test_an_agency_that_cannot_see_the_case_cannot_record_an_ird(
    young_person: YoungPerson, nhs_practitioner: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.ird_create(
            actor=nhs_practitioner,
            young_person=young_person,
            participants=[Participant(agency=Agency.objects.get(code="police"), name="P")],
            held_at=timezone.now(),
            concerns="x",
            decision=Ird.Decision.JOINT,
            reasons="y",
        )


def test_the_ird_form_records_an_ird_with_its_participants(
    young_person: YoungPerson, cfs_practitioner: User
) -> None:
    police = Agency.objects.get(code="police")
    nhs = Agency.objects.get(code="nhs")
    data = {
        **date_fields("held_at", timezone.now() - dt.timedelta(hours=1)),
        "concerns": "Older men outside school.",
        "decision": Ird.Decision.CPPM,
        "reasons": "Significant risk.",
        "chronology_considered": "on",
        "participants-TOTAL_FORMS": "4",
        "participants-INITIAL_FORMS": "0",
        "participants-0-agency": str(police.pk),
        "participants-0-name": "DC Reid",
        "participants-0-information_summary": "Two missing-person reports.",
        "participants-1-agency": str(nhs.pk),
        "participants-1-name": "Nurse Jones",
    }
    client = client_for(cfs_practitioner)
    response = client.post(reverse("casework:ird_create", args=[young_person.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    ird = Ird.objects.get()
    assert ird.decision == Ird.Decision.CPPM and ird.chronology_considered
    assert sorted(ird.participants.values_list("name", flat=True)) == ["DC Reid", "Nurse Jones"]
    page = client.get(response["Location"]).content.decode()
    assert "Two missing-person reports." in page


def test_the_ird_form_names_a_participant_without_a_name(
    young_person: YoungPerson, cfs_practitioner: User
) -> None:
    data = {
        **date_fields("held_at", timezone.now() - dt.timedelta(hours=1)),
        "concerns": "c",
        "decision": Ird.Decision.JOINT,
        "reasons": "r",
        "participants-TOTAL_FORMS": "4",
        "participants-INITIAL_FORMS": "0",
        "participants-0-agency": str(Agency.objects.get(code="police").pk),
    }
    response = client_for(cfs_practitioner).post(
        reverse("casework:ird_create", args=[young_person.pk]), data
    )
    assert response.status_code == 200
    assert "Enter the name of the person who spoke for the agency." in response.content.decode()
    assert not Ird.objects.exists()


def test_irds_appear_in_the_chronology_for_those_who_may_see_them(
    ird: Ird, cfs_practitioner: User
) -> None:
    events = young_person_chronology(user=cfs_practitioner, young_person=ird.young_person)
    irds = [event for event in events if event.kind == "IRD"]
    assert len(irds) == 1 and irds[0].significant
    assert "Joint investigation" in irds[0].title
