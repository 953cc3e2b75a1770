"""The casework demo seeder: IRDs, actions and notes through the services; safe twice."""

import datetime as dt
import hashlib
import io
import random
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from cases import services as case_services
from casework import document_files, selectors
from casework.demo import seed_casework
from casework.models import AgencyCase, CaseDocument, CaseNote, Ird, IrdAction

pytestmark = pytest.mark.django_db


def test_seed_casework_gives_the_pages_something_to_show(
    cfs_practitioner: User,
    police_practitioner: User,
    nhs_practitioner: User,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.CSE_PRIVATE_STORAGE_ROOT = tmp_path
    assert seed_casework(size="small", rng=random.Random(1)).startswith("no young people")
    for number in range(3):
        case_services.young_person_create(
            actor=cfs_practitioner,
            first_name="Demo",
            last_name=f"Child{number}",
            date_of_birth=timezone.localdate() - dt.timedelta(days=14 * 365),
            sex="female",
        )
    assert seed_casework(size="small", rng=random.Random(1)) == (
        "3 IRDs with actions and notes, agency cases and safety plans, documents for 3"
    )
    assert Ird.objects.count() == 3 and CaseNote.objects.exists()
    # Two small documents a child, whose stored bytes match what was recorded of them.
    assert CaseDocument.objects.count() == 6
    for document in CaseDocument.objects.all():
        content = document_files.read(document.stored_name)
        assert hashlib.sha256(content).hexdigest() == document.sha256
    minutes = CaseDocument.objects.filter(content_type="application/pdf").first()
    assert minutes is not None
    pdf = PdfReader(io.BytesIO(document_files.read(minutes.stored_name)))
    assert "Strategy discussion about Demo" in pdf.pages[0].extract_text()
    assert IrdAction.objects.filter(assigned_to__isnull=False).exists()
    cases = AgencyCase.objects.filter(agency__code="cfs")
    assert cases.count() == 3 and all(case.team for case in cases)
    assert seed_casework(size="small", rng=random.Random(1)) == "already seeded"
    everyone = [cfs_practitioner, police_practitioner, nhs_practitioner]
    assert sum(len(selectors.my_tasks(user=user).actions) for user in everyone) > 0
