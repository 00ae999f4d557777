from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflows")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the review signal receivers)
        from .library_names import viewflow_names_translate

        viewflow_names_translate()
