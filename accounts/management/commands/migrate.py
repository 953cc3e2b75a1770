"""Django's migrate, which first adopts the user tables for `accounts` on an older database.

The user model moved from `partnership` to `accounts` keeping its tables. Every migration
that points at AUTH_USER_MODEL (ours and third-party: admin, guardian, django-otp, ...)
now depends on accounts.0001_initial, so on a database migrated before the move Django
would refuse to start ("applied before its dependency"). accounts.0001_initial changes
the project state only, so recording it as applied is exactly what running it would do;
this happens only when partnership's user tables are already there.
"""

from typing import Any

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

ADOPTED_MIGRATION = ("accounts", "0001_initial")
# partnership's half of the move: it forgets the models, in the state only. Recorded with the
# adoption because later migrations of every app (audit, cases, casework, ...) depend on it.
PARTNERSHIP_FORGETS_USERS = ("partnership", "0004_users_moved_to_accounts")
# The last migration that created the user tables under `partnership`.
USER_TABLES_CREATED_BY = ("partnership", "0003_backup_codes")


def adopt_user_tables(database: str = DEFAULT_DB_ALIAS) -> bool:
    """Record the move (accounts.0001_initial and partnership.0004, both state-only) as
    applied if the tables it describes already exist."""
    recorder = MigrationRecorder(connections[database])
    if not recorder.has_table():
        return False
    applied = recorder.applied_migrations()
    if ADOPTED_MIGRATION in applied or USER_TABLES_CREATED_BY not in applied:
        return False
    recorder.record_applied(*ADOPTED_MIGRATION)
    if PARTNERSHIP_FORGETS_USERS not in applied:
        recorder.record_applied(*PARTNERSHIP_FORGETS_USERS)
    return True


class Command(MigrateCommand):
    help = MigrateCommand.help + " (Adopts the user tables for the accounts app first.)"

    def handle(self, *args: Any, **options: Any) -> None:
        if adopt_user_tables(options["database"]) and options["verbosity"] >= 1:
            self.stdout.write("Recorded accounts.0001_initial: the user tables are adopted.")
        super().handle(*args, **options)
