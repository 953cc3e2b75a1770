"""CI runs the quick benchmark: `python bench/run.py --quick` on PostgreSQL, under 5 minutes.

It exits 1 when a ratio misses its target by more than 50% or a figure errors; figures
whose code is not built yet are reported as such and do not fail.
"""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parents[2]
QUICK_URL = "postgres://root@127.0.0.1:5432/cse_bench_quick"

pytestmark = pytest.mark.services


def _bench_url() -> str:
    """The quick bench database on the same server as the test database when that is
    PostgreSQL, else the default local server."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    test_url = os.environ.get("DATABASE_URL", "")
    if test_url.startswith(("postgres://", "postgresql://")):
        return test_url.rsplit("/", 1)[0] + "/cse_bench_quick"
    return QUICK_URL


def test_quick_bench_meets_its_ratios() -> None:
    url = _bench_url()
    try:
        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        service_missing(f"PostgreSQL for the quick bench is not reachable ({url})")
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--database-url", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "| figure | ours | reference |" in result.stdout
    assert (ROOT / "bench" / "results" / "quick.md").exists()
