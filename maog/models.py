"""The MAOG records: persons of concern, places, vehicles, online handles, their links,
allegations with the justice pathway (police, the Procurator Fiscal, MAPPA), intelligence.

This app points at ``cases`` (young people, missing episodes), never the other way round.
The models moved here from ``cases`` without moving a row: each keeps its table
(``db_table``), its history table and its guardian grant tables (see migrations/0001).
"""

from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from cases.models import AgencyOwned, Ethnicity, MissingEpisode, Sex, YoungPerson
from records.bases import AgencyShare, one_active_share


class PersonOfConcern(AgencyOwned):
    """An alleged perpetrator or associate. Owned by one agency like every record."""

    name = models.CharField(max_length=200, blank=True)
    aliases = models.CharField(max_length=300, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=12, choices=Sex.choices, default=Sex.NOT_KNOWN)
    ethnicity = models.CharField(max_length=24, choices=Ethnicity.choices, default="not_known")
    description = models.TextField(blank=True)
    search_name = models.CharField(max_length=510, editable=False, db_index=True)
    review_date = models.DateField(null=True, blank=True)
    legal_hold = models.BooleanField(default=False)
    history = HistoricalRecords(table_name="cases_historicalpersonofconcern")

    class Meta:
        db_table = "cases_personofconcern"  # kept from before the move (no row moved)
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["owner_agency", "name", "id"])]

    def __str__(self) -> str:
        return self.name or self.aliases or f"Unnamed person {self.pk}"


class PersonOfConcernGroupObjectPermission(GroupObjectPermissionBase):
    """Guardian's direct foreign-key table: a share of a person is a grant to an agency group."""

    content_object = models.ForeignKey(PersonOfConcern, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        db_table = "cases_personofconcerngroupobjectpermission"


class PersonOfConcernUserObjectPermission(UserObjectPermissionBase):
    """Guardian's direct foreign-key table for per-user grants (not used for sharing)."""

    content_object = models.ForeignKey(PersonOfConcern, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        db_table = "cases_personofconcernuserobjectpermission"


class Place(AgencyOwned):
    class PlaceType(models.TextChoices):
        PARTY_FLAT = "party_flat", "Party flat"
        HOTEL = "hotel", "Hotel"
        TAXI_FIRM = "taxi_firm", "Taxi firm"
        CAFE = "cafe", "Cafe"
        NIGHTCLUB = "nightclub", "Nightclub"
        SCHOOL = "school", "School"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    place_type = models.CharField(max_length=12, choices=PlaceType.choices)
    description = models.TextField(blank=True)
    history = HistoricalRecords(table_name="cases_historicalplace")

    class Meta:
        db_table = "cases_place"  # kept from before the move (no row moved)
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Vehicle(AgencyOwned):
    registration = models.CharField(max_length=16, db_index=True)
    description = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords(table_name="cases_historicalvehicle")

    class Meta:
        db_table = "cases_vehicle"  # kept from before the move (no row moved)
        ordering = ["registration", "id"]

    def __str__(self) -> str:
        return self.registration


class OnlineHandle(AgencyOwned):
    platform = models.CharField(max_length=60)
    handle = models.CharField(max_length=200)
    history = HistoricalRecords(table_name="cases_historicalonlinehandle")

    class Meta:
        db_table = "cases_onlinehandle"  # kept from before the move (no row moved)
        ordering = ["platform", "handle", "id"]

    def __str__(self) -> str:
        return f"{self.platform}: {self.handle}"


class Link(AgencyOwned):
    """An edge of the network: a person of concern linked to a young person, another person,
    a place, a vehicle or an online handle (exactly one target), or a young person to a place.
    """

    class Nature(models.TextChoices):
        ASSOCIATE = "associate", "Associate"
        RELATIONSHIP = "relationship", "Claimed relationship"
        SUPPLIER = "supplier", "Supplies gifts, alcohol or drugs"
        TRANSPORT = "transport", "Transports"
        SEEN_WITH = "seen_with", "Seen with"
        FREQUENTS = "frequents", "Frequents"
        USES = "uses", "Uses or owns"
        OTHER = "other", "Other"

    person = models.ForeignKey(
        PersonOfConcern, on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    other_person = models.ForeignKey(
        PersonOfConcern, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    handle = models.ForeignKey(
        OnlineHandle, on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    nature = models.CharField(max_length=12, choices=Nature.choices)
    source = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords(table_name="cases_historicallink")

    class Meta:
        db_table = "cases_link"  # kept from before the move (no row moved)
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Link {self.pk}: {self.get_nature_display()}"


class Allegation(AgencyOwned):
    """An allegation against one or more persons about one or more young people, and its path
    through police, the Procurator Fiscal (COPFS) and MAPPA."""

    class ProsecutionOutcome(models.TextChoices):
        PENDING = "pending", "Pending"
        PROSECUTED = "prosecuted", "Prosecuted"
        NO_PROCEEDINGS = "no_proceedings", "No proceedings"
        CONVICTED = "convicted", "Convicted"
        ACQUITTED = "acquitted", "Acquitted"

    persons = models.ManyToManyField(PersonOfConcern, related_name="allegations")
    young_people = models.ManyToManyField(YoungPerson, related_name="allegations")
    summary = models.TextField()
    alleged_on = models.DateField(help_text="When the allegation was made.")
    reported_to_police_on = models.DateField(null=True, blank=True)
    investigated = models.BooleanField(default=False)
    reported_to_copfs_on = models.DateField(null=True, blank=True)
    prosecution_outcome = models.CharField(
        max_length=16, choices=ProsecutionOutcome.choices, default=ProsecutionOutcome.PENDING
    )
    outcome_date = models.DateField(null=True, blank=True)
    mappa_managed = models.BooleanField(default=False)
    victim_safety_plan = models.BooleanField(
        default=False, help_text="A victim safety plan was recorded at MAPPA."
    )
    safety_plan_evidence = models.TextField(blank=True)
    history = HistoricalRecords(
        m2m_fields=[persons, young_people], table_name="cases_historicalallegation"
    )

    class Meta:
        db_table = "cases_allegation"  # kept from before the move (no row moved)
        ordering = ["-alleged_on", "-id"]
        indexes = [
            models.Index(fields=["alleged_on"]),
            models.Index(fields=["reported_to_copfs_on"]),
        ]

    def __str__(self) -> str:
        return f"Allegation {self.pk} of {self.alleged_on}"


class Intelligence(AgencyOwned):
    """A MAOG intelligence entry. Readable only by MAOG members; its existence never leaks."""

    class Category(models.TextChoices):
        ONLINE_TRENDS = "online_trends", "Online trends"
        SEXUAL_HEALTH = "sexual_health", "Sexual health"
        FREQUENTLY_MISSING = "frequently_missing", "Frequently missing from home"
        NIGHT_TIME_ECONOMY = "night_time_economy", "Night-time economy"
        SCHOOLS_TARGETED = "schools_targeted", "Schools targeted"
        PARTY_FLATS = "party_flats", "Party flats"
        NETWORKS = "networks", "Networks"
        GANGS = "gangs", "Gangs"
        TRANSPORT = "transport", "Methods of transport"

    # The UK 3x5x2 intelligence grading (College of Policing, 2023 APP on intelligence
    # management): source evaluation 1-3, intelligence assessment A-E, handling code P or C.
    # Written together as e.g. "2B P". Migration 0003 converted the earlier, reversed scales.

    class SourceEvaluation(models.TextChoices):
        RELIABLE = "1", "1: reliable"
        UNTESTED = "2", "2: untested"
        NOT_RELIABLE = "3", "3: not reliable"

    class IntelligenceAssessment(models.TextChoices):
        KNOWN_DIRECTLY = "A", "A: known directly to the source"
        KNOWN_INDIRECTLY_CORROBORATED = "B", "B: known indirectly, corroborated"
        KNOWN_INDIRECTLY = "C", "C: known indirectly"
        NOT_KNOWN = "D", "D: not known"
        SUSPECTED_FALSE = "E", "E: suspected to be false"

    class Handling(models.TextChoices):
        P = "P", "P: lawful sharing permitted"
        C = "C", "C: lawful sharing permitted with conditions"

    received_on = models.DateField()
    source_agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, related_name="+"
    )
    source_evaluation = models.CharField(max_length=1, choices=SourceEvaluation.choices)
    intelligence_assessment = models.CharField(max_length=1, choices=IntelligenceAssessment.choices)
    handling_code = models.CharField(max_length=1, choices=Handling.choices)
    category = models.CharField(max_length=20, choices=Category.choices)
    narrative = models.TextField()
    action_taken = models.TextField(blank=True)
    persons = models.ManyToManyField(PersonOfConcern, blank=True, related_name="intelligence")
    young_people = models.ManyToManyField(YoungPerson, blank=True, related_name="intelligence")
    places = models.ManyToManyField(Place, blank=True, related_name="intelligence")
    vehicles = models.ManyToManyField(Vehicle, blank=True, related_name="intelligence")
    handles = models.ManyToManyField(OnlineHandle, blank=True, related_name="intelligence")
    review_date = models.DateField(null=True, blank=True)
    legal_hold = models.BooleanField(default=False)
    history = HistoricalRecords(
        m2m_fields=[persons, young_people, places, vehicles, handles],
        table_name="cases_historicalintelligence",
    )

    class Meta:
        db_table = "cases_intelligence"  # kept from before the move (no row moved)
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["received_on"])]

    def __str__(self) -> str:
        return f"Intelligence {self.pk} of {self.received_on}"

    @property
    def grading(self) -> str:
        """The 3x5x2 grade as written on an intelligence report, e.g. "2B P"."""
        return f"{self.source_evaluation}{self.intelligence_assessment} {self.handling_code}"


class EpisodePlace(models.Model):
    """The recorded place where a missing episode ended. A MAOG fact about a case record, so
    it lives here and points at the episode (it was ``MissingEpisode.found_place``)."""

    episode = models.OneToOneField(
        MissingEpisode, on_delete=models.CASCADE, primary_key=True, related_name="found_at"
    )
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="episode_places")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Episode {self.episode_id} found at place {self.place_id}"


class PersonShare(AgencyShare):
    """The business record of sharing a person of concern, like a young person's case
    (``AgencyShare``): the grant it explains is ``view_personofconcern`` to the agency's group."""

    class LawfulBasis(models.TextChoices):
        CHILD_PROTECTION = "child_protection", "Child protection"
        CRIME_PREVENTION = "crime_prevention", "Prevention or detection of crime"
        LEGAL_DUTY = "legal_duty", "Legal duty"
        # Only for grants made before a basis was asked for (migration 0002): never offered.
        NOT_RECORDED = "not_recorded", "Not recorded (shared before a basis was required)"

    person = models.ForeignKey(PersonOfConcern, on_delete=models.CASCADE, related_name="shares")
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    # Empty only on rows recorded by the migration for earlier grants (nobody to name).
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    history = HistoricalRecords()

    class Meta(AgencyShare.Meta):
        constraints = [one_active_share("person", name="one_active_person_share_per_agency")]

    def __str__(self) -> str:
        return f"share of person {self.person_id} with {self.agency_id}"
