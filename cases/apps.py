from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        # The MAOG records still live in this package until they move to their own app;
        # importing their selectors registers their chronology source. (That app will
        # register from its own ready() and this import goes.)
        from cases import intel_selectors  # noqa: F401
        from cases import permissions  # noqa: F401  (registers the casework policies)
