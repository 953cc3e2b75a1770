"""Container healthchecks for docker-compose.yml: `python ops/docker/healthcheck.py SERVICE`.

Exit 0 when healthy, 1 otherwise, with one line saying why (Docker keeps it in `docker
inspect`). Python rather than curl: the slim image has no curl, and a worker is asked over the
broker, which only Celery speaks.

- web: GET /healthz on this container's gunicorn (plain HTTP to 127.0.0.1, answered before
  the host check and HTTPS redirect; cse_portal/health.py).
- worker: this container's worker (worker@<hostname>) answers a Celery ping.
- beat: the beat process named in its pid file is alive and the broker answers.
"""

import json
import os
import socket
import sys
import urllib.request
from pathlib import Path

TIMEOUT_SECONDS = 5.0


def check_web() -> str | None:
    port = os.environ.get("CSE_HEALTHCHECK_PORT", "8000")
    url = f"http://127.0.0.1:{port}/healthz"
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310  # nosec B310 - fixed http URL
        body = json.load(response)
    return None if response.status == 200 and body.get("status") == "ok" else f"{url}: {body}"


def _celery_app():  # noqa: ANN202 - Celery's app type; imported late, it configures Django
    # Run as a script, this file's folder is on sys.path, not the project's.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_portal.settings.base")
    import django

    django.setup()
    from cse_portal.celery import app

    return app


def check_worker() -> str | None:
    app = _celery_app()
    node = os.environ.get("CSE_WORKER_NAME", f"worker@{socket.gethostname()}")
    replies = app.control.ping(destination=[node], timeout=TIMEOUT_SECONDS)
    return None if any(node in reply for reply in replies) else f"{node} did not answer a ping"


def check_beat() -> str | None:
    pidfile = os.environ.get("CSE_BEAT_PIDFILE", "/tmp/celerybeat.pid")  # noqa: S108  # nosec B108 - the container's own /tmp
    try:
        with open(pidfile, encoding="ascii") as handle:
            pid = int(handle.read().strip())
        os.kill(pid, 0)
    except (OSError, ValueError) as exc:
        return f"beat is not running ({pidfile}: {exc})"
    app = _celery_app()
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)
    return None


CHECKS = {"web": check_web, "worker": check_worker, "beat": check_beat}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] not in CHECKS:
        print(f"usage: {argv[0]} {'|'.join(CHECKS)}", file=sys.stderr)
        return 2
    try:
        problem = CHECKS[argv[1]]()
    except Exception as exc:  # noqa: BLE001 - any failure is "unhealthy", said in one line
        problem = f"{type(exc).__name__}: {exc}"
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
