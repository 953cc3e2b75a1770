"""Case documents (issue 17): upload, list and download, owned and shared like every case
record (``permissions.case_document_policy``), through the generic record services.

- Upload: the bytes are checked first (size, type sniffed from the bytes, SHA-256), then
  written to private storage under a random name, then the row is saved and the upload put on
  record in one transaction. If that transaction fails, the written file is removed: a file
  no row names is never left behind.
- Download: access as for the record (404 out of reach); the bytes are read once, checked
  against the SHA-256 taken at upload and only then handed out; each download is on the
  access log as a download of the child's record. A mismatch (or a file gone) is refused,
  logged and put on the access log; the bytes are never served.
- A document deleted with the child's case (retention disposal cascades from the young
  person) takes its file with it, once the deletion is committed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete
from django.http import HttpRequest
from django.utils import timezone

from audit.models import AccessEvent
from audit.services import access_event_record
from cases.chronology import ChronologyEvent, RecordKind, RecordSource, Row, register_records
from cases.models import YoungPerson
from cases.services import CASE_TRUSTED_FIELDS, new_case_record
from cases.services.common import require
from casework import document_files, permissions
from casework.models import CaseDocument
from records.services import RecordType

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

ERROR_INTEGRITY = (
    "This document failed its integrity check (the stored file is not the one uploaded), so "
    "it has not been sent. The problem has been logged for the system administrators."
)


# A stored file no row names is removed after this long (case_document_orphans_remove).
ORPHAN_AGE = dt.timedelta(hours=1)


class DocumentIntegrityError(Exception):
    """The stored file is missing or differs from what was uploaded: never serve it."""


CASE_DOCUMENT: RecordType[CaseDocument] = RecordType(
    model=CaseDocument,
    policy=permissions.case_document_policy,
    fields=("title", "kind", "original_name", "content_type", "size", "sha256", "stored_name"),
    new=new_case_record(CaseDocument),
    trusted_fields=CASE_TRUSTED_FIELDS,
    context=("young_person",),
)


def _display_name(name: str, file_type: document_files.FileType) -> str:
    """The uploader's file name without any folder, ending with the extension of the type
    the bytes really are (a "notes.html" of plain text downloads as "notes.html.txt")."""
    base = PurePath(name.replace("\\", "/")).name.strip() or "document"
    if not base.lower().endswith(f".{file_type.extension}"):
        base = f"{base}.{file_type.extension}"
    return base[-255:]


def case_document_upload(
    *, actor: User, young_person: YoungPerson, title: str, kind: str, upload: Any
) -> CaseDocument:
    """Add a document to the child's case, owned by the actor's agency. ValidationError (on
    ``upload``) for a file too big, empty or of a type not accepted; nothing is written then."""
    require(permissions.young_person_policy.can_add_record(actor, young_person))
    checked = document_files.check_upload(upload)
    stored_name = document_files.store(upload)
    try:
        with transaction.atomic():
            return CASE_DOCUMENT.create(
                actor=actor,
                young_person=young_person,
                title=title.strip(),
                kind=kind,
                original_name=_display_name(upload.name or "", checked.file_type),
                content_type=checked.file_type.content_type,
                size=checked.size,
                sha256=checked.sha256,
                stored_name=stored_name,
            )
    except BaseException:
        # The row was not saved (or its transaction rolled back): the file goes too.
        document_files.remove(stored_name)
        raise


@dataclass(frozen=True)
class DocumentDownload:
    content: bytes
    content_type: str
    filename: str


def case_document_read(
    *, actor: User, document: CaseDocument, request: HttpRequest | None = None
) -> DocumentDownload:
    """The document's bytes for a download, verified against the SHA-256 taken at upload.
    The download is on the access log (a download of the child's record); a missing or
    altered file raises DocumentIntegrityError after logging it, and nothing is served."""
    require(permissions.case_document_policy.can_view(actor, document))
    try:
        content = document_files.read(document.stored_name)
    except FileNotFoundError:
        content = None
    digest = hashlib.sha256(content).hexdigest() if content is not None else ""
    detail: dict[str, Any] = {"young_person": document.young_person_id, "sha256": document.sha256}
    action = AccessEvent.Action.DOWNLOAD
    problem = ""
    if digest != document.sha256:
        problem = "missing" if content is None else "sha256 mismatch"
        logger.error(
            "case document %s refused: %s (stored %s, expected %s, found %s)",
            document.pk,
            problem,
            document.stored_name,
            document.sha256,
            digest or "-",
        )
        action = AccessEvent.Action.OTHER
        detail.update(refused=problem, found=digest)
    with transaction.atomic():
        access_event_record(
            actor=actor, action=action, instance=document, request=request, detail=detail
        )
    if problem or content is None:
        raise DocumentIntegrityError(problem)
    return DocumentDownload(
        content=content,
        content_type=document.content_type,
        filename=document.original_name,
    )


def case_document_orphans_remove(*, older_than: dt.timedelta = ORPHAN_AGE) -> list[str]:
    """Remove stored files that no document names, once older than ``older_than`` (an upload
    in flight is younger). Such a file is left when a transaction around an upload (a caller's,
    outside this module) rolls back after the file was written: nothing else can see it."""
    names = document_files.stored_names()
    named: set[str] = set()
    for start in range(0, len(names), 500):  # bounded statements, however many files
        chunk = names[start : start + 500]
        rows = CaseDocument.objects.filter(stored_name__in=chunk)
        named |= set(rows.values_list("stored_name", flat=True))
    cutoff = timezone.now() - older_than
    removed = []
    for name in sorted(set(names) - named):
        if document_files.storage().get_modified_time(name) < cutoff:
            document_files.remove(name)
            removed.append(name)
    if removed:
        logger.warning("removed %s case document files no document names", len(removed))
    return removed


# --- Reads ---------------------------------------------------------------------------------


def case_document_list(*, user: User, young_person: YoungPerson) -> QuerySet[CaseDocument]:
    """The documents about one young person that the user may see, newest first (one query:
    the owning agency and the uploader come with each row)."""
    return (
        permissions.case_document_policy.visible_to(user)
        .filter(young_person=young_person)
        .select_related("owner_agency", "created_by")
        .order_by("-created_at", "-id")
    )


# --- The file goes with the row ----------------------------------------------------------


def _remove_file_on_commit(sender: type[CaseDocument], instance: CaseDocument, **_: Any) -> None:
    # A signal, not a service: retention disposes of a child's case by deleting the young
    # person, and the database's cascade reaches the documents without any code of ours.
    # The file goes only once the deletion is committed (a rolled-back disposal keeps it).
    name = instance.stored_name
    if name:
        transaction.on_commit(lambda: document_files.remove(name))


post_delete.connect(_remove_file_on_commit, sender=CaseDocument, dispatch_uid="case_document_file")


# --- The chronology source -----------------------------------------------------------------


def _document_events(
    row: Row, urls: Callable[[str], Callable[[int], str]]
) -> list[ChronologyEvent]:
    return [
        ChronologyEvent(
            at=row.time_1,
            kind="Document",
            title=f"Document added: {row.text_1}",
            detail="",
            agency=row.agency,
            # Adding a file is not an event in the child's life; what it records may be,
            # and the note or meeting that refers to it says so.
            significant=False,
            url=urls("casework:document_detail")(row.pk),
        )
    ]


def young_person_documents(*, user: User, young_person: YoungPerson) -> dict[str, QuerySet[Any]]:
    return {
        "documents": permissions.case_document_policy.visible_to(user).filter(
            young_person=young_person
        )
    }


register_records(
    "casework_documents",
    RecordSource(
        kinds={
            "documents": RecordKind(
                {"time_1": "created_at", "text_1": "title", "agency": "owner_agency__short_name"},
                _document_events,
            )
        },
        visible=young_person_documents,
    ),
)
