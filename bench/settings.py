"""Settings for the benchmark: the product's settings plus a bench-only URLconf.

The product's settings module is imported unchanged; only what a benchmark needs differs:
no two-factor step (sessions are made directly), plain HTTP on loopback, DEBUG off, and
ROOT_URLCONF pointing at bench/urls.py, which adds the raw-SQL reference view. Nothing here
is reachable from the product's own URLconf.
"""

import os

# Before the import: base.py reads these when it is imported.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-any-deployment")
os.environ["SECURE_HTTPS"] = "false"
os.environ["CSE_REQUIRE_2FA"] = "false"
os.environ.setdefault("LOG_LEVEL", "WARNING")

from cse_portal.settings.base import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
CSE_REQUIRE_2FA = False
DEBUG = False
# Tasks run in-process; the bench never needs a broker.
CELERY_TASK_ALWAYS_EAGER = True
