"""Make history tables and the access log append-only on PostgreSQL (no-op on SQLite).

Tables added later by other apps' migrations get the trigger from the post_migrate hook
(audit.apps), which calls the same idempotent install_triggers().
"""

from typing import Any

from django.db import migrations


def install(apps: Any, schema_editor: Any) -> None:
    from audit.append_only import install_triggers

    install_triggers(using=schema_editor.connection.alias)


def uninstall(apps: Any, schema_editor: Any) -> None:
    from audit.append_only import uninstall_triggers

    uninstall_triggers(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
