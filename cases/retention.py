"""Retention rules for casework records (registered into audit.retention's registry)."""

from django.conf import settings
from django.db.models import Q

from audit.retention import add_years, retention_rule_register
from cases.models import YoungPerson


def _looked_after() -> Q | None:
    # Read at each pass so the setting (and a test's override) takes effect at once.
    return Q(looked_after=True) if settings.CSE_RETENTION_PRESERVE_LOOKED_AFTER else None


retention_rule_register(
    YoungPerson,
    anchor=lambda young_person: add_years(young_person.date_of_birth, 18),
    years_setting="cases.youngperson",
    description="years after the young person's 18th birthday",
    dispose_automatically=True,
    preserved=_looked_after,
    preserved_description=(
        "children who were looked after are preserved while "
        "CSE_RETENTION_PRESERVE_LOOKED_AFTER is on (Scottish Child Abuse Inquiry)"
    ),
)
