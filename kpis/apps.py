from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    """The programme's KPIs and per-round figures for staff (pandas)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "kpis"
    verbose_name = _("programme KPIs")
