"""Refuse NUL bytes in the URL, query string or form data with 400, before any view runs.

PostgreSQL cannot store or compare a NUL in text ("A string literal cannot contain NUL"),
so a `?agency=%00` reached the database as a ValueError and a 500. No field of ours has a
use for one; rejecting the request at the door is simpler than guarding every query.
"""

from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.datastructures import MultiValueDict

NUL = "\x00"
NUL_REFUSED_MESSAGE = "The request contained a character that is not allowed (NUL)."


def _has_nul(values: Iterable[str]) -> bool:
    return any(NUL in value for value in values)


def _multivalue_has_nul(data: MultiValueDict) -> bool:
    return any(NUL in key or _has_nul(values) for key, values in data.lists())


class RefuseNulBytesMiddleware:
    """400 for a request whose path, query string or (non-file) form fields hold a NUL."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._carries_nul(request):
            return HttpResponseBadRequest(NUL_REFUSED_MESSAGE, content_type="text/plain")
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request: HttpRequest) -> bool:
        if NUL in request.path or NUL in request.path_info:
            return True
        if _multivalue_has_nul(request.GET):
            return True
        if request.method == "POST":
            # Form fields only: an uploaded file (evidence) may contain any byte.
            if _multivalue_has_nul(request.POST):
                return True
            return any(NUL in (f.name or "") for _, files in request.FILES.lists() for f in files)
        return False
