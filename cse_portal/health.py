"""Health endpoints: /healthz (liveness) and /readyz (readiness).

- /healthz answers 200 as long as this process can serve a request. It touches nothing else,
  so a database or worker outage never makes an orchestrator restart healthy web processes.
  Compose's web healthcheck and a load balancer's "is the process up" probe use it.
- /readyz answers 200 only when the whole product can do its work: the database answers,
  every migration is applied, the broker (Redis) answers, at least one Celery worker answers
  a ping, and private storage accepts a write. Otherwise 503, naming the failing checks. For
  monitoring and for "is the deploy finished"; not for restarts (a worker outage is not
  cured by restarting web).

Both are answered by `HealthCheckMiddleware`, first in MIDDLEWARE, before the host check
and the HTTPS redirect: probes come from inside the container or the orchestrator over plain
HTTP to 127.0.0.1, which is neither an allowed host nor HTTPS. They carry no personal data:
the body says which check failed, never why (the reason goes to the log).
"""

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

# How long a probe may wait on the broker and on a worker's answer: a probe that hangs is
# itself a failure, and orchestrators give up after a few seconds.
PROBE_TIMEOUT_SECONDS = 2.0
IN_PROCESS = "in-process"  # no broker configured: tasks run inside the web process

_migrations_applied = False  # once applied they stay applied for this process's code


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def check_migrations() -> str:
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            return f"{len(plan)} pending"
        _migrations_applied = True
    return "ok"


def check_redis() -> str:
    if not settings.CELERY_BROKER_URL:
        return IN_PROCESS
    import redis

    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_timeout=PROBE_TIMEOUT_SECONDS,
        socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
    )
    try:
        return "ok" if client.ping() else "no answer"
    finally:
        client.close()


def check_worker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:  # tasks run in the calling process, broker or not
        return IN_PROCESS
    from cse_portal.celery import app

    # The broker named in settings, not whichever the app connected to first; limit=1:
    # return as soon as one worker answers instead of waiting out the timeout.
    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=PROBE_TIMEOUT_SECONDS)
        replies = app.control.ping(timeout=PROBE_TIMEOUT_SECONDS, limit=1, connection=conn)
    return "ok" if replies else "no worker answered"


def check_storage() -> str:
    name = default_storage.save(f"health/readyz-{uuid.uuid4().hex}", ContentFile(b"ok"))
    default_storage.delete(name)
    return "ok"


READINESS_CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "migrations": check_migrations,
    "redis": check_redis,
    "worker": check_worker,
    "storage": check_storage,
}
PASSING = {"ok", IN_PROCESS}


def readiness() -> dict[str, str]:
    """Every check's outcome; a check that raises is "error" (and logged)."""
    results: dict[str, str] = {}
    for name, check in READINESS_CHECKS.items():
        started = time.monotonic()
        try:
            results[name] = check()
        except Exception:  # noqa: BLE001 - any failure means "not ready", whatever it is
            logger.warning("readyz: %s check failed", name, exc_info=True)
            results[name] = "error"
        if results[name] not in PASSING:
            logger.warning(
                "readyz: %s is %s (%.0f ms)",
                name,
                results[name],
                (time.monotonic() - started) * 1000,
            )
    return results


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Checks nothing else on purpose (see the module)."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when every check passes, 503 naming each check's outcome otherwise."""
    checks = readiness()
    ready = all(value in PASSING for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "error", "checks": checks}, status=200 if ready else 503
    )


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answers GET/HEAD /healthz and /readyz before the host check and HTTPS redirect."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in {"GET", "HEAD"}:
            return probe(request)
        return self.get_response(request)
