"""The API's documentation page for signed-in users, drawn from the OpenAPI schema (served
by our own template: no third-party script, so the content security policy stays as it is)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "patch", "put", "delete")


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    schema: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary") or operation.get("description", ""),
            "id": operation.get("operationId", ""),
        }
        for path, item in schema["paths"].items()
        for method in METHODS
        if (operation := item.get(method))
    ]
    return render(request, "api/docs.html", {"schema": schema, "operations": operations})
