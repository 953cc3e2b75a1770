"""Issue 19, item 3: people, places, vehicles and handles are chosen with an autocomplete
(GOV.UK's accessible-autocomplete, static/js/autocomplete.mjs) built on the form's own select.

The select's options are all the script can offer, so they must be only what the user may
see; every id the select's aria-describedby names must be an element of the page; without
JavaScript a multiple select must still work (posting several values saves them all).
"""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from cases import services as case_services
from maog.forms import AllegationForm, IntelligenceForm, PersonLinkForm
from maog.models import Allegation
from tests import factories as f

pytestmark = pytest.mark.django_db

SELECT = re.compile(r"<select\b[^>]*>.*?</select>", re.S)
ATTR = re.compile(r'\b([\w-]+)="([^"]*)"')


def _selects(html: str) -> dict[str, dict[str, object]]:
    """Each select of a page by name: its attributes and the option values and texts."""
    found: dict[str, dict[str, object]] = {}
    for block in SELECT.findall(html):
        tag = block[: block.index(">") + 1]
        attrs = dict(ATTR.findall(tag))
        options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', block)
        found[attrs["name"]] = {"attrs": attrs, "multiple": " multiple" in tag, "options": options}
    return found


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def _page(client: Client, user: User, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_allegation_pickers_offer_only_what_the_user_may_see(client: Client, world: dict) -> None:
    people, objects = world["people"], world["objects"]
    hidden_child = f.YoungPersonFactory(
        owner_agency=f.agency("barnardos"), first_name="Unshared", last_name="Elsewhere"
    )
    owner_html = _page(client, people["owner_practitioner"], reverse("maog:allegation_create"))
    selects = _selects(owner_html)

    persons, young_people = selects["persons"], selects["young_people"]
    assert persons["multiple"] and young_people["multiple"]
    assert persons["attrs"]["data-module"] == "app-autocomplete"
    assert persons["attrs"]["size"] == "8"  # not squashed to one line without JavaScript
    assert [v for v, _ in persons["options"]] == [str(objects["person"].pk)]
    child_values = [v for v, _ in young_people["options"]]
    assert str(objects["young_person"].pk) in child_values
    assert str(hidden_child.pk) not in child_values
    assert "Unshared" not in owner_html

    # Another agency's practitioner: neither the person nor the child is offered.
    other_html = _page(client, people["other_agency"], reverse("maog:allegation_create"))
    other = _selects(other_html)
    assert other["persons"]["options"] == []
    assert str(objects["young_person"].pk) not in [v for v, _ in other["young_people"]["options"]]
    assert "Adult Concern" not in other_html and "Network Child" not in other_html


@pytest.mark.parametrize(
    ("url_name", "persona", "needs_person"),
    [
        ("maog:allegation_create", "owner_practitioner", False),
        ("maog:intelligence_create", "maog", False),
        ("maog:person_link_create", "owner_practitioner", True),
    ],
)
def test_every_described_by_id_is_on_the_page(
    client: Client, world: dict, url_name: str, persona: str, needs_person: bool
) -> None:
    args = [world["objects"]["person"].pk] if needs_person else []
    html = _page(client, world["people"][persona], reverse(url_name, args=args))
    ids = _ids(html)
    described = re.findall(r'aria-describedby="([^"]*)"', html)
    assert described, "the form describes its fields"
    for value in described:
        for id_ in value.split():
            assert id_ in ids, f"aria-describedby names #{id_}, which is not on the page"
    # Every record picker is an autocomplete, and its hint (when it has one) is described.
    pickers = {name: s for name, s in _selects(html).items() if s["attrs"].get("data-module")}
    assert pickers
    for name, select in pickers.items():
        attrs = select["attrs"]
        assert isinstance(attrs, dict)
        if f'id="id_{name}-hint"' in html:
            assert f"id_{name}-hint" in attrs.get("aria-describedby", "").split()


def test_errors_are_described_too(client: Client, world: dict) -> None:
    client.force_login(world["people"]["owner_practitioner"])
    response = client.post(reverse("maog:allegation_create"), {"summary": ""})
    html = response.content.decode()
    attrs = _selects(html)["persons"]["attrs"]
    assert isinstance(attrs, dict)
    described = attrs["aria-describedby"].split()
    assert described == ["id_persons-hint", "id_persons-error"]
    assert {"id_persons-hint", "id_persons-error"} <= _ids(html)
    assert "govuk-select--error" in attrs["class"]


def test_without_javascript_several_people_are_saved(client: Client, world: dict) -> None:
    people, objects = world["people"], world["objects"]
    actor = people["owner_practitioner"]
    second = case_services.young_person_create(
        actor=actor,
        first_name="Second",
        last_name="Child",
        sex="female",
        date_of_birth=dt.date(2011, 5, 1),
    )
    client.force_login(actor)
    response = client.post(
        reverse("maog:allegation_create"),
        {
            "persons": [objects["person"].pk],
            "young_people": [objects["young_person"].pk, second.pk],
            "summary": "Two children named.",
            "prosecution_outcome": "pending",
            "alleged_on_day": "1",
            "alleged_on_month": "1",
            "alleged_on_year": "2025",
        },
    )
    assert response.status_code == 302, re.findall(
        r"govuk-error-message\">(.*?)</p>", response.content.decode(), re.S
    )
    allegation = Allegation.objects.latest("pk")
    assert set(allegation.young_people.all()) == {objects["young_person"], second}


def test_the_forms_accept_only_offered_records(world: dict) -> None:
    """A crafted post naming a record out of reach is refused by the field itself."""
    objects = world["objects"]
    outsider = world["people"]["other_agency"]
    form = AllegationForm(
        data={"persons": [objects["person"].pk], "young_people": [objects["young_person"].pk]},
        user=outsider,
    )
    assert not form.is_valid()
    assert {"persons", "young_people"} <= set(form.errors)
    intel = IntelligenceForm(data={"persons": [objects["person"].pk]}, user=outsider)
    assert not intel.is_valid() and "persons" in intel.errors
    link = PersonLinkForm(
        data={"young_person": objects["young_person"].pk},
        user=outsider,
        person=objects["person"],
    )
    assert not link.is_valid() and "young_person" in link.errors
