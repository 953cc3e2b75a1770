"""Shared by the preview and the commit: the record types, who may import, reading a row."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from cases import permissions as case_permissions
from cases import services as case_services
from cases.models import (
    MissingEpisode,
    Referral,
)
from imports.fields import ERROR_REQUIRED, FIELDS, CellError
from imports.models import ImportBatch, ImportRow, Kind
from records.services import RecordType

if TYPE_CHECKING:
    from accounts.models import User

SOURCE = "spreadsheet"
CHUNK = 500
ROLLBACK_WINDOW = dt.timedelta(days=1)
ERROR_LIKELY_MATCH = (
    "A young person with a similar name and this date of birth is already held ({agencies}). "
    "Decide whether this is them before importing this row."
)
ERROR_SEX_FOR_NEW = "Needed for a young person not yet on the portal"
ERROR_DOB_FUTURE = "Date of birth must be in the past"
ERROR_CONFLICT = "A record with this reference exists and has been changed since: not updated."
ERROR_ROLLBACK_LATE = "A batch can be rolled back only within a day of importing it."
ERROR_NOT_COMMITTED = "Only an imported batch can be rolled back."

RECORD_TYPES: dict[str, RecordType[Any]] = {
    Kind.REFERRAL: case_services.REFERRAL,
    Kind.MISSING_EPISODE: case_services.MISSING_EPISODE,
}
MODELS: dict[str, type[Referral] | type[MissingEpisode]] = {
    Kind.REFERRAL: Referral,
    Kind.MISSING_EPISODE: MissingEpisode,
}


def can_import(user: Any) -> bool:
    """Imports are for agency managers, into their own agency."""
    return case_permissions.is_agency_manager(user)


def _require(actor: User, batch: ImportBatch | None = None) -> None:
    if not can_import(actor) or (batch is not None and batch.agency_id != actor.agency_id):
        raise PermissionDenied


def cell_text(cell: Any) -> str:
    """A cell as text the parsers read back (dates in UK order)."""
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.strftime("%d/%m/%Y %H:%M") if cell.time() != dt.time() else f"{cell:%d/%m/%Y}"
    if isinstance(cell, dt.date):
        return cell.strftime("%d/%m/%Y")
    return str(cell).strip()


def _parse_row(
    kind: str, columns: dict[str, str], cells: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in FIELDS[kind]:
        heading = columns.get(field.name, "")
        where = heading or field.label
        try:
            value = field.parse(cells.get(heading, "") if heading else "")
        except CellError as error:
            errors[where] = str(error)
            continue
        if field.required and value in ("", None):
            errors[where] = ERROR_REQUIRED if heading else f"Choose the column for {field.label}"
            continue
        if value not in ("", None) or not field.required:
            values[field.name] = value
    return values, errors


def _split(kind: str, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    person = {f.name: values[f.name] for f in FIELDS[kind] if f.person and f.name in values}
    record = {
        f.name: values[f.name]
        for f in FIELDS[kind]
        if not f.person and f.name in values and values[f.name] not in ("", None)
    }
    return person, record


def row_reference(row: ImportRow, values: dict[str, Any]) -> str:
    """The row's own reference, or a digest of its cells: the same row imported again is
    found, not made twice."""
    if values.get("external_ref"):
        return str(values["external_ref"])[:100]
    digest = hashlib.sha256(json.dumps(row.cells, sort_keys=True).encode()).hexdigest()
    return f"row:{digest[:40]}"


def _row_values(
    kind: str, columns: dict[str, str], row: ImportRow
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A checked row's young person and record values, with its source and reference."""
    values, _errors = _parse_row(kind, columns, row.cells)
    person, record = _split(kind, values)
    record["source"], record["external_ref"] = SOURCE, row_reference(row, values)
    return person, record
