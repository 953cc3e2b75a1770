"""The user model moved from partnership to accounts without moving a row.

The tables keep their names, the two migrations that move the models change the project
state only, and a database migrated before the move (which has no accounts migrations
recorded) migrates forward with the project's `migrate` command.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.migrations.exceptions import InconsistentMigrationHistory
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import SeparateDatabaseAndState
from django.db.migrations.recorder import MigrationRecorder

from accounts.models import BackupCode, BackupCodeDevice, PendingRoleGrant, User
from accounts.services import user_create
from partnership.models import Agency
from partnership.roles import Role

MOVE = (("accounts", "0001_initial"), ("partnership", "0004_users_moved_to_accounts"))


def test_the_models_keep_their_tables() -> None:
    assert User._meta.db_table == "partnership_user"
    assert User.history.model._meta.db_table == "partnership_historicaluser"
    assert User.groups.through._meta.db_table == "partnership_user_groups"
    assert BackupCodeDevice._meta.db_table == "partnership_backupcodedevice"
    assert BackupCode._meta.db_table == "partnership_backupcode"


def test_the_move_changes_the_state_only() -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in MOVE:
        operations = loader.graph.nodes[key].operations
        assert operations and all(isinstance(op, SeparateDatabaseAndState) for op in operations)
        assert all(op.database_operations == [] for op in operations), key
    # partnership forgets the models only after accounts has them.
    assert MOVE[0] in {parent.key for parent in loader.graph.node_map[MOVE[1]].parents}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_migrated_before_the_move_migrates_forward() -> None:
    # Its own agency: an earlier transactional test may have flushed the reference data.
    agency, _ = Agency.objects.get_or_create(
        code="move", defaults={"name": "Agency before the move", "short_name": "Move"}
    )
    Group.objects.get_or_create(name=Role.PRACTITIONER.value)
    user = user_create(
        actor=None,
        username="before.move",
        agency=agency,
        roles=[Role.PRACTITIONER],
        password=None,
    )
    history_rows = user.history.count()
    # Make the database look as it did before the move: no accounts migrations recorded,
    # no partnership.0004, and no table for the grants that came after.
    recorder = MigrationRecorder(connection)
    recorder.migration_qs.filter(app="accounts").delete()
    recorder.migration_qs.filter(app="partnership", name=MOVE[1][1]).delete()
    with connection.schema_editor() as editor:
        editor.delete_model(PendingRoleGrant)
    with pytest.raises(InconsistentMigrationHistory):
        MigrationLoader(connection).check_consistent_history(connection)

    call_command("migrate", verbosity=0)

    applied = MigrationRecorder(connection).applied_migrations()
    assert set(MOVE) <= set(applied)
    assert ("accounts", "0002_pending_role_grants") in applied
    moved = User.objects.get(pk=user.pk)
    assert moved.username == "before.move" and moved.agency == agency
    assert moved.role_names() == {Role.PRACTITIONER.value}
    assert moved.history.count() == history_rows
    assert PendingRoleGrant.objects.count() == 0  # the new table is there and empty
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
