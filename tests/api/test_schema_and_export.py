"""The OpenAPI schema validates and is served to signed-in users with its docs page; the
export holds the agency's own records only, formula-safe, and is on record."""

import csv
import io

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from accounts.models import User
from audit.models import AccessEvent
from cases import services as case_services
from tests.api.conftest import make_young_person, session_client
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def test_the_schema_validates_against_openapi_3() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert "/api/v1/referrals/" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/missing-episodes/"]
    assert "post" not in schema["paths"]["/api/v1/young-people/"]


def test_schema_and_docs_are_for_signed_in_users(cfs_practitioner: User) -> None:
    anonymous = Client()
    assert anonymous.get("/api/v1/schema/").status_code == 401
    assert anonymous.get("/api/docs/").status_code == 302
    browser = Client()
    browser.force_login(cfs_practitioner)
    assert b"openapi" in browser.get("/api/v1/schema/").content
    docs = browser.get("/api/docs/").content.decode()
    assert "/api/v1/referrals/" in docs and "Bearer" in docs


def test_export_is_the_agencys_own_records_formula_safe_and_logged(
    cfs_manager: User, cfs_practitioner: User, police_practitioner: User, police_manager: User
) -> None:
    ours = make_young_person(cfs_practitioner)
    ReferralFactory(young_person=ours, created_by=cfs_practitioner, concerns="=HYPERLINK(1)")
    shared = make_young_person(police_practitioner)
    ReferralFactory(young_person=shared, created_by=police_practitioner, concerns="theirs")
    case_services.case_share(
        actor=police_manager,
        young_person=shared,
        agency=cfs_practitioner.agency,
        lawful_basis="child_protection",
        reason="joint",
    )
    client = session_client(cfs_manager)
    body = b"".join(client.get("/api/v1/export/referrals.csv").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["concerns"] for row in rows] == ["'=HYPERLINK(1)"]
    data = b"".join(client.get("/api/v1/export/referrals.json").streaming_content)
    assert b"theirs" not in data and b"HYPERLINK" in data
    logged = AccessEvent.objects.filter(action="export", object_type="api.export.referrals")
    assert logged.count() == 2 and logged.first().detail["rows"] == 1
    assert client.get("/api/v1/export/nonsense.csv").status_code == 404
