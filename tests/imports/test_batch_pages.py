"""The preview of a batch longer than a page: the pagination links reach every row and keep
the choice of rows shown (the include once read a variable the page never set, so rows past
the first 100 could not be reached)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from imports import services
from tests.imports.conftest import csv_file
from tests.imports.test_imports import COLUMNS
from tests.imports.test_scale import _rows

pytestmark = pytest.mark.django_db


def test_a_long_preview_pages_through_every_row_keeping_what_is_shown(cfs_manager: User) -> None:
    batch = services.batch_upload(actor=cfs_manager, file=csv_file(_rows(130)), kind="referral")
    batch = services.batch_check(actor=cfs_manager, batch=batch, columns=COLUMNS)
    client = Client()
    client.force_login(cfs_manager)
    url = reverse("imports:batch", args=[batch.pk])

    first = client.get(url, {"show": "all"}).content.decode()
    assert 'aria-label="Page 2"' in first
    assert "?show=all&amp;page=2" in first

    def row_numbers(page: str) -> list[int]:
        first_cells = r'<tr class="govuk-table__row">\s*<td class="govuk-table__cell">(\d+)</td>'
        return [int(n) for n in re.findall(first_cells, page)]

    second = client.get(url, {"show": "all", "page": 2}).content.decode()
    assert len(row_numbers(first)) == 100
    assert len(row_numbers(second)) == 30
    assert not set(row_numbers(first)) & set(row_numbers(second))
