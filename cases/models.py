"""Case records. Every record belongs to one agency (``owner_agency``).

Records about a young person also carry ``case_agency``: the agency that owns the young
person's case. Denormalised on purpose so list predicates (own agency, case agency, or a
share of the case to my agency) stay index-friendly at hundreds of thousands of rows.

The MAOG records (persons of concern, places, links, allegations, intelligence) live in the
``maog`` app, which points at these models; nothing here knows about it.
"""

from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from records.bases import AgencyShare, Versioned, one_active_share


class RiskLevel(models.TextChoices):
    NOT_AT_RISK = "not_at_risk", "Not at risk"
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SIGNIFICANT = "significant", "Significant"


RISK_LEVEL_ORDER = {
    RiskLevel.NOT_AT_RISK: 0,
    RiskLevel.MILD: 1,
    RiskLevel.MODERATE: 2,
    RiskLevel.SIGNIFICANT: 3,
}


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other or described differently"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    WHITE_SCOTTISH = "white_scottish", "White: Scottish"
    WHITE_OTHER_BRITISH = "white_other_british", "White: other British"
    WHITE_OTHER = "white_other", "White: other"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    ASIAN = "asian", "Asian, Scottish Asian or British Asian"
    AFRICAN = "african", "African, Scottish African or British African"
    CARIBBEAN_BLACK = "caribbean_black", "Caribbean or Black"
    OTHER = "other", "Other ethnic group"
    NOT_KNOWN = "not_known", "Not known"


class PlacementType(models.TextChoices):
    HOME = "home", "At home with parents"
    KINSHIP = "kinship", "Kinship care"
    FOSTER = "foster", "Foster care"
    RESIDENTIAL = "residential", "Residential unit"
    OTHER = "other", "Other"


class AgencyOwned(Versioned):
    """Common columns: the owning agency, who made the record, and an edit version."""

    owner_agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class CaseRecord(AgencyOwned):
    """A record about one young person, visible with that young person's case."""

    young_person = models.ForeignKey("cases.YoungPerson", on_delete=models.CASCADE)
    case_agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class ExternallyReferenced(models.Model):
    """The source system's own reference for a record brought in by the API or an import.

    A retry or a re-import carries the same (source, external_ref), so it finds the record it
    made before instead of making a second one (issue 20). Blank for records made in forms.
    """

    # A database default too: rows written by SQL of our own (bench seeding, data fixes) that
    # know nothing of imports still satisfy NOT NULL.
    source = models.CharField(max_length=50, blank=True, default="", db_default="")
    external_ref = models.CharField(max_length=100, blank=True, default="", db_default="")

    class Meta:
        abstract = True


def external_ref_unique(model_name: str) -> models.UniqueConstraint:
    """One record per (agency, source, reference); records without a reference are free."""
    return models.UniqueConstraint(
        fields=["owner_agency", "source", "external_ref"],
        condition=~models.Q(external_ref=""),
        name=f"{model_name}_external_ref_unique",
    )


class YoungPerson(AgencyOwned):
    """A child or young person at risk of, or subject to, CSE (under 18 at referral)."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    known_as = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=12, choices=Sex.choices)
    ethnicity = models.CharField(max_length=24, choices=Ethnicity.choices, default="not_known")
    disability = models.CharField(
        max_length=200, blank=True, help_text="Leave blank if none is known."
    )
    looked_after = models.BooleanField(default=False)
    placement_type = models.CharField(
        max_length=12, choices=PlacementType.choices, default=PlacementType.HOME
    )
    school = models.CharField(max_length=200, blank=True)
    # Lower-cased "last first" for search; kept in step by the service layer.
    search_name = models.CharField(max_length=210, editable=False, db_index=True)
    review_date = models.DateField(null=True, blank=True, help_text="Retention review date.")
    legal_hold = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["owner_agency", "last_name", "first_name", "id"]),
            models.Index(fields=["date_of_birth"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class YoungPersonUserObjectPermission(UserObjectPermissionBase):
    """Guardian's direct foreign-key table for per-user grants (not used for sharing)."""

    content_object = models.ForeignKey(YoungPerson, on_delete=models.CASCADE)


class YoungPersonGroupObjectPermission(GroupObjectPermissionBase):
    """Guardian's direct foreign-key table: a share of a case is a grant to an agency group."""

    content_object = models.ForeignKey(YoungPerson, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["group", "content_object"])]


class CaseShare(AgencyShare):
    """The business record of a share of a young person's case (``AgencyShare``)."""

    class LawfulBasis(models.TextChoices):
        CHILD_PROTECTION = "child_protection", "Child protection"
        CONSENT = "consent", "Consent"
        LEGAL_DUTY = "legal_duty", "Legal duty"

    young_person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="shares")
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta(AgencyShare.Meta):
        constraints = [one_active_share("young_person", name="one_active_share_per_agency")]

    def __str__(self) -> str:
        return f"share of {self.young_person_id} with {self.agency_id}"


class CseMarker(CaseRecord):
    """A typed CSE marker with its dates and current risk level."""

    class MarkerType(models.TextChoices):
        AT_RISK = "at_risk", "At risk of CSE"
        SUSPECTED = "suspected", "Suspected victim of CSE"
        CONFIRMED = "confirmed", "Confirmed victim of CSE"

    marker_type = models.CharField(max_length=12, choices=MarkerType.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    risk_level = models.CharField(max_length=12, choices=RiskLevel.choices)
    review_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["young_person", "-start_date"])]

    def __str__(self) -> str:
        return f"{self.get_marker_type_display()} from {self.start_date}"


class Referral(ExternallyReferenced, CaseRecord):
    """A concern about a young person received by an agency, with its coded outcome."""

    class Outcome(models.TextChoices):
        STILL_OPEN = "still_open", "Still open"
        NO_FURTHER_ACTION = "nfa", "No further action"
        ADVICE = "advice", "Advice and information"
        SINGLE_AGENCY = "single_agency", "Single-agency support"
        IRD = "ird", "Inter-agency Referral Discussion (IRD)"
        CP_CONFERENCE = "cp_conference", "Child protection case conference"
        CP_REGISTRATION = "cp_registration", "Child protection registration"
        OTHER_SERVICE = "other_service", "Referred to another service"

    received_on = models.DateField()
    referring_agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_role = models.CharField(max_length=200, blank=True)
    concerns = models.TextField()
    initial_risk_level = models.CharField(max_length=12, choices=RiskLevel.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.STILL_OPEN)
    outcome_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["owner_agency", "-received_on", "-id"]),
            models.Index(fields=["case_agency", "-received_on", "-id"]),
            models.Index(fields=["young_person", "-received_on"]),
            models.Index(fields=["received_on"]),
            # The home page's "open referrals held by us".
            models.Index(
                fields=["owner_agency"],
                condition=models.Q(outcome="still_open"),
                name="referral_open_by_agency",
            ),
        ]
        constraints = [external_ref_unique("referral")]

    def __str__(self) -> str:
        return f"Referral {self.pk} received {self.received_on}"


class RiskTool(models.Model):
    """A scored screening tool kept as data, in our own plain wording."""

    name = models.CharField(max_length=120)
    version = models.CharField(max_length=20)
    is_active = models.BooleanField(default=True)
    recent_months = models.PositiveSmallIntegerField(
        default=3, help_text="An indicator seen within this many months counts as recent."
    )
    recent_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=2)
    older_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=1)
    mild_from = models.PositiveSmallIntegerField(help_text="Lowest total scored as mild.")
    moderate_from = models.PositiveSmallIntegerField()
    significant_from = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "version"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class RiskItem(models.Model):
    class Category(models.TextChoices):
        VULNERABILITY = "vulnerability", "Vulnerability"
        MODERATE = "moderate", "Moderate indicator"
        SIGNIFICANT = "significant", "Significant indicator"

    tool = models.ForeignKey(RiskTool, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(max_length=40)
    category = models.CharField(max_length=14, choices=Category.choices)
    wording = models.CharField(max_length=300)
    weight = models.PositiveSmallIntegerField()
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["tool", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["tool", "code"], name="risk_item_code")]

    def __str__(self) -> str:
        return self.wording


class RiskAssessment(CaseRecord):
    """One completed screening: score, calculated level, optional professional override."""

    tool = models.ForeignKey(RiskTool, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField()
    score = models.DecimalField(max_digits=6, decimal_places=2)
    calculated_level = models.CharField(max_length=12, choices=RiskLevel.choices)
    override_level = models.CharField(max_length=12, choices=RiskLevel.choices, blank=True)
    override_reason = models.TextField(blank=True)
    level = models.CharField(max_length=12, choices=RiskLevel.choices)
    reassessment_due = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [
            models.Index(fields=["young_person", "-assessed_on"]),
            models.Index(fields=["owner_agency", "reassessment_due"]),
            # "Reassessment due": the case agency's due assessments in the list's order
            # (due today first, then by young person), so a page reads only its rows.
            models.Index(
                fields=["case_agency", "-reassessment_due", "young_person"],
                name="assessment_due_by_case",
            ),
        ]

    def __str__(self) -> str:
        return f"Risk assessment {self.pk} on {self.assessed_on}"


class RiskAnswer(models.Model):
    class Recency(models.TextChoices):
        NONE = "none", "Not present"
        OLDER = "older", "Present, not recent"
        RECENT = "recent", "Present recently"

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(RiskItem, on_delete=models.PROTECT, related_name="+")
    recency = models.CharField(max_length=8, choices=Recency.choices)
    points = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.recency}"


class MissingEpisode(ExternallyReferenced, CaseRecord):
    """A missing or absent episode and the return discussion that follows it."""

    class Category(models.TextChoices):
        ABSENT = "absent", "Absent"
        MISSING_LOW = "missing_low", "Missing: low risk"
        MISSING_MEDIUM = "missing_medium", "Missing: medium risk"
        MISSING_HIGH = "missing_high", "Missing: high risk"

    class ReturnDiscussion(models.TextChoices):
        NOT_OFFERED = "not_offered", "Not yet offered"
        OFFERED = "offered", "Offered"
        DECLINED = "declined", "Declined"
        COMPLETED = "completed", "Completed"

    missing_from = models.DateTimeField(help_text="When the young person was reported missing.")
    located_at = models.DateTimeField(null=True, blank=True)
    category = models.CharField(max_length=16, choices=Category.choices)
    placement_type = models.CharField(max_length=12, choices=PlacementType.choices)
    placement_name = models.CharField(max_length=200, blank=True)
    where_found = models.CharField(max_length=300, blank=True)
    found_with = models.CharField(max_length=300, blank=True)
    reported_to_police = models.BooleanField(default=False)
    return_discussion = models.CharField(
        max_length=12, choices=ReturnDiscussion.choices, default=ReturnDiscussion.NOT_OFFERED
    )
    rd_offered_at = models.DateTimeField(null=True, blank=True)
    rd_declined_reason = models.TextField(blank=True)
    rd_reoffered_at = models.DateTimeField(null=True, blank=True)
    rd_completed_at = models.DateTimeField(null=True, blank=True)
    rd_agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-missing_from", "-id"]
        indexes = [
            models.Index(fields=["owner_agency", "-missing_from", "-id"]),
            models.Index(fields=["case_agency", "-missing_from", "-id"]),
            models.Index(fields=["young_person", "-missing_from"]),
            models.Index(fields=["missing_from"]),
            # "Return discussion overdue": episodes awaiting one, oldest return first.
            models.Index(
                fields=["owner_agency", "located_at"],
                condition=models.Q(
                    located_at__isnull=False, return_discussion__in=["not_offered", "offered"]
                ),
                name="episode_awaiting_discussion",
            ),
        ]
        constraints = [external_ref_unique("missing_episode")]

    def __str__(self) -> str:
        return f"Missing episode {self.pk} from {self.missing_from:%Y-%m-%d}"


class Support(CaseRecord):
    """A service offered to a victim, and how far it got."""

    class ServiceType(models.TextChoices):
        ONE_TO_ONE = "one_to_one", "One-to-one support"
        GROUP_WORK = "group_work", "Group work"
        SAFETY_PLANNING = "safety_planning", "Safety planning"
        THERAPEUTIC = "therapeutic", "Therapeutic support"
        ADVOCACY = "advocacy", "Advocacy"
        FAMILY = "family", "Family support"
        SEXUAL_HEALTH = "sexual_health", "Sexual health"

    provider_agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, related_name="+"
    )
    service_type = models.CharField(max_length=16, choices=ServiceType.choices)
    offered_on = models.DateField()
    accepted = models.BooleanField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-offered_on", "-id"]
        indexes = [models.Index(fields=["young_person", "-offered_on"])]

    def __str__(self) -> str:
        return f"{self.get_service_type_display()} offered {self.offered_on}"


class Feedback(CaseRecord):
    """Victim or carer feedback on support."""

    class Respondent(models.TextChoices):
        VICTIM = "victim", "Young person"
        CARER = "carer", "Parent or carer"

    support = models.ForeignKey(
        Support, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    received_on = models.DateField()
    respondent = models.CharField(max_length=8, choices=Respondent.choices)
    satisfied = models.BooleanField()
    comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"Feedback {self.pk} received {self.received_on}"


# Every model of a record about one young person (a ``CaseRecord``): what moves with a
# transferred case, what keeps a young person from being deleted.
CASE_RECORDS: tuple[type[CaseRecord], ...] = (
    Referral,
    CseMarker,
    RiskAssessment,
    MissingEpisode,
    Support,
    Feedback,
)
