"""The chronology is built from registered sources: cases knows no other app, and a source
registered from elsewhere shows its events in time order, through the real page."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from cases import chronology
from cases.chronology import ChronologyEvent, day, young_person_chronology
from tests.cases.conftest import client_for
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

CASES = Path(chronology.__file__).parent


@pytest.mark.parametrize("module", ["chronology.py", "chronology_records.py"])
def test_the_chronology_modules_import_no_other_app(module: str) -> None:
    tree = ast.parse((CASES / module).read_text())
    imported = {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not imported & {"maog", "actions", "performance", "audit"}, imported


def test_a_registered_source_contributes_events_in_time_order(cfs_practitioner, monkeypatch):
    referral = ReferralFactory(
        owner_agency=cfs_practitioner.agency, received_on=dt.date(2025, 3, 10)
    )
    young_person = referral.young_person
    calls: list[tuple[int, int]] = []

    def source(*, user, young_person):
        calls.append((user.pk, young_person.pk))
        return [
            ChronologyEvent(
                at=day(dt.date(2025, 3, 9)),
                kind="Elsewhere",
                title="Something from another app",
                detail="",
                agency="X",
                significant=False,
            ),
            ChronologyEvent(
                at=day(dt.date(2025, 3, 11)),
                kind="Elsewhere",
                title="Later thing from another app",
                detail="",
                agency="X",
                significant=False,
            ),
        ]

    monkeypatch.setitem(chronology._SOURCES, "test-source", source)
    titles = [
        e.title for e in young_person_chronology(user=cfs_practitioner, young_person=young_person)
    ]
    assert (
        titles.index("Something from another app")
        < titles.index("Referral received from Education")
        < titles.index("Later thing from another app")
    ), titles
    assert calls == [(cfs_practitioner.pk, young_person.pk)]
    page = client_for(cfs_practitioner).get(reverse("cases:chronology", args=[young_person.pk]))
    assert "Later thing from another app" in page.content.decode()


def test_the_case_source_comes_first_and_the_maog_registers_itself() -> None:
    names = list(chronology.registered_sources())
    assert names[0] == "cases"
    assert "maog" in names  # registered by the MAOG app's ready(), not named by cases
