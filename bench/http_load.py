"""The list page over HTTP: gunicorn (2 workers, loopback) and a small load generator.

The load generator is plain Python: threads with http.client, one signed-in session per
connection (so no two requests wait on the same session row), each thread asking for page
1 and page 200 in turn for a fixed time. The same gunicorn serves the product's page and
the fair raw view (bench/urls.py: the same capped count and rows), in interleaved slices.
"""

import http.client
import os
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings

from bench.core import Row, errored, p95
from bench.pages import bench_user
from bench.seed import Seeded
from bench.server import WORKERS, in_threads, signed_in_session, start_gunicorn, stop

CONNECTIONS = 8
SLICES = 4


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    first_error: str = ""

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0


def _get(port: int, path: str, cookie: str) -> tuple[int, float, str]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = connection.getresponse()
        body = response.read()
        status = response.status
    finally:
        connection.close()
    elapsed = (time.perf_counter() - started) * 1000
    return status, elapsed, body[:200].decode(errors="replace") if status != 200 else ""


def load(port: int, paths: list[str], cookies: list[str], seconds: float) -> LoadResult:
    """CONNECTIONS threads, each with its own session, for `seconds`."""
    result = LoadResult()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(cookie: str, offset: int) -> None:
        i = offset
        while time.monotonic() < stop_at:
            path = paths[i % len(paths)]
            i += 1
            try:
                status, elapsed, error = _get(port, path, cookie)
            except OSError as exc:
                status, elapsed, error = 0, 0.0, str(exc)
            with lock:
                if status == 200:
                    result.latencies_ms.append(elapsed)
                else:
                    result.errors += 1
                    result.first_error = result.first_error or f"{status} {path} {error}"

    result.seconds = in_threads(worker, cookies)
    return result


def http_lists(seeded: Seeded, *, seconds: float, scale: str) -> list[Row]:
    figure = (
        f"referral list over HTTP (gunicorn {WORKERS} workers, {CONNECTIONS} connections), "
        "against the fair raw view"
    )
    target = ">= 0.8x req/s, no error"
    from django.urls import reverse

    ours_path = reverse("cases:referral_list")
    raw_path = reverse("bench_raw_list", args=["referral"])
    user = bench_user()
    cookies = [
        f"{settings.SESSION_COOKIE_NAME}={signed_in_session(user)}" for _ in range(CONNECTIONS)
    ]
    try:
        process, port = start_gunicorn({**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"})
    except Exception as error:  # noqa: BLE001
        return [errored(figure, target, error)]
    try:
        pages = ["", "?page=200"]
        # Warm both workers (imports, connections, template cache).
        load(port, [ours_path + p for p in pages] + [raw_path + p for p in pages], cookies, 2)
        # Interleaved in slices (ours, raw, ours, raw...) so the neighbours' load on a shared
        # machine falls on both alike; the totals add the slices up.
        ours, raw = LoadResult(), LoadResult()
        for _ in range(SLICES):
            for total, path in ((ours, ours_path), (raw, raw_path)):
                part = load(port, [path + p for p in pages], cookies, seconds / SLICES)
                total.latencies_ms += part.latencies_ms
                total.errors += part.errors
                total.seconds += part.seconds
                total.first_error = total.first_error or part.first_error
    finally:
        stop(process)
    if not ours.latencies_ms or not raw.latencies_ms:
        return [errored(figure, target, RuntimeError(ours.first_error or raw.first_error))]
    note = f"{seconds:.0f} s each in {SLICES} interleaved slices, pages 1 and 200"
    if ours.errors or raw.errors:
        first = ours.first_error or raw.first_error
        note += f"; errors: ours {ours.errors}, raw {raw.errors} ({first})"
    return [
        Row(
            figure=figure,
            ours=f"{ours.rate:.1f} req/s (p95 {p95(ours.latencies_ms):.0f} ms)",
            reference=f"{raw.rate:.1f} req/s (p95 {p95(raw.latencies_ms):.0f} ms)",
            ratio=ours.rate / raw.rate if raw.rate else None,
            ratio_target=(">=", 0.8),
            limits=[("errors", ours.errors, 0)],
            target=target,
            note=note,
        ).finish()
    ]
