"""The MAOG models moved from cases to maog without losing a row.

The database is taken back to the state before the move (cases 0004, no maog), filled
there through the historical models, and migrated forward. Every row, foreign key, m2m
row, history row (including the m2m history tables, which are renamed) and guardian grant
must survive, and the live code must read them. Runs on SQLite and on PostgreSQL.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("cases", "0004_attention_indexes"), ("maog", None)]


def _history(apps, label: str, instance, **extra) -> None:
    """A history row for ``instance`` as simple-history writes it (all its columns)."""
    model = apps.get_model("cases", f"Historical{label}")
    values = {
        field.attname: getattr(instance, field.attname)
        for field in model._meta.concrete_fields
        if hasattr(instance, field.attname)
    }
    values.pop("history_id", None)
    model.objects.create(
        **values, history_date=timezone.now(), history_type="+", history_change_reason=None
    )


def _seed_before_the_move(apps) -> dict:
    Agency = apps.get_model("partnership", "Agency")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    police = Agency.objects.get(code="police")
    cfs = Agency.objects.get(code="cfs")
    author = User.objects.create(username="move.author", agency=police, password="!")
    reader = User.objects.create(username="move.reader", agency=cfs, password="!")
    owned = {"owner_agency": police, "created_by": author}
    child = apps.get_model("cases", "YoungPerson").objects.create(
        owner_agency=cfs,
        created_by=reader,
        first_name="Ava",
        last_name="Moved",
        search_name="moved ava",
        date_of_birth=dt.date(2011, 5, 1),
        sex="female",
    )
    person = apps.get_model("cases", "PersonOfConcern").objects.create(
        name="Darren Moved", search_name="darren moved", **owned
    )
    other = apps.get_model("cases", "PersonOfConcern").objects.create(
        name="Second Moved", search_name="second moved", **owned
    )
    place = apps.get_model("cases", "Place").objects.create(
        name="Flat 9", place_type="party_flat", **owned
    )
    vehicle = apps.get_model("cases", "Vehicle").objects.create(registration="SN11ABC", **owned)
    handle = apps.get_model("cases", "OnlineHandle").objects.create(
        platform="Snapchat", handle="moved_handle", **owned
    )
    Link = apps.get_model("cases", "Link")
    links = [
        Link.objects.create(person=person, young_person=child, nature="associate", **owned),
        Link.objects.create(person=person, other_person=other, nature="associate", **owned),
        Link.objects.create(person=person, place=place, nature="frequents", **owned),
        Link.objects.create(person=person, vehicle=vehicle, nature="uses", **owned),
        Link.objects.create(person=person, handle=handle, nature="uses", **owned),
    ]
    allegation = apps.get_model("cases", "Allegation").objects.create(
        summary="Moved allegation", alleged_on=dt.date(2025, 1, 5), **owned
    )
    allegation.persons.add(person)
    allegation.young_people.add(child)
    intelligence = apps.get_model("cases", "Intelligence").objects.create(
        received_on=dt.date(2025, 2, 1),
        source_agency=police,
        source_reliability="B",
        information_assessment="2",
        handling_code="C",
        category="party_flats",
        narrative="Moved narrative",
        **owned,
    )
    for relation, row in (
        ("persons", person),
        ("young_people", child),
        ("places", place),
        ("vehicles", vehicle),
        ("handles", handle),
    ):
        getattr(intelligence, relation).add(row)
    episode = apps.get_model("cases", "MissingEpisode").objects.create(
        owner_agency=cfs,
        case_agency=cfs,
        created_by=reader,
        young_person=child,
        missing_from=timezone.now() - dt.timedelta(days=2),
        located_at=timezone.now() - dt.timedelta(days=1),
        category="missing_low",
        placement_type="home",
        found_place=place,
    )
    # History, as simple-history keeps it: one row per record, and the m2m history rows.
    for label, row in (("PersonOfConcern", person), ("Place", place), ("Link", links[0])):
        _history(apps, label, row)
    _history(apps, "Allegation", allegation)
    _history(apps, "Intelligence", intelligence)
    hist_allegation = apps.get_model("cases", "HistoricalAllegation").objects.get()
    apps.get_model("cases", "HistoricalAllegation_persons").objects.create(
        id=allegation.persons.through.objects.get().pk,
        history=hist_allegation,
        allegation=allegation,
        personofconcern=person,
    )
    # A share of the person with the CFS: a guardian grant to the agency's group.
    Permission = apps.get_model("auth", "Permission")
    ContentTypeThen = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentTypeThen.objects.get_or_create(
        app_label="cases", model="personofconcern"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_personofconcern",
        defaults={"name": "Can view person of concern"},
    )
    apps.get_model("cases", "PersonOfConcernGroupObjectPermission").objects.create(
        group_id=cfs.group_id, permission=permission, content_object=person
    )
    return {
        "person": person.pk,
        "other": other.pk,
        "place": place.pk,
        "vehicle": vehicle.pk,
        "handle": handle.pk,
        "links": sorted(link.pk for link in links),
        "allegation": allegation.pk,
        "intelligence": intelligence.pk,
        "episode": episode.pk,
        "child": child.pk,
        "reader": reader.pk,
        "permission": permission.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_every_row_fk_history_row_and_grant() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        executor.loader.build_graph()
        seeded = _seed_before_the_move(executor.loader.project_state(BEFORE[0]).apps)
        executor.migrate([node for node in latest if node[0] in ("cases", "maog")])
        executor.loader.build_graph()
    except Exception:
        executor.loader.build_graph()
        executor.migrate(latest)
        raise
    ContentType.objects.clear_cache()

    from accounts.models import User
    from maog import permissions
    from maog.models import (
        Allegation,
        EpisodePlace,
        Intelligence,
        Link,
        OnlineHandle,
        PersonOfConcern,
        PersonOfConcernGroupObjectPermission,
        PersonShare,
        Place,
        Vehicle,
    )

    person = PersonOfConcern.objects.get(pk=seeded["person"])
    assert person.name == "Darren Moved" and person.owner_agency.code == "police"
    assert Place.objects.get(pk=seeded["place"]).name == "Flat 9"
    assert Vehicle.objects.get(pk=seeded["vehicle"]).registration == "SN11ABC"
    assert OnlineHandle.objects.get(pk=seeded["handle"]).handle == "moved_handle"
    links = Link.objects.filter(pk__in=seeded["links"]).order_by("pk")
    assert [link.pk for link in links] == seeded["links"]
    assert {(link.young_person_id, link.other_person_id) for link in links} >= {
        (seeded["child"], None),
        (None, seeded["other"]),
    }
    assert {link.place_id for link in links} == {None, seeded["place"]}
    allegation = Allegation.objects.get(pk=seeded["allegation"])
    assert list(allegation.persons.values_list("pk", flat=True)) == [seeded["person"]]
    assert list(allegation.young_people.values_list("pk", flat=True)) == [seeded["child"]]
    intelligence = Intelligence.objects.get(pk=seeded["intelligence"])
    assert intelligence.narrative == "Moved narrative"
    # Graded B2 C on the old, reversed scales: the same judgement is 2B C in 3x5x2, and the
    # history row reads in the new scale too.
    assert intelligence.grading == "2B C"
    assert [
        (h.source_evaluation, h.intelligence_assessment) for h in intelligence.history.all()
    ] == [("2", "B")]
    assert [
        list(getattr(intelligence, name).values_list("pk", flat=True))
        for name in ("persons", "young_people", "places", "vehicles", "handles")
    ] == [
        [seeded["person"]],
        [seeded["child"]],
        [seeded["place"]],
        [seeded["vehicle"]],
        [seeded["handle"]],
    ]
    # The place where the episode ended moved to the MAOG's own table.
    assert EpisodePlace.objects.get(episode_id=seeded["episode"]).place_id == seeded["place"]
    # History rows, including the m2m history table that was renamed.
    assert [row.name for row in person.history.all()] == ["Darren Moved"]
    hist = allegation.history.get()
    assert list(hist.persons.values_list("personofconcern_id", flat=True)) == [seeded["person"]]
    assert Link.history.filter(id=seeded["links"][0]).count() == 1
    # The guardian grant survived on the same permission row, now labelled maog, and the
    # live policy lets the CFS (which the person was shared with) see the person.
    grant = PersonOfConcernGroupObjectPermission.objects.get(content_object=person)
    assert grant.permission_id == seeded["permission"]
    assert grant.permission.content_type.app_label == "maog"
    assert not ContentType.objects.filter(app_label="cases", model="personofconcern").exists()
    reader = User.objects.get(pk=seeded["reader"])
    reader.groups.add(*[])  # no role needed to check the row predicate below
    assert permissions.person_policy.shared_with(reader, "pk") is not None
    assert PersonOfConcern.objects.filter(
        permissions.person_policy.shared_with(reader, "pk"), pk=person.pk
    ).exists()
    # The earlier grant has its share record, saying its basis was not asked for then.
    share = PersonShare.objects.get(person=person)
    assert (share.agency_id, share.lawful_basis) == (reader.agency_id, "not_recorded")
    assert share.revoked_at is None
