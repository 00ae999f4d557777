from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevocationsConfig(AppConfig):
    name = "revocations"
    verbose_name = _("Revocations and repayments")
