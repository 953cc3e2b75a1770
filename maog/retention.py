"""Retention rules for MAOG records (registered into audit.retention's registry)."""

from django.utils import timezone

from audit.retention import retention_rule_register
from maog.models import Intelligence, PersonOfConcern

retention_rule_register(
    PersonOfConcern,
    # A record not saved yet has no created_at: its period runs from today.
    anchor=lambda person: timezone.localdate(person.created_at or timezone.now()),
    years_setting="maog.personofconcern",
    description="years after the record was made",
    dispose_automatically=True,
)
retention_rule_register(
    Intelligence,
    anchor=lambda intelligence: intelligence.received_on,
    years_setting="maog.intelligence",
    description="years after the intelligence was received",
    dispose_automatically=True,
)
