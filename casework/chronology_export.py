"""The chronology for a case conference as files: CSV (formula-safe) and PDF (WeasyPrint,
"OFFICIAL-SENSITIVE" at the top and foot of every page). Rendering only: which events go in
is the selectors' business (``selectors.conference_chronology``), the record of the export
the service's.

WeasyPrint fetches nothing: the print template carries its own styles, and the URL fetcher
refuses every address, so no URL in a note or a referral (user input) can reach the network
or the file system.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import weasyprint
from django.template.loader import render_to_string
from django.utils import timezone

from actions.services.requests import csv_cell

if TYPE_CHECKING:
    from cases.chronology import ChronologyEvent
    from cases.models import YoungPerson

PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"
FORMATS = ("csv", "pdf")
ERROR_NO_FETCH = "The chronology renderer fetches nothing."
CSV_HEADER = ("When", "Event", "Title", "Detail", "Agency", "Significant")


@dataclass(frozen=True)
class ChronologyFilters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    significant_only: bool = False

    def keeps(self, event: ChronologyEvent) -> bool:
        day = timezone.localdate(event.at)
        return (
            (self.date_from is None or day >= self.date_from)
            and (self.date_to is None or day <= self.date_to)
            and (event.significant or not self.significant_only)
        )

    def as_detail(self) -> dict[str, Any]:
        return {
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "significant_only": self.significant_only,
        }


@dataclass(frozen=True)
class ChronologyFile:
    content: bytes
    content_type: str
    filename: str


def refuse_every_url(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(ERROR_NO_FETCH)


def _csv(events: list[ChronologyEvent]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for event in events:
        writer.writerow(
            [
                timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"),
                csv_cell(event.kind),
                csv_cell(event.title),
                csv_cell(event.detail),
                csv_cell(event.agency),
                "yes" if event.significant else "no",
            ]
        )
    # A byte-order mark so spreadsheet programs read the names' accents as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def chronology_html(
    *, young_person: YoungPerson, events: list[ChronologyEvent], filters: ChronologyFilters
) -> str:
    return render_to_string(
        "casework/pdf/chronology.html",
        {
            "young_person": young_person,
            "events": events,
            "filters": filters,
            "marking": PROTECTIVE_MARKING,
            "made_at": timezone.localtime(),
        },
    )


def chronology_file(
    *,
    young_person: YoungPerson,
    events: list[ChronologyEvent],
    filters: ChronologyFilters,
    file_format: str,
) -> ChronologyFile:
    if file_format not in FORMATS:
        raise ValueError(f"Unknown chronology format {file_format!r}")
    stem = f"chronology-{young_person.pk}-{timezone.localdate():%Y-%m-%d}"
    if file_format == "csv":
        return ChronologyFile(_csv(events), "text/csv; charset=utf-8", f"{stem}.csv")
    html = chronology_html(young_person=young_person, events=events, filters=filters)
    pdf = weasyprint.HTML(string=html, url_fetcher=refuse_every_url).write_pdf()
    return ChronologyFile(pdf, "application/pdf", f"{stem}.pdf")
