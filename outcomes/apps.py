from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    """Outcome reports (効果報告): the measures a subsidised company reports after payment."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "outcomes"
    verbose_name = _("outcome reports")
