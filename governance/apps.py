from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Information governance: retention review, access audit, subject access"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app declares what it holds about a data subject and why (its sar.py), like
        # its retention rules: governance imports no app above it.
        autodiscover_modules("sar")
