"""Demo data for the action plan (progress updates and activity come with the actions issue)."""

import random


def seed_actions(*, size: str, rng: random.Random, progress: bool) -> str:
    return "the 14 items are loaded by migration"
