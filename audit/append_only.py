"""Append-only audit tables on PostgreSQL: a trigger refuses UPDATE and DELETE.

Covered tables: every django-simple-history table (every model with `history`, and any table
whose name contains "historical", which includes the m2m history tables) and
audit_accessevent. The application can only INSERT into them.

The one exception is retention disposal (audit/retention.py): deleting a disposed record must
also delete its history, or the history would keep what was disposed of. Disposal runs

    SET LOCAL cse.disposal = 'on';

inside its transaction; the setting ends with the transaction, and the trigger then allows
DELETE (never UPDATE). Anyone able to run arbitrary SQL as the table owner can still drop
the trigger: this guards the application's code paths. A deployment that wants more revokes
UPDATE/DELETE on these tables from the web role and runs migrations as a separate owner.

Installed by the audit migration 0003 for the tables that exist then and, because other
apps add history models later, by `install_triggers()` on every post_migrate (idempotent).
On SQLite everything here is a no-op.
"""

from typing import Any

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, connections

FUNCTION_NAME = "cse_audit_append_only"
TRIGGER_NAME = "cse_append_only"
DISPOSAL_SETTING = "cse.disposal"

CREATE_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION_NAME}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('{DISPOSAL_SETTING}', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""


def audited_table_names(apps: Any = None) -> set[str]:
    """Tables that must be append-only: every history model in the registry, and AccessEvent."""
    registry = apps or global_apps
    names = {"audit_accessevent", "audit_disposallog", "audit_retentiondecision"}
    for model in registry.get_models():
        label = model._meta.label_lower
        # Historical models are named Historical<Model> by simple-history; m2m history models
        # are too. Checking the name works with the live and the migration-state registry.
        if model.__name__.startswith("Historical") or "historical" in model._meta.db_table:
            names.add(model._meta.db_table)
        elif label == "audit.accessevent":
            names.add(model._meta.db_table)
    return names


def install_triggers(using: str = DEFAULT_DB_ALIAS, apps: Any = None) -> list[str]:
    """Create the trigger function and attach it to every audited table that lacks it.

    Idempotent; returns the tables it attached the trigger to now. No-op off PostgreSQL.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        wanted = {name for name in audited_table_names(apps) if name in existing}
        # Tables made outside the registry (or by an app not loaded here) still match by name.
        wanted |= {name for name in existing if "historical" in name}
        cursor.execute(CREATE_FUNCTION_SQL)
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND NOT t.tgisinternal",
            [TRIGGER_NAME],
        )
        done = {row[0] for row in cursor.fetchall()}
        added = sorted(wanted - done)
        quote = connection.ops.quote_name
        for table in added:
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER_NAME} BEFORE UPDATE OR DELETE ON {quote(table)} "  # noqa: S608 - table names come from the catalogue, quoted
                f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION_NAME}()"
            )
    return added


def uninstall_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    """Remove the triggers and the function (reverse migration)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION_NAME}() CASCADE")


def allow_disposal_in_this_transaction(using: str = DEFAULT_DB_ALIAS) -> None:
    """Let this transaction delete history rows (retention disposal only). Needs atomic()."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [DISPOSAL_SETTING])


def install_triggers_after_migrate(
    sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    """post_migrate receiver: attach the trigger to history tables added by any migration."""
    install_triggers(using=using)
