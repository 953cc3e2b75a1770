"""The VAP chair sets an item's target date; an item past it and not complete is overdue."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import ActionItem

pytestmark = pytest.mark.django_db


def _date_fields(day: dt.date) -> dict[str, str]:
    return {
        "target_date_day": str(day.day),
        "target_date_month": str(day.month),
        "target_date_year": str(day.year),
    }


def test_vap_chair_sets_a_target_date_and_it_is_in_the_history(vap_chair) -> None:
    client = Client()
    client.force_login(vap_chair)
    day = timezone.localdate() + dt.timedelta(days=60)
    response = client.post(reverse("actions:target_date", args=[3]), _date_fields(day))
    assert response.status_code == 302
    item = ActionItem.objects.get(number=3)
    assert item.target_date == day
    assert item.history.latest().history_user == vap_chair
    assert (
        day.strftime("%-d %B %Y")
        in client.get(reverse("actions:item_detail", args=[3])).content.decode()
    )


def test_a_new_target_date_in_the_past_is_refused_by_the_field(vap_chair) -> None:
    client = Client()
    client.force_login(vap_chair)
    response = client.post(
        reverse("actions:target_date", args=[3]),
        _date_fields(timezone.localdate() - dt.timedelta(days=1)),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert services.ERROR_TARGET_DATE_PAST in page
    assert 'id="id_target_date-error"' in page
    assert ActionItem.objects.get(number=3).target_date is None


def test_managers_cannot_set_target_dates(cfs_manager) -> None:
    client = Client()
    client.force_login(cfs_manager)
    url = reverse("actions:target_date", args=[3])
    assert client.get(url).status_code == 404
    day = timezone.localdate() + dt.timedelta(days=5)
    assert client.post(url, _date_fields(day)).status_code == 404
    assert ActionItem.objects.get(number=3).target_date is None
