"""Subject access requests: open one, assemble what the agency holds, redact third parties.

The report is built from the apps' registered SAR sources (governance/registry.py) each time
it is downloaded, as plain data (`sar_report`), then as JSON or as a PDF (WeasyPrint, which
may fetch nothing: case text is user input).
"""

import calendar
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import weasyprint
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from audit.models import AccessEvent
from audit.services import access_event_record
from governance.models import SubjectAccessRequest
from governance.permissions import is_ig_officer
from governance.redaction import Redactor
from governance.registry import (
    sar_collect,
    sar_subjects,
    third_party_sources,
)

ERROR_NOT_IG = "Only the agency's information governance officer handles subject access requests."
ERROR_NO_SUBJECT = "Your agency holds nothing about a record with that number."
STAFF = "staff member"


def _due_on(received_on: dt.date) -> dt.date:
    """One calendar month from receipt (UK GDPR art. 12(3)); the 31st clamps to month end."""
    month = received_on.month % 12 + 1
    year = received_on.year + (received_on.month == 12)
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(received_on.day, last_day))


@transaction.atomic
def sar_open(
    *, actor: User, subject_type: str, subject_id: int, received_on: dt.date
) -> SubjectAccessRequest:
    """Put a request on the IG officer's list, due one month from receipt."""
    if not is_ig_officer(actor):
        raise PermissionDenied(ERROR_NOT_IG)
    subject = sar_subjects().get(subject_type)
    if (
        actor.agency_id is None
        or subject is None
        or subject.find(actor.agency_id, subject_id) is None
    ):
        raise ObjectDoesNotExist(ERROR_NO_SUBJECT)
    request = SubjectAccessRequest.objects.create(
        agency_id=actor.agency_id,
        subject_type=subject_type,
        subject_id=subject_id,
        received_on=received_on,
        due_on=_due_on(received_on),
        created_by=actor,
    )
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.CREATE,
        instance=request,
        detail={"subject_type": subject_type, "subject_id": subject_id},
    )
    return request


@dataclass(frozen=True)
class SubjectMatch:
    subject_type: str
    type_name: str
    subject_id: int
    label: str


def sar_subject_search(*, actor: User, words: str, http_request: Any = None) -> list[SubjectMatch]:
    """The people the IG officer's agency holds whose name matches: to find the subject of a
    request by name, within the agency only. The search is logged like any other."""
    if not is_ig_officer(actor) or actor.agency_id is None:
        raise PermissionDenied(ERROR_NOT_IG)
    matches = [
        SubjectMatch(label, subject.name, pk, text)
        for label, subject in sar_subjects().items()
        if subject.search is not None
        for pk, text in subject.search(actor.agency_id, words)
    ]
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.SEARCH,
        object_type=SubjectAccessRequest._meta.label_lower,
        request=http_request,
        detail={"results": len(matches), "page": "subject access: find the subject"},
    )
    return matches


def sar_for_user_or_404(*, user: object, pk: int) -> SubjectAccessRequest:
    """The request if it is the IG officer's agency's; anything else is 'not found'."""
    if not is_ig_officer(user):
        raise ObjectDoesNotExist
    return SubjectAccessRequest.objects.get(pk=pk, agency_id=user.agency_id)  # type: ignore[attr-defined]


def sar_open_list(*, agency_id: int) -> list[SubjectAccessRequest]:
    return list(SubjectAccessRequest.objects.filter(agency_id=agency_id, completed_at=None))


def _staff_label(event: AccessEvent, disclosed: set[str]) -> str:
    if event.user is None:
        return "system"
    code = getattr(event.agency, "code", "") if event.agency_id else ""
    if code in disclosed:
        return event.user.get_full_name() or event.user.get_username()
    return f"{STAFF} ({code or 'another agency'})"


def sar_report(*, request: SubjectAccessRequest) -> dict[str, Any]:
    """Everything the agency holds about the subject, third parties redacted, with the log."""
    subject_decl = sar_subjects()[request.subject_type]
    subject = subject_decl.find(request.agency_id, request.subject_id)
    if subject is None:  # disposed of since the request was opened
        raise ObjectDoesNotExist(ERROR_NO_SUBJECT)
    own = {name for name in subject_decl.own_names(subject) if name}
    redactor = Redactor.for_subject(
        subject=subject, own=own, sources=third_party_sources(), agency_id=request.agency_id
    )
    items = sar_collect(subject_decl, subject, request.agency_id)
    disclosed = set(settings.CSE_SAR_STAFF_NAMES_DISCLOSED_AGENCIES)
    records = [redactor.item(item) for item in items]
    staff_redacted = 0
    events = []
    by_type: dict[str, set[int]] = {}
    for item in items:
        if item.object_id is not None:
            by_type.setdefault(item.object_type, set()).add(item.object_id)
    about = Q(pk__in=[])
    for object_type, ids in by_type.items():
        about |= Q(object_type=object_type, object_id__in=ids)
    for event in AccessEvent.objects.filter(about).select_related("user", "agency"):
        who = _staff_label(event, disclosed)
        staff_redacted += who.startswith(STAFF)
        events.append(
            {"at": event.at.isoformat(), "who": who, "action": event.get_action_display()}
        )
    redactions = list(redactor.log)
    if staff_redacted:
        redactions.append(
            {
                "section": "Who has looked at the record",
                "field": "who",
                "category": "staff name",
                "count": staff_redacted,
                "reason": "agency policy: staff names withheld",
            }
        )
    return {
        "request": {
            "id": request.pk,
            "agency": request.agency.name,
            "received_on": request.received_on.isoformat(),
            "due_on": request.due_on.isoformat(),
            "produced_at": timezone.now().isoformat(),
        },
        "subject": {"type": subject_decl.name, "id": request.subject_id},
        "records": records,
        "access_events": events,
        "redactions": redactions,
    }


def _refuse_fetch(url: str) -> Any:
    raise ValueError("The subject access report fetches nothing.")


def sar_download(
    *, actor: User, request: SubjectAccessRequest, fmt: str, http_request: Any = None
) -> bytes:
    """The report as JSON or PDF; each download is logged against the request."""
    report = sar_report(request=request)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.DOWNLOAD,
        instance=request,
        request=http_request,
        detail={"format": fmt, "records": len(report["records"])},
    )
    if fmt == "json":
        return json.dumps(report, indent=2, default=str).encode()
    html = render_to_string("governance/sar_pdf.html", {"report": report})
    return weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
