from django.db import models
from simple_history.models import HistoricalRecords

from records.bases import Versioned


class ActionItem(models.Model):
    """One item of the VAP action plan, with its wording taken verbatim from the seed."""

    class MeasureKind(models.TextChoices):
        INDICATOR = "indicator", "Indicator computed from case data"
        ACTIVITY = "activity", "Count from the activity register"
        MILESTONE = "milestone", "Milestone"

    number = models.PositiveSmallIntegerField(unique=True)
    area = models.CharField(max_length=120)
    action = models.TextField()
    measure = models.TextField(help_text="The plan's 'performance information'.")
    lead_officer = models.CharField(max_length=200, help_text="The plan's 'lead officer/agency'.")
    lead_agencies = models.ManyToManyField("partnership.Agency", related_name="led_action_items")
    measure_kind = models.CharField(max_length=12, choices=MeasureKind.choices)
    measure_code = models.CharField(
        max_length=40, blank=True, help_text="Indicator id (N1-N16) or activity type it counts."
    )
    target_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[lead_agencies])

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.action[:60]}"


class RagStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"


class ProgressUpdate(Versioned):
    """One update per item per reporting period (period code like 2025-26-H1)."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    period = models.CharField(max_length=10, db_index=True)
    status = models.CharField(max_length=12, choices=RagStatus.choices)
    narrative = models.TextField()
    remedial_action = models.TextField(blank=True)
    evidence_link = models.URLField(blank=True)
    milestone_done = models.BooleanField(null=True, blank=True)
    milestone_date = models.DateField(null=True, blank=True)
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    author_agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    is_late = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["item", "period"], name="one_update_per_item_period")
        ]

    def __str__(self) -> str:
        return f"Item {self.item_id} {self.period}: {self.status}"


class Evidence(models.Model):
    """A file behind a progress update, stored privately; downloads go through an audited view."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.original_name


class UpdateRequest(models.Model):
    """The VAP chair asking a lead agency for an update on an item."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="update_requests")
    period = models.CharField(max_length=10)
    message = models.TextField(blank=True)
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the lead agency's managers were emailed."
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Update request for item {self.item_id} ({self.period})"


class Activity(models.Model):
    """Common columns of the activity register. Each entry belongs to the recording agency."""

    occurred_on = models.DateField()
    agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    notes = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["-occurred_on", "-id"]


class PreventionSession(Activity):
    class Setting(models.TextChoices):
        SCHOOL = "school", "School"
        RESIDENTIAL = "residential", "Residential unit"
        FOSTER_CARERS = "foster_carers", "Foster carers"

    setting = models.CharField(max_length=14, choices=Setting.choices)
    setting_name = models.CharField(max_length=200)
    young_people_reached = models.PositiveIntegerField(default=0)
    carers_reached = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Prevention session at {self.setting_name} on {self.occurred_on}"


class TrainingSession(Activity):
    title = models.CharField(max_length=200)
    staff_trained = models.PositiveIntegerField()
    trainee_agency = models.ForeignKey(
        "partnership.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The agency whose staff were trained.",
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Training: {self.title} on {self.occurred_on}"


class AwarenessSession(Activity):
    class VenueType(models.TextChoices):
        TAXI = "taxi", "Taxi"
        HOTEL = "hotel", "Hotel"
        CAFE = "cafe", "Cafe"
        NIGHTCLUB = "nightclub", "Nightclub"
        OTHER = "other", "Other"

    venue_name = models.CharField(max_length=200)
    venue_type = models.CharField(max_length=10, choices=VenueType.choices)
    people_reached = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Awareness raising at {self.venue_name} on {self.occurred_on}"


class MemberBriefing(Activity):
    members_briefed = models.PositiveIntegerField()
    council_total = models.PositiveIntegerField(help_text="Elected members on the council.")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Elected-member briefing on {self.occurred_on}"


class MaogMeeting(Activity):
    planned = models.BooleanField(default=True)
    held = models.BooleanField(default=True)
    terms_of_reference_in_force = models.BooleanField(default=True)
    minutes_recorded = models.BooleanField(default=False)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"MAOG meeting on {self.occurred_on}"


class ReminderLog(models.Model):
    """One reminder sent to one lead agency for one period and stage.

    The unique constraint makes the reminder task idempotent: a retried or repeated run finds
    the row and sends nothing twice.
    """

    class Stage(models.TextChoices):
        CLOSING = "closing", "Period closes in a month"
        CLOSED = "closed", "Period has closed"

    period = models.CharField(max_length=10)
    stage = models.CharField(max_length=10, choices=Stage.choices)
    agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    item_numbers = models.JSONField(default=list)
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "stage", "agency"], name="one_reminder_per_period_stage_agency"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder {self.period} {self.stage} to agency {self.agency_id}"
