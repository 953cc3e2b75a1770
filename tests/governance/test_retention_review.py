"""Retention review: decisions, legal hold, disposal after the grace period, preservation."""

import datetime as dt

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AccessEvent, DisposalLog, RetentionDecision
from audit.retention import retention_review
from audit.services import access_event_record
from cases import models as m
from governance import services
from governance.selectors import retention_queue
from tests.factories import ReferralFactory, YoungPersonFactory, agency

pytestmark = pytest.mark.django_db

GRACE = dt.timedelta(days=365)


def _decide(actor: User, records: list[m.YoungPerson], kind: str, **kwargs: object) -> list:
    return services.retention_decide(
        actor=actor,
        model_label="cases.youngperson",
        object_ids=[record.pk for record in records],
        kind=kind,
        reason=str(kwargs.pop("reason", "Reviewed")),
        **kwargs,  # type: ignore[arg-type]
    )


def _due(**kwargs: object) -> m.YoungPerson:
    return YoungPersonFactory(review_date=timezone.localdate() - dt.timedelta(days=1), **kwargs)


def test_hold_stops_disposal_by_decision_and_by_rule(cfs_ig: User) -> None:
    long_past = YoungPersonFactory(review_date=timezone.localdate() - GRACE * 3)
    _decide(cfs_ig, [long_past], "hold", reason="Inquiry request 2026/14")
    long_past.refresh_from_db()
    assert long_past.legal_hold
    outcome = retention_review(today=timezone.localdate() + GRACE * 2)
    assert m.YoungPerson.objects.filter(pk=long_past.pk).exists()
    assert long_past.pk not in outcome.disposed["cases.youngperson"]
    # A dispose decision is refused while the hold stands.
    with pytest.raises(ValidationError):
        _decide(cfs_ig, [long_past], "dispose", reason="no longer needed")


def test_disposal_after_grace_leaves_only_tombstones(cfs_ig: User, cfs_practitioner: User) -> None:
    child = _due(first_name="Morven")
    referral = ReferralFactory(young_person=child)
    access_event_record(actor=cfs_practitioner, action="view", instance=child)
    access_event_record(actor=cfs_practitioner, action="view", instance=referral)
    [decision] = _decide(cfs_ig, [child], "dispose", reason="Past retention, no open proceedings")
    # Soft state: still there within the grace period, and shown as going.
    assert retention_review(today=timezone.localdate()).disposed["cases.youngperson"] == []
    assert m.YoungPerson.objects.filter(pk=child.pk).exists()
    [section] = [
        s for s in retention_queue(agency_id=cfs_ig.agency_id) if s.label == "cases.youngperson"
    ]
    assert [row["decision_kind"] for row in section.rows if row["pk"] == child.pk] == ["dispose"]

    outcome = retention_review(today=decision.erase_after)

    assert outcome.disposed["cases.youngperson"] == [child.pk]
    assert not m.YoungPerson.objects.filter(pk=child.pk).exists()
    assert not m.YoungPerson.history.model.objects.filter(id=child.pk).exists()
    assert not m.Referral.history.model.objects.filter(id=referral.pk).exists()
    events = AccessEvent.objects.filter(
        object_type__in=["cases.youngperson", "cases.referral"],
        object_id__in=[child.pk, referral.pk],
    )
    # Only the tombstone is left: what was erased, when, by whose decision.
    [tombstone] = events
    assert tombstone.action == AccessEvent.Action.ERASED
    assert tombstone.user == cfs_ig and tombstone.detail["decision"] == decision.pk
    assert tombstone.detail["access_events_erased"] >= 3
    log = DisposalLog.objects.get(object_id=child.pk)
    assert log.decided_by == cfs_ig and log.decision == decision
    assert "Morven" not in repr(tombstone.detail) + repr(log.related_counts)


def test_looked_after_children_are_preserved_by_default(cfs_ig: User, settings: object) -> None:
    looked_after = YoungPersonFactory(
        review_date=timezone.localdate() - GRACE * 2, looked_after=True
    )
    at_home = YoungPersonFactory(review_date=timezone.localdate() - GRACE * 2)
    outcome = retention_review(today=timezone.localdate())
    assert outcome.disposed["cases.youngperson"] == [at_home.pk]
    assert m.YoungPerson.objects.filter(pk=looked_after.pk).exists()
    with pytest.raises(ValidationError):
        _decide(cfs_ig, [looked_after], "dispose", reason="x")
    settings.CSE_RETENTION_PRESERVE_LOOKED_AFTER = False  # type: ignore[attr-defined]
    assert retention_review(today=timezone.localdate()).disposed["cases.youngperson"] == [
        looked_after.pk
    ]


def test_keep_moves_the_review_date_and_stops_automatic_disposal(cfs_ig: User) -> None:
    child = YoungPersonFactory(review_date=timezone.localdate() - GRACE * 2)
    new_date = timezone.localdate() + dt.timedelta(days=700)
    _decide(cfs_ig, [child], "keep", reason="Sibling proceedings", new_review_date=new_date)
    child.refresh_from_db()
    assert child.review_date == new_date
    assert retention_review(today=timezone.localdate()).disposed["cases.youngperson"] == []


def test_a_lapsed_hold_is_released_back_to_review(cfs_ig: User) -> None:
    child = _due()
    until = timezone.localdate() + dt.timedelta(days=10)
    _decide(cfs_ig, [child], "hold", reason="r", hold_until=until)
    outcome = retention_review(today=until + dt.timedelta(days=1))
    child.refresh_from_db()
    assert outcome.holds_released["cases.youngperson"] == [child.pk]
    assert not child.legal_hold and child.review_date == until


def test_only_the_agencys_ig_officer_decides_and_only_on_its_records(
    cfs_ig: User, cfs_manager: User
) -> None:
    police_child = _due(owner_agency=agency("police"))
    own = _due()
    with pytest.raises(PermissionDenied):
        _decide(cfs_manager, [own], "hold", reason="r")
    with pytest.raises(ObjectDoesNotExist):
        _decide(cfs_ig, [own, police_child], "hold", reason="r")
    assert not RetentionDecision.objects.exists()


def test_queue_page_bulk_hold(client: Client, cfs_ig: User, cfs_practitioner: User) -> None:
    first, second = _due(), _due()
    other = _due(owner_agency=agency("police"))
    url = reverse("governance:retention_queue")
    client.force_login(cfs_practitioner)
    assert client.get(url).status_code == 404
    client.force_login(cfs_ig)
    page = client.get(url)
    assert page.status_code == 200
    assert f'value="{first.pk}"' in page.content.decode()
    assert f'value="{other.pk}"' not in page.content.decode()
    assert first.first_name not in page.content.decode()  # no case content on the queue
    unreasoned = client.post(
        url,
        {"model": "cases.youngperson", "record": [first.pk], "cases-youngperson-kind": "hold"},
    )
    assert unreasoned.status_code == 200 and "Enter the reason" in unreasoned.content.decode()
    assert not m.YoungPerson.objects.filter(legal_hold=True).exists()
    response = client.post(
        url,
        {
            "model": "cases.youngperson",
            "record": [first.pk, second.pk],
            "cases-youngperson-kind": "hold",
            "cases-youngperson-reason": "Police investigation",
        },
    )
    assert response.status_code == 302
    assert m.YoungPerson.objects.filter(pk__in=[first.pk, second.pk], legal_hold=True).count() == 2
