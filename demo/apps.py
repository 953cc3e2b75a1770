from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Holds the seed_demo command, which builds every app's demo data in order."""

    name = "demo"
    verbose_name = "Demo data"
