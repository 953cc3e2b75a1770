"""Abstract model parts shared by the record types of several apps.

No tables of their own (``records`` is not a Django app): each part is a group of columns, or
a constructor of indexes and constraints, that more than one concrete model declares alike.
Abstract bases are migration-neutral: the concrete models keep their fields, names and tables.
"""

from django.conf import settings
from django.db import models


class Versioned(models.Model):
    """An edit version. Optimistic concurrency: a form carries the version it was opened at;
    saving a stale version is a conflict, never a silent overwrite."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class AgencyShare(models.Model):
    """The business record of sharing a record with an agency: the reason, who shared it and
    when, and its revocation. Access itself is the guardian grant; this row says why it exists.

    The concrete share names the record shared (its foreign key), the lawful bases that
    record may be shared under (``lawful_basis`` with its own choices) and who shared it
    (``shared_by``: required, or empty on rows a migration recorded for earlier grants).
    """

    agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    shared_at = models.DateTimeField(auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["-shared_at", "-id"]


def one_active_share(shared: str, *, name: str) -> models.UniqueConstraint:
    """At most one unrevoked share of the record ``shared`` with each agency."""
    return models.UniqueConstraint(
        fields=[shared, "agency"], condition=models.Q(revoked_at__isnull=True), name=name
    )


def newest_first_indexes(date_field: str, *columns: str) -> list[models.Index]:
    """One index per column for its list of records newest first (``date_field`` descending):
    a young person's records, an agency's records. Unnamed, so Django names each from the
    model's table and fields as it did when they were written out one by one."""
    return [models.Index(fields=[column, f"-{date_field}"]) for column in columns]
