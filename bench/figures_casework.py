"""Casework figures (issue 17): "My tasks" of a practitioner with a full list, and the
chronology for a case conference exported as a PDF for a child with about 300 events.

The casework rows are added inside a transaction that is rolled back at the end, so the
seeded database stays as bench/seed.py made it: an IRD about the chronology young person
(200 events already) with actions given to the bench user and to the agency, completed
actions and significant case notes, for about 300 events in the conference chronology.
"""

import datetime as dt
import resource
import time
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bench.core import Row, errored, p95, timed
from bench.pages import bench_user, call_ok, make_request
from bench.seed import Seeded

TASKS_P95_MS = 150.0
PDF_SECONDS = 5.0
# Open actions in the bench user's list (more than the page shows: the cut is measured too),
# completed actions and significant notes that the conference chronology adds to the 200.
OPEN_ACTIONS = 60
COMPLETED_ACTIONS = 40
NOTES = 60


def _seed_casework(seeded: Seeded) -> int:
    """The rows the figures read; returns the number of conference chronology events."""
    from cases.models import YoungPerson
    from casework.chronology_export import ChronologyFilters
    from casework.models import CaseNote, Ird, IrdAction
    from casework.selectors import conference_chronology

    user = bench_user()
    young_person = YoungPerson.objects.get(pk=seeded.chronology_young_person_id)
    now = timezone.now()
    ird = Ird.objects.create(
        owner_agency_id=user.agency_id,
        case_agency_id=young_person.owner_agency_id,
        created_by=user,
        young_person=young_person,
        held_at=now - dt.timedelta(days=30),
        concerns="Seen getting into cars with older males near the bus station.",
        decision=Ird.Decision.JOINT,
        reasons="Together the agencies' information shows a risk of sexual exploitation.",
        chronology_considered=True,
    )
    today = timezone.localdate()
    IrdAction.objects.bulk_create(
        IrdAction(
            ird=ird,
            description=f"Action {i}: check school attendance and share it with social work.",
            agency_id=user.agency_id,
            # Most to the user by name, some to the agency with nobody named (also theirs).
            assigned_to=user if i % 4 else None,
            due_on=today + dt.timedelta(days=i - 20),
            created_by=user,
            completed_at=now - dt.timedelta(days=i) if i >= OPEN_ACTIONS else None,
            completed_by=user if i >= OPEN_ACTIONS else None,
            completion_note="Done and shared." if i >= OPEN_ACTIONS else "",
        )
        for i in range(OPEN_ACTIONS + COMPLETED_ACTIONS)
    )
    CaseNote.objects.bulk_create(
        CaseNote(
            owner_agency_id=user.agency_id,
            case_agency_id=young_person.owner_agency_id,
            created_by=user,
            young_person=young_person,
            contact_type=CaseNote.ContactType.values[i % len(CaseNote.ContactType.values)],
            contact_at=now - dt.timedelta(days=3 * i + 1),
            narrative=(
                f"Note {i}. Home visit; she would not talk about the weekend. Mother found a "
                "second phone in the bedroom and a bottle of vodka in her school bag."
            ),
            significant=True,
        )
        for i in range(NOTES)
    )
    return len(
        conference_chronology(user=user, young_person=young_person, filters=ChronologyFilters())
    )


def casework(seeded: Seeded, *, runs: int, pdf_runs: int) -> list[Row]:
    """My tasks (view, selectors, template; p95 over ``runs`` requests) and the conference
    chronology PDF (view to bytes: events, template, WeasyPrint, export log)."""
    from casework import views

    tasks_figure = f"My tasks, {OPEN_ACTIONS} open IRD actions and the agency's casework due"
    tasks_target = f"p95 <= {TASKS_P95_MS:.0f} ms"
    pdf_figure = "conference chronology PDF of a child with about 300 events"
    pdf_target = f"<= {PDF_SECONDS:.0f} s"
    rows: list[Row] = []
    try:
        with transaction.atomic():
            events = _seed_casework(seeded)
            tasks_path = reverse("casework:my_tasks")
            yp = seeded.chronology_young_person_id
            pdf_path = reverse("casework:conference_chronology_pdf", args=[yp])

            def tasks() -> Any:
                return call_ok(views.my_tasks, make_request(tasks_path, {}))

            shown = tasks().content.count(b'<tr class="govuk-table__row">') - 2  # two heads
            for _ in range(3):
                tasks()
            tasks_ms: list[float] = []
            tasks_cpu: list[float] = []
            for _ in range(runs):
                cpu = time.process_time()
                tasks_ms.append(timed(tasks))
                tasks_cpu.append((time.process_time() - cpu) * 1000)
            rows.append(
                Row(
                    figure=tasks_figure,
                    ours=f"p95 {p95(tasks_ms):.1f} ms (median {sorted(tasks_ms)[runs // 2]:.1f})",
                    limits=[("p95", p95(tasks_ms), TASKS_P95_MS)],
                    target=tasks_target,
                    note=f"{runs} requests, {shown} rows shown; Python CPU p95 "
                    f"{p95(tasks_cpu):.1f} ms (a shared machine stretches wall time)",
                ).finish()
            )

            def export() -> bytes:
                response = views.conference_chronology_export(
                    make_request(pdf_path, {}), yp, file_format="pdf"
                )
                if response.status_code != 200:
                    raise RuntimeError(f"{pdf_path} answered {response.status_code}")
                return response.content

            seconds: list[float] = []
            cpu_seconds: list[float] = []
            size = 0
            # The process's high-water mark (KB on Linux) before and after the exports: the
            # PDF runs in the bench's process, so its own peak shows only as the mark rises.
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            for _ in range(pdf_runs):
                started, cpu = time.perf_counter(), time.process_time()
                size = len(export())
                seconds.append(time.perf_counter() - started)
                cpu_seconds.append(time.process_time() - cpu)
            worst = max(seconds)
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rows.append(
                Row(
                    figure=pdf_figure,
                    ours=f"{worst:.2f} s worst of {pdf_runs} (best {min(seconds):.2f} s)",
                    limits=[("PDF time", worst, PDF_SECONDS)],
                    target=pdf_target,
                    note=f"{events} events, {size // 1024} KB; CPU {max(cpu_seconds):.2f} s; "
                    f"process peak memory {rss_after:.0f} MB ({rss_before:.0f} MB before)",
                ).finish()
            )
            transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001
        done = {row.figure for row in rows}
        rows += [
            errored(figure, target, error)
            for figure, target in ((tasks_figure, tasks_target), (pdf_figure, pdf_target))
            if figure not in done
        ]
    return rows
