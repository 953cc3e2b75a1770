"""Generic record views: the URLs of a registry of record pages (``RECORD_PAGES`` in
``cases.views.records``, ``MAOG_PAGES`` in ``maog.views.records``), each page served by a
class-based view given its record type's declaration (``pages``)."""

from collections.abc import Iterable
from typing import Any

from django.urls import URLPattern, path
from django.views import View


def registry_paths(
    pages: Any, views: Iterable[tuple[object, str, str, type[View]]]
) -> list[URLPattern]:
    """The URLs of one registered record type (``pages``, with its ``kind``): each page it
    has (``present``) at its route, named ``<kind>_<page>``, served by its view."""
    return [
        path(route, view.as_view(pages=pages), name=f"{pages.kind}_{page}")
        for present, route, page, view in views
        if present
    ]
