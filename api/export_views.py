"""Export of the agency's own records as CSV (formula-safe) or JSON, streamed, on record."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from actions.services import csv_cell
from api import selectors, services

FORMATS = ("csv", "json")


class _Line:
    """A file-like object for csv.writer that hands back each line it is given."""

    def write(self, value: str) -> str:
        return value


@extend_schema(
    summary="Export the agency's own records of one kind as CSV or JSON (logged)",
    responses={
        (200, "text/csv"): OpenApiTypes.BINARY,
        (200, "application/json"): OpenApiTypes.BINARY,
    },
)
class ExportView(APIView):
    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        return login_not_required(super().as_view(**initkwargs))

    def get(self, request: Request, kind: str, fmt: str) -> StreamingHttpResponse:
        if kind not in selectors.EXPORTS or fmt not in FORMATS:
            raise Http404
        rows = selectors.own_records(user=request.user, kind=kind)
        services.api_export_record(
            actor=request.user, kind=kind, fmt=fmt, rows=rows.count(), page=request.get_full_path()
        )
        serializer = selectors.EXPORTS[kind][1]
        stream = _csv(rows, serializer) if fmt == "csv" else _json(rows, serializer)
        response = StreamingHttpResponse(
            stream, content_type="text/csv" if fmt == "csv" else "application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="{kind}.{fmt}"'
        return response


def _csv(rows: Any, serializer: Any) -> Iterator[str]:
    writer = csv.writer(_Line())
    fields = serializer.Meta.fields
    yield writer.writerow(fields)
    for record in rows.iterator(chunk_size=2000):
        data = serializer(record).data
        yield writer.writerow([csv_cell(data[name]) for name in fields])


def _json(rows: Any, serializer: Any) -> Iterator[str]:
    yield "["
    for index, record in enumerate(rows.iterator(chunk_size=2000)):
        yield ("," if index else "") + json.dumps(serializer(record).data, default=str)
    yield "]"
