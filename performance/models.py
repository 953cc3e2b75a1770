from django.conf import settings
from django.db import models


class Report(models.Model):
    """One committee's 6-monthly PDF for one period, in one version. Never overwritten: a
    re-run is a new row with the next version number."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        COMPUTING = "computing", "Computing figures"
        RENDERING = "rendering", "Rendering PDF"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    committee = models.ForeignKey(
        "partnership.Committee", on_delete=models.PROTECT, related_name="reports"
    )
    period = models.CharField(max_length=10, db_index=True)
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    generator = models.CharField(max_length=120, blank=True)
    file = models.FileField(upload_to="reports/", blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # The disclosure-controlled figures the PDF was made from: the data cut, kept with it.
    figures = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Stage(models.TextChoices):
        """The committee's lifecycle, separate from the render status above: a draft is
        rendered, written on, submitted, signed off, then published (and then immutable)."""

        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for sign-off"
        SIGNED_OFF = "signed_off", "Signed off"
        PUBLISHED = "published", "Published"

    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.DRAFT)
    key_messages = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    # A correction of a published version: the version it corrects and why.
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    correction_reason = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "period", "version"], name="one_report_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee.code.upper()} {self.period} v{self.version}"

    @property
    def in_progress(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.COMPUTING, self.Status.RENDERING}

    @property
    def is_draft(self) -> bool:
        return self.stage != self.Stage.PUBLISHED


class StoredIndicators(models.Model):
    """The indicators N1-N16 of one closed period, partnership-wide (agency empty) or counting
    one agency's records, as computed once and reused by the dashboard, the plan pages and the
    reports (performance.stored). Exact figures, not disclosure controlled: read only through
    the code paths that apply the dashboard's rules or the reports' control.

    `definitions` is a digest of the indicator definitions (ids, versions, wording with the
    thresholds written in): a row whose digest no longer matches is recomputed, never read.
    The figures are those as at `computed_at`; a record entered later for the period changes
    them only through an explicit, audited re-materialisation (docs/DISCLOSURE.md)."""

    period = models.CharField(max_length=10)
    agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    definitions = models.CharField(max_length=64)
    results = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "agency", "definitions"], name="one_stored_agency_figures"
            ),
            models.UniqueConstraint(
                fields=["period", "definitions"],
                condition=models.Q(agency__isnull=True),
                name="one_stored_partnership_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.agency or 'partnership'} ({self.definitions[:8]})"
