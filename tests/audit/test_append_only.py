"""History tables and the access log are append-only on PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.models import User
from audit.append_only import (
    FUNCTION_NAME,
    TRIGGER_NAME,
    allow_disposal_in_this_transaction,
    audited_table_names,
    install_triggers,
)
from audit.models import AccessEvent
from audit.services import access_event_record
from partnership.models import Agency
from tests.conftest import service_missing

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        service_missing("append-only triggers exist on PostgreSQL only (set DATABASE_URL)")


def _triggered_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [TRIGGER_NAME],
        )
        return {row[0] for row in cursor.fetchall()}


def test_every_history_table_and_the_access_log_has_the_trigger(postgresql: None) -> None:
    tables = set(connection.introspection.table_names())
    expected = {t for t in tables if "historical" in t} | {
        "audit_accessevent",
        "audit_disposallog",
        "audit_retentiondecision",
    }
    assert "cases_historicalyoungperson" in expected
    assert expected <= _triggered_tables()
    assert audited_table_names() <= tables


def test_update_and_delete_of_history_rows_are_refused(
    postgresql: None, cfs_practitioner: User
) -> None:
    agency = Agency.objects.get(code="cfs")
    agency.short_name = "CFS (renamed)"
    agency.save()
    history = agency.history.model
    row = history.objects.filter(id=agency.pk).latest("history_id")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        history.objects.filter(pk=row.pk).update(short_name="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        history.objects.filter(pk=row.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {history._meta.db_table} SET short_name = 'x'")  # noqa: S608
    assert history.objects.get(pk=row.pk).short_name == "CFS (renamed)"


def test_access_log_rows_cannot_be_changed_or_removed(
    postgresql: None, cfs_practitioner: User
) -> None:
    event = access_event_record(actor=cfs_practitioner, action=AccessEvent.Action.VIEW)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).update(action="other")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.delete()
    assert AccessEvent.objects.filter(pk=event.pk, action="view").exists()


def test_disposal_setting_allows_delete_but_never_update(postgresql: None) -> None:
    agency = Agency.objects.get(code="nhs")
    agency.short_name = "NHS T"
    agency.save()
    history = agency.history.model
    with transaction.atomic():
        allow_disposal_in_this_transaction()
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            history.objects.filter(id=agency.pk).update(short_name="tampered")
        deleted, _ = history.objects.filter(id=agency.pk).delete()
    assert deleted >= 1


def test_disposal_setting_ends_with_its_transaction(postgresql: None) -> None:
    """On a connection of its own (the test's transaction never ends): SET LOCAL is per
    transaction, so a pooled connection never carries it into the next request."""
    import psycopg

    settings_dict = connection.settings_dict
    with psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        password=settings_dict["PASSWORD"] or None,
        autocommit=True,
    ) as conn:
        conn.execute("CREATE TEMP TABLE tmp_historical_probe (id int)")
        conn.execute(
            f"CREATE TRIGGER probe BEFORE UPDATE OR DELETE ON tmp_historical_probe "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION_NAME}()"
        )
        conn.execute("INSERT INTO tmp_historical_probe VALUES (1), (2)")
        with conn.transaction():
            conn.execute("SET LOCAL cse.disposal = 'on'")
            assert conn.execute("DELETE FROM tmp_historical_probe WHERE id = 1").rowcount == 1
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("DELETE FROM tmp_historical_probe WHERE id = 2")


def test_install_is_idempotent_and_picks_up_new_history_tables(postgresql: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE tmp_historicalthing (id serial primary key, v text)")
    try:
        added = install_triggers()
        assert added == ["tmp_historicalthing"]
        assert install_triggers() == []
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE tmp_historicalthing")


def test_install_is_a_no_op_off_postgresql() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("checks the SQLite path")
    assert install_triggers() == []
