"""Retention rules for casework records (registered into audit.retention's registry)."""

from audit.retention import add_years, retention_rule_register
from cases.models import YoungPerson

retention_rule_register(
    YoungPerson,
    anchor=lambda young_person: add_years(young_person.date_of_birth, 18),
    years_setting="cases.youngperson",
    description="years after the young person's 18th birthday",
)
