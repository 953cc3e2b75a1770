"""What casework holds about a young person, for subject access requests (governance registry)."""

from typing import Any

from django.apps import apps
from django.db.models import Q

from cases.models import CaseRecord, CaseShare, Referral, YoungPerson
from governance.registry import (
    ProcessingDeclaration,
    SarItem,
    SarSubject,
    ThirdPartySource,
    items_with_history,
    processing_register,
    sar_subject_register,
    third_party_register,
)


def _find(agency_id: int, pk: int) -> YoungPerson | None:
    # The agency holds the young person's record, or has it shared with it.
    return (
        YoungPerson.objects.filter(pk=pk)
        .filter(Q(owner_agency_id=agency_id) | Q(shares__agency_id=agency_id))
        .distinct()
        .first()
    )


def _search(agency_id: int, words: str) -> list[tuple[int, str]]:
    """The agency's young people (held or shared) whose name holds every word typed."""
    found = YoungPerson.objects.filter(
        Q(owner_agency_id=agency_id) | Q(shares__agency_id=agency_id)
    )
    for word in words.lower().split()[:4]:
        found = found.filter(search_name__contains=word)
    return [
        (person.pk, f"{person.full_name}, born {person.date_of_birth:%-d %B %Y}")
        for person in found.distinct().order_by("last_name", "first_name", "pk")[:20]
    ]


def _case_record_models() -> list[Any]:
    # Every app's records about a young person (case notes, IRDs, meetings, safety plans are
    # casework's), found through the app registry: cases imports no app above it.
    return [model for model in apps.get_models() if issubclass(model, CaseRecord)]


def _collect(young_person: YoungPerson, agency_id: int) -> list[SarItem]:
    items = items_with_history(section="Young person", records=[young_person])
    for model in _case_record_models():
        records = model._default_manager.filter(
            young_person=young_person, owner_agency_id=agency_id
        ).order_by("pk")
        items += items_with_history(
            section=str(model._meta.verbose_name_plural).capitalize(), records=records
        )
    shares = CaseShare.objects.filter(young_person=young_person).order_by("pk")
    items += items_with_history(section="Shares", records=shares, history=False)
    return items


def _own_names(young_person: YoungPerson) -> list[str]:
    return [young_person.full_name, young_person.known_as]


def _other_children(subject: Any, agency_id: int) -> list[str]:
    others = (
        YoungPerson.objects.exclude(pk=subject.pk)
        if isinstance(subject, YoungPerson)
        else YoungPerson.objects.all()
    )
    names = []
    for first, last, known_as in others.values_list("first_name", "last_name", "known_as"):
        names += [f"{first} {last}", known_as]
    return names


def _referrers(subject: Any, agency_id: int) -> list[str]:
    return list(Referral.objects.exclude(referrer_name="").values_list("referrer_name", flat=True))


sar_subject_register(
    SarSubject(
        label="cases.youngperson",
        name="Young person",
        find=_find,
        collect=_collect,
        own_names=_own_names,
        search=_search,
    )
)
third_party_register(ThirdPartySource("other child", _other_children))
third_party_register(ThirdPartySource("referrer", _referrers))
processing_register(
    ProcessingDeclaration(
        app="cases",
        purpose="Identifying and protecting children at risk of child sexual exploitation",
        lawful_bases=(
            "UK GDPR art. 6(1)(e): public task (Children (Scotland) Act 1995, "
            "Children and Young People (Scotland) Act 2014)",
            "UK GDPR art. 9(2)(g) and DPA 2018 sch. 1 para. 18: safeguarding of children",
            "Sharing: child protection, consent or legal duty (recorded on each share)",
        ),
        categories=(
            "Identity: name, known-as name, date of birth, sex, ethnicity, school",
            "Care: looked-after status and placement type",
            "Referrals, CSE markers, risk assessments, missing episodes, support, feedback",
        ),
        special_categories=("Ethnicity", "Disability", "Health and sexual life (in case text)"),
    )
)
