"""Intelligence exists only for MAOG members: no trace in chronology, search, counts or the
network view for anyone else."""

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from cases.chronology import young_person_chronology
from maog import permissions
from maog import selectors as intel_selectors
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db

SECRET = "SECRET-NARRATIVE"
NON_MAOG = ("owner_practitioner", "owner_manager", "shared_agency", "non_maog")


def _pages(world: dict) -> list[str]:
    objects = world["objects"]
    return [
        reverse("cases:chronology", args=[objects["young_person"].pk]),
        reverse("cases:young_person_detail", args=[objects["young_person"].pk]),
        reverse("maog:person_detail", args=[objects["person"].pk]),
        reverse("maog:place_detail", args=[objects["place"].pk]),
        reverse("maog:person_network", args=[objects["person"].pk]),
        reverse("maog:young_person_network", args=[objects["young_person"].pk]),
        reverse("maog:person_list") + "?q=SECRET",
        reverse("maog:person_find") + "?searched=1&name=SECRET",
        reverse("cases:young_person_find") + "?searched=1&last_name=SECRET",
        reverse("cases:my_work"),
    ]


def test_non_maog_users_see_no_trace_of_intelligence(world: dict) -> None:
    entry = world["objects"]["intelligence"]
    detail_url = reverse("maog:intelligence_detail", args=[entry.pk])
    for persona in NON_MAOG:
        user = world["people"][persona]
        client = client_for(user)
        assert client.get(detail_url).status_code == 404
        for url in _pages(world):
            response = client.get(url)
            if response.status_code != 200:
                continue  # out of reach entirely (e.g. the person for police) is no trace
            html = response.content.decode()
            assert SECRET not in html, (persona, url)
            assert "Intelligence" not in html, (persona, url)
            assert detail_url not in html, (persona, url)
        assert not permissions.intelligence_queryset_for_user(user).exists()
        assert intel_selectors.intelligence_list(user=user).count() == 0
        events = young_person_chronology(user=user, young_person=world["objects"]["young_person"])
        kinds = {event.kind for event in events}
        assert "Intelligence (MAOG)" not in kinds
        assert "Allegation" in kinds  # allegations follow the child's case


def test_network_view_has_no_intelligence_counts_outside_the_maog(world: dict) -> None:
    person = world["objects"]["person"]
    for persona in ("owner_practitioner", "shared_agency"):
        graph = intel_selectors.network_graph(
            user=world["people"][persona], root_kind="person", root_id=person.pk
        )
        assert all(node.intelligence is None for node in graph.nodes.values())
    graph = intel_selectors.network_graph(
        user=world["people"]["maog"], root_kind="person", root_id=person.pk
    )
    assert graph.nodes[f"person:{person.pk}"].intelligence == 1


def test_maog_members_see_intelligence_in_chronology_and_views_are_logged(world: dict) -> None:
    maog = world["people"]["maog"]
    client = client_for(maog)
    young_person = world["objects"]["young_person"]
    chronology = client.get(reverse("cases:chronology", args=[young_person.pk])).content.decode()
    assert "Intelligence: Party flats" in chronology
    entry = world["objects"]["intelligence"]
    page = client.get(reverse("maog:intelligence_detail", args=[entry.pk])).content.decode()
    assert SECRET in page
    assert AccessEvent.objects.filter(
        user=maog, action="view", object_type="maog.intelligence", object_id=entry.pk
    ).exists()
    listing = client.get(reverse("maog:intelligence_list") + "?q=SECRET").content.decode()
    assert reverse("maog:intelligence_detail", args=[entry.pk]) in listing
