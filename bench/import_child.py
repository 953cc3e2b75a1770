"""Import a generated spreadsheet of referrals in a fresh process: time and peak memory.

Run by bench/figures_imports.py as `python bench/import_child.py <rows>` with the bench's
environment; prints one JSON line. A fresh process, so ru_maxrss is this import's own peak.
The file has 5% bad rows (an impossible date); the same file is then imported again (it must
add nothing), and the first batch is rolled back so the bench data stays as seeded.
"""

import csv
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

# Headings the importer recognises by name (a partner's own headings would be mapped once and
# the mapping saved): the figure measures the import, not the mapping page.
HEADINGS = [
    "Your reference",
    "First name",
    "Last name",
    "Date of birth",
    "Sex",
    "Date received",
    "Concerns",
    "Initial risk level",
]
BAD_EVERY = 20  # 5%


def write_file(path: Path, rows: int) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADINGS)
        for n in range(rows):
            received = "31/13/2025" if n % BAD_EVERY == 0 else "31/03/2025"
            dob = f"{1 + n % 28:02d}/{1 + (n // 28) % 12:02d}/{2009 + n % 6}"
            writer.writerow(
                [
                    f"BENCH-{n}",
                    f"Imported{n}",
                    "Benchfile",
                    dob,
                    "female",
                    received,
                    f"Concern {n}",
                    "Moderate",
                ]
            )


def main(rows: int) -> None:
    import django

    django.setup()
    from django.core.files import File

    from bench.pages import bench_user
    from imports import services

    user = bench_user()

    def run(path: Path) -> tuple[object, dict[str, float]]:
        started = time.perf_counter()
        with path.open("rb") as handle:
            batch = services.batch_upload(
                actor=user, file=File(handle, name="bench.csv"), kind="referral"
            )
        uploaded = time.perf_counter()
        batch = services.batch_check(actor=user, batch=batch, columns=batch.columns)
        checked = time.perf_counter()
        batch = services.batch_commit(actor=user, batch=batch)
        done = time.perf_counter()
        return batch, {
            "upload_s": uploaded - started,
            "check_s": checked - uploaded,
            "commit_s": done - checked,
            "total_s": done - started,
        }

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.csv"
        write_file(path, rows)
        first, times = run(path)
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
        again, again_times = run(path)
    rolled = time.perf_counter()
    services.batch_rollback(actor=user, batch=first)
    rolled = time.perf_counter() - rolled
    print(
        json.dumps(
            {
                **times,
                "peak_mb": peak_kb / 1024,
                "created": first.created_records,
                "rejected": first.total_rows - first.created_records,
                "again_s": again_times["total_s"],
                "again_created": again.created_records,
                "again_unchanged": again.unchanged_records,
                "rollback_s": rolled,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
