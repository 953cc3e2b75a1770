"""Seed synthetic, plausible demo data. Deterministic for a given --seed; safe to run twice."""

import os
import random
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from partnership.demo import seed_people

DEFAULT_DEMO_PASSWORD = "cse-demo-password"  # noqa: S105 - documented demo default


class Command(BaseCommand):
    help = "Create demo users and synthetic records (no real person) for trying CSE Portal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=["small", "large"], default="small")
        parser.add_argument("--seed", type=int, default=2015)

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
        size: str = options["size"]
        seed: int = options["seed"]
        made = seed_people(password=password)
        self.stdout.write(f"Demo users created: {made}")
        # Each app seeds its own records; each part skips itself when its data exists.
        for label, seeder in self._seeders():
            rng = random.Random(f"{seed}:{label}")
            created = seeder(size=size, rng=rng, progress=size == "large")
            self.stdout.write(f"{label}: {created}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready. Sign in as e.g. vap.chair, cfs.practitioner, police.maog, clerk "
                f"or admin with the password: {password}"
            )
        )

    def _seeders(self) -> list[tuple[str, Any]]:
        from actions.demo import seed_actions
        from cases.demo import seed_cases
        from cases.intel_demo import seed_intel

        return [
            ("Cases", seed_cases),
            ("Persons, places and intelligence", seed_intel),
            ("Action plan", seed_actions),
        ]
