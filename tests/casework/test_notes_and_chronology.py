"""Case notes (owned and seen like every case record; significant ones in the chronology) and
the chronology for a case conference: filters, PDF with the protective marking on every
page, formula-safe CSV, each export logged."""

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AccessEvent
from cases.models import YoungPerson
from casework import services
from casework.chronology_export import PROTECTIVE_MARKING, ChronologyFilters
from casework.models import CaseNote, Ird
from casework.selectors import conference_chronology
from tests.cases.conftest import client_for, date_fields

pytestmark = pytest.mark.django_db


def _note(
    actor: User,
    young_person: YoungPerson,
    *,
    days_ago: int = 1,
    significant: bool = True,
    narrative: str = "Disclosed being given vodka by older males at the flat.",
) -> CaseNote:
    return services.case_note_create(
        actor=actor,
        young_person=young_person,
        contact_type=CaseNote.ContactType.FACE_TO_FACE,
        contact_at=timezone.now() - dt.timedelta(days=days_ago),
        narrative=narrative,
        significant=significant,
    )


def test_a_note_of_another_agency_answers_404(
    young_person: YoungPerson, cfs_practitioner: User, nhs_practitioner: User
) -> None:
    note = _note(cfs_practitioner, young_person)
    client = client_for(nhs_practitioner)  # the case is not shared with health
    assert client.get(reverse("casework:note_detail", args=[note.pk])).status_code == 404
    assert client.get(reverse("casework:note_list", args=[young_person.pk])).status_code == 404
    owner = client_for(cfs_practitioner)
    assert owner.get(reverse("casework:note_detail", args=[note.pk])).status_code == 200
    assert AccessEvent.objects.filter(object_type="casework.casenote", action="view").count() == 1


def test_the_note_form_records_a_note_with_its_author(
    young_person: YoungPerson, cfs_practitioner: User
) -> None:
    data = {
        **date_fields("contact_at", timezone.now() - dt.timedelta(hours=2)),
        "contact_type": "home_visit",
        "narrative": "Mother worried about late nights.",
        "significant": "on",
    }
    url = reverse("casework:note_create", args=[young_person.pk])
    response = client_for(cfs_practitioner).post(url, data)
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert note.created_by == cfs_practitioner and note.significant
    assert note.history.get().history_user == cfs_practitioner


def test_only_significant_notes_irds_and_records_reach_the_chronology(
    young_person: YoungPerson,
    cfs_practitioner: User,
    make_ird: Callable[..., Ird],
) -> None:
    _note(cfs_practitioner, young_person, significant=True, narrative="Significant one")
    _note(cfs_practitioner, young_person, significant=False, narrative="Routine one")
    make_ird(young_person)
    events = conference_chronology(
        user=cfs_practitioner, young_person=young_person, filters=ChronologyFilters()
    )
    kinds = {event.kind for event in events}
    assert {"Case note", "IRD"} <= kinds
    details = [event.detail for event in events]
    assert "Significant one" in details and "Routine one" not in details


def test_the_conference_filters_by_dates_and_significance(
    young_person: YoungPerson, cfs_practitioner: User, referral: object
) -> None:
    _note(cfs_practitioner, young_person, days_ago=40, narrative="Old")
    _note(cfs_practitioner, young_person, days_ago=2, narrative="Recent")
    today = timezone.localdate()
    recent = conference_chronology(
        user=cfs_practitioner,
        young_person=young_person,
        filters=ChronologyFilters(date_from=today - dt.timedelta(days=10), date_to=today),
    )
    assert "Recent" in [e.detail for e in recent] and "Old" not in [e.detail for e in recent]
    significant = conference_chronology(
        user=cfs_practitioner,
        young_person=young_person,
        filters=ChronologyFilters(significant_only=True),
    )
    assert significant and all(event.significant for event in significant)
    # The referral (moderate risk) is not significant: it is in the full chronology only.
    everything = conference_chronology(
        user=cfs_practitioner, young_person=young_person, filters=ChronologyFilters()
    )
    assert len(everything) > len(significant)


def test_the_pdf_is_marked_on_every_page_and_the_export_logged(
    young_person: YoungPerson, cfs_practitioner: User
) -> None:
    from pypdf import PdfReader

    for number in range(60):  # enough rows for several pages
        _note(cfs_practitioner, young_person, days_ago=number + 1, narrative=f"Contact {number}")
    url = reverse("casework:conference_chronology_pdf", args=[young_person.pk])
    response = client_for(cfs_practitioner).get(url, {"significant_only": "on"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) > 1
    for page in pages:
        assert page.extract_text().count(PROTECTIVE_MARKING) >= 2  # head and foot
    event = AccessEvent.objects.get(action=AccessEvent.Action.EXPORT)
    assert event.object_type == "cases.youngperson" and event.object_id == young_person.pk
    assert event.detail["format"] == "pdf" and event.detail["significant_only"] is True
    assert event.detail["events"] == 60


def test_the_csv_is_formula_safe_and_holds_only_what_the_user_may_see(
    young_person: YoungPerson,
    cfs_practitioner: User,
    nhs_practitioner: User,
) -> None:
    _note(cfs_practitioner, young_person, narrative='=HYPERLINK("http://x")')
    url = reverse("casework:conference_chronology_csv", args=[young_person.pk])
    response = client_for(cfs_practitioner).get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "When"
    assert ['\'=HYPERLINK("http://x")'] == [row[3] for row in rows[1:] if "HYPERLINK" in row[3]]
    # Out of reach: 404 and no export on record.
    assert client_for(nhs_practitioner).get(url).status_code == 404
    assert AccessEvent.objects.filter(action=AccessEvent.Action.EXPORT).count() == 1


def test_wrong_dates_go_back_to_the_page(young_person: YoungPerson, cfs_practitioner: User) -> None:
    client = client_for(cfs_practitioner)
    query = {
        **date_fields("date_from", timezone.localdate()),
        **date_fields("date_to", timezone.localdate() - dt.timedelta(days=3)),
    }
    response = client.get(
        reverse("casework:conference_chronology_csv", args=[young_person.pk]), query
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "The end date must be on or after the start date." in page.content.decode()


def test_a_completed_action_reaches_the_chronology_of_those_who_see_its_ird(
    young_person: YoungPerson,
    cfs_practitioner: User,
    police_practitioner: User,
    nhs_practitioner: User,
    make_ird: Callable[..., Ird],
    make_action: Callable[..., object],
) -> None:
    ird = make_ird(young_person, participants=("police",))
    done = make_action(ird, to=police_practitioner)
    make_action(ird, to=police_practitioner)  # still open: not an event
    services.ird_action_complete(actor=police_practitioner, action=done, note="Checks run.")

    def titles(user: User) -> list[str]:
        events = conference_chronology(
            user=user, young_person=young_person, filters=ChronologyFilters()
        )
        return [event.title for event in events if event.kind == "IRD action"]

    expected = ["IRD action completed: Check school attendance for the last term."]
    assert titles(cfs_practitioner) == expected
    # The police take part in the IRD; health neither sees the case nor took part.
    assert titles(police_practitioner) == expected
    assert titles(nhs_practitioner) == []
