from django.conf import settings
from django.db import models


class AccessEvent(models.Model):
    """One act on the record: a view, export, download, share, revoke or other event.

    Field changes are kept by django-simple-history; this log keeps who *looked* at or
    moved data (ASVS 5.0 L3 access logging, DPA 2018 s.62). Rows are only ever inserted.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CHRONOLOGY = "chronology", "Viewed chronology"
        EXPORT = "export", "Exported"
        DOWNLOAD = "download", "Downloaded"
        SEARCH = "search", "Searched"
        SHARE = "share", "Shared"
        REVOKE = "revoke", "Revoked share"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        NOTIFY = "notify", "Notified"
        SIGN_IN = "sign_in", "Signed in"
        # What is left of a record's access log after retention erased it (audit/retention.py).
        ERASED = "erased", "Erased under retention"
        OTHER = "other", "Other"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.BigIntegerField(null=True)
    page = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_type}"


class DisposalLog(models.Model):
    """A record disposed of under the retention schedule: metadata only, never names or text.

    Kept so the partnership can show what was removed, when and under which rule, after the
    record and its history are gone (audit/retention.py). Append-only like the access log.
    """

    disposed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    model = models.CharField(max_length=60)  # e.g. "cases.youngperson"
    object_id = models.BigIntegerField()
    owner_agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(null=True)
    review_date = models.DateField()
    disposal_date = models.DateField()
    # Counts of dependent rows removed with it, by model label (no content).
    related_counts = models.JSONField(default=dict, blank=True)
    # Whose decision: a reviewer's dispose decision, or none when a rule disposed of it.
    decision = models.ForeignKey(
        "audit.RetentionDecision", on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    history_rows_erased = models.PositiveIntegerField(default=0)
    access_events_erased = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-disposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} disposed {self.disposed_at:%Y-%m-%d}"


class RetentionDecision(models.Model):
    """A reviewer's decision on one record due for review. Rows are only ever inserted;
    the newest decision for a record is the one in force.

    Keep: a new review date. Hold: never disposed of until `hold_until` (or released).
    Dispose: the record stays for the grace period (`erase_after`), then is erased.
    """

    class Kind(models.TextChoices):
        KEEP = "keep", "Keep until a new review date"
        HOLD = "hold", "Legal hold"
        DISPOSE = "dispose", "Dispose of"

    model = models.CharField(max_length=60)  # e.g. "cases.youngperson"
    object_id = models.BigIntegerField()
    owner_agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True, db_index=True)
    new_review_date = models.DateField(null=True, blank=True)
    hold_until = models.DateField(null=True, blank=True)
    erase_after = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["model", "object_id", "-decided_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.model} {self.object_id}"
