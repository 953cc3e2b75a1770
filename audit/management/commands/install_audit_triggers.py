from typing import Any

from django.core.management.base import BaseCommand

from audit.append_only import install_triggers


class Command(BaseCommand):
    help = "Make history tables and the access log append-only (PostgreSQL; idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        added = install_triggers(using=options["database"])
        self.stdout.write(f"append-only trigger attached to {len(added)} new table(s)")
        for table in added:
            self.stdout.write(f"  {table}")
