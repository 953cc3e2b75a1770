"""Issue 16, acceptance line 2: the plan measures itself. The pages of the items measured by
an indicator (4, 5, 6, 7 and 11) show its figures for the last closed period and the one
before, from the stored indicators and through the dashboard's rules; items 8 and 14 are
done for a period when the committee reports of it are published, never by a tick."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from actions.measure_sources import registered_sources
from actions.selectors import action_item_page
from partnership.models import Committee
from partnership.periods import period_from_code
from performance.models import Report
from performance.stored import indicators_for_period
from tests import factories as f

pytestmark = pytest.mark.django_db

H1 = period_from_code("2026-27-H1")  # the last closed period on the frozen clock
PREVIOUS = period_from_code("2025-26-H2")
INDICATOR_ITEMS = {4: "N14", 5: "N4", 6: "N5", 7: "N9", 11: "N7"}


@pytest.fixture(autouse=True)
def _frozen() -> None:
    with time_machine.travel("2026-11-30 12:00 +00:00", tick=False):
        from django.core.cache import cache

        cache.clear()
        yield


def _episodes(day: dt.date, count: int) -> None:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(18)))
    for _ in range(count):
        f.MissingEpisodeFactory(missing_from=start, located_at=start + dt.timedelta(hours=20))


def _cell(html: str, period: str) -> list[str]:
    return re.findall(rf'data-period="{period}">([^<]*)<', html)


def test_the_sources_are_registered_by_performance() -> None:
    assert {"performance-indicators", "performance-reports"} <= set(registered_sources())


def test_indicator_items_show_their_figures_not_a_placeholder(
    vap_chair: User, client: Client
) -> None:
    _episodes(dt.date(2026, 6, 10), 6)
    _episodes(dt.date(2026, 1, 10), 7)
    client.force_login(vap_chair)
    for number, indicator_id in INDICATOR_ITEMS.items():
        html = client.get(reverse("actions:item_detail", args=[number])).content.decode()
        assert f'data-indicator="{indicator_id}"' in html, number
        assert "Until the performance indicators are available" not in html
        assert "definition version" in html
        stored = next(r for r in indicators_for_period(H1) if r.id == indicator_id)
        assert stored.definition in html
        current, previous = _cell(html, H1.code), _cell(html, PREVIOUS.code)
        assert len(current) == len(stored.figures) == len(previous), number
    html = client.get(reverse("actions:item_detail", args=[11])).content.decode()
    # N7's first figure, episodes ended: 6 in the closed half-year, 7 in the one before.
    assert _cell(html, H1.code)[0] == "6"
    assert _cell(html, PREVIOUS.code)[0] == "7"
    assert "Exact figures" in html


def test_without_exact_figures_the_item_shows_what_the_reports_publish(
    cfs_manager: User, client: Client
) -> None:
    _episodes(dt.date(2026, 6, 10), 2)
    client.force_login(cfs_manager)
    html = client.get(reverse("actions:item_detail", args=[11])).content.decode()
    assert 'data-indicator="N7"' in html
    assert "As the committee reports publish them" in html
    # Two episodes is a count of fewer than 5: never printed as such on the plan page.
    assert _cell(html, H1.code)[0] == "&lt;5"


def _publish(code: str, period: str = H1.code, stage: str = Report.Stage.PUBLISHED) -> None:
    committee = Committee.objects.get(code=code)
    version = Report.objects.filter(committee=committee, period=period).count() + 1
    Report.objects.create(
        committee=committee,
        period=period,
        version=version,
        status=Report.Status.READY,
        stage=stage,
        published_at=timezone.now() if stage == Report.Stage.PUBLISHED else None,
    )


def _done(user: User, number: int, period: str = H1.code) -> bool:
    page = action_item_page(user=user, number=number)
    return next(row for row in page.measure_rows if row["period"].code == period)["done"]


def test_items_8_and_14_follow_the_published_reports(vap_chair: User, client: Client) -> None:
    assert not _done(vap_chair, 8) and not _done(vap_chair, 14)
    # A draft, however far along, is not a report provided to the committee.
    _publish("ccpc", stage=Report.Stage.SIGNED_OFF)
    assert not _done(vap_chair, 8) and not _done(vap_chair, 14)
    _publish("ccpc")
    assert _done(vap_chair, 8) and not _done(vap_chair, 14)
    _publish("cog")
    assert not _done(vap_chair, 14)
    _publish("csp")
    assert _done(vap_chair, 14)
    assert not _done(vap_chair, 14, PREVIOUS.code)  # per period
    client.force_login(vap_chair)
    html = client.get(reverse("actions:item_detail", args=[14])).content.decode()
    assert "Computed from the committee reports" in html
    assert re.search(
        rf"{H1.code}</th>\s*<td[^>]*><strong class=\"govuk-tag govuk-tag--green\">Done", html
    )
    assert (
        f"{H1.code}: published for Chief Officers Group for Protecting People, "
        "Child Care and Protection Committee" in html
    )


def test_a_progress_update_cannot_tick_item_14(vap_chair: User) -> None:
    from actions import services
    from actions.models import ActionItem

    services.progress_update_save(
        actor=vap_chair,
        item=ActionItem.objects.get(number=14),
        period=H1,
        status="complete",
        narrative="Reports provided.",
        milestone_done=True,
    )
    assert not _done(vap_chair, 14)
