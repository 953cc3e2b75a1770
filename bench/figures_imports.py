"""The spreadsheet import (issue 20): a 10,000-row file of referrals with 5% bad rows,
checked and imported by the product's services in a fresh process (bench/import_child.py).

Targets: under 60 s at scale 1 for the whole import (upload, check, commit), and constant
memory: the 10,000-row import's peak RSS no more than MEMORY_GROWTH_MB above a 1,000-row
import's (what grows with the file is a few ids per row, not the rows).

Measured 30 Nov 2026, scale 1, on the shared 2-core machine (load average 4-8 from other
sessions): 53.7 s (check 21.6 s, import 32.1 s), 9,500 imported and 500 rejected, peak RSS
147 MB against 144 MB for 1,000 rows (+4 MB): pass. Re-import 75.3 s making nothing; the
rollback 33.4 s. Before the set-based commit and preview the same file took over 4 minutes.
"""

from bench.core import Row, child, errored
from bench.seed import Seeded

ROWS = 10_000
SMALL_ROWS = 1_000
TIME_LIMIT_S = 60.0
MEMORY_GROWTH_MB = 32.0


def import_10k(seeded: Seeded, *, rows: int = ROWS) -> list[Row]:
    figure = f"import of a {rows:,}-row referrals file (5% bad rows)"
    target = (
        f"< {TIME_LIMIT_S:.0f} s; peak RSS <= {SMALL_ROWS:,}-row import + {MEMORY_GROWTH_MB:.0f} MB"
    )
    try:
        small = child("import_child.py", str(SMALL_ROWS), timeout=1800)
        large = child("import_child.py", str(rows), timeout=1800)
    except Exception as error:  # noqa: BLE001
        return [errored(figure, target, error)]
    growth = large["peak_mb"] - small["peak_mb"]
    expected = rows - rows // 20  # the 5% bad rows are rejected, every other row imported
    notes = []
    if large["created"] != expected:
        notes.append(f"imported {large['created']:,} of the {expected:,} good rows")
    if large["again_created"]:
        notes.append(f"re-import made {large['again_created']} records")
    return [
        Row(
            figure=figure,
            ours=(
                f"{large['total_s']:.1f} s (check {large['check_s']:.1f} s, import "
                f"{large['commit_s']:.1f} s): {large['created']:,} imported, "
                f"{large['rejected']:,} rejected; peak RSS {large['peak_mb']:.0f} MB; "
                f"re-import {large['again_s']:.1f} s, {large['again_unchanged']:,} already "
                f"there; rollback {large['rollback_s']:.1f} s"
            ),
            reference=(
                f"{SMALL_ROWS:,} rows: {small['total_s']:.1f} s, peak RSS "
                f"{small['peak_mb']:.0f} MB (growth {growth:+.0f} MB)"
            ),
            limits=[
                ("time", large["total_s"], TIME_LIMIT_S),
                ("memory growth", growth, MEMORY_GROWTH_MB),
                ("good rows imported", float(expected - large["created"]), 0.0),
                ("re-import", float(large["again_created"]), 0.0),
            ],
            target=target,
            note="; ".join(notes),
        ).finish()
    ]
