"""factory_boy factories for case records. Agency-owned factories default to the Children and
Families Service; pass owner_agency / created_by to place a record elsewhere."""

import datetime as dt

import factory
from django.utils import timezone

from accounts.models import User
from cases import models as m
from maog import models as maog_models
from partnership.models import Agency
from partnership.roles import Role


def agency(code: str = "cfs") -> Agency:
    return Agency.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True  # roles are groups: nothing on the row changes

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    agency = factory.LazyFunction(agency)
    password = factory.django.Password("persona-password-123")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs: object) -> None:
        from accounts.services import user_set_roles

        if create:
            user_set_roles(actor=None, user=self, roles=extracted or [Role.PRACTITIONER])


class OwnedFactory(factory.django.DjangoModelFactory):
    owner_agency = factory.LazyFunction(agency)
    created_by = factory.LazyAttribute(
        lambda o: (
            User.objects.filter(agency=o.owner_agency).first() or UserFactory(agency=o.owner_agency)
        )
    )


class YoungPersonFactory(OwnedFactory):
    class Meta:
        model = m.YoungPerson

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=15 * 365))
    sex = m.Sex.FEMALE
    ethnicity = m.Ethnicity.WHITE_SCOTTISH
    search_name = factory.LazyAttribute(lambda o: f"{o.last_name} {o.first_name}".lower())


class CaseRecordFactory(OwnedFactory):
    young_person = factory.SubFactory(YoungPersonFactory)
    owner_agency = factory.LazyAttribute(lambda o: o.young_person.owner_agency)
    case_agency = factory.LazyAttribute(lambda o: o.young_person.owner_agency)


class ReferralFactory(CaseRecordFactory):
    class Meta:
        model = m.Referral

    received_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    referring_agency = factory.LazyFunction(lambda: agency("education"))
    concerns = "Seen getting into cars with older men after school."
    initial_risk_level = m.RiskLevel.MODERATE


class CseMarkerFactory(CaseRecordFactory):
    class Meta:
        model = m.CseMarker

    marker_type = m.CseMarker.MarkerType.AT_RISK
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    risk_level = m.RiskLevel.MODERATE


class MissingEpisodeFactory(CaseRecordFactory):
    class Meta:
        model = m.MissingEpisode

    missing_from = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=5))
    located_at = factory.LazyAttribute(lambda o: o.missing_from + dt.timedelta(hours=20))
    category = m.MissingEpisode.Category.MISSING_MEDIUM
    placement_type = m.PlacementType.RESIDENTIAL
    reported_to_police = True


class SupportFactory(CaseRecordFactory):
    class Meta:
        model = m.Support

    provider_agency = factory.LazyFunction(lambda: agency("barnardos"))
    service_type = m.Support.ServiceType.ONE_TO_ONE
    offered_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=20))
    accepted = True


class FeedbackFactory(CaseRecordFactory):
    class Meta:
        model = m.Feedback

    received_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=2))
    respondent = m.Feedback.Respondent.VICTIM
    satisfied = True


class PersonOfConcernFactory(OwnedFactory):
    class Meta:
        model = maog_models.PersonOfConcern

    owner_agency = factory.LazyFunction(lambda: agency("police"))
    name = factory.Faker("name", locale="en_GB")
    sex = m.Sex.MALE
    search_name = factory.LazyAttribute(lambda o: o.name.lower())


class PlaceFactory(OwnedFactory):
    class Meta:
        model = maog_models.Place

    owner_agency = factory.LazyFunction(lambda: agency("police"))
    name = factory.Sequence(lambda n: f"Flat {n}, Example Street")
    place_type = maog_models.Place.PlaceType.PARTY_FLAT


class AllegationFactory(OwnedFactory):
    class Meta:
        model = maog_models.Allegation

    owner_agency = factory.LazyFunction(lambda: agency("police"))
    summary = "Alleged sexual exploitation."
    alleged_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=40))
