"""A subject access request for a demo young person discloses no other child.

The demo seeders make hundreds of children (with shares and MAOG networks);
then the subject's records are written the way practitioners write them, naming other
children in narratives, a missing episode, a case note that goes into the chronology, a
share, an allegation and a person of concern linked to several children. Both the JSON and
the text of the PDF are then checked against the name of every other young person in the
database, and the redaction log must account for what was withheld and why.
"""

import datetime as dt
import json
import random
import re
import shutil
import subprocess
from typing import Any

import pytest
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.chronology import young_person_chronology
from cases.demo import seed_cases
from cases.models import CaseShare, MissingEpisode, Referral, YoungPerson
from casework.models import CaseNote
from governance.models import SubjectAccessRequest
from maog.demo import seed_intel
from maog.models import Allegation, Link, PersonOfConcern
from partnership.models import Agency

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")


def _normalised(text: str) -> str:
    """One line of lower-case words: a name split across lines or cells still matches."""
    return " ".join(text.split()).lower()


def _pdf_text(pdf: bytes, tmp_path: Any) -> str:
    if PDFTOTEXT:
        path = tmp_path / "report.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(  # noqa: S603 - a fixed tool on a file of ours
            [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, check=True
        )
        return done.stdout.decode()
    pypdf = pytest.importorskip("pypdf")
    import io

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _has_name(text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(_normalised(name))}(?!\w)", text) is not None


def _demo_subject(agency: Agency) -> YoungPerson:
    """A CFS demo child whose full name no other child shares (a twin name is not a leak)."""
    unique = (
        YoungPerson.objects.values("first_name", "last_name")
        .annotate(n=Count("id"))
        .filter(n=1)
        .values_list("first_name", "last_name")
    )
    names = set(unique)
    candidates = YoungPerson.objects.filter(owner_agency=agency).order_by("pk")
    return next(c for c in candidates if (c.first_name, c.last_name) in names)


def _others_not_sharing(subject: YoungPerson, count: int) -> list[YoungPerson]:
    """Other children whose first and last names are both unlike the subject's."""
    return list(
        YoungPerson.objects.exclude(pk=subject.pk)
        .exclude(first_name__iexact=subject.first_name)
        .exclude(last_name__iexact=subject.last_name)
        .order_by("-pk")[:count]
    )


@pytest.fixture
def demo_world(
    cfs_practitioner: User, police_practitioner: User, nhs_practitioner: User, maog_member: User
) -> dict[str, Any]:
    for seeder in (seed_cases, seed_intel):
        seeder(size="small", rng=random.Random(2015), progress=False)
    cfs = cfs_practitioner.agency
    assert cfs is not None
    subject = _demo_subject(cfs)
    named = _others_not_sharing(subject, 5)
    first, second, third, fourth, fifth = named
    fifth.known_as = "Kizzy"
    fifth.save(update_fields=["known_as"])
    now = timezone.now()
    common = {
        "young_person": subject,
        "owner_agency": cfs,
        "case_agency": cfs,
        "created_by": cfs_practitioner,
    }
    referral = Referral.objects.create(
        **common,
        received_on=timezone.localdate() - dt.timedelta(days=30),
        referrer_name="Moira Strachan",
        concerns=(
            f"Seen at the bus station with {first.first_name} {first.last_name} and "
            f"{second.first_name}; {second.first_name}'s older brother drives them."
        ),
        initial_risk_level="significant",
    )
    # A later edit leaves the first wording in the record's history, which is disclosed too.
    referral.concerns += f" {third.last_name.upper()}, {third.first_name} was also there."
    referral.save()
    MissingEpisode.objects.create(
        **common,
        missing_from=now - dt.timedelta(days=6),
        located_at=now - dt.timedelta(days=5),
        category="missing_high",
        placement_type="residential",
        where_found=f"A flat on Union Street, with {fourth.first_name} {fourth.last_name}",
        found_with=f"{first.first_name.lower()} {first.last_name.lower()}",
    )
    CaseNote.objects.create(
        **common,
        contact_type="face_to_face",
        contact_at=now - dt.timedelta(days=4),
        narrative=(
            f"Talked about the party. Said {fifth.first_name}  {fifth.last_name} "
            f"(known as {fifth.known_as}) gave her vodka."
        ),
        significant=True,  # goes into the chronology
    )
    CaseShare.objects.create(
        young_person=subject,
        agency=Agency.objects.get(code="police"),
        lawful_basis="child_protection",
        reason=f"Joint enquiry with the case of {second.first_name} {second.last_name}.",
        shared_by=cfs_practitioner,
    )
    person = PersonOfConcern.objects.create(
        owner_agency=cfs,
        created_by=cfs_practitioner,
        name="Craig Dunbar",
        search_name="craig dunbar",
        sex="male",
    )
    for child in (subject, first, fourth):
        Link.objects.create(
            owner_agency=cfs,
            created_by=cfs_practitioner,
            person=person,
            young_person=child,
            nature="supplier",
            source=f"Statement naming {child.first_name} {child.last_name}",
        )
    allegation = Allegation.objects.create(
        owner_agency=cfs,
        created_by=cfs_practitioner,
        summary=f"Craig Dunbar supplied alcohol to {subject.first_name} and {first.full_name}.",
        alleged_on=timezone.localdate() - dt.timedelta(days=3),
    )
    allegation.persons.add(person)
    allegation.young_people.add(subject, first)
    return {"subject": subject, "named": named, "author": cfs_practitioner}


def test_a_demo_childs_report_names_no_other_child(
    client: Client, cfs_ig: User, demo_world: dict[str, Any], tmp_path: Any
) -> None:
    subject: YoungPerson = demo_world["subject"]
    named: list[YoungPerson] = demo_world["named"]
    assert YoungPerson.objects.count() > 300  # the demo population, not a handful
    events = young_person_chronology(user=demo_world["author"], young_person=subject)
    chronology = " ".join(f"{event.title} {event.detail}" for event in events)
    assert named[4].last_name in chronology  # the note is in the chronology the SAR covers

    client.force_login(cfs_ig)
    response = client.post(
        reverse("governance:sar_start"),
        {
            "subject_type": "cases.youngperson",
            "subject_id": subject.pk,
            "received_on_day": "2",
            "received_on_month": "3",
            "received_on_year": "2026",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    sar = SubjectAccessRequest.objects.get()
    raw = client.get(reverse("governance:sar_json", args=[sar.pk])).content.decode()
    report = json.loads(raw)
    pdf = client.get(reverse("governance:sar_pdf", args=[sar.pk])).content
    assert pdf.startswith(b"%PDF")
    texts = {"JSON": _normalised(raw), "PDF": _normalised(_pdf_text(pdf, tmp_path))}

    for where, text in texts.items():
        # The subject's own records are there, the cross-linked ones included...
        assert _has_name(text, subject.full_name), where
        for phrase in ("bus station", "union street", "talked about the party", "joint enquiry"):
            assert phrase in text, (where, phrase)
        assert "supplied alcohol" in text, where
        # ...and no other child is named, whoever they are.
        leaks = [
            f"{first} {last}"
            for first, last in YoungPerson.objects.exclude(pk=subject.pk).values_list(
                "first_name", "last_name"
            )
            if _has_name(text, f"{first} {last}") or _has_name(text, f"{last}, {first}")
        ]
        assert not leaks, f"{where} names other children: {leaks[:10]}"
        for child in named:  # the ones written about: not even a first name or nickname
            for part in (child.first_name, child.last_name, child.known_as):
                assert not part or not _has_name(text, part), (where, part)
        # Third parties of other kinds are withheld too.
        assert not _has_name(text, "Craig Dunbar") and not _has_name(text, "Moira Strachan")

    sections = {r["section"] for r in report["records"]}
    assert {"Referrals", "Missing episodes", "Case notes", "Links", "Allegations"} <= sections
    log = report["redactions"]
    children = [r for r in log if r["category"] == "other child"]
    assert {r["section"].split(":")[0] for r in children} >= {
        "Referrals",
        "Missing episodes",
        "Case notes",
        "Shares",
        "Allegations",
    }
    assert all(r["reason"] and r["field"] and r["count"] >= 1 for r in log)
    assert {"referrer", "person of concern"} <= {r["category"] for r in log}
    # The log says where and why, never the name it withheld.
    log_text = _normalised(json.dumps(log))
    assert not any(_has_name(log_text, child.last_name) for child in named)
    assert "redaction log" in texts["PDF"] and "other child" in texts["PDF"]
