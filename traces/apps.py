from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TracesConfig(AppConfig):
    """The auditor's read-only pages: each application's decision trace and log exports."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "traces"
    verbose_name = _("decision traces")
