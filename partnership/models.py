from django.contrib.auth.models import Group
from django.db import models
from simple_history.models import HistoricalRecords


class Agency(models.Model):
    """A partner organisation. Every record in the portal belongs to exactly one agency."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60)
    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="agency", null=True, blank=True
    )
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Committee(models.Model):
    """A strategic group that receives the 6-monthly reports (COG, CCPC, CSP)."""

    code = models.SlugField(max_length=16, unique=True)
    name = models.CharField(max_length=200, unique=True)
    report_by = models.CharField(max_length=200, help_text="The officer the report is from.")
    report_officer = models.CharField(
        max_length=200,
        blank=True,
        help_text="The named officer the report is from (REPORT BY), e.g. 'Jane Smith'.",
    )
    focus = models.TextField(blank=True, help_text="What this committee's report leads with.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommitteeMeeting(models.Model):
    """A date the committee meets: a period's report goes to the first meeting after the
    lead agencies' update window has ended (REPORT TO)."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "date"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "date"], name="one_meeting_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.committee.code.upper()} meeting on {self.date:%-d %B %Y}"
