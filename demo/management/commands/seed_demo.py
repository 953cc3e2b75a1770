"""Seed synthetic, plausible demo data. Deterministic for a given --seed; safe to run twice.

Refuses to run unless CSE_DEMO is on: the demo accounts include `admin` and every role, so on
a real install they would be a way in. Their password is random per install and printed once,
when the accounts are made, unless DEMO_PASSWORD sets it; a DEMO_PASSWORD set (or changed)
after the first seed is applied to the existing demo accounts on the next run.
"""

import random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.demo import demo_password_generate, seed_people
from cse_portal.env import env_str

ERROR_NOT_DEMO = (
    "seed_demo creates accounts for every role, `admin` included: it runs only when CSE_DEMO "
    "is on (CSE_DEMO=true, as `make run` sets). Refusing on an install that is not a demo."
)


class Command(BaseCommand):
    help = "Create demo users and synthetic records (no real person) for trying CSE Portal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=["small", "large"], default="small")
        parser.add_argument("--seed", type=int, default=2015)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.CSE_DEMO:
            raise CommandError(ERROR_NOT_DEMO)
        chosen = env_str("DEMO_PASSWORD")  # or DEMO_PASSWORD_FILE
        password = chosen or demo_password_generate()
        size: str = options["size"]
        seed: int = options["seed"]
        people = seed_people(password=password, reset_existing=bool(chosen))
        self.stdout.write(f"Demo users created: {people.created}")
        if people.password_changed:
            self.stdout.write(
                f"Demo users given the password in DEMO_PASSWORD: {people.password_changed}"
            )
        # Each app seeds its own records; each part skips itself when its data exists.
        for label, seeder in self._seeders():
            rng = random.Random(f"{seed}:{label}")
            created = seeder(size=size, rng=rng, progress=size == "large")
            self.stdout.write(f"{label}: {created}")
        self.stdout.write(self.style.SUCCESS(self._password_line(people.created, chosen, password)))

    @staticmethod
    def _password_line(created: int, chosen: str, password: str) -> str:
        who = "Sign in as e.g. vap.chair, cfs.practitioner, police.maog, clerk or admin"
        if chosen:
            return f"Demo ready. {who} with the password in DEMO_PASSWORD."
        if created:
            # The only time this password is shown: it is stored nowhere but as a hash.
            return (
                f"Demo ready. {who} with the password: {password}\n"
                "It is shown only this once. To choose another: DEMO_PASSWORD=... and seed again."
            )
        return (
            f"Demo ready. {who} with the password printed when the demo accounts were made "
            "(it is not shown again). To reset it: set DEMO_PASSWORD and seed again, e.g. "
            "`DEMO_PASSWORD=my-password make run`."
        )

    def _seeders(self) -> list[tuple[str, Any]]:
        from actions.demo import seed_actions
        from cases.demo import seed_cases
        from casework.demo import seed_casework
        from demo.committees import seed_committees
        from maog.demo import seed_intel

        return [
            ("Cases", seed_cases),
            ("Persons, places and intelligence", seed_intel),
            ("Action plan", seed_actions),
            ("IRDs, actions and case notes", seed_casework),
            ("Committee meetings and report officers", seed_committees),
        ]
