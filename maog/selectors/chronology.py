"""The MAOG source of a young person's chronology: allegations (per allegation access)
and, for MAOG members only, intelligence. Registered with cases.chronology on import."""

from typing import Any

from django.db.models import (
    QuerySet,
)

from accounts.models import User
from cases.chronology import (
    ChronologyEvent,
    RecordKind,
    RecordSource,
    Row,
    Urls,
    label,
    register_records,
)
from cases.models import YoungPerson
from maog import permissions
from maog.models import (
    Allegation,
    Intelligence,
)

# --- Chronology ----------------------------------------------------------------------------


def _allegation_events(row: Row, urls: Urls) -> list[ChronologyEvent | None]:
    url = urls("maog:allegation_detail")(row.pk)
    return [
        row.event(
            row.date_1, "Allegation", "Allegation made", row.text_1, significant=True, url=url
        ),
        row.event(
            row.date_2, "Justice pathway", "Reported to the Procurator Fiscal (COPFS)", url=url
        ),
        row.event(
            row.date_3,
            "Justice pathway",
            f"Outcome: {label(Allegation, 'prosecution_outcome', row.text_2)}",
            "MAPPA managed" if row.flag else "",
            significant=row.text_2 == Allegation.ProsecutionOutcome.CONVICTED,
            url=url,
        ),
    ]


def _intelligence_events(row: Row, urls: Urls) -> list[ChronologyEvent | None]:
    return [
        row.event(
            row.date_1,
            "Intelligence (MAOG)",
            f"Intelligence: {label(Intelligence, 'category', row.text_1)}",
            f"Graded {row.text_2}{row.text_3} {row.text_4}",
            url=urls("maog:intelligence_detail")(row.pk),
        )
    ]


def young_person_intel_records(
    *, user: User, young_person: YoungPerson
) -> dict[str, QuerySet[Any]]:
    """Allegations (per allegation access) and, for MAOG members only, intelligence about
    one young person, for the chronology's one statement: intelligence is not even read when
    the user is not in the MAOG, so nothing about it can show."""
    records: dict[str, QuerySet[Any]] = {
        "allegations": permissions.allegation_queryset_for_user(user).filter(
            young_people=young_person
        )
    }
    if permissions.is_maog_member(user):
        records["intelligence"] = permissions.intelligence_queryset_for_user(user).filter(
            young_people=young_person
        )
    return records


register_records(
    "maog",
    RecordSource(
        kinds={
            "allegations": RecordKind(
                {
                    "date_1": "alleged_on",
                    "date_2": "reported_to_copfs_on",
                    "date_3": "outcome_date",
                    "text_1": "summary",
                    "text_2": "prosecution_outcome",
                    "flag": "mappa_managed",
                    "agency": "owner_agency__short_name",
                },
                _allegation_events,
            ),
            "intelligence": RecordKind(
                {
                    "date_1": "received_on",
                    "text_1": "category",
                    "text_2": "source_evaluation",
                    "text_3": "intelligence_assessment",
                    "text_4": "handling_code",
                    "agency": "source_agency__short_name",
                },
                _intelligence_events,
            ),
        },
        visible=young_person_intel_records,
    ),
)
