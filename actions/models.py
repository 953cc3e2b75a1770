from django.db import models
from simple_history.models import HistoricalRecords


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
