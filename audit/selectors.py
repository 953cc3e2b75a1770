from django.db import models
from django.db.models import QuerySet

from audit.models import AccessEvent


def access_events_for_object(*, instance: models.Model) -> QuerySet[AccessEvent]:
    """Who looked at or moved this record, newest first. Callers check the viewer may see it."""
    return AccessEvent.objects.filter(
        object_type=instance._meta.label_lower, object_id=instance.pk
    ).select_related("user", "agency")


def access_events_for_agency(*, agency_id: int) -> QuerySet[AccessEvent]:
    """Every act recorded for the people of one agency, newest first.

    Callers check the viewer may read the agency's access log (accounts.permissions).
    """
    return AccessEvent.objects.filter(agency_id=agency_id).select_related("user")
