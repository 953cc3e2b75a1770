"""Synthetic casework for the demo: IRDs with their participants and action plans, and case
notes, about the demo's young people, so "My tasks", the IRD pages and the conference
chronology have something to show. Written through the services (access checks, history and
the access log as in real use); deterministic for a given random generator."""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import YoungPerson
from casework import case_life, documents, services
from casework.models import AgencyCase, CaseDocument, CaseNote, Ird
from casework.safety_plan import (
    PlanContent,
    ProtectiveAction,
    safety_plan_create,
    safety_plan_review,
)
from casework.services import Participant
from partnership.models import Agency
from partnership.roles import Role

SIZES = {"small": 24, "large": 600}  # young people with an IRD
CONCERNS = (
    "Seen getting into cars with older males near the bus station after school.",
    "Reported missing three times in a month; returned with alcohol and a new phone.",
    "School reports a much older 'boyfriend' collecting her; she will not give his name.",
    "Images shared on Snapchat; friends say she is being asked for more.",
)
ACTIONS = (
    "Check school attendance for the last term and share it with social work.",
    "Arrange a sexual health appointment and offer a trusted adult to attend.",
    "Run PNC and intelligence checks on the vehicle seen at the flat.",
    "Complete a return discussion with the young person within 72 hours.",
    "Visit the family home and speak with the carers about the concerns.",
)
TEAMS = ("North locality team", "East locality team", "Looked-after children team")
RISKS = (
    "Contact with older males met online; goes missing at weekends and returns with gifts.",
    "Being collected from the residential unit by unknown adults in cars at night.",
)
PROTECTIVE = (
    ("Agree a safe word and a trusted adult to call when she is worried.", "Allocated worker"),
    ("Return discussion within 72 hours of every missing episode.", "Residential unit"),
    ("Disrupt the adults seen at the flat (child abduction warning notices).", "Police"),
    ("Weekly check-in with the school guidance teacher.", "Education"),
)
NOTES = (
    "Met at school. Quiet, would not talk about the weekend.",
    "Phone call with mother: she found a second phone in the bedroom.",
    "Home visit. Disclosed being given vodka at a flat by older males.",
    "Spoke with the school guidance teacher about late arrivals.",
)


def seed_casework(*, size: str, rng: random.Random, progress: bool = False) -> str:
    """IRDs and notes for children whose case CFS holds. Skips when IRDs exist already."""
    if Ird.objects.exists():
        return "already seeded"
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    people = _caseworkers()
    author = people.get("cfs")
    if author is None or not {"police", "nhs"} <= set(people):
        return "no CFS, police and NHS practitioners to hold the discussions"
    young_people = list(
        YoungPerson.objects.filter(owner_agency=agencies["cfs"]).order_by("id")[: SIZES[size]]
    )
    if not young_people:
        return "no young people held by CFS: run the cases seeder first"
    with transaction.atomic():
        for young_person in young_people:
            _seed_child(young_person, author=author, people=people, agencies=agencies, rng=rng)
        for young_person in young_people[:DOCUMENT_CHILDREN]:
            _seed_documents(young_person, author=author)
    return (
        f"{len(young_people)} IRDs with actions and notes, agency cases and safety plans, "
        f"documents for {min(len(young_people), DOCUMENT_CHILDREN)}"
    )


# --- Documents: a couple of small files, made here (no sample file is shipped) -------------

DOCUMENT_CHILDREN = 3


def tiny_pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing ``lines`` in Helvetica (a few hundred bytes, valid xref)."""
    text = " T* ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj"
        for line in lines
    )
    stream = f"BT /F1 11 Tf 14 TL 56 780 Td {text} ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _seed_documents(young_person: YoungPerson, *, author: User) -> None:
    """Minutes of the strategy discussion (a PDF) and a letter from school (plain text)."""
    name = young_person.full_name
    minutes = tiny_pdf(
        [
            "OFFICIAL-SENSITIVE",
            f"Strategy discussion about {name} (synthetic demo data)",
            "Present: social work, police, health.",
            "Agreed: joint visit this week; school to report absences the same day.",
        ]
    )
    letter = (
        f"Dear social worker,\n\n{name} has been late on four mornings this month and was "
        "collected at lunchtime by an adult we did not know.\n\nGuidance teacher\n"
        "(synthetic demo data)\n"
    ).encode()
    for title, kind, file_name, content in (
        ("Strategy discussion minutes", CaseDocument.Kind.MINUTES, "minutes.pdf", minutes),
        ("Letter from school", CaseDocument.Kind.LETTER, "school-letter.txt", letter),
    ):
        documents.case_document_upload(
            actor=author,
            young_person=young_person,
            title=title,
            kind=kind,
            upload=SimpleUploadedFile(file_name, content),
        )


def _caseworkers() -> dict[str, User]:
    """One practitioner per agency (the demo accounts), to write and to be given actions."""
    found: dict[str, User] = {}
    for user in (
        User.objects.filter(groups__name=Role.PRACTITIONER.value, is_active=True)
        .select_related("agency")
        .order_by("id")
    ):
        if user.agency is not None:
            found.setdefault(user.agency.code, user)
    return found


def _seed_child(
    young_person: YoungPerson,
    *,
    author: User,
    people: dict[str, User],
    agencies: dict[str, Agency],
    rng: random.Random,
) -> None:
    now = timezone.now()
    held_at = now - dt.timedelta(days=rng.randint(3, 60), hours=rng.randint(0, 8))
    taking_part = ["cfs", "police", "nhs"] + (["education"] if rng.random() < 0.5 else [])
    ird = services.ird_create(
        actor=author,
        young_person=young_person,
        participants=[
            Participant(
                agency=agencies[code],
                name=people[code].get_full_name() if code in people else f"{code} lead",
                information_summary=rng.choice(CONCERNS),
            )
            for code in taking_part
            if code in agencies
        ],
        held_at=held_at,
        concerns=rng.choice(CONCERNS),
        decision=rng.choice(Ird.Decision.values),
        reasons="Together the agencies' information shows a risk of sexual exploitation.",
        childs_views_obtained=rng.random() < 0.7,
        carers_views_obtained=rng.random() < 0.6,
        chronology_considered=True,
    )
    for code in rng.sample(["police", "nhs", "cfs"], k=rng.randint(1, 3)):
        services.ird_action_create(
            actor=author,
            ird=ird,
            description=rng.choice(ACTIONS),
            agency=agencies[code],
            assigned_to=people.get(code),
            due_on=timezone.localdate() + dt.timedelta(days=rng.randint(-10, 21)),
        )
    for _ in range(rng.randint(1, 3)):
        services.case_note_create(
            actor=author,
            young_person=young_person,
            contact_type=rng.choice(CaseNote.ContactType.values),
            contact_at=held_at + dt.timedelta(days=rng.randint(0, 2), hours=rng.randint(1, 6)),
            narrative=rng.choice(NOTES),
            significant=rng.random() < 0.4,
        )
    _seed_case_and_plan(young_person, author=author, rng=rng)


def _seed_case_and_plan(young_person: YoungPerson, *, author: User, rng: random.Random) -> None:
    """CFS's case of the child, allocated to a team; a safety plan for most, a few reviewed
    once (two versions), and a few cases closed."""
    case = case_life.agency_case_open(actor=author, young_person=young_person)
    case_life.agency_case_allocate(
        actor=author, case=case, allocated_worker=author, team=rng.choice(TEAMS)
    )
    if rng.random() < 0.15:
        case_life.agency_case_close(actor=author, case=case, reason=_close_reason(rng))
        return
    if rng.random() < 0.25:
        return
    today = timezone.localdate()

    def content(weeks: int) -> PlanContent:
        chosen = rng.sample(PROTECTIVE, k=rng.randint(2, 3))
        return PlanContent(
            risks=rng.choice(RISKS),
            review_on=today + dt.timedelta(weeks=weeks),
            actions=[
                ProtectiveAction(
                    description=text, owner=owner, due_on=today + dt.timedelta(days=14)
                )
                for text, owner in chosen
            ],
            childs_views="Wants to stay at the unit; does not want police at the door.",
            carers_views="Staff worry about the weekends most.",
        )

    plan = safety_plan_create(actor=author, young_person=young_person, content=content(6))
    if rng.random() < 0.3:
        safety_plan_review(actor=author, plan=plan, content=content(rng.randint(1, 8)))


def _close_reason(rng: random.Random) -> str:
    return rng.choice(AgencyCase.ClosureReason.values)
