"""docker-compose.yml re-enacted on 127.0.0.1 without Docker.

Each app service's command (the web service's is the Dockerfile's CMD), its environment as
Compose would interpolate it with nothing set, its secrets as files, and each service's
healthcheck command, run for real: the migrate job against the test database, gunicorn, a
Celery worker and beat on Redis, and Caddy with ops/Caddyfile in front, with a certificate for
localhost from Caddy's local authority. Only what Docker itself provides is translated: the
service host names become 127.0.0.1, fixed ports become free ones, /run/secrets and the
volumes become temporary directories, and the test database and user replace `cse`.

Needs PostgreSQL (DATABASE_URL), Redis on 127.0.0.1:6379 and Caddy (`.ci/run` installs the
Debian package): skipped without them, failed in CI.
"""

import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
# Redis databases of their own: no other test's worker takes these tasks (Celery prefixes
# its broadcast channels with the database number, so pings stay apart too).
# CSE_COMPOSE_REDIS_DBS names others, so that two checkouts run this test side by side.
BROKER_DB, CACHE_DB = (int(n) for n in os.environ.get("CSE_COMPOSE_REDIS_DBS", "11,12").split(","))
STARTUP_SECONDS = 120

# django_db: so that pytest-django sets up the test database the stack is pointed at.
pytestmark = [pytest.mark.services, pytest.mark.django_db]


def interpolate(value: str, host_env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, with `host_env` as the shell."""

    def replace(match: re.Match[str]) -> str:
        name, operator, argument = match.group(1), match.group(2), match.group(3)
        if host_env.get(name):
            return host_env[name]
        if operator == ":-":
            return argument
        if operator == ":?":
            raise AssertionError(f"compose would refuse to start: {argument}")
        return ""

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([^}]*))?\}", replace, value)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seconds(text: str) -> float:
    return float(text.removesuffix("s"))


def dockerfile_final_stage() -> list[str]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("#")]
    last_from = max(i for i, line in enumerate(lines) if line.upper().startswith("FROM "))
    return lines[last_from:]


def dockerfile_env_and_cmd() -> tuple[dict[str, str], list[str]]:
    final = dockerfile_final_stage()
    env: dict[str, str] = {}
    for line in final:
        if line.startswith("ENV "):
            env.update(item.split("=", 1) for item in shlex.split(line.removeprefix("ENV ")))
    cmd = json.loads(next(line for line in final if line.startswith("CMD ")).removeprefix("CMD "))
    return env, cmd


@dataclass
class Stack:
    tmp: Path
    database_url: str
    web_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def translate(self, value: str) -> str:
        """What Docker provides, re-made on this machine."""
        replacements = {
            "postgres://cse@postgres:5432/cse_portal": self.database_url,
            "redis://redis:6379/0": f"redis://127.0.0.1:6379/{BROKER_DB}",
            "redis://redis:6379/1": f"redis://127.0.0.1:6379/{CACHE_DB}",
            "/run/secrets/": f"{self.tmp}/secrets/",
            "/var/lib/cse-portal": str(self.tmp / "private"),
            "/var/lib/cse-static": str(self.tmp / "static"),
            "/tmp/celerybeat.pid": str(self.tmp / "celerybeat.pid"),  # noqa: S108
            "0.0.0.0:8000": f"127.0.0.1:{self.web_port}",
        }
        for old, new in replacements.items():
            value = value.replace(old, new)
        return value

    def env(self, service: str) -> dict[str, str]:
        image_env, _ = dockerfile_env_and_cmd()
        env = {
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
            "HOME": str(self.tmp),
            "LANG": "C.UTF-8",
            # In the container the healthcheck and beat's pid file sit at their fixed places.
            "CSE_HEALTHCHECK_PORT": str(self.web_port),
            "CSE_BEAT_PIDFILE": str(self.tmp / "celerybeat.pid"),
        }
        env.update({key: self.translate(value) for key, value in image_env.items()})
        for key, value in SERVICES[service]["environment"].items():
            env[key] = self.translate(interpolate(str(value), {}))
        return env

    def start(self, service: str, argv: list[str]) -> None:
        log = open(self.tmp / f"{service}.log", "w")  # noqa: SIM115 - closed with the process
        self.processes[service] = subprocess.Popen(  # noqa: S603
            [self.translate(arg) for arg in argv],
            cwd=ROOT,
            env=self.env(service),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self, service: str) -> None:
        process = self.processes.pop(service, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def healthcheck(self, service: str) -> subprocess.CompletedProcess:
        check = SERVICES[service]["healthcheck"]
        test = check["test"]
        argv = ["sh", "-c", test[1]] if test[0] == "CMD-SHELL" else test[1:]
        return subprocess.run(  # noqa: S603
            [self.translate(arg) for arg in argv],
            cwd=ROOT,
            env=self.env(service),
            capture_output=True,
            text=True,
            timeout=seconds(check["timeout"]) + 30,  # a loaded machine is slower
        )

    def started(self, service: str) -> bool:
        """A cheap sign the service is up, so its healthcheck (a Python start-up each) runs
        once or twice rather than on every poll."""
        if service == "web":
            try:
                with socket.create_connection(("127.0.0.1", self.web_port), timeout=1):
                    return True
            except OSError:
                return False
        if service == "worker":
            return " ready." in self.log(service)
        return (self.tmp / "celerybeat.pid").exists()

    def wait_healthy(self, service: str) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self.started(service) and time.monotonic() < deadline:
            process = self.processes[service]
            if process.poll() is not None:
                raise AssertionError(f"{service} exited: {self.log(service)}")
            time.sleep(0.2)
        while True:
            process = self.processes.get(service)
            if process is not None and process.poll() is not None:
                raise AssertionError(f"{service} exited: {self.log(service)}")
            result = self.healthcheck(service)
            if result.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{service} unhealthy: {result.stderr}\n{self.log(service)}")
            time.sleep(1)

    def log(self, service: str) -> str:
        path = self.tmp / f"{service}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def get(self, path: str, host: str = "localhost", **headers: str) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=30)
        connection.request("GET", path, headers={"Host": host, **headers})
        response = connection.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        return response


def _require_services(database_url: str) -> None:
    if not database_url.startswith("postgres"):
        service_missing("PostgreSQL (DATABASE_URL) for the compose stack")
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            pass
    except OSError:
        service_missing("Redis on 127.0.0.1:6379 for the compose stack")
    if not shutil.which("caddy"):
        service_missing("caddy (Debian package) for the compose stack's proxy")


@pytest.fixture(scope="module")
def stack(tmp_path_factory, django_db_setup, django_db_blocker) -> Iterator[Stack]:
    from django.db import connection

    settings_dict = connection.settings_dict
    url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        if connection.vendor == "postgresql"
        else "sqlite"
    )
    _require_services(url)
    tmp = tmp_path_factory.mktemp("compose")
    (tmp / "secrets").mkdir()
    # The image makes these (Dockerfile: mkdir -p /var/lib/cse-portal /var/lib/cse-static) and
    # the volumes are mounted on them before any service starts.
    (tmp / "private").mkdir()
    (tmp / "static").mkdir()
    (tmp / "secrets" / "secret_key").write_text(secrets.token_urlsafe(50) + "\n")
    (tmp / "secrets" / "db_password").write_text((settings_dict["PASSWORD"] or "trust") + "\n")
    stack = Stack(tmp=tmp, database_url=url)
    try:
        # The migrate job runs first and must succeed (web, worker and beat depend on it).
        with django_db_blocker.unblock():
            migrate = subprocess.run(  # noqa: S603
                [stack.translate(arg) for arg in SERVICES["migrate"]["command"]],
                cwd=ROOT,
                env=stack.env("migrate"),
                capture_output=True,
                text=True,
                timeout=600,
            )
        assert migrate.returncode == 0, migrate.stdout + migrate.stderr
        stack.start("web", dockerfile_env_and_cmd()[1])
        stack.start("worker", shlex.split(SERVICES["worker"]["command"]))
        stack.start("beat", shlex.split(SERVICES["beat"]["command"]))
        for service in ("web", "worker", "beat"):
            stack.wait_healthy(service)
        yield stack
    finally:
        for service in list(stack.processes):
            stack.stop(service)


def test_migrate_job_collects_static_files_without_test_tools_or_sources(stack: Stack) -> None:
    static = stack.tmp / "static"
    assert (static / "build" / "app.css").exists()
    assert (static / "js" / "init.mjs").exists()
    published = [path.name for path in static.rglob("*")]
    assert not [name for name in published if name.startswith("axe") or name.endswith(".scss")]
    assert not (stack.tmp / "private" / "staticfiles").exists()


def test_web_healthcheck_passes_over_plain_http_to_127_0_0_1(stack: Stack) -> None:
    """The probe that could never pass: 400 for the host, then a redirect to HTTPS."""
    assert stack.healthcheck("web").returncode == 0
    # Pages still refuse what the probe is: a host not allowed, and plain HTTP.
    assert stack.get("/sign-in/", host="127.0.0.1").status == 400
    redirect = stack.get("/sign-in/", host="localhost")
    assert redirect.status == 301 and redirect.getheader("Location").startswith("https://")
    # As the proxy sends it: served.
    assert stack.get("/sign-in/", host="localhost", **{"X-Forwarded-Proto": "https"}).status == 200


def test_worker_and_beat_healthchecks_pass(stack: Stack) -> None:
    assert stack.healthcheck("worker").returncode == 0
    assert stack.healthcheck("beat").returncode == 0


def test_readyz_is_green_with_the_whole_stack(stack: Stack) -> None:
    response = stack.get("/readyz", host="127.0.0.1")
    body = json.loads(response.body)  # type: ignore[attr-defined]
    assert response.status == 200, body
    assert body["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "redis": "ok",
        "worker": "ok",
        "storage": "ok",
    }


def test_the_proxy_serves_https_for_localhost(stack: Stack) -> None:
    proxy = SERVICES["proxy"]
    https_port, http_port, admin_port = free_port(), free_port(), free_port()
    data = stack.tmp / "caddy-data"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(stack.tmp),
        "XDG_DATA_HOME": str(data),
        "XDG_CONFIG_HOME": str(stack.tmp / "caddy-config"),
        **{key: interpolate(str(value), {}) for key, value in proxy["environment"].items()},
    }
    assert env["CSE_SITE_ADDRESS"] == "localhost"  # the quick start's default: local TLS
    env.update(
        {
            "CSE_SITE_ADDRESS": f"localhost:{https_port}",
            "CSE_UPSTREAM": f"127.0.0.1:{stack.web_port}",
            "CSE_STATIC_DIR": str(stack.tmp / "static"),
            "CADDY_ADMIN": f"127.0.0.1:{admin_port}",
            # Not the machine's trust store: this test trusts Caddy's root on its own.
            "CADDY_GLOBAL_OPTIONS": f"skip_install_trust\nhttp_port {http_port}",
        }
    )
    caddy = subprocess.Popen(  # noqa: S603
        [shutil.which("caddy"), "run", "--config", str(ROOT / "ops" / "Caddyfile")]
        + ["--adapter", "caddyfile"],
        env=env,
        stdout=open(stack.tmp / "caddy.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        root_cert = data / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        deadline = time.monotonic() + 60
        while True:
            try:
                context = ssl.create_default_context(cafile=str(root_cert))
                connection = http.client.HTTPSConnection(
                    "localhost", https_port, context=context, timeout=10
                )
                connection.request("GET", "/sign-in/")
                page = connection.getresponse()
                page_body = page.read()
                break
            except (OSError, ssl.SSLError):
                assert caddy.poll() is None, stack.log("caddy")
                assert time.monotonic() < deadline, (stack.tmp / "caddy.log").read_text()
                time.sleep(0.5)
        # The sign-in page over TLS, with HTTPS-only cookies and HSTS: no redirect loop.
        assert page.status == 200, page_body[:500]
        assert "max-age=" in page.getheader("Strict-Transport-Security", "")
        assert "__Host-csrftoken" in page.getheader("Set-Cookie", "")
        for path, content_type in [
            ("/static/build/app.css", "text/css"),
            ("/static/js/init.mjs", "javascript"),
        ]:
            connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            static = connection.getresponse()
            static.read()
            assert static.status == 200, path
            assert content_type in static.getheader("Content-Type"), path
            assert static.getheader("Cache-Control") == "no-cache"
        connection.request("GET", "/static/build/axe.min.js")
        missing = connection.getresponse()
        missing.read()
        assert missing.status == 404
        connection.request("GET", "/healthz")
        health = connection.getresponse()
        assert health.status == 200 and json.loads(health.read()) == {"status": "ok"}
        # Plain HTTP on the proxy redirects to HTTPS.
        plain = http.client.HTTPConnection("localhost", http_port, timeout=10)
        plain.request("GET", "/sign-in/")
        redirected = plain.getresponse()
        assert redirected.status in {301, 308}
        assert redirected.getheader("Location").startswith("https://localhost")
        # The proxy's own healthcheck URL (its admin endpoint, inside the container).
        probe = proxy["healthcheck"]["test"][-1].replace("2019", str(admin_port))
        with urllib.request.urlopen(probe, timeout=10) as response:  # noqa: S310
            assert response.status == 200
    finally:
        os.killpg(caddy.pid, signal.SIGTERM)
        caddy.wait(timeout=20)


def test_readyz_and_the_worker_healthcheck_fail_without_a_worker(stack: Stack) -> None:
    stack.stop("worker")
    response = stack.get("/readyz", host="127.0.0.1")
    body = json.loads(response.body)  # type: ignore[attr-defined]
    assert response.status == 503
    assert body["checks"]["worker"] == "no worker answered"
    assert body["checks"]["redis"] == "ok"
    assert stack.healthcheck("worker").returncode == 1
    assert stack.healthcheck("web").returncode == 0  # liveness: web itself is fine


def test_beat_and_web_healthchecks_fail_when_their_process_is_gone(stack: Stack) -> None:
    stack.stop("beat")
    assert stack.healthcheck("beat").returncode == 1
    stack.stop("web")
    assert stack.healthcheck("web").returncode == 1
