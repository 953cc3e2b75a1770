"""Subject access requests: open one, assemble what the agency holds, redact third parties.

The report is built from the apps' registered SAR sources (governance/registry.py) each time
it is downloaded, as plain data (`sar_report`), then as JSON or as a PDF (WeasyPrint, which
may fetch nothing: case text is user input).
"""

import calendar
import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
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
from governance.registry import SarItem, ThirdPartySource, sar_subjects, third_party_sources

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


def sar_for_user_or_404(*, user: object, pk: int) -> SubjectAccessRequest:
    """The request if it is the IG officer's agency's; anything else is 'not found'."""
    if not is_ig_officer(user):
        raise ObjectDoesNotExist
    return SubjectAccessRequest.objects.get(pk=pk, agency_id=user.agency_id)  # type: ignore[attr-defined]


def sar_open_list(*, agency_id: int) -> list[SubjectAccessRequest]:
    return list(SubjectAccessRequest.objects.filter(agency_id=agency_id, completed_at=None))


@dataclass
class Redactor:
    """Replaces third parties' names in text and logs each replacement (not the name)."""

    patterns: list[tuple[re.Pattern[str], str]]
    log: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def for_subject(
        cls, *, subject: Any, own: set[str], sources: list[ThirdPartySource], agency_id: int
    ) -> "Redactor":
        own_tokens = {token.lower() for name in own for token in name.split()}
        wanted: dict[str, str] = {}
        for source in sources:
            for name in source.names(subject, agency_id):
                name = " ".join((name or "").split())
                if len(name) < 2 or name.lower() in {o.lower() for o in own}:
                    continue
                wanted.setdefault(name.lower(), source.category)
                # A first or last name alone identifies too, unless the subject shares it.
                for token in name.split():
                    if len(token) >= 3 and token.lower() not in own_tokens:
                        wanted.setdefault(token.lower(), source.category)
        # Longest first, so a full name is replaced whole before its parts.
        ordered = sorted(wanted.items(), key=lambda pair: -len(pair[0]))
        patterns = [
            (re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE), category)
            for name, category in ordered
        ]
        return cls(patterns=patterns)

    def text(self, value: str, *, where: dict[str, Any]) -> str:
        for pattern, category in self.patterns:
            value, count = pattern.subn(f"[redacted: {category}]", value)
            if count:
                self.log.append({**where, "category": category, "count": count})
        return value

    def item(self, item: SarItem) -> dict[str, Any]:
        values = {}
        for name, value in item.values.items():
            if isinstance(value, str):
                where = {
                    "section": item.section,
                    "record": f"{item.object_type} {item.object_id}",
                    "field": name,
                    "reason": "third party (UK GDPR art. 15(4), DPA 2018 sch. 2 para. 16)",
                }
                value = self.text(value, where=where)
            values[name] = value
        return {**asdict(item), "values": values}


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
    items = list(subject_decl.collect(subject, request.agency_id))
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
