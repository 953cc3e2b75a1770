"""/healthz and /readyz in-process: what each says, and that each readiness check can fail.

The real stack (gunicorn, a Celery worker on Redis, PostgreSQL) is in test_compose_stack.py.
"""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client

from cse_portal import health

pytestmark = pytest.mark.django_db

CHECKS = {"database", "migrations", "redis", "worker", "storage"}


def _readyz(client: Client) -> tuple[int, dict]:
    response = client.get("/readyz")
    assert response["Cache-Control"].startswith("max-age=0")
    return response.status_code, json.loads(response.content)


def test_probes_answer_on_127_0_0_1_over_http_where_pages_do_not(client: Client, settings) -> None:
    """The probes come over plain HTTP to 127.0.0.1: not an allowed host, not HTTPS."""
    settings.ALLOWED_HOSTS = ["cse.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    probe = {"HTTP_HOST": "127.0.0.1:8000"}
    assert client.get("/sign-in/", **probe).status_code == 400  # the host check is on
    allowed = client.get("/sign-in/", HTTP_HOST="cse.example.org")
    assert allowed.status_code == 301  # and so is the HTTPS redirect
    assert allowed["Location"].startswith("https://")
    live = client.get("/healthz", **probe)
    assert live.status_code == 200 and json.loads(live.content) == {"status": "ok"}
    ready = client.get("/readyz", **probe)
    assert ready.status_code == 200, ready.content
    # Anything else under those names still goes through every check.
    assert client.get("/healthz/", **probe).status_code == 400
    assert client.post("/healthz", **probe).status_code == 400


def test_readyz_all_checks_pass_in_process(client: Client, settings) -> None:
    # The embedded default (`make run`): no broker, tasks in-process.
    settings.CELERY_BROKER_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    status, body = _readyz(client)
    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == CHECKS
    # No broker configured in the tests: tasks run in-process, which is ready by design.
    assert body["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "redis": "in-process",
        "worker": "in-process",
        "storage": "ok",
    }


def test_healthz_does_not_touch_the_database(client: Client, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise OperationalError("database is down")

    monkeypatch.setattr(connection, "cursor", refuse)
    assert client.get("/healthz").status_code == 200
    status, body = _readyz(client)
    assert status == 503
    assert body["status"] == "error"
    assert body["checks"]["database"] == "error"
    assert "database is down" not in json.dumps(body)  # the reason goes to the log only


def test_readyz_names_pending_migrations(client: Client, monkeypatch) -> None:
    monkeypatch.setattr(health, "_migrations_applied", False)
    with connection.cursor() as cursor:
        # Rolled back with the test: two migrations look unapplied to the recorder.
        cursor.execute(
            "DELETE FROM django_migrations WHERE id IN "
            "(SELECT id FROM django_migrations WHERE app = 'audit' ORDER BY id DESC LIMIT 2)"
        )
    status, body = _readyz(client)
    assert status == 503
    assert body["checks"]["migrations"] == "2 pending"
    assert body["checks"]["database"] == "ok"


def test_readyz_fails_when_storage_is_not_writable(client: Client, settings, tmp_path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the storage directory should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker / "private")},
        },
    }
    status, body = _readyz(client)
    assert status == 503
    assert body["checks"]["storage"] == "error"


def test_readyz_storage_check_leaves_nothing_behind(client: Client, settings, tmp_path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    assert _readyz(client)[0] == 200
    assert [p for p in Path(tmp_path).rglob("*") if p.is_file()] == []


def test_readyz_fails_when_the_broker_is_unreachable(client: Client, settings) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # discard port: nothing listens
    settings.CELERY_TASK_ALWAYS_EAGER = False
    status, body = _readyz(client)
    assert status == 503
    assert body["checks"]["redis"] == "error"
    assert body["checks"]["worker"] == "error"
    assert body["checks"]["database"] == "ok"
