"""Spreadsheet imports: preview with errors next to their cells, only valid rows imported,
young people matched by the duplicate check, rejected rows downloadable with reasons,
re-import adds nothing, rollback removes exactly the batch."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import User
from audit.models import AccessEvent
from cases import services as case_services
from cases.models import MissingEpisode, Referral, YoungPerson
from imports import services
from imports.models import ColumnMapping, ImportBatch
from tests.imports.conftest import REFERRAL_HEADINGS, csv_file, referral_row

pytestmark = pytest.mark.django_db

COLUMNS = {
    "external_ref": "Ref",
    "first_name": "Forename",
    "last_name": "Surname",
    "date_of_birth": "DOB",
    "sex": "Gender",
    "received_on": "Date received",
    "concerns": "Concerns",
    "initial_risk_level": "Risk",
}


def checked(actor: User, rows: list[list[object]], **kwargs: object) -> ImportBatch:
    batch = services.batch_upload(actor=actor, file=csv_file(rows), kind="referral", **kwargs)
    return services.batch_check(actor=actor, batch=batch, columns=COLUMNS)


def test_the_preview_puts_each_error_next_to_its_cell_and_only_valid_rows_import(
    cfs_manager: User,
) -> None:
    rows = [
        referral_row(1),
        referral_row(2, received="31/02/2025"),  # no such date
        referral_row(3, risk="Extreme"),
        # A date in the future: the services' own rule, shown in the preview.
        referral_row(4, received=f"{timezone.localdate() + dt.timedelta(days=30):%d/%m/%Y}"),
    ]
    batch = checked(cfs_manager, rows)
    assert (batch.total_rows, batch.valid_rows) == (4, 1)
    errors = {row.number: row.errors for row in batch.rows.all()}
    assert errors[2] == {}
    assert set(errors[3]) == {"Date received"} and "31/03/2025" in errors[3]["Date received"]
    assert set(errors[4]) == {"Risk"}
    assert "Date received" in errors[5]
    assert not Referral.objects.exists()  # the preview imports nothing
    services.batch_commit(actor=cfs_manager, batch=batch)
    referral = Referral.objects.get()
    assert referral.received_on == dt.date(2025, 3, 31)  # 31/03/2025 read the UK way
    assert referral.created_by == cfs_manager and referral.external_ref == "R-1"
    assert referral.young_person.first_name == "Child1"


def test_rejected_rows_download_with_their_reasons(cfs_manager: User) -> None:
    batch = checked(cfs_manager, [referral_row(1), referral_row(2, risk="=cmd()")])
    services.batch_commit(actor=cfs_manager, batch=batch)
    client = Client()
    client.force_login(cfs_manager)
    response = client.get(f"/imports/{batch.pk}/rejected.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Row", *REFERRAL_HEADINGS, "Reasons"]
    assert len(rows) == 2 and rows[1][0] == "3"
    assert rows[1][8] == "'=cmd()" and rows[1][-1].startswith("Risk: Use one of")
    assert AccessEvent.objects.filter(action="download", object_type="imports.importbatch").exists()


def test_reimporting_the_same_file_adds_nothing(cfs_manager: User) -> None:
    rows = [referral_row(n) for n in range(5)]
    services.batch_commit(actor=cfs_manager, batch=checked(cfs_manager, rows))
    assert (Referral.objects.count(), YoungPerson.objects.count()) == (5, 5)
    again = services.batch_commit(actor=cfs_manager, batch=checked(cfs_manager, rows))
    assert (again.created_records, again.unchanged_records) == (0, 5)
    assert (Referral.objects.count(), YoungPerson.objects.count()) == (5, 5)


def test_rows_without_a_reference_are_found_again_by_their_content(cfs_manager: User) -> None:
    rows = [["", *referral_row(n)[1:]] for n in range(3)]
    services.batch_commit(actor=cfs_manager, batch=checked(cfs_manager, rows))
    services.batch_commit(actor=cfs_manager, batch=checked(cfs_manager, rows))
    assert Referral.objects.count() == 3


def test_young_people_exact_match_links_and_a_likely_match_waits_for_a_decision(
    cfs_manager: User, cfs_practitioner: User
) -> None:
    known = case_services.young_person_create(
        actor=cfs_practitioner,
        first_name="Child1",
        last_name="Imported",
        sex="female",
        date_of_birth=dt.date(2012, 2, 14),
    )
    likely = referral_row(2)
    likely[1], likely[2] = "Chyld1", "Imported"  # same date of birth, a similar name
    batch = checked(cfs_manager, [referral_row(1), likely])
    statuses = {row.number: row.status for row in batch.rows.all()}
    assert statuses == {2: "valid", 3: "decide"}
    flagged = batch.rows.get(number=3)
    assert "already held (Children and Families Service)" in flagged.errors["row"] or flagged.errors
    services.batch_commit(actor=cfs_manager, batch=batch)
    assert Referral.objects.get().young_person == known  # linked, not duplicated
    assert YoungPerson.objects.count() == 1  # the likely match was not guessed


def test_a_decision_on_a_likely_match_makes_the_row_importable(cfs_manager: User) -> None:
    case_services.young_person_create(
        actor=cfs_manager,
        first_name="Jon",
        last_name="Imported",
        sex="male",
        date_of_birth=dt.date(2012, 2, 14),
    )
    row = referral_row(1)
    row[1] = "John"
    batch = checked(cfs_manager, [row])
    decide = batch.rows.get()
    assert decide.status == "decide"
    services.row_decide(actor=cfs_manager, row=decide, young_person=None)
    services.batch_commit(actor=cfs_manager, batch=ImportBatch.objects.get(pk=batch.pk))
    assert YoungPerson.objects.filter(first_name="John").exists()


def test_rollback_removes_exactly_the_batch_and_only_within_a_day(
    cfs_manager: User, cfs_practitioner: User
) -> None:
    before = case_services.young_person_create(
        actor=cfs_practitioner,
        first_name="Before",
        last_name="Import",
        sex="male",
        date_of_birth=dt.date(2011, 1, 1),
    )
    case_services.referral_create(
        actor=cfs_practitioner,
        young_person=before,
        received_on=dt.date(2025, 1, 1),
        concerns="x",
        initial_risk_level="mild",
    )
    batch = services.batch_commit(
        actor=cfs_manager, batch=checked(cfs_manager, [referral_row(n) for n in range(4)])
    )
    # Someone records more about one imported child: that child stays after the rollback.
    kept = YoungPerson.objects.get(first_name="Child0")
    case_services.referral_create(
        actor=cfs_practitioner,
        young_person=kept,
        received_on=dt.date(2025, 4, 1),
        concerns="later",
        initial_risk_level="mild",
    )
    services.batch_rollback(actor=cfs_manager, batch=batch)
    assert set(Referral.objects.values_list("concerns", flat=True)) == {"x", "later"}
    assert set(YoungPerson.objects.values_list("first_name", flat=True)) == {"Before", "Child0"}
    late = services.batch_commit(actor=cfs_manager, batch=checked(cfs_manager, [referral_row(9)]))
    with time_machine.travel(timezone.now() + dt.timedelta(days=1, minutes=1)):
        with pytest.raises(ValidationError):
            services.batch_rollback(actor=cfs_manager, batch=late)


def test_a_saved_mapping_is_reused_for_the_next_file(cfs_manager: User) -> None:
    mapping = services.mapping_save(
        actor=cfs_manager, kind="referral", name="Police export", columns=COLUMNS
    )
    batch = services.batch_upload(
        actor=cfs_manager, file=csv_file([referral_row(1)]), kind="referral", mapping=mapping
    )
    assert batch.columns == COLUMNS
    assert ColumnMapping.objects.get().agency == cfs_manager.agency


def test_xlsx_missing_episodes_with_dates_and_times(cfs_manager: User) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "First name",
            "Last name",
            "Date of birth",
            "Sex",
            "Missing from",
            "Located at",
            "Category",
            "Placement type",
        ]
    )
    sheet.append(
        [
            "Xl",
            "Sheet",
            dt.datetime(2011, 5, 6),
            "Female",
            "30/03/2025 22:15",
            dt.datetime(2025, 3, 31, 9, 0),
            "Missing: high risk",
            "residential",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("episodes.xlsx", buffer.getvalue())
    batch = services.batch_upload(actor=cfs_manager, file=upload, kind="missing_episode")
    assert len(batch.columns) == 8  # every heading named its field
    batch = services.batch_check(actor=cfs_manager, batch=batch, columns=batch.columns)
    assert batch.valid_rows == 1, list(batch.rows.values("errors"))
    services.batch_commit(actor=cfs_manager, batch=batch)
    episode = MissingEpisode.objects.get()
    assert timezone.localtime(episode.missing_from).strftime("%d/%m %H:%M") == "30/03 22:15"
    assert episode.category == "missing_high"


def test_imports_are_for_agency_managers_and_their_own_agency(
    cfs_manager: User, cfs_practitioner: User, police_manager: User
) -> None:
    batch = checked(cfs_manager, [referral_row(1)])
    practitioner, other = Client(), Client()
    practitioner.force_login(cfs_practitioner)
    other.force_login(police_manager)
    assert practitioner.get("/imports/").status_code == 404
    for url in (f"/imports/{batch.pk}/", f"/imports/{batch.pk}/rejected.csv"):
        assert other.get(url).status_code == 404
    assert other.post(f"/imports/{batch.pk}/import/").status_code == 404
    assert not Referral.objects.exists()
