"""What MAOG holds about a person of concern, for subject access requests (governance registry)."""

from typing import Any

from cases.models import YoungPerson
from governance.registry import (
    ProcessingDeclaration,
    SarItem,
    SarSubject,
    ThirdPartySource,
    items_with_history,
    processing_register,
    sar_contributor_register,
    sar_subject_register,
    third_party_register,
)
from maog.models import Allegation, Link, PersonOfConcern


def _find(agency_id: int, pk: int) -> PersonOfConcern | None:
    return PersonOfConcern.objects.filter(pk=pk, owner_agency_id=agency_id).first()


def _collect(person: PersonOfConcern, agency_id: int) -> list[SarItem]:
    items = items_with_history(section="Person of concern", records=[person])
    links = Link.objects.filter(person=person, owner_agency_id=agency_id).order_by("pk")
    return items + items_with_history(section="Links", records=links)


def _search(agency_id: int, words: str) -> list[tuple[int, str]]:
    found = PersonOfConcern.objects.filter(owner_agency_id=agency_id)
    for word in words.lower().split()[:4]:
        found = found.filter(search_name__contains=word)
    return [(pk, name) for pk, name in found.order_by("name", "pk").values_list("pk", "name")[:20]]


def _about_young_person(young_person: YoungPerson, agency_id: int) -> list[SarItem]:
    """The agency's network links and allegations about a young person (for their SAR)."""
    links = Link.objects.filter(young_person=young_person, owner_agency_id=agency_id)
    allegations = Allegation.objects.filter(young_people=young_person, owner_agency_id=agency_id)
    return items_with_history(section="Links", records=links.order_by("pk")) + items_with_history(
        section="Allegations", records=allegations.order_by("pk")
    )


def _own_names(person: PersonOfConcern) -> list[str]:
    return [person.name, *person.aliases.split(",")]


def _persons_of_concern(subject: Any, agency_id: int) -> list[str]:
    others = PersonOfConcern.objects.all()
    if isinstance(subject, PersonOfConcern):
        others = others.exclude(pk=subject.pk)
    names = []
    for name, aliases in others.values_list("name", "aliases"):
        names += [name, *aliases.split(",")]
    return names


sar_subject_register(
    SarSubject(
        label="maog.personofconcern",
        name="Person of concern",
        find=_find,
        collect=_collect,
        own_names=_own_names,
        search=_search,
    )
)
sar_contributor_register("cases.youngperson", _about_young_person)
third_party_register(ThirdPartySource("person of concern", _persons_of_concern))
processing_register(
    ProcessingDeclaration(
        app="maog",
        purpose="Disrupting people, places and networks that exploit children",
        lawful_bases=(
            "DPA 2018 part 3 (law enforcement processing) for police records",
            "UK GDPR art. 6(1)(e): public task for partner agencies",
            "Sharing: recorded lawful basis on each share",
        ),
        categories=(
            "Persons of concern: names, aliases, sex, ethnicity, description",
            "Places, vehicles, online handles and links between them and young people",
            "Allegations and intelligence (graded 5x5x5 / 3x5x2)",
        ),
        special_categories=("Criminal offence data (allegations, intelligence)",),
    )
)
