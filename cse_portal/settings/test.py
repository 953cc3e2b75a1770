"""Test settings: the base module with fast hashing and no HTTPS redirects.

DATABASE_URL still decides the database; in CI (CI=true) tests/conftest.py refuses SQLite.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment")
os.environ.setdefault("SECURE_HTTPS", "false")

from django.conf import global_settings  # noqa: E402

from cse_portal.settings.base import *  # noqa: E402,F403
from cse_portal.settings.base import VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "test-private")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Case documents go to a throw-away folder, never to var/ (tests/casework/test_documents.py
# gives each test its own).
CSE_PRIVATE_STORAGE_ROOT = Path(tempfile.mkdtemp(prefix="cse-private-"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests sign in with force_login or the password form; tests/security turns these back on
# with the `settings` fixture to prove two-factor and throttling.
CSE_REQUIRE_2FA = False
AXES_ENABLED = False
# The in-process suite runs Celery tasks eagerly, even in CI where CELERY_BROKER_URL is set
# for the tests that prove the real worker (tests/performance/test_worker.py and tests/e2e
# point Celery at Redis themselves and start a worker).
CELERY_TASK_ALWAYS_EAGER = True
CSE_IN_PROCESS_TASKS_IN_THREAD = False  # tests/performance/test_report_progress.py turns it on
# Fragment caching (the list pages' filter form) stays out of the way of tests that change
# what a fragment shows; tests/bench/test_list_templates.py turns it on to prove it.
CACHES = {
    **globals().get("CACHES", global_settings.CACHES),
    "template_fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
