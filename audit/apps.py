from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit: access log and recorded acts"

    def ready(self) -> None:
        from audit.append_only import install_triggers_after_migrate

        # After every migrate (and test-database flush): history tables added by any app
        # become append-only too. Idempotent.
        post_migrate.connect(
            install_triggers_after_migrate, sender=self, dispatch_uid="audit-append-only"
        )
