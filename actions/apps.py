from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Action plan"

    def ready(self) -> None:
        from actions import permissions  # noqa: F401  (registers the plan and register policies)
