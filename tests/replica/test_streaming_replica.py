"""A real streaming replica on this machine: a throwaway primary cluster and a standby made
with pg_basebackup, each a postmaster on a free port in a temporary directory (the machine's
own PostgreSQL is never touched), then the replica journey in tests/replica/replica_check.py:
list pages and a report read from the standby return what the primary returns, and a user
who has just written reads it back while the standby is deliberately stale.

Runs when DATABASE_URL names PostgreSQL (CI sets it); a newcomer's SQLite `make test` skips
it. In CI a missing PostgreSQL server binary fails it. Removes both clusters afterwards.
"""

import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.services


def _bin_dir() -> Path | None:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True
    )
    found = shutil.which("initdb")
    if found:
        candidates.insert(0, Path(found).parent)
    for candidate in candidates:
        if all((candidate / tool).exists() for tool in ("initdb", "pg_ctl", "pg_basebackup")):
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Clusters:
    """Two postmasters: a primary and its streaming standby, owned by a non-root user when
    the test runs as root (initdb refuses root)."""

    def __init__(self, bin_dir: Path, workdir: Path) -> None:
        self.bin = bin_dir
        self.dir = workdir
        self.primary = workdir / "primary"
        self.standby = workdir / "standby"
        self.primary_port = _free_port()
        self.standby_port = _free_port()
        self.started: list[Path] = []
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(workdir, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def run(self, tool: str, *args: str) -> None:
        subprocess.run(  # noqa: S603 - PostgreSQL's own tools, fixed arguments
            [*self.as_user, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self, data: Path, port: int) -> None:
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.dir}'\n"
            )
        self.run("pg_ctl", "-D", str(data), "-l", str(self.dir / f"{data.name}.log"), "-w",
                 "-t", "30", "start")  # fmt: skip
        self.started.append(data)

    def create(self) -> None:
        self.run("initdb", "-D", str(self.primary), "-U", "root", "--auth=trust", "-E", "UTF8",
                 "--no-sync", "--no-instructions")  # fmt: skip
        with open(self.primary / "postgresql.conf", "a") as conf:
            # Small and fast: a test cluster, never a deployment.
            conf.write(
                "\nwal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n"
                "shared_buffers = 32MB\nmax_connections = 40\nfsync = off\n"
                "synchronous_commit = off\njit = off\n"
            )
        self.start(self.primary, self.primary_port)
        # -R writes standby.signal and primary_conninfo: a streaming standby, not a copy.
        self.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "root",
                 "-D", str(self.standby), "-R", "-X", "stream", "-c", "fast")  # fmt: skip
        self.start(self.standby, self.standby_port)
        import psycopg

        with psycopg.connect(self.url(self.primary_port, "postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE cse_replica")

    def copy_database(self, settings_dict: dict) -> None:
        """The suite's migrated test database, schema and data, into the new primary: a dump
        takes seconds where migrating from nothing takes most of a minute of CPU."""
        source = {
            "PGHOST": settings_dict.get("HOST") or "127.0.0.1",
            "PGPORT": str(settings_dict.get("PORT") or 5432),
            "PGUSER": settings_dict.get("USER") or "root",
            "PGPASSWORD": settings_dict.get("PASSWORD") or "",
        }
        pg_dump = shutil.which("pg_dump") or str(self.bin / "pg_dump")
        psql = shutil.which("psql") or str(self.bin / "psql")
        dump = subprocess.run(  # noqa: S603 - PostgreSQL's own tools, fixed arguments
            [pg_dump, "--no-owner", "--no-privileges", "-d", settings_dict["NAME"]],
            env={**os.environ, **source},
            check=True,
            capture_output=True,
            timeout=120,
        ).stdout
        subprocess.run(  # noqa: S603
            [psql, "-q", "-v", "ON_ERROR_STOP=1", self.url(self.primary_port)],
            input=dump,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def url(self, port: int, name: str = "cse_replica") -> str:
        return f"postgres://root@127.0.0.1:{port}/{name}"

    def stop(self) -> None:
        for data in reversed(self.started):
            try:
                self.run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
            except subprocess.SubprocessError:
                pass  # already gone; the directory is removed below either way


@pytest.fixture
def clusters() -> Iterator[Clusters]:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        service_missing("the replica test runs with PostgreSQL: set DATABASE_URL (CI does)")
    bin_dir = _bin_dir()
    if bin_dir is None:
        service_missing("PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) not found")
    workdir = Path(tempfile.mkdtemp(prefix="cse-replica-"))
    made = Clusters(bin_dir, workdir)
    try:
        made.create()
        yield made
    except subprocess.CalledProcessError as error:
        logs = "".join(p.read_text()[-2000:] for p in workdir.glob("*.log"))
        pytest.fail(f"{error.cmd[-1]}: {error.stderr.decode()[-2000:]}\n{logs}")
    finally:
        made.stop()
        shutil.rmtree(workdir, ignore_errors=True)


# Not transactional (pytest-django runs these before transactional tests, which flush the
# tables): the test database still holds exactly what migrations put there when it is copied.
@pytest.mark.django_db
def test_lists_and_report_read_from_a_streaming_replica_with_read_your_writes(
    clusters: Clusters,
) -> None:
    from django.db import connection

    clusters.copy_database(connection.settings_dict)
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)},
        "DJANGO_SETTINGS_MODULE": "cse_portal.settings.test",
        "DATABASE_URL": clusters.url(clusters.primary_port),
        "DATABASE_REPLICA_URL": clusters.url(clusters.standby_port),
        "CSE_REPLICA_STICKY_SECONDS": "2",
        "CSE_VAR_DIR": str(clusters.dir / "var"),
    }
    try:
        result = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, str(ROOT / "tests" / "replica" / "replica_check.py")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        steps = error.stderr.decode() if isinstance(error.stderr, bytes) else error.stderr
        pytest.fail(f"the replica journey took over 240 s; its steps:\n{steps}")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    findings = json.loads(result.stdout.strip().splitlines()[-1])
    assert findings["ok"]
    for name in ("cases:referral_list", "cases:young_person_list", "cases:missing_list"):
        assert findings[name]["replica_queries"] > 0
    assert findings["writer_back_on_replica_sees_stale"]
