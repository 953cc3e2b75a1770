"""make backup / make restore: a pg_dump -Fc restores into a fresh database, table for table."""

import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from audit.models import AccessEvent
from audit.services import access_event_record
from tests.conftest import service_missing
from tests.factories import ReferralFactory, YoungPersonFactory

ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] or ""
    if s["PASSWORD"]:
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _connect(name: str) -> psycopg.Connection:
    return psycopg.connect(_url(name), autocommit=True)


def _fingerprint(name: str) -> dict[str, tuple[int, str]]:
    """Row count and md5 of the ordered rows of every table in the public schema."""
    with _connect(name) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        result = {}
        for table in tables:
            # Table names come from the catalogue, quoted.
            query = f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: E501, S608
            count, digest = conn.execute(query).fetchone()
            result[table] = (count, digest)
        return result


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restores_into_a_fresh_database_with_identical_tables(
    tmp_path: Path, cfs_practitioner: object
) -> None:
    if connection.vendor != "postgresql":
        service_missing("backup and restore need PostgreSQL (set DATABASE_URL)")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        service_missing("pg_dump / pg_restore (postgresql-client) not installed")

    child = YoungPersonFactory()
    ReferralFactory(young_person=child)
    child.school = "Example Academy"
    child.save()
    access_event_record(actor=cfs_practitioner, action=AccessEvent.Action.VIEW, instance=child)

    source = connection.settings_dict["NAME"]
    target = f"{source}_restored"
    dump = tmp_path / "backup.dump"
    backup = subprocess.run(  # noqa: S603
        ["/bin/bash", "ops/backup.sh", str(dump)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": _url(source)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert backup.returncode == 0, backup.stderr
    assert dump.stat().st_size > 0 and (dump.stat().st_mode & 0o077) == 0

    with _connect("postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
        admin.execute(f'CREATE DATABASE "{target}"')
    try:
        restore = subprocess.run(  # noqa: S603
            ["/bin/bash", "ops/restore.sh", str(dump)],
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", "DATABASE_URL": _url(target)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert restore.returncode == 0, restore.stderr
        before, after = _fingerprint(source), _fingerprint(target)
        assert len(before) > 20
        assert before["cases_youngperson"][0] == 1
        assert before["cases_historicalyoungperson"][0] == 2
        assert before["audit_accessevent"][0] >= 1
        assert after == before
        # The append-only trigger came back with the data.
        with _connect(target) as conn, pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("DELETE FROM audit_accessevent")
    finally:
        with _connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
