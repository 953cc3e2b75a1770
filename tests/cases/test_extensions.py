"""cases knows no other app: what the MAOG adds to case pages (a young person's network and
"record an allegation", the place a missing episode ended) comes through cases.extensions."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cases import extensions
from tests.cases.conftest import client_for
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db


def test_no_case_template_names_another_apps_pages() -> None:
    root = Path(settings.BASE_DIR) / "templates" / "cases"
    named = [path.name for path in root.rglob("*.html") if "maog" in path.read_text()]
    assert named == []


def test_the_young_person_page_shows_links_other_apps_registered(cfs_practitioner, monkeypatch):
    young_person = YoungPersonFactory(owner_agency=cfs_practitioner.agency)
    client = client_for(cfs_practitioner)
    url = reverse("cases:young_person_detail", args=[young_person.pk])
    page = client.get(url).content.decode()
    assert f'href="/cases/young-people/{young_person.pk}/network/"' in page
    assert f"?young_person={young_person.pk}" in page and "Record an allegation" in page
    monkeypatch.setattr(extensions, "_YOUNG_PERSON_LINKS", {})
    page = client.get(url).content.decode()
    assert "/network/" not in page and "Record an allegation" not in page
