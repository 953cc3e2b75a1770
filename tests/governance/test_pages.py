"""Access audit, flags, CSV, SAR, privacy notice; the IG officer reads no case content."""

import datetime as dt
import json

import pytest
import time_machine
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AccessEvent
from audit.services import access_event_record
from cases.models import CaseShare
from governance.models import SubjectAccessRequest
from governance.selectors import (
    FLAG_OUT_OF_HOURS,
    FLAG_OUTSIDE_CASELOAD,
    FLAG_SEARCH_NO_FOLLOW_UP,
    access_flags,
)
from governance.subject_access import sar_open
from partnership.models import Agency
from partnership.services import agency_save
from tests.factories import ReferralFactory, YoungPersonFactory, agency

pytestmark = pytest.mark.django_db


def _sar_post(client: Client, subject_id: int, day: int = 1, month: int = 3) -> HttpResponse:
    return client.post(
        reverse("governance:sar_start"),
        {
            "subject_type": "cases.youngperson",
            "subject_id": subject_id,
            "received_on_day": str(day),
            "received_on_month": str(month),
            "received_on_year": "2026",
        },
    )


def _today_query() -> str:
    today = timezone.localdate()
    return "&".join(
        f"{name}_{part}={value}"
        for name in ("date_from", "date_to")
        for part, value in (("day", today.day), ("month", today.month), ("year", today.year))
    )


def test_ig_officer_gets_404_on_case_content(client: Client, cfs_ig: User) -> None:
    child = YoungPersonFactory()
    referral = ReferralFactory(young_person=child)
    client.force_login(cfs_ig)
    for url in (
        reverse("cases:young_person_detail", args=[child.pk]),
        reverse("cases:referral_detail", args=[referral.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_access_audit_csv_is_formula_safe_and_logged(
    client: Client, cfs_ig: User, cfs_practitioner: User, police_practitioner: User
) -> None:
    child = YoungPersonFactory()
    access_event_record(actor=cfs_practitioner, action="view", instance=child)
    access_event_record(
        actor=cfs_practitioner,
        action="search",
        object_type="cases.youngperson",
        detail={"q": "=HYPERLINK(1)"},
    )
    access_event_record(actor=police_practitioner, action="view", instance=child)
    client.force_login(cfs_ig)
    query = f"{_today_query()}&username=cfs.practitioner"
    page = client.get(reverse("governance:access_audit") + "?" + query)
    assert page.status_code == 200
    assert "cfs.practitioner" in page.content.decode()
    assert "police.practitioner" not in page.content.decode()  # another agency's people
    response = client.get(reverse("governance:access_audit_csv") + "?" + query)
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert len(body.strip().splitlines()) == 3  # header, view, search
    assert "\n=" not in body and ",=" not in body
    assert AccessEvent.objects.filter(
        user=cfs_ig, action="export", object_type="audit.accessevent"
    ).exists()


def test_practitioners_get_404_and_managers_see_flags_only(
    client: Client, cfs_practitioner: User, cfs_manager: User
) -> None:
    url = reverse("governance:access_audit")
    client.force_login(cfs_practitioner)
    assert client.get(url).status_code == 404
    client.force_login(cfs_manager)
    page = client.get(url)
    assert page.status_code == 200 and "Unusual access" in page.content.decode()
    assert "Download as CSV" not in page.content.decode()
    assert client.get(reverse("governance:access_audit_csv")).status_code == 404


def test_searches_without_follow_up_are_flagged(cfs_practitioner: User, settings: object) -> None:
    settings.CSE_ACCESS_FLAG_SEARCHES = 2  # type: ignore[attr-defined]
    for _ in range(2):
        access_event_record(
            actor=cfs_practitioner, action="search", object_type="cases.youngperson"
        )
    today = timezone.localdate()
    flags = access_flags(agency_id=cfs_practitioner.agency_id, date_from=today, date_to=today)
    assert any(f.kind == FLAG_SEARCH_NO_FOLLOW_UP and f.count == 2 for f in flags)


def test_administrator_changes_are_audited_and_visible_to_the_ig_officer(
    client: Client, cfs_ig: User, admin_user: User
) -> None:
    nhs = Agency.objects.get(code="nhs")
    nhs.short_name = "Health"
    agency_save(actor=admin_user, agency=nhs)
    client.force_login(cfs_ig)
    page = client.get(reverse("governance:access_audit") + f"?{_today_query()}&admin_changes=on")
    assert "agency changed" in page.content.decode()


def test_privacy_notice_lists_registered_rules_and_bases(client: Client, cfs_ig: User) -> None:
    client.force_login(cfs_ig)
    body = client.get(reverse("governance:privacy_notice")).content.decode()
    assert "cases.youngperson" in body and "maog.intelligence" in body
    assert "public task" in body and "looked after" in body


def test_subject_access_request_redacts_every_other_child(
    client: Client, cfs_ig: User, cfs_practitioner: User
) -> None:
    subject = YoungPersonFactory(first_name="Isla", last_name="Rennie")
    others = [YoungPersonFactory() for _ in range(5)]
    named = others[0]
    ReferralFactory(
        young_person=subject,
        referrer_name="Gordon Blackwood",
        concerns=f"Seen with {named.first_name} {named.last_name} and {others[1].last_name}.",
    )
    access_event_record(actor=cfs_practitioner, action="view", instance=subject)
    client.force_login(cfs_ig)
    received = dt.date(2026, 1, 31)
    response = _sar_post(client, subject.pk, day=31, month=1)
    assert response.status_code == 302, response.content.decode()[:2000]
    sar = SubjectAccessRequest.objects.get()
    assert sar.due_on == dt.date(2026, 2, 28) and sar.received_on == received
    home = client.get(reverse("governance:home")).content.decode()
    assert f"Request {sar.pk}" in home
    report = json.loads(client.get(reverse("governance:sar_json", args=[sar.pk])).content)
    text = json.dumps(report)
    assert "Isla" in text
    for other in YoungPersonFactory._meta.model.objects.exclude(pk=subject.pk):
        assert f"{other.first_name} {other.last_name}" not in text
    assert "Gordon Blackwood" not in text
    assert "cfs.practitioner" not in text and "Persona" not in text
    assert report["redactions"]
    assert report["access_events"]
    pdf = client.get(reverse("governance:sar_pdf", args=[sar.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AccessEvent.objects.filter(user=cfs_ig, action="download").count() == 2


def test_another_agencys_ig_officer_cannot_open_the_request(
    client: Client, cfs_ig: User, police_ig: User
) -> None:
    subject = YoungPersonFactory()
    client.force_login(cfs_ig)
    _sar_post(client, subject.pk, day=1, month=3)
    sar = SubjectAccessRequest.objects.get()
    client.force_login(police_ig)
    assert client.get(reverse("governance:sar_detail", args=[sar.pk])).status_code == 404
    assert client.get(reverse("governance:sar_json", args=[sar.pk])).status_code == 404
    response = _sar_post(client, subject.pk, day=1, month=3)
    assert response.status_code == 200 and SubjectAccessRequest.objects.count() == 1


def test_out_of_hours_and_outside_caseload_access_are_flagged(
    cfs_practitioner: User, settings: object
) -> None:
    settings.CSE_ACCESS_FLAG_OUTSIDE_CASELOAD = 1  # type: ignore[attr-defined]
    mine, other, third = YoungPersonFactory(), YoungPersonFactory(), YoungPersonFactory()
    access_event_record(actor=cfs_practitioner, action="create", instance=mine)
    saturday_night = timezone.make_aware(dt.datetime(2026, 3, 7, 3, 0))
    with time_machine.travel(saturday_night, tick=False):
        for record in (mine, other, third):
            access_event_record(actor=cfs_practitioner, action="view", instance=record)
    day = saturday_night.date()
    flags = {
        f.kind: f.count
        for f in access_flags(agency_id=cfs_practitioner.agency_id, date_from=day, date_to=day)
    }
    assert flags[FLAG_OUT_OF_HOURS] == 3
    assert flags[FLAG_OUTSIDE_CASELOAD] == 2  # the record they made is their caseload


def test_person_of_concern_sar_withholds_other_persons_of_concern(cfs_ig: User) -> None:
    from governance.subject_access import sar_open, sar_report
    from tests.factories import PersonOfConcernFactory

    subject = PersonOfConcernFactory(owner_agency=cfs_ig.agency, name="Dale Kerr")
    other = PersonOfConcernFactory(owner_agency=cfs_ig.agency, name="Ross Lyall")
    subject.description = f"Associate of {other.name}."
    subject.save()
    sar = sar_open(
        actor=cfs_ig,
        subject_type="maog.personofconcern",
        subject_id=subject.pk,
        received_on=timezone.localdate(),
    )
    text = json.dumps(sar_report(request=sar))
    assert "Dale Kerr" in text and "Ross Lyall" not in text
    assert "[redacted: person of concern]" in text


def test_the_subject_is_found_by_name_within_the_agency_only(
    client: Client, cfs_ig: User, cfs_manager: User
) -> None:
    own = YoungPersonFactory(first_name="Isla", last_name="Rennie")
    police = YoungPersonFactory(
        first_name="Isla", last_name="Rennie", owner_agency=agency("police")
    )
    shared = YoungPersonFactory(first_name="Isla", last_name="Rennie", owner_agency=agency("nhs"))
    CaseShare.objects.create(
        young_person=shared,
        agency=cfs_ig.agency,
        lawful_basis="child_protection",
        reason="Joint enquiry",
        shared_by=shared.created_by,
    )
    client.force_login(cfs_ig)
    url = reverse("governance:sar_start")
    page = client.get(url, {"name": "rennie ISLA"}).content.decode()
    assert f"subject_id={own.pk}" in page and f"subject_id={shared.pk}" in page
    assert f"subject_id={police.pk}" not in page  # another agency's child, never shared
    assert "2 matches" in page
    assert AccessEvent.objects.filter(
        user=cfs_ig, action="search", object_type="governance.subjectaccessrequest"
    ).exists()
    chosen = client.get(url, {"subject_type": "cases.youngperson", "subject_id": own.pk})
    assert f'value="{own.pk}"' in chosen.content.decode()
    client.force_login(cfs_manager)
    assert client.get(url, {"name": "Rennie"}).status_code == 404


def test_every_governance_read_page_logs_the_ig_officers_view(client: Client, cfs_ig: User) -> None:
    from tests.audit.test_every_view_logged import READ_PAGE
    from tests.urlwalk import project_routes

    sar = sar_open(
        actor=cfs_ig,
        subject_type="cases.youngperson",
        subject_id=YoungPersonFactory().pk,
        received_on=timezone.localdate(),
    )
    routes = [
        r for r in project_routes() if r.name.startswith("governance:") and READ_PAGE.search(r.name)
    ]
    assert {"governance:sar_detail", "governance:sar_pdf", "governance:access_audit_csv"} <= {
        r.name for r in routes
    }
    client.force_login(cfs_ig)
    for route in routes:
        before = AccessEvent.objects.filter(user=cfs_ig).count()
        response = client.get(route.sample_path(str(sar.pk)))
        assert response.status_code == 200, route.name
        assert AccessEvent.objects.filter(user=cfs_ig).count() > before, route.name
