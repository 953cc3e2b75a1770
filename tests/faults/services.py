"""Throwaway services for fault tests: a PostgreSQL cluster and a redis-server of our own.

Never the machine's shared PostgreSQL or Redis: each is started in a temp directory on a
free loopback port, stopped and restarted at will, and removed afterwards.
"""

import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.conftest import service_missing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path | None:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True
    )
    found = shutil.which("initdb")
    if found:
        candidates.insert(0, Path(found).parent)
    tools = ("initdb", "pg_ctl")
    return next((c for c in candidates if all((c / t).exists() for t in tools)), None)


class Cluster:
    """One postmaster in `workdir`, owned by `postgres` when the tests run as root."""

    def __init__(self, workdir: Path) -> None:
        bin_dir = postgres_bin()
        if bin_dir is None:
            service_missing("PostgreSQL server binaries (initdb, pg_ctl) not found")
        self.bin = bin_dir
        self.dir = workdir
        self.data = workdir / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(workdir, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def run(self, tool: str, *args: str, timeout: float = 60) -> None:
        subprocess.run(  # noqa: S603 - PostgreSQL's own tools, fixed arguments
            [*self.as_user, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            timeout=timeout,
        )

    def create(self, database: str) -> str:
        self.run("initdb", "-D", str(self.data), "-U", "root", "--auth=trust", "-E", "UTF8",
                 "--no-sync", "--no-instructions")  # fmt: skip
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.dir}'\nshared_buffers = 32MB\n"
                "max_connections = 40\nfsync = off\nsynchronous_commit = off\njit = off\n"
            )
        self.start()
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        return self.url(database)

    def url(self, database: str) -> str:
        return f"postgres://root@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "pg.log"), "-w",
                 "-t", "30", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def destroy(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.SubprocessError:
            pass  # not running; the directory goes either way
        shutil.rmtree(self.dir, ignore_errors=True)


class RedisServer:
    """A redis-server of our own on a free port, no persistence."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            service_missing("redis-server not found")
        self.binary = binary
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
                return
            except redis.exceptions.RedisError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def reset_celery_app(app: Any) -> None:
    """Forget every connection, producer pool and cached queue the app holds, so the next
    message goes to the broker and queue configured now (an earlier test of the session may
    have sent to another broker's queue; app.close() alone keeps the producer pool)."""
    from kombu import pools

    app.close()
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
        for cached in ("queues", "router", "default_exchange"):
            amqp.__dict__.pop(cached, None)
    pools.reset()
