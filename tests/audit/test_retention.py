"""Retention: review dates from the schedule, the review list, disposal, legal hold."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.forms.models import model_to_dict

from audit.models import DisposalLog
from audit.retention import _m2m_history_models, retention_review, review_date_for
from audit.tasks import retention_review_task
from cases import models as m
from maog import models as maog_models
from partnership.models import Agency
from tests.factories import PersonOfConcernFactory, ReferralFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2030, 6, 1)
GRACE = dt.timedelta(days=365)


def _intelligence(**kwargs: object) -> maog_models.Intelligence:
    police = Agency.objects.get(code="police")
    creator = PersonOfConcernFactory().created_by
    values = {
        "owner_agency": police,
        "created_by": creator,
        "received_on": dt.date(2024, 2, 29),
        "source_agency": police,
        "source_evaluation": "2",
        "intelligence_assessment": "B",
        "handling_code": "P",
        "category": "party_flats",
        "narrative": "Party flat on Example Street used at weekends.",
    }
    values.update(kwargs)
    return maog_models.Intelligence.objects.create(**values)


def test_review_dates_follow_the_configurable_schedule(settings: object) -> None:
    child = YoungPersonFactory.build(date_of_birth=dt.date(2010, 2, 28))
    assert review_date_for(child) == dt.date(2034, 2, 28)  # 18th birthday + 6 years
    intel = maog_models.Intelligence(received_on=dt.date(2024, 2, 29))
    assert review_date_for(intel) == dt.date(2026, 2, 28)  # + 2 years, leap day clamped
    person = PersonOfConcernFactory()
    assert review_date_for(person) == person.created_at.date().replace(
        year=person.created_at.year + 6
    )
    settings.CSE_RETENTION_REVIEW_YEARS = {
        **django_settings.CSE_RETENTION_REVIEW_YEARS,
        "cases.youngperson": 3,
    }
    assert review_date_for(child) == dt.date(2031, 2, 28)


def test_past_disposal_is_deleted_with_its_history_and_leaves_a_metadata_log() -> None:
    gone = YoungPersonFactory(first_name="Morven", review_date=TODAY - GRACE - dt.timedelta(days=1))
    referral = ReferralFactory(young_person=gone)
    gone.first_name = "Morven-Ann"
    gone.save()  # a second history row
    held = YoungPersonFactory(review_date=TODAY - GRACE - dt.timedelta(days=30), legal_hold=True)
    in_grace = YoungPersonFactory(review_date=TODAY - dt.timedelta(days=10))
    later = YoungPersonFactory(review_date=TODAY + dt.timedelta(days=10))
    history = m.YoungPerson.history.model
    assert history.objects.filter(id=gone.pk).count() == 2

    outcome = retention_review(today=TODAY)

    assert not m.YoungPerson.objects.filter(pk=gone.pk).exists()
    assert not m.Referral.objects.filter(pk=referral.pk).exists()
    assert not history.objects.filter(id=gone.pk).exists()
    assert not m.Referral.history.model.objects.filter(id=referral.pk).exists()
    assert outcome.disposed["cases.youngperson"] == [gone.pk]
    # Legal hold blocks disposal; the held and in-grace records stay on the review list.
    assert m.YoungPerson.objects.filter(pk__in=[held.pk, in_grace.pk, later.pk]).count() == 3
    assert outcome.due_for_review["cases.youngperson"] == [held.pk, in_grace.pk]

    log = DisposalLog.objects.get()
    assert (log.model, log.object_id, log.owner_agency_id) == (
        "cases.youngperson",
        gone.pk,
        gone.owner_agency_id,
    )
    assert log.review_date == gone.review_date
    assert log.disposal_date == gone.review_date + GRACE
    assert log.related_counts == {"cases.referral": 1}
    flat = repr(model_to_dict(log)) + repr(log.related_counts)
    assert "Morven" not in flat and gone.last_name not in flat


def test_intelligence_and_person_of_concern_are_disposed_with_their_m2m_history() -> None:
    person = PersonOfConcernFactory(review_date=TODAY - GRACE - dt.timedelta(days=1))
    intel = _intelligence(review_date=dt.date(2026, 2, 28))
    intel.persons.add(person)
    m2m_histories = _m2m_history_models(maog_models.Intelligence.history.model)
    assert m2m_histories and sum(h.objects.count() for h in m2m_histories) >= 1
    outcome = retention_review(today=TODAY)
    assert outcome.disposed["maog.intelligence"] == [intel.pk]
    assert outcome.disposed["maog.personofconcern"] == [person.pk]
    assert not maog_models.Intelligence.history.model.objects.filter(id=intel.pk).exists()
    assert sum(h.objects.count() for h in m2m_histories) == 0
    assert DisposalLog.objects.filter(model="maog.intelligence", object_id=intel.pk).exists()


def test_records_without_a_review_date_get_one() -> None:
    child = YoungPersonFactory(date_of_birth=dt.date(2012, 5, 1), review_date=None)
    outcome = retention_review(today=TODAY)
    child.refresh_from_db()
    assert child.review_date == dt.date(2036, 5, 1)
    assert outcome.review_dates_set["cases.youngperson"] == 1


def test_the_periodic_task_is_scheduled_and_returns_ids_only() -> None:
    beat = django_settings.CELERY_BEAT_SCHEDULE["audit-retention-review"]
    assert beat["task"] == "audit.tasks.retention_review_task"
    YoungPersonFactory(review_date=dt.date(2000, 1, 1))
    result = retention_review_task.apply().get()
    assert set(result) == {
        "due_for_review",
        "disposed",
        "blocked",
        "review_dates_set",
        "holds_released",
    }
    assert len(result["disposed"]["cases.youngperson"]) == 1
    assert all(isinstance(pk, int) for pk in result["disposed"]["cases.youngperson"])
