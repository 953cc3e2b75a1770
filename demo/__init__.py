"""Demo seeding: the only app allowed to import every app (tests/test_architecture.py)."""
