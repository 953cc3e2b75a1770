"""Retention of casework records (found by audit.retention's autodiscovery).

IRDs (with their participants and actions), meetings, case notes, agency cases, transfer
requests, safety plans (with their protective actions) and documents (with their files) are
records about one young person: they are kept exactly as long as the child's case and go
with it when the case is disposed of (the ``cases.youngperson`` rule, years after the 18th
birthday), through the cascade from the young person. They declare no rule of their own,
so a disposal can never leave an IRD about a child whose case is gone, nor dispose of an IRD
while its case is kept. This module holds that to be true at start-up, so a later change of
``on_delete`` cannot break it silently.
"""

from django.db import models

from casework.models import (
    AgencyCase,
    CaseDocument,
    CaseNote,
    Ird,
    IrdAction,
    IrdParticipant,
    Meeting,
    SafetyPlan,
    SafetyPlanAction,
    TransferRequest,
)

FOLLOW_THE_CASE: tuple[tuple[type[models.Model], str], ...] = (
    (Ird, "young_person"),
    (IrdParticipant, "ird"),
    (IrdAction, "ird"),
    (CaseNote, "young_person"),
    (Meeting, "young_person"),
    (AgencyCase, "young_person"),
    (TransferRequest, "young_person"),
    (SafetyPlan, "young_person"),
    (SafetyPlanAction, "plan"),
    # Its file is removed with the row (casework.documents, once the deletion commits).
    (CaseDocument, "young_person"),
)

for _model, _field in FOLLOW_THE_CASE:
    _remote = _model._meta.get_field(_field).remote_field
    if getattr(_remote, "on_delete", None) is not models.CASCADE:
        raise RuntimeError(f"{_model._meta.label}.{_field} must cascade: it follows the case")
