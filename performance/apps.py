from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance"

    def ready(self) -> None:
        # Registers the action plan's measure sources: the indicator figures of the items
        # measured by an indicator, and items 8 and 14 computed from published reports.
        from performance import plan_measures  # noqa: F401
