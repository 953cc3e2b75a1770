"""Reads of imports: the agency's batches and saved mappings; the rows to give back."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from actions.services import csv_cell  # formula-safe cells, as the plan's export
from imports.models import ColumnMapping, ImportBatch, ImportRow
from imports.services import can_import

REJECTED = (ImportRow.Status.INVALID, ImportRow.Status.DECIDE, ImportRow.Status.FAILED)


def batch_list(*, user: Any) -> QuerySet[ImportBatch]:
    if not can_import(user):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(agency_id=user.agency_id).select_related("created_by")


def batch_for_user_or_404(*, user: Any, pk: int) -> ImportBatch:
    """A batch of the user's own agency; anything else is not found."""
    batch = batch_list(user=user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


def mapping_list(*, user: Any, kind: str | None = None) -> QuerySet[ColumnMapping]:
    if not can_import(user):
        return ColumnMapping.objects.none()
    rows = ColumnMapping.objects.filter(agency_id=user.agency_id)
    return rows.filter(kind=kind) if kind else rows


def rejected_rows_csv(*, batch: ImportBatch) -> Iterator[str]:
    """The rows not imported, as they were in the file, with the reasons beside them."""

    class Line:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Line())
    yield writer.writerow(["Row", *batch.headings, "Reasons"])
    rows = batch.rows.filter(status__in=REJECTED).order_by("number")
    for row in rows.iterator(chunk_size=1000):
        reasons = "; ".join(f"{where}: {message}" for where, message in row.errors.items())
        cells = [csv_cell(row.cells.get(heading, "")) for heading in batch.headings]
        yield writer.writerow([row.number, *cells, csv_cell(reasons)])
