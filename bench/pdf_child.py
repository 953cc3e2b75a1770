"""Render one committee's report in a fresh process: time and peak memory (ru_maxrss).

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
    from bench.seed import period_with_data
    from partnership.models import Committee
    from performance.pdf import render_report_pdf
    from performance.reports import report_snapshot

    committee = Committee.objects.get(code=code)
    period = period_with_data()
    started = time.perf_counter()
    snapshot = report_snapshot(committee=committee, period=period)
    computed = time.perf_counter()
    pdf = render_report_pdf(snapshot=snapshot, report_no=f"BENCH-{code.upper()}")
    rendered = time.perf_counter()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    print(
        json.dumps(
            {
                "snapshot_s": computed - started,
                "render_s": rendered - computed,
                "peak_mb": peak_kb / 1024,
                "bytes": len(pdf),
                "pages": _pages(pdf),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
