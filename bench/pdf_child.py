"""Render one committee's report in a fresh process: wall and CPU time, peak memory (ru_maxrss).

Run by bench/figures.py as `python bench/pdf_child.py <committee code>` with the bench's
environment; prints one JSON line.
"""

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def _pages(pdf: bytes) -> int | None:
    """Page count from poppler's pdfinfo when it is installed (CI installs poppler-utils)."""
    pdfinfo = shutil.which("pdfinfo")
    if not pdfinfo:
        return None
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own bytes on stdin
        [pdfinfo, "-"], input=pdf, capture_output=True, check=False, timeout=60
    )
    match = re.search(rb"^Pages:\s+(\d+)", result.stdout, re.MULTILINE)
    return int(match[1]) if match else None


def main(code: str) -> None:
    import django

    django.setup()
    from django.core.cache import cache

    from bench.seed import period_with_data
    from partnership.models import Committee
    from partnership.periods import recent_periods
    from performance.models import StoredIndicators
    from performance.pdf import render_report_pdf
    from performance.reports import TREND_PERIODS, report_snapshot
    from performance.stored import definitions_digest, indicators_for_periods

    committee = Committee.objects.get(code=code)
    period = period_with_data()
    # The report's figures (this period and the three before) are stored once the periods
    # are closed: the first report after a close computes them, every later one reads them.
    # Timed apart, then the cache is cleared so the report reads the stored rows as a
    # worker process would.
    periods = recent_periods(TREND_PERIODS, ending=period)
    stored = StoredIndicators.objects.filter(
        period__in=[p.code for p in periods], agency=None, definitions=definitions_digest()
    ).count()
    started, started_cpu = time.perf_counter(), time.process_time()
    indicators_for_periods(periods)
    cache.clear()
    computed, computed_cpu = time.perf_counter(), time.process_time()
    snapshot = report_snapshot(committee=committee, period=period)
    snapped, snapped_cpu = time.perf_counter(), time.process_time()
    pdf = render_report_pdf(snapshot=snapshot, report_no=f"BENCH-{code.upper()}")
    rendered, rendered_cpu = time.perf_counter(), time.process_time()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    print(
        json.dumps(
            {
                "already_stored": stored,
                "materialise_s": computed - started,
                "materialise_cpu": computed_cpu - started_cpu,
                "snapshot_s": snapped - computed,
                "snapshot_cpu": snapped_cpu - computed_cpu,
                "render_s": rendered - snapped,
                "render_cpu": rendered_cpu - snapped_cpu,
                "total_s": rendered - computed,
                "total_cpu": rendered_cpu - computed_cpu,
                "peak_mb": peak_kb / 1024,
                "bytes": len(pdf),
                "pages": _pages(pdf),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
