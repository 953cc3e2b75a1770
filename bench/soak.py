"""Soak: 8 connections for 60 s against gunicorn on PostgreSQL, mixing lists, details,
searches and saves (issue 13). Loopback only; bounded by time, not by request count.

Each connection is its own signed-in caseworker with their own referral to edit, so saves
do not conflict by design (tests/races covers conflicts). A save is the real edit page:
GET the form (CSRF token and version), then POST it. Anything but 200/302 is an error.

    DATABASE_URL=postgres://root@127.0.0.1:5432/cse_soak python -m bench.soak

migrates that database, seeds a small caseload, runs the soak and writes
bench/results/soak.md (`python -m bench.soak prepare` only migrates and seeds, printing the
caseworkers as JSON: tests/faults uses it on a throwaway cluster).
tests/races/test_soak.py runs the same soak in the suite.
"""

import datetime as dt
import http.client
import json
import os
import re
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from bench.core import p95
from bench.server import ROOT, WORKERS, in_threads, signed_in_session, start_gunicorn, stop

CONNECTIONS = 8
SECONDS = 60.0
RESULTS = ROOT / "bench" / "results" / "soak.md"


@dataclass
class Tally:
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, kind: str, ms: float) -> None:
        self.latencies_ms.setdefault(kind, []).append(ms)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies_ms.values())


@dataclass(frozen=True)
class Caseworker:
    cookie: str
    referral_id: int
    young_person_id: int
    last_name: str


def seed(connections: int = CONNECTIONS) -> list[Caseworker]:
    """A small caseload and one signed-in caseworker per connection (Django set up)."""
    from django.conf import settings
    from django.utils import timezone

    from accounts.services import user_create
    from cases import services
    from partnership.models import Agency
    from partnership.roles import Role

    cfs = Agency.objects.get(code="cfs")
    workers = []
    for n in range(connections):
        user = user_create(
            actor=None,
            username=f"soak.{n}.{time.monotonic_ns()}",
            agency=cfs,
            roles=[Role.PRACTITIONER],
            password=None,
            first_name="Soak",
            last_name=str(n),
            email="",
        )
        young_person = None
        for k in range(5):
            young_person = services.young_person_create(
                actor=user,
                first_name=f"Child{k}",
                last_name=f"Soak{n}",
                sex="female",
                date_of_birth=timezone.localdate() - dt.timedelta(days=365 * 13 + 37 * k),
            )
        referral = services.referral_create(
            actor=user,
            young_person=young_person,
            received_on=timezone.localdate(),
            concerns="soak",
            initial_risk_level="mild",
        )
        workers.append(
            Caseworker(
                cookie=f"{settings.SESSION_COOKIE_NAME}={signed_in_session(user)}",
                referral_id=referral.pk,
                young_person_id=young_person.pk,
                last_name=f"Soak{n}",
            )
        )
    return workers


class _Session:
    """One keep-alive HTTP connection with one caseworker's cookies."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port = port
        self.cookies = {cookie.split("=", 1)[0]: cookie.split("=", 1)[1]}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {
            "Host": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode(errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text


_INPUT = re.compile(r"<input[^>]*>", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def _form_fields(html: str) -> dict[str, str]:
    """Hidden and text inputs, checked radios and the selected option of each select."""
    data: dict[str, str] = {}
    for tag in _INPUT.findall(html):
        attrs = dict(_ATTR.findall(tag))
        kind = attrs.get("type", "text")
        if "name" not in attrs or kind in ("submit", "file", "button"):
            continue
        if kind in ("radio", "checkbox") and "checked" not in tag:
            continue
        data[attrs["name"]] = attrs.get("value", "")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', body)
        first = re.search(r'<option[^>]*value="([^"]*)"', body)
        data[name] = (selected or first).group(1) if (selected or first) else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body.strip()
    return data


def soak(port: int, workers: list[Caseworker], seconds: float = SECONDS) -> Tally:
    """CONNECTIONS threads, each cycling list, detail, search, list, save, for `seconds`."""
    tally = Tally()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def run(worker: Caseworker, offset: int) -> None:
        session = _Session(port, worker.cookie)
        edit = f"/cases/referrals/{worker.referral_id}/edit/"
        steps = [
            ("list", "GET", "/cases/referrals/"),
            ("detail", "GET", f"/cases/young-people/{worker.young_person_id}/"),
            (
                "search",
                "GET",
                "/cases/young-people/find/?"
                + urlencode({"searched": "1", "last_name": worker.last_name}),
            ),
            ("list", "GET", "/cases/young-people/"),
            ("detail", "GET", f"/cases/referrals/{worker.referral_id}/"),
            ("save", "POST", edit),
        ]
        i, saves = offset, 0
        while time.monotonic() < stop_at:
            kind, method, path = steps[i % len(steps)]
            i += 1
            started = time.perf_counter()
            try:
                if method == "GET":
                    status, _ = session.request("GET", path)
                    ok = status == 200
                else:
                    status, html = session.request("GET", path)
                    form = _form_fields(html)
                    saves += 1
                    form["concerns"] = f"soak save {saves}"
                    status, _ = session.request("POST", path, urlencode(form))
                    ok = status == 302
            except Exception as error:  # counted, never raised: the soak goes on
                status, ok = 0, False
                detail = repr(error)
            else:
                detail = ""
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    tally.add(kind, elapsed)
                else:
                    tally.errors.append(f"{kind} {method} {path}: {status} {detail}")

    tally.seconds = in_threads(run, workers)
    return tally


def gunicorn_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cse_portal.settings.test",
        "DATABASE_URL": database_url,
        # The soak measures throughput; the per-user lookup limit is proved elsewhere
        # (tests/security/test_hardening.py) and would turn searches into 429s here.
        "CSE_LOOKUP_RATE": "1000000/h",
    }


def report(tally: Tally) -> str:
    lines = [
        f"Soak: {CONNECTIONS} connections, {tally.seconds:.0f} s, gunicorn {WORKERS} workers, "
        "PostgreSQL, loopback",
        "",
        f"- requests: {tally.requests} ({tally.requests / tally.seconds:.1f}/s), "
        f"errors: {len(tally.errors)}",
        f"- p95 overall: {p95([v for vs in tally.latencies_ms.values() for v in vs]):.0f} ms",
    ]
    for kind in sorted(tally.latencies_ms):
        values = tally.latencies_ms[kind]
        lines.append(f"- {kind}: {len(values)} requests, p95 {p95(values):.0f} ms")
    if tally.errors:
        lines.append(f"- first errors: {tally.errors[:3]}")
    # Latency means little without the machine's own load (other jobs on a shared host).
    lines.append(
        f"- load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU cores"
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database of your own")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_portal.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    workers = seed()
    if sys.argv[1:] == ["prepare"]:
        # For tests/faults: a migrated, seeded database; the caseworkers as JSON.
        print(json.dumps([asdict(worker) for worker in workers]))
        return
    process, port = start_gunicorn(gunicorn_env(database_url))
    try:
        soak(port, workers, seconds=5)  # warm both workers
        tally = soak(port, workers)
    finally:
        stop(process)
    text = report(tally)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(f"# Soak ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})\n\n{text}")
    print(text)


if __name__ == "__main__":
    main()
