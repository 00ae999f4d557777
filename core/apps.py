from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Kofu core")

    def ready(self) -> None:
        from .roles import roles_sync

        post_migrate.connect(lambda **kwargs: roles_sync(), weak=False, dispatch_uid="roles_sync")
