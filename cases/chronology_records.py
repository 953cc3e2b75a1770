"""The young person's own records in their chronology: the ``cases`` source of the registry
in ``cases.chronology`` (markers, referrals, risk assessments, missing episodes, support and
feedback), read through the cases permission policies. ``cases.chronology`` imports this
module last, so these records are registered first and lead among events at one moment."""

from __future__ import annotations

from cases.chronology import (
    ChronologyEvent,
    RecordKind,
    RecordSource,
    Row,
    Urls,
    label,
    register_records,
)
from cases.models import (
    RISK_LEVEL_ORDER,
    CseMarker,
    Feedback,
    MissingEpisode,
    Referral,
    RiskAssessment,
    RiskLevel,
    Support,
)
from cases.selectors.pages import case_records_about

_SIGNIFICANT_OUTCOMES = {
    Referral.Outcome.IRD,
    Referral.Outcome.CP_CONFERENCE,
    Referral.Outcome.CP_REGISTRATION,
}
_ANSWER = {True: "Accepted", False: "Declined", None: "Awaiting answer"}


def _marker_events(row: Row, urls: Urls) -> list[ChronologyEvent | None]:
    return [
        row.event(
            row.date_1,
            "CSE marker",
            f"{label(CseMarker, 'marker_type', row.text_1)} marker added",
            f"Risk level: {label(CseMarker, 'risk_level', row.text_2)}",
            significant=True,
        ),
        row.event(row.date_2, "CSE marker", "CSE marker ended"),
    ]


def _referral_events(row: Row, urls: Urls) -> list[ChronologyEvent | None]:
    url = urls("cases:referral_detail")(row.pk)
    return [
        row.event(
            row.date_1,
            "Referral",
            f"Referral received from {row.agency_2 or 'a member of the public'}",
            row.text_1,
            significant=row.text_2 == RiskLevel.SIGNIFICANT,
            url=url,
        ),
        row.event(
            row.date_2,
            "Referral outcome",
            f"Outcome: {label(Referral, 'outcome', row.text_3)}",
            significant=row.text_3 in _SIGNIFICANT_OUTCOMES,
            url=url,
        ),
    ]


def _assessment_events(row: Row, urls: Urls) -> list[ChronologyEvent | None]:
    return [
        row.event(
            row.date_1,
            "Risk assessment",
            f"Risk assessed as {label(RiskAssessment, 'level', row.text_1)}",
            f"Score {row.number}" + (" (professional override)" if row.text_2 else ""),
            significant=RISK_LEVEL_ORDER.get(row.text_1, 0) >= 3,
            url=urls("cases:assessment_detail")(row.pk),
        )
    ]


def _episode_events(row: Row, urls: Urls) -> list[ChronologyEvent | None]:
    url = urls("cases:missing_detail")(row.pk)
    placement = label(MissingEpisode, "placement_type", row.text_2).lower()
    found = ", ".join(p for p in (row.text_4, row.text_5) if p)
    return [
        row.event(
            row.time_1,
            "Missing episode",
            f"Reported {label(MissingEpisode, 'category', row.text_1).lower()}",
            f"From {placement}" + (f" ({row.text_3})" if row.text_3 else ""),
            significant=row.text_1 == MissingEpisode.Category.MISSING_HIGH,
            url=url,
        ),
        row.event(row.time_2, "Missing episode", "Located", found, url=url),
        row.event(
            row.time_3,
            "Return discussion",
            "Return discussion completed",
            row.agency_2 or "",
            url=url,
        ),
    ]


def _support_events(row: Row, urls: Urls) -> list[ChronologyEvent | None]:
    service = label(Support, "service_type", row.text_1)
    return [
        row.event(row.date_1, "Support", f"{service} offered by {row.agency_2}", _ANSWER[row.flag])
    ]


def _feedback_events(row: Row, urls: Urls) -> list[ChronologyEvent | None]:
    respondent = label(Feedback, "respondent", row.text_1).lower()
    satisfied = "satisfied" if row.flag else "not satisfied"
    return [
        row.event(row.date_1, "Feedback", f"Feedback from {respondent}: {satisfied}", row.text_2)
    ]


CASE_KINDS: dict[str, RecordKind] = {
    "markers": RecordKind(
        {
            "date_1": "start_date",
            "date_2": "end_date",
            "text_1": "marker_type",
            "text_2": "risk_level",
            "agency": "owner_agency__short_name",
        },
        _marker_events,
    ),
    "referrals": RecordKind(
        {
            "date_1": "received_on",
            "date_2": "outcome_date",
            "text_1": "concerns",
            "text_2": "initial_risk_level",
            "text_3": "outcome",
            "agency": "owner_agency__short_name",
            "agency_2": "referring_agency__short_name",
        },
        _referral_events,
    ),
    "assessments": RecordKind(
        {
            "date_1": "assessed_on",
            "text_1": "level",
            "text_2": "override_level",
            "number": "score",
            "agency": "owner_agency__short_name",
        },
        _assessment_events,
    ),
    "episodes": RecordKind(
        {
            "time_1": "missing_from",
            "time_2": "located_at",
            "time_3": "rd_completed_at",
            "text_1": "category",
            "text_2": "placement_type",
            "text_3": "placement_name",
            "text_4": "where_found",
            "text_5": "found_with",
            "agency": "owner_agency__short_name",
            "agency_2": "rd_agency__short_name",
        },
        _episode_events,
    ),
    "support": RecordKind(
        {
            "date_1": "offered_on",
            "text_1": "service_type",
            "flag": "accepted",
            "agency": "owner_agency__short_name",
            "agency_2": "provider_agency__short_name",
        },
        _support_events,
    ),
    "feedback": RecordKind(
        {
            "date_1": "received_on",
            "text_1": "respondent",
            "flag": "satisfied",
            "text_2": "comment",
            "agency": "owner_agency__short_name",
        },
        _feedback_events,
    ),
}

# What the user may see of each kind is what the young person's page shows (the same reads).
register_records("cases", RecordSource(kinds=CASE_KINDS, visible=case_records_about))
