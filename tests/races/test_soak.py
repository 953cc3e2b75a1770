"""The soak from bench/soak.py in the suite: 8 connections for 60 s against gunicorn on
PostgreSQL, mixing lists, details, searches and saves, with no error (issue 13).

Needs PostgreSQL (gunicorn reads the test database over its own connections); SQLite runs
skip it, CI fails without it. The p95 figures are printed (`-s`) and kept by a manual run of
`python -m bench.soak` in bench/results/soak.md.
"""

import os

import pytest
from django.conf import settings

from bench import soak as bench_soak
from tests.conftest import service_missing

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SOAK_SECONDS = float(os.environ.get("CSE_SOAK_SECONDS", bench_soak.SECONDS))


def test_a_60_second_soak_of_8_connections_has_no_error() -> None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        service_missing("the soak needs PostgreSQL (set DATABASE_URL)")
    workers = bench_soak.seed()
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    if db.get("PASSWORD"):
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    process, port = bench_soak.start_gunicorn(bench_soak.gunicorn_env(url))
    try:
        tally = bench_soak.soak(port, workers, seconds=SOAK_SECONDS)
    finally:
        bench_soak.stop(process)
    print(bench_soak.report(tally))
    assert tally.errors == [], tally.errors[:5]
    kinds = set(tally.latencies_ms)
    assert kinds == {"list", "detail", "search", "save"}, kinds
    assert len(tally.latencies_ms["save"]) >= 8  # every connection saved at least once
