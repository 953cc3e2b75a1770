"""Gunicorn on loopback, signed-in sessions for it and the threads that load it: what the
HTTP figure (bench/http_load.py) and the soak (bench/soak.py, also run by tests/races and
tests/faults) both need.

Django is imported inside the functions: `python -m bench.soak` imports this module before
it has set Django up.
"""

import http.client
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    """Gunicorn (WORKERS workers) on a free loopback port, once it answers /healthz."""
    port = free_port()
    # Its log goes to a file: a pipe nobody reads fills up with the tracebacks of a fault
    # test's 500s and then blocks every worker on its next write.
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed with the process
        prefix="cse-bench-gunicorn-", suffix=".log", delete=False
    )
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "cse_portal.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    process.log_path = log.name  # type: ignore[attr-defined]
    log.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {Path(log.name).read_text()[-500:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return process, port
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise RuntimeError("gunicorn did not start within 60 s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    Path(getattr(process, "log_path", "")).unlink(missing_ok=True)


def signed_in_session(user: Any) -> str:
    """The key of a signed-in session for `user`, made directly (no sign-in form, no 2FA)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.middleware import SIGNED_IN_AT_SESSION_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.MemberBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SIGNED_IN_AT_SESSION_KEY] = time.time()
    session.create()
    return str(session.session_key)


def in_threads(work: Callable[[T, int], None], each: Sequence[T]) -> float:
    """``work(item, n)`` for every item at once, a thread each (n: its place, so the threads
    start at different steps); the seconds until the last one finished."""
    threads = [threading.Thread(target=work, args=(item, n)) for n, item in enumerate(each)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started
