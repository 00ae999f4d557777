from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Kofu core"

    def ready(self) -> None:
        from .roles import roles_sync

        post_migrate.connect(lambda **kwargs: roles_sync(), weak=False, dispatch_uid="roles_sync")
