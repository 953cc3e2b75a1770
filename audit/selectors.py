from django.db import models
from django.db.models import QuerySet

from audit.models import AccessEvent

# Access events are append-only, so a model that moved to another app keeps its old events
# under its old label ("cases.personofconcern" before "maog.personofconcern"). The app that
# moved a model registers the old label here so the record's access log stays whole.
_FORMER_LABELS: dict[str, tuple[str, ...]] = {}


def former_labels_register(label: str, *former: str) -> None:
    _FORMER_LABELS[label] = tuple(dict.fromkeys((*_FORMER_LABELS.get(label, ()), *former)))


def object_type_labels(model: type[models.Model]) -> tuple[str, ...]:
    """The label access events use for this model now, then any it had before a move."""
    label = model._meta.label_lower
    return (label, *_FORMER_LABELS.get(label, ()))


def access_events_for_object(*, instance: models.Model) -> QuerySet[AccessEvent]:
    """Who looked at or moved this record, newest first. Callers check the viewer may see it."""
    return AccessEvent.objects.filter(
        object_type__in=object_type_labels(type(instance)), object_id=instance.pk
    ).select_related("user", "agency")


def access_events_for_agency(*, agency_id: int) -> QuerySet[AccessEvent]:
    """Every act recorded for the people of one agency, newest first.

    Callers check the viewer may read the agency's access log (accounts.permissions).
    """
    return AccessEvent.objects.filter(agency_id=agency_id).select_related("user")
