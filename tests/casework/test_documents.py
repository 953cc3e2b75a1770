"""Case documents, tested as someone trying to get at them: another agency gets 404 and never
sees a document in a list or a count; the agency the case is shared with downloads it; a file
altered on disk is refused and logged; a file too big or of the wrong type is refused next to
the field and leaves nothing on disk; every download is on the access log; the list page runs
a fixed number of queries."""

import hashlib
import io
import logging
import os
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from accounts.models import User
from audit.models import AccessEvent
from audit.retention import record_dispose
from cases.chronology import young_person_chronology
from cases.models import YoungPerson
from cases.services import case_share
from casework import document_files, documents
from casework.models import CaseDocument
from casework.tasks import case_document_orphans_remove_task
from governance.registry import sar_collect, sar_subjects
from partnership.models import Agency
from tests.cases.conftest import client_for
from tests.casework.test_case_life import _queries

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)
TEXT = b"Strategy meeting notes.\nAgreed: school to report absences the same day.\n"


@pytest.fixture(autouse=True)
def private_root(settings: Any, tmp_path: Path) -> Path:
    """Each test has its own private storage folder, so "nothing left on disk" is exact."""
    settings.CSE_PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return tmp_path / "private"


def _zip(members: dict[str, bytes]) -> bytes:
    """The same bytes on every run: the members carry a fixed date, not the clock's (the
    bytes name the parametrized tests, which pytest-xdist's workers must collect alike)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as container:
        for name, content in members.items():
            member = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            member.external_attr = 0o600 << 16  # as writestr(name, ...) sets it
            container.writestr(member, content)
    return buffer.getvalue()


def _upload(
    actor: User,
    young_person: YoungPerson,
    content: bytes = PDF,
    *,
    name: str = "report.pdf",
    title: str = "Police statement",
) -> CaseDocument:
    return documents.case_document_upload(
        actor=actor,
        young_person=young_person,
        title=title,
        kind=CaseDocument.Kind.REPORT,
        upload=SimpleUploadedFile(name, content),
    )


def _share(young_person: YoungPerson, manager: User, code: str) -> None:
    case_share(
        actor=manager,
        young_person=young_person,
        agency=Agency.objects.get(code=code),
        lawful_basis="child_protection",
        reason="Joint enquiry.",
    )


def _refused(response: Any, message: str) -> None:
    """The form came back with ``message`` next to the file field, and nothing was kept."""
    assert response.status_code == 200
    html = response.content.decode()
    assert '<p id="id_upload-error" class="govuk-error-message">' in html and message in html
    assert "govuk-file-upload--error" in html and 'href="#id_upload"' in html
    assert not CaseDocument.objects.exists() and document_files.stored_names() == []


def _post(user: User, young_person: YoungPerson, upload: SimpleUploadedFile) -> Any:
    return client_for(user).post(
        reverse("casework:document_upload", args=[young_person.pk]),
        {"title": "Letter from school", "kind": "letter", "upload": upload},
    )


# --- Out of reach --------------------------------------------------------------------------


def test_another_agency_gets_404_and_never_sees_the_document(
    young_person: YoungPerson, cfs_practitioner: User, nhs_practitioner: User
) -> None:
    document = _upload(cfs_practitioner, young_person)
    outsider = client_for(nhs_practitioner)  # the case is not shared with health
    for name, pk in (
        ("casework:document_detail", document.pk),
        ("casework:document_download", document.pk),
        ("casework:document_list", young_person.pk),
        ("casework:document_upload", young_person.pk),
    ):
        response = outsider.get(reverse(name, args=[pk]))
        assert response.status_code == 404, name
        assert PDF not in response.content
    # Same answer as a document that does not exist.
    missing = outsider.get(reverse("casework:document_download", args=[document.pk + 1000]))
    assert missing.status_code == 404
    # Not in what the policy lets the agency list or count, nor in its chronology.
    policy = documents.permissions.case_document_policy
    assert not policy.visible_to(nhs_practitioner).exists()
    assert sum(part.count() for part in policy.visible_parts(nhs_practitioner)) == 0
    assert (
        documents.case_document_list(user=nhs_practitioner, young_person=young_person).count() == 0
    )
    assert not AccessEvent.objects.filter(
        object_type="casework.casedocument", user=nhs_practitioner
    ).exists()


def test_an_outsiders_upload_to_a_case_it_cannot_see_writes_nothing(
    young_person: YoungPerson, nhs_practitioner: User, private_root: Path
) -> None:
    response = _post(nhs_practitioner, young_person, SimpleUploadedFile("a.pdf", PDF))
    assert response.status_code == 404
    assert not CaseDocument.objects.exists() and document_files.stored_names() == []


# --- Shared case ---------------------------------------------------------------------------


def test_the_agency_the_case_is_shared_with_downloads_it_and_the_download_is_logged(
    young_person: YoungPerson,
    cfs_practitioner: User,
    cfs_manager: User,
    police_practitioner: User,
) -> None:
    _share(young_person, cfs_manager, "police")
    document = _upload(cfs_practitioner, young_person)
    client = client_for(police_practitioner)
    listed = client.get(reverse("casework:document_list", args=[young_person.pk]))
    assert "Police statement" in listed.content.decode()
    response = client.get(reverse("casework:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    event = AccessEvent.objects.get(action=AccessEvent.Action.DOWNLOAD)
    assert event.user == police_practitioner and event.object_id == document.pk
    assert event.object_type == "casework.casedocument"
    assert event.detail["young_person"] == young_person.pk
    assert event.detail["sha256"] == hashlib.sha256(PDF).hexdigest()
    # The shared agency may read it, not add to the owner's record of it.
    assert not documents.permissions.case_document_policy.can_edit(police_practitioner, document)


def test_the_detail_page_is_a_logged_view(
    young_person: YoungPerson, cfs_practitioner: User
) -> None:
    document = _upload(cfs_practitioner, young_person)
    page = client_for(cfs_practitioner).get(reverse("casework:document_detail", args=[document.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert document.sha256 in html
    assert reverse("casework:document_download", args=[document.pk]) in html
    assert AccessEvent.objects.filter(
        action=AccessEvent.Action.VIEW, object_type="casework.casedocument"
    ).exists()


# --- Integrity -------------------------------------------------------------------------------


def test_a_file_altered_on_disk_is_refused_and_logged(
    young_person: YoungPerson,
    cfs_practitioner: User,
    private_root: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    document = _upload(cfs_practitioner, young_person)
    stored = private_root / "case-documents" / document.stored_name
    stored.write_bytes(PDF.replace(b"Catalog", b"Catalug"))
    with caplog.at_level(logging.ERROR, logger="casework.documents"):
        response = client_for(cfs_practitioner).get(
            reverse("casework:document_download", args=[document.pk])
        )
    assert response.status_code == 500
    assert b"Catalug" not in response.content and b"%PDF" not in response.content
    assert "failed its integrity check" in response.content.decode()
    assert "sha256 mismatch" in caplog.text
    refused = AccessEvent.objects.get(action=AccessEvent.Action.OTHER)
    assert refused.object_id == document.pk and refused.detail["refused"] == "sha256 mismatch"
    assert not AccessEvent.objects.filter(action=AccessEvent.Action.DOWNLOAD).exists()


def test_a_file_gone_from_disk_is_refused_and_logged(
    young_person: YoungPerson, cfs_practitioner: User, private_root: Path
) -> None:
    document = _upload(cfs_practitioner, young_person)
    (private_root / "case-documents" / document.stored_name).unlink()
    response = client_for(cfs_practitioner).get(
        reverse("casework:document_download", args=[document.pk])
    )
    assert response.status_code == 500
    assert AccessEvent.objects.get(action=AccessEvent.Action.OTHER).detail["refused"] == "missing"


# --- Storage ---------------------------------------------------------------------------------


def test_the_file_is_stored_privately_under_a_random_name(
    young_person: YoungPerson, cfs_practitioner: User, private_root: Path, settings: Any
) -> None:
    document = _upload(cfs_practitioner, young_person, name="../../Kayleigh statement.pdf")
    assert document_files.stored_names() == [document.stored_name]
    assert "Kayleigh" not in document.stored_name and len(document.stored_name) == 32
    assert (private_root / "case-documents" / document.stored_name).read_bytes() == PDF
    assert document.original_name == "Kayleigh statement.pdf"  # no folders
    assert document.size == len(PDF) and document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.created_by == cfs_practitioner
    assert document.history.get().history_user == cfs_practitioner
    assert AccessEvent.objects.filter(
        action=AccessEvent.Action.CREATE, object_type="casework.casedocument"
    ).exists()
    # Nowhere a static or media URL could reach.
    root = private_root.resolve()
    for served in (settings.STATIC_ROOT, *settings.STATICFILES_DIRS):
        assert not root.is_relative_to(Path(served).resolve())


def test_a_failed_transaction_removes_the_written_file(
    young_person: YoungPerson,
    cfs_practitioner: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the access log is down")

    monkeypatch.setattr("records.services.access_event_record", broken)
    with pytest.raises(RuntimeError):
        _upload(cfs_practitioner, young_person)
    assert not CaseDocument.objects.exists()
    assert document_files.stored_names() == []


def test_files_no_document_names_are_swept_once_old(
    young_person: YoungPerson, cfs_practitioner: User, private_root: Path, settings: Any
) -> None:
    document = _upload(cfs_practitioner, young_person)
    folder = private_root / "case-documents"
    old, fresh = folder / ("a" * 32), folder / ("b" * 32)
    old.write_bytes(PDF)
    fresh.write_bytes(PDF)
    two_hours_ago = time.time() - 2 * 3600
    os.utime(old, (two_hours_ago, two_hours_ago))
    os.utime(folder / document.stored_name, (two_hours_ago, two_hours_ago))
    assert case_document_orphans_remove_task.delay().get() == 1  # the daily task
    assert document_files.stored_names() == sorted([document.stored_name, fresh.name])
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "casework.tasks.case_document_orphans_remove_task" in beat


def test_disposing_of_the_case_removes_the_file_once_committed(
    young_person: YoungPerson,
    cfs_practitioner: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    document = _upload(cfs_practitioner, young_person)
    with django_capture_on_commit_callbacks(execute=True):
        record_dispose(instance=young_person)
    assert not CaseDocument.objects.filter(pk=document.pk).exists()
    assert document_files.stored_names() == []


# --- What is accepted -------------------------------------------------------------------------

DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": document_files.ODT_MIMETYPE, "content.xml": b"<office:document/>"})


@pytest.mark.parametrize(
    ("content", "name", "content_type", "stored_as"),
    [
        (PDF, "a.pdf", "application/pdf", "a.pdf"),
        (PNG, "scan.png", "image/png", "scan.png"),
        (b"\xff\xd8\xff\xe0" + bytes(20), "photo.jpeg", "image/jpeg", "photo.jpeg.jpg"),
        (DOCX, "letter.docx", document_files.DOCX.content_type, "letter.docx"),
        (XLSX, "visits.xlsx", document_files.XLSX.content_type, "visits.xlsx"),
        (ODT, "minutes.odt", document_files.ODT.content_type, "minutes.odt"),
        (TEXT, "notes.txt", "text/plain; charset=utf-8", "notes.txt"),
        # The name and the browser do not decide: the bytes do.
        (PNG, "statement.pdf", "image/png", "statement.pdf.png"),
        (b"<script>alert(1)</script>\n", "page.html", "text/plain; charset=utf-8", "page.html.txt"),
    ],
)
def test_the_type_is_sniffed_from_the_bytes(
    young_person: YoungPerson,
    cfs_practitioner: User,
    content: bytes,
    name: str,
    content_type: str,
    stored_as: str,
) -> None:
    document = _upload(cfs_practitioner, young_person, content, name=name)
    assert document.content_type == content_type and document.original_name == stored_as
    response = client_for(cfs_practitioner).get(
        reverse("casework:document_download", args=[document.pk])
    )
    assert response["Content-Type"] == content_type and response.content == content


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03" + bytes(60),  # a Windows program
        b"\x7fELF\x02\x01\x01" + bytes(30),
        _zip({"payload.exe": b"MZ"}),  # a ZIP that is no office document
        b"GIF89a\x01\x00\x01\x00" + bytes(20),
        b"text with a NUL\x00 inside",
        "Latin-1 caf\xe9".encode("latin-1"),
    ],
)
def test_any_other_type_is_refused_next_to_the_field_and_nothing_is_kept(
    young_person: YoungPerson, cfs_practitioner: User, content: bytes
) -> None:
    upload = SimpleUploadedFile("report.pdf", content, content_type="application/pdf")
    _refused(_post(cfs_practitioner, young_person, upload), "The file must be a PDF")


def test_a_file_too_big_is_refused_next_to_the_field_and_nothing_is_kept(
    young_person: YoungPerson, cfs_practitioner: User, settings: Any
) -> None:
    settings.CSE_DOCUMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", PDF + bytes(2000))
    _refused(_post(cfs_practitioner, young_person, upload), "must be smaller than 1024 bytes")


def test_no_file_and_an_empty_file_are_field_errors(
    young_person: YoungPerson, cfs_practitioner: User
) -> None:
    url = reverse("casework:document_upload", args=[young_person.pk])
    nothing = client_for(cfs_practitioner).post(url, {"title": "x", "kind": "other"})
    assert "Select a file to upload." in nothing.content.decode()
    empty = SimpleUploadedFile("e.pdf", b"")
    _refused(_post(cfs_practitioner, young_person, empty), "The selected file is empty.")


def test_the_upload_form_is_multipart_govuk_markup_and_uploads(
    young_person: YoungPerson, cfs_practitioner: User
) -> None:
    url = reverse("casework:document_upload", args=[young_person.pk])
    client = client_for(cfs_practitioner)
    html = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'data-module="govuk-file-upload"' in html
    assert 'class="govuk-file-upload"' in html and 'aria-describedby="id_upload-hint"' in html
    assert '<label class="govuk-label govuk-label--s" for="id_upload">' in html
    response = _post(cfs_practitioner, young_person, SimpleUploadedFile("school.txt", TEXT))
    document = CaseDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:document_detail", args=[document.pk])
    assert document.kind == "letter" and document.owner_agency == cfs_practitioner.agency


# --- Lists, chronology, subject access -------------------------------------------------------


def _list_queries(user: User, young_person: YoungPerson) -> int:
    return _queries(user, reverse("casework:document_list", args=[young_person.pk]))


def test_the_list_runs_a_fixed_number_of_queries(
    young_person: YoungPerson,
    cfs_practitioner: User,
    cfs_manager: User,
    police_practitioner: User,
) -> None:
    _share(young_person, cfs_manager, "police")
    _upload(cfs_practitioner, young_person)
    few = _list_queries(police_practitioner, young_person)
    for number in range(12):
        _upload(police_practitioner, young_person, TEXT, name=f"n{number}.txt", title=f"N {number}")
    _upload(cfs_manager, young_person, PNG, name="scan.png")
    assert _list_queries(police_practitioner, young_person) == few
    assert few == LIST_QUERIES[connection.vendor]


# Session, user and roles; the child; the header's task count and the user's agency; the
# documents (owner and uploader joined, the share check inside the same query); the session
# saved (a statement more on SQLite than on PostgreSQL). None grows with the rows.
LIST_QUERIES = {"postgresql": 9, "sqlite": 10}


def test_documents_are_in_the_chronology_of_those_who_see_them_and_in_subject_access(
    young_person: YoungPerson, cfs_practitioner: User, nhs_practitioner: User
) -> None:
    document = _upload(cfs_practitioner, young_person)
    events = young_person_chronology(user=cfs_practitioner, young_person=young_person)
    assert [e.title for e in events if e.kind == "Document"] == ["Document added: Police statement"]
    assert not any(
        e.kind == "Document"
        for e in young_person_chronology(user=nhs_practitioner, young_person=young_person)
    )
    subject = sar_subjects()["cases.youngperson"]
    agency_id = cfs_practitioner.agency_id
    assert agency_id is not None
    items = sar_collect(subject, young_person, agency_id)
    found = [item for item in items if item.object_type == "casework.casedocument"]
    assert found and found[0].values["title"] == "Police statement"
    assert found[0].object_id == document.pk
