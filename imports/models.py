"""Spreadsheet imports: a saved column mapping, a batch (one uploaded file), and its rows
with each row's validation result and the records it made."""

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    REFERRAL = "referral", "Referrals"
    MISSING_EPISODE = "missing_episode", "Missing episodes"


class ColumnMapping(models.Model):
    """Which column of a partner's spreadsheet holds which field; reusable by the agency."""

    agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=100)
    columns = models.JSONField(default=dict)  # field -> column heading
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "name"], name="one_mapping_name")
        ]

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        PREVIEWED = "previewed", "Checked"
        COMMITTING = "committing", "Importing"
        COMMITTED = "committed", "Imported"
        ROLLED_BACK = "rolled_back", "Rolled back"

    agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to="imports/%Y/%m/")
    filename = models.CharField(max_length=200)
    headings = models.JSONField(default=list)
    columns = models.JSONField(default=dict)  # the mapping used: field -> column heading
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)  # progress of the commit
    created_records = models.PositiveIntegerField(default=0)
    unchanged_records = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    rolled_back_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.filename}"


class ImportRow(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", "Ready"
        INVALID = "invalid", "Has errors"
        DECIDE = "decide", "Needs a decision"
        CREATED = "created", "Imported"
        UNCHANGED = "unchanged", "Already imported"
        FAILED = "failed", "Refused when imported"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField()  # the spreadsheet's row number (heading = 1)
    cells = models.JSONField(default=dict)  # heading -> the cell as read
    errors = models.JSONField(default=dict)  # heading (or "row") -> message
    status = models.CharField(max_length=10, choices=Status.choices)
    young_person_id = models.BigIntegerField(null=True, blank=True)
    new_young_person = models.BooleanField(default=False)  # made by this row's commit
    record_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "number"]
        indexes = [models.Index(fields=["batch", "status", "number"])]

    def __str__(self) -> str:
        return f"row {self.number} of batch {self.batch_id}"
