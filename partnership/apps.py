from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = "Partnership: agencies, committees and people"

    def ready(self) -> None:
        from partnership.roles import sync_role_permissions

        post_migrate.connect(sync_role_permissions, dispatch_uid="partnership-role-permissions")
